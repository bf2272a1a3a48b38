"""Model pieces shared by every app (no tables of its own)."""

from typing import Any, NoReturn


class ImmutableRow:
    """A row written once and never changed or deleted (a version of a document or an answer).
    Mixed in before models.Model."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:  # type: ignore[attr-defined]  # mixed into a model
            raise ValueError(f"{type(self).__name__} rows are immutable.")
        super().save(*args, **kwargs)  # type: ignore[misc]  # models.Model.save

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError(f"{type(self).__name__} rows are immutable.")
