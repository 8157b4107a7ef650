"""Report renderers: one class per format behind one interface (`render(report) -> bytes`).

RENDERERS["docx"]().render(report)
"""

from practice_review.reports.renderers.docx import DocxRenderer
from practice_review.reports.renderers.html import HtmlRenderer
from practice_review.reports.renderers.pdf import PdfRenderer

RENDERERS = {renderer.format: renderer for renderer in (HtmlRenderer, DocxRenderer, PdfRenderer)}
