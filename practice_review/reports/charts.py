"""The report's charts: a plain description (built with the report) drawn by matplotlib as SVG
for HTML and PDF, or PNG for Word. Every chart's data is also in a table beside it, and its
alternative text says what it shows."""

import functools
import io
import textwrap
import warnings
from dataclasses import dataclass

from matplotlib.figure import Figure

# GOV.UK colours with enough contrast against white and against each other.
COLOURS = ["#1d70b8", "#f47738", "#505a5f", "#00703c"]
FONTS = ["Arial", "Liberation Sans", "DejaVu Sans"]
PER_CENT = "per cent of reviews"


@dataclass(frozen=True)
class Chart:
    title: str
    categories: list  # along the axis
    series: list  # (name, [value per category]); a text value is a count kept from view
    unit: str = "reviews"

    @property
    def withholds(self):
        """Some value is kept from view (the wider edition): a bar chart cannot show it."""
        return any(isinstance(value, str) for _, values in self.series for value in values)

    @property
    def drawable(self):
        """Worth drawing: every value is shown and one is more than 0 (else only empty axes)."""
        return not self.withholds and any(value for _, values in self.series for value in values)

    @property
    def alt(self):
        """Alternative text: the chart's data in words."""
        parts = []
        for name, values in self.series:
            listed = ", ".join(f"{c} {_label(v, self.unit)}"
                               for c, v in zip(self.categories, values, strict=True))  # fmt: skip
            parts.append(f"{name}: {listed}")
        return f"Bar chart, {self.title}, in {self.unit}. " + "; ".join(parts) + "."


def _figure(chart):
    figure = Figure(figsize=(7.5, 0.3 * len(chart.categories) * len(chart.series) + 1.6))
    axes = figure.subplots()
    height = 0.8 / len(chart.series)
    positions = range(len(chart.categories))
    for index, (name, values) in enumerate(chart.series):
        offsets = [p + index * height for p in positions]
        # A hidden count has no bar, only its label: a bar would show what the label hides.
        bars = axes.barh(offsets, [_number(value) for value in values], height=height,
                         label=_wrap(name, 40), color=COLOURS[index % len(COLOURS)])  # fmt: skip
        axes.bar_label(bars, labels=[_label(v, chart.unit) for v in values], padding=3,
                       fontsize=9)  # fmt: skip
    axes.set_yticks([p + height * (len(chart.series) - 1) / 2 for p in positions])
    axes.set_yticklabels([_wrap(c) for c in chart.categories], fontsize=9)
    axes.invert_yaxis()
    axes.set_xlabel(chart.unit.capitalize(), fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    largest = max((_number(value) for _, values in chart.series for value in values), default=0)
    axes.set_xlim(0, (largest or 1) * 1.18)  # room for the value labels
    if len(chart.series) > 1:
        # Below the plot, so it never covers a bar.
        axes.legend(fontsize=9, frameon=False, loc="upper center", ncols=len(chart.series),
                    bbox_to_anchor=(0.5, -0.22))  # fmt: skip
    with warnings.catch_warnings():
        # A name too long to fit beside the bars still gets its chart, with less margin:
        # cohort names are up to 200 characters and people type what they like.
        warnings.filterwarnings("ignore", "Tight layout not applied", UserWarning)
        figure.tight_layout()
    return figure


def _label(value, unit=""):
    """A bar's label as the tables write it: the builder gives percentages already rounded to
    whole numbers (core/numbers.py), so "86%" here is "86%" in the table and the text."""
    if isinstance(value, str):
        return value
    return f"{value:g}%" if unit == PER_CENT else f"{value:g}"


def _number(value):
    return 0 if isinstance(value, str) else value


def _wrap(text, width=32):
    # Long words are broken too: a name with no spaces must not push the chart off the page.
    return "\n".join(textwrap.wrap(_plain(text), width, break_on_hyphens=False)) or _plain(text)


def _plain(text):
    """Matplotlib reads text between two $ signs as a formula; names are never formulas."""
    return str(text).replace("$", r"\$")


def render_png(chart, dpi=150):
    out = io.BytesIO()
    with _fonts():
        _figure(chart).savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def render_svg(chart):
    """A standalone SVG document, its text kept as text."""
    return _svg(_frozen(chart))


def _frozen(chart):
    """The chart as a hashable key: everything the drawing depends on."""
    series = tuple((name, tuple(values)) for name, values in chart.series)
    return (chart.title, tuple(chart.categories), series, chart.unit)


# Drawing a chart takes matplotlib about 0.25 s of CPU and a draft report's page shows three, on
# every view (the load test found this page holding a server worker for about a second). The
# drawing depends only on the chart's description, so each worker keeps the ones it drew last.
@functools.lru_cache(maxsize=64)
def _svg(key):
    title, categories, series, unit = key
    chart = Chart(title, list(categories), [(name, list(values)) for name, values in series], unit)
    out = io.StringIO()
    with _fonts():
        _figure(chart).savefig(out, format="svg", metadata={"Title": chart.title})
    return out.getvalue()


class _fonts:
    def __enter__(self):
        import matplotlib

        self.context = matplotlib.rc_context(
            {"font.family": "sans-serif", "font.sans-serif": FONTS, "svg.fonttype": "none"}
        )
        self.context.__enter__()

    def __exit__(self, *exc):
        return self.context.__exit__(*exc)
