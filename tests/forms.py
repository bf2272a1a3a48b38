"""POST data as a browser sends a create form: with the hidden request key the form was shown
with (core.forms.RequestKeyMixin), a new one for each form opened."""

import uuid
from typing import Any


def with_key(data: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """The form's fields and a fresh request key (the same dict posted twice is a double click)."""
    return {"request_key": str(uuid.uuid4()), **(data or {}), **fields}
