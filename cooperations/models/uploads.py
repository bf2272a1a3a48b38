import uuid

from django.utils.text import get_valid_filename


def upload_path(instance, filename: str) -> str:
    """Uploaded files live under MEDIA_ROOT/private/, never under static/, each in its own
    random folder so two files with one name never collide. Names are sanitised."""
    safe_name = get_valid_filename(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[-120:] or "archivo"
    return f"private/{instance._meta.app_label}/{instance._meta.model_name}/{uuid.uuid4().hex}/{safe_name}"
