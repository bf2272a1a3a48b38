"""The regional performance ranking: entered or imported per semester, computed by a stored
method, published as immutable versions with their PDF."""

import hashlib
import io
import uuid
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from capacity_plan.models import Region
from ranking import selectors, services
from ranking.models import Ranking, RankingEntry, RankingVersion
from ranking.scoring import method_of, ranking_rows, region_score, score_level
from tests.factories import ROLE_FACTORIES

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "ranking-regional-ejemplo.xlsx"
HEADERS = [
    "Región",
    "Cumplimiento de metas (%)",
    "Esfuerzo adicional (%)",
    "Ejecución financiera SUNAFIL (%)",
    "Observación",
]


def xlsx(rows, headers=HEADERS, name="ranking.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@pytest.fixture
def odes(seed):
    return ROLE_FACTORIES["odes"]()


@pytest.fixture
def ranking(odes):
    return services.ranking_create(year=2025, semester=1, by=odes)


def values_of(ranking) -> dict[str, tuple]:
    return {
        entry.region.name: (entry.goals, entry.additional, entry.financial)
        for entry in RankingEntry.objects.filter(ranking=ranking).select_related("region")
        if entry.goals is not None or entry.additional is not None or entry.financial is not None
    }


def test_a_new_ranking_has_one_empty_row_per_region(ranking):
    assert ranking.entries.count() == 25
    assert values_of(ranking) == {}


def test_the_import_writes_nothing_when_a_row_is_wrong_and_names_each_row(client, odes, ranking):
    client.force_login(odes)
    upload = xlsx(
        [
            ["Cusco", 80, 10, 90, ""],
            ["Atlántida", 80, 10, 90, ""],
            ["Puno", 120, 10, "noventa", ""],
            ["cusco", 70, 10, 90, ""],
        ]
    )

    response = client.post(reverse("ranking:import", args=[ranking.pk]), {"file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert "El archivo tiene 3 filas con errores; no se guardó nada." in page
    assert "Fila 3: la región «Atlántida» no es una de las 25 G/DRTPE" in page
    assert "Fila 4:" in page and "debe estar entre 0 y 100 (dice 120)" in page and "no es un número: noventa" in page
    assert "Fila 5: la región Cusco ya está en la fila 2" in page
    assert values_of(ranking) == {}


def test_a_valid_import_writes_every_row(client, odes, ranking):
    client.force_login(odes)
    upload = xlsx([["Cusco", 80, 10, 90.5, "nota"], ["Lima Provincias", "75,5 %", None, 40, ""]])

    response = client.post(reverse("ranking:import", args=[ranking.pk]), {"file": upload})

    assert response.status_code == 302
    assert values_of(ranking) == {
        "Cusco": (Decimal("80.00"), Decimal("10.00"), Decimal("90.50")),
        "Lima Provincias": (Decimal("75.50"), None, Decimal("40.00")),
    }


def test_the_import_refuses_files_that_are_not_xlsx(client, odes, ranking):
    client.force_login(odes)
    response = client.post(
        reverse("ranking:import", args=[ranking.pk]),
        {"file": SimpleUploadedFile("ranking.xlsx", b"Region;Metas\nCusco;80\n", content_type="text/csv")},
    )
    assert "No se pudo leer el archivo: no es un XLSX válido." in response.content.decode()
    response = client.post(
        reverse("ranking:import", args=[ranking.pk]), {"file": xlsx([["Cusco", 1]], headers=["Metas"])}
    )
    assert "Falta la columna «Región» en la primera fila." in response.content.decode()


def test_the_example_file_imports_the_25_regions(client, odes, ranking):
    client.force_login(odes)
    with EXAMPLE.open("rb") as handle:
        response = client.post(
            reverse("ranking:import", args=[ranking.pk]), {"file": SimpleUploadedFile(EXAMPLE.name, handle.read())}
        )
    assert response.status_code == 302
    assert len(values_of(ranking)) == 25
    assert all("INVENTADOS" in entry.note for entry in ranking.entries.all())
    assert ranking.entries.get(region__name="Madre de Dios").financial is None


def test_scores_follow_the_method_for_missing_values():
    zero = {
        "weights": {"goals": "50", "additional": "20", "financial": "30"},
        "thresholds": {"high": "75", "medium": "50"},
        "missing": "zero",
    }
    reweight = {**zero, "missing": "reweight"}
    values = {"goals": "80", "additional": "50", "financial": None}

    assert region_score(values, zero) == Decimal("50.00")  # (50×80 + 20×50 + 30×0) / 100
    assert region_score(values, reweight) == Decimal("71.43")  # (50×80 + 20×50) / 70
    assert score_level(Decimal("50.00"), zero) == "medium"
    assert score_level(Decimal("75"), zero) == "high"
    assert score_level(Decimal("49.99"), zero) == "low"
    assert region_score({"goals": None, "additional": None, "financial": None}, zero) is None


def test_the_edit_page_saves_the_method_and_values_and_refuses_weights_that_do_not_add_up(client, odes, ranking):
    client.force_login(odes)
    entries = list(selectors.ranking_entries(ranking=ranking))
    data = {
        "weight_goals": "60",
        "weight_additional": "20",
        "weight_financial": "30",
        "threshold_high": "70",
        "threshold_medium": "40",
        "missing": "reweight",
        "expected_revision": str(ranking.revision),
        "regiones-TOTAL_FORMS": str(len(entries)),
        "regiones-INITIAL_FORMS": str(len(entries)),
    }
    for index, entry in enumerate(entries):
        data[f"regiones-{index}-id"] = str(entry.pk)
        data[f"regiones-{index}-goals"] = "88" if entry.region.name == "Tacna" else ""
    url = reverse("ranking:edit", args=[ranking.pk])

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert "Los tres pesos deben sumar 100 (suman 110)." in refused.content.decode()
    assert 'value="88"' in refused.content.decode()  # what was typed stays
    assert values_of(ranking) == {}

    data["weight_goals"] = "50"
    assert client.post(url, data).status_code == 302
    ranking.refresh_from_db()
    assert (ranking.weight_goals, ranking.missing) == (Decimal("50.00"), "reweight")
    assert values_of(ranking) == {"Tacna": (Decimal("88.00"), None, None)}


def test_an_edit_opened_before_an_import_is_refused_and_keeps_the_import(client, odes, ranking):
    client.force_login(odes)
    url = reverse("ranking:edit", args=[ranking.pk])
    opened = client.get(url)
    assert f'name="expected_revision" value="{ranking.revision}"' in opened.content.decode()
    cusco = Region.objects.get(name="Cusco")
    services.ranking_import(ranking=ranking, values={cusco.pk: {"goals": Decimal("70")}}, by=odes)
    entries = list(selectors.ranking_entries(ranking=ranking))
    data = {
        "weight_goals": "50",
        "weight_additional": "20",
        "weight_financial": "30",
        "threshold_high": "75",
        "threshold_medium": "50",
        "missing": "zero",
        "expected_revision": "1",
        "regiones-TOTAL_FORMS": str(len(entries)),
        "regiones-INITIAL_FORMS": str(len(entries)),
        **{f"regiones-{index}-id": str(entry.pk) for index, entry in enumerate(entries)},
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Otra persona guardó o importó valores de este ranking" in response.content.decode()
    assert values_of(ranking) == {"Cusco": (Decimal("70.00"), None, None)}


def _fill(ranking, odes):
    regions = list(Region.objects.order_by("pk"))
    values = {
        region.pk: {
            "goals": Decimal(50 + 2 * n),
            "additional": Decimal(n),
            "financial": None if n % 5 == 0 else Decimal(100 - n),
        }
        for n, region in enumerate(regions)
    }
    services.ranking_import(ranking=ranking, values=values, by=odes)


def test_publishing_stores_an_immutable_version_with_its_pdf(ranking, odes):
    _fill(ranking, odes)
    key = uuid.uuid4()

    version = services.ranking_publish(ranking=ranking, request_key=key, by=odes)  # real WeasyPrint

    with version.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    assert version.sha256 == hashlib.sha256(content).hexdigest() and version.size == len(content)
    assert version.file_name == "ranking-regional-2025-s1-v1.pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "método de cálculo" in text.lower() and "09 de empleo" in text and "Nivel alto" in text
    # The same request publishes once; a new one makes the next number.
    assert services.ranking_publish(ranking=ranking, request_key=key, by=odes).pk == version.pk
    assert services.ranking_publish(ranking=ranking, request_key=uuid.uuid4(), by=odes).number == 2
    version.number = 9
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert RankingVersion.objects.get(pk=version.pk).number == 1


def test_a_published_ranking_recomputes_from_its_stored_method_to_the_same_levels(ranking, odes):
    _fill(ranking, odes)
    version = services.ranking_publish(ranking=ranking, request_key=uuid.uuid4(), by=odes)
    # Later changes to the ranking do not touch what was published.
    Ranking.objects.filter(pk=ranking.pk).update(threshold_high=Decimal("99"), missing="reweight")
    RankingEntry.objects.filter(ranking=ranking).update(goals=Decimal(0))

    stored = RankingVersion.objects.get(pk=version.pk).snapshot
    inputs = [
        {key: row[key] for key in ("region", "region_name", "goals", "additional", "financial", "note")}
        for row in stored["rows"]
    ]
    again = ranking_rows(method=stored["method"], entries=inputs)

    assert [(row["region"], row["score"], row["level"], row["position"]) for row in again] == [
        (row["region"], row["score"], row["level"], row["position"]) for row in stored["rows"]
    ]
    assert {row["level"] for row in stored["rows"]} == {"high", "medium", "low"}
    assert stored["method"] != method_of(Ranking.objects.get(pk=ranking.pk))


def test_publishing_an_empty_ranking_is_refused_with_a_message(client, odes, ranking):
    client.force_login(odes)
    response = client.post(
        reverse("ranking:publish", args=[ranking.pk]), {"request_key": str(uuid.uuid4())}, follow=True
    )
    assert "Ninguna región tiene valores" in response.content.decode()
    assert not RankingVersion.objects.exists()


def test_odes_imports_and_publishes_then_a_manager_reads_it(client, odes, ranking, client_for):
    client.force_login(odes)
    with EXAMPLE.open("rb") as handle:
        client.post(
            reverse("ranking:import", args=[ranking.pk]), {"file": SimpleUploadedFile(EXAMPLE.name, handle.read())}
        )
    response = client.post(reverse("ranking:publish", args=[ranking.pk]), {"request_key": str(uuid.uuid4())})
    version = RankingVersion.objects.get()
    assert response.url == reverse("ranking:version", args=[version.pk])

    manager = client_for("manager")
    page = manager.get(response.url).content.decode()
    assert "Versión 1" in page or "versión 1" in page
    assert "suman 13" in page  # the seed's 14 indicators split as 09 + 04, both kept
    assert "Un valor que falta cuenta como 0." in page
    download = manager.get(reverse("ranking:version_download", args=[version.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert (
        manager.post(reverse("ranking:publish", args=[ranking.pk]), {"request_key": str(uuid.uuid4())}).status_code
        == 403
    )


def test_ranking_pages_keep_their_query_counts(client, odes, ranking, django_assert_max_num_queries):
    _fill(ranking, odes)
    version = services.ranking_publish(ranking=ranking, request_key=uuid.uuid4(), by=odes)
    client.force_login(odes)
    for url in (
        reverse("ranking:list"),
        reverse("ranking:detail", args=[ranking.pk]),
        reverse("ranking:edit", args=[ranking.pk]),
        reverse("ranking:version", args=[version.pk]),
    ):
        # 11: the «Exportar» menu asks once more whether the user may read the ranking.
        with django_assert_max_num_queries(11):
            assert client.get(url).status_code == 200, url
