"""Long cooperation pages open with a table of contents: a nav landmark with a link and a count
for each part of the record, every link pointing at an anchor of the page."""

import re

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from reports.models import Kind, ReportJob, ReportVersion
from tests.cooperations.conftest import world  # noqa: F401  (the two-cooperation world)
from tests.factories import ParticipationFactory, QuestionFactory, SessionFactory, StepFactory

NAV = re.compile(r'<nav class="cooperation-toc" aria-label="Índice de la cooperación".*?</nav>', re.S)


def _toc(page: str) -> str:
    match = NAV.search(page)
    assert match, "the page has its table of contents"
    return match.group(0)


def _entries(toc: str) -> dict[str, tuple[str, int]]:
    """label -> (anchor, count)"""
    return {
        label.strip(): (anchor, int(count))
        for anchor, label, count in re.findall(r'href="#([^"]+)">([^<]+)<span class="badge[^"]*">(\d+)</span>', toc)
    }


def _version(cooperation, number):
    job = ReportJob.objects.create(kind=Kind.SUMMARY, cooperation=cooperation, status=ReportJob.Status.DONE)
    version = ReportVersion(
        kind=Kind.SUMMARY,
        cooperation=cooperation,
        number=number,
        label="abierta a comentarios",
        job=job,
        created_at=timezone.now(),
        file_name="resumen.pdf",
        size=9,
        sha256="0" * 64,
        snapshot={},
    )
    version.file.save("resumen.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    version.save()
    return version


def test_the_table_of_contents_counts_each_part_and_links_to_anchors_on_the_page(world, client_for):  # noqa: F811
    w = world
    second = SessionFactory(cooperation=w.cooperation, order=2)
    StepFactory(cooperation=w.cooperation, after_session=second)
    before = StepFactory(cooperation=w.cooperation, after_session=None)
    for _ in range(3):
        ParticipationFactory(cooperation=w.cooperation)
    QuestionFactory(objective=w.objective)
    _version(w.cooperation, 1)
    _version(w.cooperation, 2)

    page = client_for(w.users["oea"]).get(reverse("cooperations:detail", args=[w.cooperation.pk])).content.decode()
    entries = _entries(_toc(page))

    assert entries == {
        "Sesiones": ("sesiones", 2),
        "Pasos y plazos": (f"paso-{before.pk}", 3),  # the first step the page shows
        "Participantes": ("participantes", 3),
        "Preguntas": ("preguntas", 2),
        "Entregables": ("entregables", 1),
        "Versiones del documento": ("versiones", 2),
    }
    for anchor, _count in entries.values():
        assert f'id="{anchor}"' in page, anchor
    # On a phone the list is collapsed behind a button that says what it opens.
    assert 'data-bs-toggle="collapse" data-bs-target="#indice" aria-expanded="false" aria-controls="indice"' in page
    assert 'id="indice"' in page and 'class="collapse d-lg-block' in page
    assert "Versión 2</a> · abierta a comentarios" in page


def test_who_may_not_read_summaries_has_no_versions_entry(world, client_for):  # noqa: F811
    page = client_for(world.users["manager"]).get(reverse("cooperations:detail", args=[world.cooperation.pk]))
    entries = _entries(_toc(page.content.decode()))
    assert "Versiones del documento" not in entries
    assert set(entries) == {"Sesiones", "Pasos y plazos", "Participantes", "Preguntas", "Entregables"}
