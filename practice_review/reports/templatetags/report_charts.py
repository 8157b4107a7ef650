import base64

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join

from practice_review.reports.charts import render_svg
from practice_review.reports.checks import listed

register = template.Library()


@register.filter
def chart_data_uri(chart):
    """The chart as an SVG image for <img src>: text stays sharp at any zoom and in print, the
    <img>'s alt carries the chart's data in words (tagged as a figure in the PDF), and ids
    inside one chart cannot clash with another's."""
    encoded = base64.b64encode(render_svg(chart).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


@register.filter
def runs_html(runs):
    """A paragraph's text runs as HTML: every text escaped, styles as <strong>, <em>, <mark>."""
    html = []
    for run in runs:
        text = conditional_escape(run.text)
        if run.bold:
            text = format_html("<strong>{}</strong>", text)
        if run.italic:
            text = format_html("<em>{}</em>", text)
        if run.marked:
            # <mark> alone is not announced by screen readers; the hidden words are.
            text = format_html('<mark class="app-figure-problem"><span class="govuk-visually-'
                               'hidden">Figure-check problem: </span>{}</mark>', text)  # fmt: skip
        html.append(text)
    return format_html_join("", "{}", ((piece,) for piece in html))


# The first 50 problems of each part, then "and 950 more in 6. Closing remarks".
register.filter("listed", listed)


@register.simple_tag
def problems_in(draft, part):
    """The figure-check problems in one part of a draft's narrative."""
    return draft.problems_in(part)


@register.simple_tag
def part_edited(draft, part):
    return draft.edited(part)
