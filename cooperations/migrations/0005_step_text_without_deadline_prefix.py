import re

from django.db import migrations

# «A más tardar el 25 de junio: …» written into a step's text that also has the date as its due
# date: the page prints the due date before the text, so the date read twice.
DEADLINE_PREFIX = re.compile(r"^\s*A más tardar el [^:\n]{1,40}:\s*")


def strip_deadline_prefix(apps, schema_editor):
    step_model = apps.get_model("cooperations", "Step")
    for step in step_model.objects.exclude(due_date=None).filter(text__startswith="A más tardar el "):
        text = DEADLINE_PREFIX.sub("", step.text, count=1)
        if text and text != step.text:
            step.text = text
            step.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [("cooperations", "0004_plausible_dates")]

    operations = [migrations.RunPython(strip_deadline_prefix, migrations.RunPython.noop)]
