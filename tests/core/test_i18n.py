import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_interface_is_spanish_by_default(client):
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="es">' in body
    assert "Iniciar sesión" in body


def test_english_is_available_through_the_language_switcher(client_for):
    client = client_for("manager")
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Sign out" in body
    assert "RIAL cooperations" in body


def test_spanish_date_formats(settings):
    import datetime

    from django.utils import formats, translation

    with translation.override("es"):
        assert formats.date_format(datetime.date(2023, 2, 28)) == "28 de febrero de 2023"


def test_an_english_browser_still_gets_spanish_until_the_user_switches(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="es">' in body


def _po_entries(path):
    """The entries of a .po file as (flags, msgid, [msgstr…]) with their text joined."""
    entries, flags, current, key = [], [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current:
                entries.append(
                    (flags, current.get("msgid", ""), [v for k, v in current.items() if k.startswith("msgstr")])
                )
            flags, current, key = [], {}, None
        elif line.startswith("#,"):
            flags = [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += line.strip()[1:-1]
        else:
            key, _space, value = line.partition(" ")
            current[key] = value.strip()[1:-1]
    return entries


def test_every_interface_text_has_its_english_translation():
    """English is available for every marked text: no message left untranslated or guessed."""
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
    entries = [entry for entry in _po_entries(po) if entry[1]]  # the header has an empty msgid
    assert len(entries) > 1000
    fuzzy = [msgid for flags, msgid, _strings in entries if "fuzzy" in flags]
    untranslated = [msgid for _flags, msgid, strings in entries if not all(strings)]
    assert fuzzy == [] and untranslated == []
