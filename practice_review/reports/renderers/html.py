from django.template.loader import render_to_string


class HtmlRenderer:
    format = "html"
    content_type = "text/html; charset=utf-8"

    def render(self, report, for_print=False):
        """A standalone, accessible HTML document (Django's autoescaping covers all text)."""
        html = render_to_string("reports/report.html", {"report": report, "for_print": for_print})
        return html.encode("utf-8")
