"""A step can have several responsible institutions («El MITRADEL y el MTPE compartirán…»): the
foreign key becomes a many-to-many field, keeping each step's responsible institution."""

import django.db.models.deletion
from django.db import migrations, models


def copy_responsible_institution(apps, schema_editor):
    Step = apps.get_model("cooperations", "Step")
    through = Step.responsible_institutions.through
    through.objects.bulk_create(
        [
            through(step_id=step_id, institution_id=institution_id)
            for step_id, institution_id in Step.objects.exclude(responsible_institution=None).values_list(
                "pk", "responsible_institution"
            )
        ]
    )


def keep_first_responsible_institution(apps, schema_editor):
    """Going back: each step keeps the first of its responsible institutions (by id)."""
    Step = apps.get_model("cooperations", "Step")
    through = Step.responsible_institutions.through
    first: dict[int, int] = {}
    for step_id, institution_id in through.objects.order_by("institution_id").values_list("step_id", "institution_id"):
        first.setdefault(step_id, institution_id)
    for step_id, institution_id in first.items():
        Step.objects.filter(pk=step_id).update(responsible_institution_id=institution_id)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperations", "0007_long_text_max_lengths"),
    ]

    operations = [
        # The old key gives up its reverse name ("steps") to the new field.
        migrations.AlterField(
            model_name="step",
            name="responsible_institution",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cooperations.institution",
                verbose_name="responsable",
            ),
        ),
        migrations.AddField(
            model_name="step",
            name="responsible_institutions",
            field=models.ManyToManyField(
                blank=True,
                help_text="Una o varias, p. ej. «El MITRADEL y el MTPE compartirán…».",
                related_name="steps",
                to="cooperations.institution",
                verbose_name="responsables",
            ),
        ),
        migrations.RunPython(copy_responsible_institution, keep_first_responsible_institution),
        migrations.RemoveField(
            model_name="historicalstep",
            name="responsible_institution",
        ),
        migrations.RemoveField(
            model_name="step",
            name="responsible_institution",
        ),
    ]
