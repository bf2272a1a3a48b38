"""Reading generated PDFs in tests, as a reader would: the text, whitespace normalised."""

import io
import re

from pypdf import PdfReader

PAGE_FOOTER = re.compile(r"Página \d+ de \d+")


def pdf_text(data: bytes, *, running: tuple[str, ...] = ()) -> str:
    """All pages' text. `running` names the running header texts to drop, so that a paragraph
    split across two pages reads as one; page footers and list bullets are dropped too."""
    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        text = PAGE_FOOTER.sub(" ", page.extract_text()).replace("•", " ")
        for header in running:
            text = text.replace(header, " ")
        pages.append(text)
    return normalise(" ".join(pages))


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
