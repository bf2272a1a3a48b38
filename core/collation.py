"""Alphabetical order as a Spanish reader expects it, the same on PostgreSQL and SQLite whatever
the database's collation: accents do not count (Áncash before Apurímac, not after Ucayali),
case does not count, and ñ comes right after n."""

from django.db.models import F, Func, OrderBy, Value
from django.db.models.functions import Lower, Replace

# Each accented letter and what it sorts as. SQLite's lower() changes only ASCII letters, so the
# capitals are replaced too; "n~" sorts after every "n" followed by a letter ("~" is after "z").
SORTS_AS = {
    **dict(zip("áéíóúüÁÉÍÓÚÜ", "aeiouuaeiouu", strict=True)),
    "ñ": "n~",
    "Ñ": "n~",
}


def spanish_key(field: str) -> Func:
    """The field's text as it sorts in Spanish (for order_by and Meta.ordering)."""
    key: Func = Lower(F(field))
    for accented, plain in SORTS_AS.items():
        key = Replace(key, Value(accented), Value(plain))
    return key


def spanish_order(field: str, *, descending: bool = False) -> OrderBy:
    return spanish_key(field).desc() if descending else spanish_key(field).asc()


def spanish_sort_key(text: str) -> str:
    """The same key in Python, for lists sorted after they are read."""
    key = text.lower()
    for accented, plain in SORTS_AS.items():
        key = key.replace(accented, plain)
    return key
