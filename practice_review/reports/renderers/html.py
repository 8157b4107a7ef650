from django.template.loader import render_to_string

from practice_review.reports.renderers import page


class HtmlRenderer:
    format = "html"
    content_type = "text/html; charset=utf-8"

    def render(self, report, for_print=False):
        """A standalone, accessible HTML document (Django's autoescaping covers all text)."""
        html = render_to_string("reports/report.html", {
            "report": report,
            "for_print": for_print,
            "margins": f"{page.MARGIN_TOP_BOTTOM_CM}cm {page.MARGIN_SIDES_CM}cm",
        })  # fmt: skip
        return html.encode("utf-8")
