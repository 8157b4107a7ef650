"""Reading PDFs back in tests with pypdf (pure Python), so the PDF tests need no poppler and run
in `make test`. pdftoppm stays a tool for looking at pages by hand (docs/summary-reports.md)."""

import io
from dataclasses import dataclass

from pypdf import PdfReader

# A4 in PDF points (1/72 inch): 210 x 297 mm.
A4 = (595.28, 841.89)


@dataclass
class ReadPdf:
    pages: list[str]  # each page's text, as pypdf extracts it
    size: tuple[float, float]  # the first page's width and height in points
    tagged: bool  # a structure tree, marked as tagged (PDF/UA): screen readers can follow it
    metadata: dict

    @property
    def text(self):
        return "\n".join(self.pages)

    @property
    def words(self):
        """The text with every run of white space as one space, so a phrase the layout broke
        over two lines is still found."""
        return " ".join(self.text.split())

    @property
    def is_a4(self):
        return all(abs(got - want) < 1 for got, want in zip(self.size, A4, strict=True))


def read_pdf(content):
    reader = PdfReader(io.BytesIO(content))
    box = reader.pages[0].mediabox
    catalog = reader.trailer["/Root"]
    mark_info = catalog.get("/MarkInfo")
    tagged = "/StructTreeRoot" in catalog and bool(mark_info and mark_info.get("/Marked"))
    return ReadPdf(
        pages=[page.extract_text() or "" for page in reader.pages],
        size=(float(box.width), float(box.height)),
        tagged=tagged,
        metadata=dict(reader.metadata or {}),
    )
