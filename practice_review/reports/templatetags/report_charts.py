import base64

from django import template

from practice_review.reports.charts import render_svg

register = template.Library()


@register.filter
def chart_data_uri(chart):
    """The chart as an SVG image for <img src>: text stays sharp at any zoom and in print, the
    <img>'s alt carries the chart's data in words (tagged as a figure in the PDF), and ids
    inside one chart cannot clash with another's."""
    encoded = base64.b64encode(render_svg(chart).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
