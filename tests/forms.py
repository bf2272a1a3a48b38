"""POST data as a browser sends a create form: with the hidden request key the form was shown
with (core.forms.RequestKeyMixin), a new one for each form opened."""

import uuid
from html.parser import HTMLParser
from typing import Any


def with_key(data: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """The form's fields and a fresh request key (the same dict posted twice is a double click)."""
    return {"request_key": str(uuid.uuid4()), **(data or {}), **fields}


class _FormFields(HTMLParser):
    """What a browser without JavaScript would submit from the first POST form of a page's main
    content (no button)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self.in_main = False
        self.in_form = False
        self.done = False
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "main":
            self.in_main = True
        if tag == "form" and self.in_main and attributes.get("method", "").lower() == "post" and not self.done:
            self.in_form = True
        if not self.in_form or tag == "template":
            return
        name = attributes.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.data.append((name, attributes.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name and "__prefix__" not in name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select is not None:
            if self.select_first is None:
                self.select_first = attributes.get("value", "")
            if "selected" in attributes and not self.select_chosen:
                self.data.append((self.select, attributes.get("value", "")))
                self.select_chosen = True
        elif tag == "textarea" and name and "__prefix__" not in name:
            self.textarea, self.text = name, ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "select" and self.select is not None:
            if not self.select_chosen:
                self.data.append((self.select, self.select_first or ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.data.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def page_form_data(page: str) -> dict[str, list[str]]:
    """The fields of the first POST form in the page's <main> as a browser would send them (values by name;
    the test client posts a list as repeated fields), empty rows' templates left out."""
    parser = _FormFields()
    parser.feed(page)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data
