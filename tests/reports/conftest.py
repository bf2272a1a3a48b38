from tests.cooperations.conftest import world  # noqa: F401  (the two-cooperation world, reused)
