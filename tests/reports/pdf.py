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


def page_fill(data: bytes, index: int) -> float:
    """How far down page `index` (0 = first) its text reaches, as a share of the page's height
    (0–1), the page footer left out: a page half empty reads about 0.5."""
    page = PdfReader(io.BytesIO(data)).pages[index]
    lowest = 0.0
    scale = 1.0

    def visit(text, cm, tm, _font, _size):
        nonlocal lowest, scale
        if text.strip() and not PAGE_FOOTER.search(text):
            # WeasyPrint draws in CSS pixels from the top, under a flipped, scaled matrix.
            scale = abs(cm[3]) or 1.0
            lowest = max(lowest, tm[5])

    page.extract_text(visitor_text=visit)
    return lowest * scale / float(page.mediabox.height)


def overflowing_cells(html: str) -> list[tuple[int, str]]:
    """Laid out by WeasyPrint as the PDF is: the (page, word) of every piece of text drawn past
    the right edge of its table cell, over the next one."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from reports.rendering import BASE_URL, StaticOnlyFetcher

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    found = []
    for number, page in enumerate(document.pages, start=1):
        for cell in page._page_box.descendants():
            if not isinstance(cell, boxes.TableCellBox):
                continue
            right = cell.content_box_x() + cell.width
            for text in cell.descendants():
                if isinstance(text, boxes.TextBox) and text.position_x + text.width > right + 0.5:
                    found.append((number, text.text))
    return found
