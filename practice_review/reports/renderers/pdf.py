from practice_review.reports.renderers.html import HtmlRenderer


class PdfRenderer:
    format = "pdf"
    content_type = "application/pdf"

    def render(self, report):
        """A4, page numbers, tagged for accessibility (PDF/UA), from the same HTML."""
        # Imported here: WeasyPrint loads Pango at import, which only PDF output needs.
        import weasyprint

        html = HtmlRenderer().render(report, for_print=True).decode("utf-8")
        document = weasyprint.HTML(string=html)
        return document.write_pdf(pdf_variant="pdf/ua-1")
