"""rial_site.downloads.serve_private_file: Django streams the file, or (production behind nginx,
PRIVATE_FILES_ACCEL_REDIRECT set) answers with X-Accel-Redirect and no body."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.urls import reverse

from rial_site.downloads import serve_private_file
from tests.cooperations.conftest import world  # noqa: F401  (fixture)
from tests.files import PDF_BYTES, docx_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def stored(name: str, content: bytes = PDF_BYTES) -> FieldFile:
    """A file saved in the default storage (under the test's MEDIA_ROOT), as a model field holds it."""
    saved_name = default_storage.save(name, ContentFile(content))
    return FieldFile(None, FileField(), saved_name)  # type: ignore[arg-type]  # reading needs no model instance


@pytest.fixture
def accel(settings):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = "/protected/"


def test_by_default_django_streams_the_file(settings):
    assert settings.PRIVATE_FILES_ACCEL_REDIRECT == ""
    response = serve_private_file(stored("private/reports/abc/resumen.pdf"), "Resumen.pdf", "application/pdf")
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "X-Accel-Redirect" not in response
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Resumen.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_with_accel_redirect_nginx_gets_the_path_and_the_response_has_no_body(accel):
    response = serve_private_file(stored("private/reports/abc/resumen.pdf"), "Resumen.pdf", "application/pdf")
    assert not response.streaming
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/protected/private/reports/abc/resumen.pdf"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Resumen.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_the_prefix_may_come_without_its_trailing_slash(settings):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = "/internal/media"
    response = serve_private_file(stored("private/a/plan.pdf"), "plan.pdf")
    assert response["X-Accel-Redirect"] == "/internal/media/private/a/plan.pdf"
    assert response["Content-Type"] == "application/pdf"  # guessed from the original name


def test_accents_spaces_and_url_characters_in_the_stored_name_are_percent_encoded(accel):
    field_file = stored("private/informes/año 2025/Informe_Perú #2?.pdf")
    assert field_file.name == "private/informes/año 2025/Informe_Perú #2?.pdf"
    response = serve_private_file(field_file, "Informe.pdf")
    assert response["X-Accel-Redirect"] == (
        "/protected/private/informes/a%C3%B1o%202025/Informe_Per%C3%BA%20%232%3F.pdf"
    )


@pytest.mark.parametrize("mode", ["", "/protected/"])
@pytest.mark.parametrize(
    ("original_name", "disposition"),
    [
        ('Acta "final".pdf', 'attachment; filename="Acta \\"final\\".pdf"'),
        (
            'Plan "final" – año 2025.docx',
            "attachment; filename*=utf-8''Plan%20%22final%22%20%E2%80%93%20a%C3%B1o%202025.docx",
        ),
    ],
)
def test_the_original_name_is_kept_with_quotes_and_accents_encoded(settings, mode, original_name, disposition):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = mode
    response = serve_private_file(stored("private/a/plan.docx", docx_bytes()), original_name, DOCX)
    assert response["Content-Disposition"] == disposition
    assert response["Content-Type"] == DOCX


@pytest.mark.parametrize("mode", ["", "/protected/"])
def test_a_missing_file_is_a_404_in_both_modes(settings, mode):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = mode
    field_file = stored("private/a/borrado.pdf")
    default_storage.delete(field_file.name)
    with pytest.raises(Http404):
        serve_private_file(field_file, "borrado.pdf")
    with pytest.raises(Http404):
        serve_private_file(FieldFile(None, FileField(), ""), "sin-archivo.pdf")


@pytest.mark.django_db
def test_the_deliverable_download_view_hands_the_file_to_nginx_after_checking_permission(world, client_for, accel):  # noqa: F811
    url = reverse("cooperations:version_download", args=[world.version.pk])

    allowed = client_for(world.users["focal_requesting"]).get(url)
    assert allowed.status_code == 200
    assert allowed.content == b""
    assert allowed["X-Accel-Redirect"] == "/protected/" + world.version.file.name
    assert allowed["Content-Disposition"] == f'attachment; filename="{world.version.original_name}"'
    assert allowed["Content-Type"] == DOCX

    refused = client_for(world.users["focal_other"]).get(url)
    assert refused.status_code in (403, 404)
    assert "X-Accel-Redirect" not in refused

    default_storage.delete(world.version.file.name)
    assert client_for(world.users["focal_requesting"]).get(url).status_code == 404
