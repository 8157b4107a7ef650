"""The service's charts: a plain description (built with the report, or the trends page) drawn
by matplotlib as SVG for HTML and PDF, or PNG for Word and slides. Every chart's data is also in
a table beside it, and its alternative text says what it shows."""

import functools
import io
import math
import textwrap
import warnings
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from matplotlib.ticker import PercentFormatter

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
    if isinstance(chart, TrendChart):
        return _trend_figure(chart)
    return _bar_figure(chart)


def _bar_figure(chart):
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
    """The chart as a hashable key: everything the drawing depends on. A TrendChart is one
    already (a frozen dataclass of tuples)."""
    if isinstance(chart, TrendChart):
        return chart
    series = tuple((name, tuple(values)) for name, values in chart.series)
    return (chart.title, tuple(chart.categories), series, chart.unit)


# Drawing a chart takes matplotlib about 0.25 s of CPU and a draft report's page shows three, on
# every view (the load test found this page holding a server worker for about a second). The
# drawing depends only on the chart's description, so each worker keeps the ones it drew last.
@functools.lru_cache(maxsize=64)
def _svg(key):
    if isinstance(key, TrendChart):
        chart = key
    else:
        title, categories, series, unit = key
        chart = Chart(title, list(categories), [(name, list(values)) for name, values in series],
                      unit)  # fmt: skip
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


# Trends over cohorts (issue 17) ----------------------------------------------------------------

# Outcomes in green rather than the bars' orange: a line and its markers need 3:1 against white
# (WCAG 2.2, 1.4.11), which the orange does not reach.
TREND_COLOURS = ["#1d70b8", "#00703c"]
# The key is drawn in grey: it explains the shapes, whichever panel's colour they take.
KEY_COLOUR = COLOURS[2]
INTERVAL_WORDS = "95% interval"


@dataclass(frozen=True)
class TrendLine:
    """One measure over the cohorts: a percentage (or None where there is nothing to count),
    where known its 95% interval as (low, high) percentages, and each value as the tables
    write it ("86%"), so the chart and its table say the same."""

    name: str
    values: tuple
    intervals: tuple = ()
    labels: tuple = ()

    def label(self, place):
        if self.labels:
            return self.labels[place]
        return None if self.values[place] is None else f"{self.values[place]:g}%"


@dataclass(frozen=True)
class TrendChart:
    """Percentages over cohorts, oldest first, one small panel per line, each interval a shaded
    band. A small cohort's point is an open circle, explained in the legend, so it does not rest
    on colour. `numbered` writes the cohorts as 1, 2, 3... under the panels (many small panels:
    the table beside the chart numbers them the same way)."""

    title: str
    categories: tuple  # the cohorts' names, oldest first
    lines: tuple  # TrendLine, a panel each
    small: tuple  # per cohort: True when it has fewer than `small_below` reviews
    small_below: int
    columns: int = 1
    numbered: bool = False
    counted: str = ""  # which reviews, in words: a chart copied into slides still says so

    @property
    def alt(self):
        """Alternative text: the chart's data in words."""
        parts = []
        for line in self.lines:
            points = []
            for place, cohort in enumerate(self.categories):
                name = f"{place + 1}. {cohort}" if self.numbered else cohort
                interval = line.intervals[place] if line.intervals else None
                if line.values[place] is None:
                    points.append(f"{name} not counted")
                elif interval:
                    points.append(f"{name} {line.label(place)} ({INTERVAL_WORDS} "
                                  f"{interval[0]:.1f}% to {interval[1]:.1f}%)")  # fmt: skip
                else:
                    points.append(f"{name} {line.label(place)}")
            parts.append(f"{line.name}: {', '.join(points)}")
        small = [name for name, is_small in zip(self.categories, self.small, strict=True)
                 if is_small]  # fmt: skip
        caution = f" Cohorts with fewer than {self.small_below} reviews: {', '.join(small)}."
        caution = caution if small else ""
        return (f"Line chart, {self.title}, in per cent, oldest cohort first. "
                + "; ".join(parts) + "." + caution)  # fmt: skip


def _trend_figure(chart):
    count = len(chart.categories)
    rows = math.ceil(len(chart.lines) / chart.columns)
    # Wide enough for the cohorts' names under the panels; tall enough to read each panel.
    width = 10 if chart.columns == 1 else 3.3 * chart.columns
    height = rows * (2.6 if chart.columns == 1 else 2.3) + (1.2 if chart.numbered else 2.4)
    figure = Figure(figsize=(width, height))
    grid = figure.subplots(rows, chart.columns, squeeze=False, sharex=True, sharey=True)
    positions = list(range(count))
    big_words = f"{chart.small_below} or more reviews"
    small_words = f"Fewer than {chart.small_below} reviews"
    for place, (panel, line) in enumerate(zip(grid.flat, chart.lines, strict=False)):
        colour = TREND_COLOURS[place % len(TREND_COLOURS)] if chart.columns == 1 else COLOURS[0]
        values = [math.nan if value is None else value for value in line.values]
        if line.intervals:
            lows = [math.nan if i is None else i[0] for i in line.intervals]
            highs = [math.nan if i is None else i[1] for i in line.intervals]
            panel.fill_between(positions, lows, highs, color=colour, alpha=0.18, linewidth=0)
        panel.plot(positions, values, color=colour, linewidth=2)
        for small, face in ((False, colour), (True, "white")):
            where = [p for p in positions if chart.small[p] == small and line.values[p] is not None]
            if where:
                panel.plot(where, [values[p] for p in where], "o", markerfacecolor=face,
                           markersize=7 if chart.columns == 1 else 5, markeredgecolor=colour,
                           markeredgewidth=1.8, linestyle="none")  # fmt: skip
        if chart.columns == 1 and count <= 12:
            for p in positions:
                if line.values[p] is not None:
                    panel.annotate(line.label(p), (p, values[p]), xytext=(0, 9),
                                   textcoords="offset points", ha="center", fontsize=9)  # fmt: skip
        panel.set_title(_wrap(line.name, 38 if chart.columns > 1 else 60), fontsize=10,
                        loc="left")  # fmt: skip
        panel.set_ylim(0, 109)  # room above 100% for a value's label
        panel.set_yticks([0, 25, 50, 75, 100])
        panel.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        panel.tick_params(labelsize=9)
        panel.grid(axis="y", color="#b1b4b6", linewidth=0.5)
        panel.spines[["top", "right"]].set_visible(False)
        panel.set_xlim(-0.5, count - 0.5)
    panels = list(grid.flat)
    for panel in panels[len(chart.lines) :]:
        panel.set_visible(False)
    # Each panel with none below it is a bottom panel (the last row may be short) and is
    # labelled with the cohorts.
    ticks = _cohort_ticks(chart)
    if chart.numbered:
        # A tick only where a number is: each tick is three lines to draw, in every panel.
        positions, ticks = zip(*[(p, tick) for p, tick in zip(positions, ticks, strict=True)
                                 if tick], strict=True)  # fmt: skip
    for panel in panels[max(0, len(chart.lines) - chart.columns) : len(chart.lines)]:
        panel.set_xticks(positions)
        panel.set_xticklabels(ticks, fontsize=8 if chart.numbered else 9,
                              **_tick_layout(chart))  # fmt: skip
        panel.tick_params(axis="x", labelbottom=True)
        if chart.numbered:
            panel.set_xlabel("Cohort, oldest first", fontsize=9)
    # Below the panels, so it never covers a point.
    key = _key(chart, big_words, small_words)
    figure.legend(list(key.values()), list(key), loc="lower center", frameon=False,
                  ncols=len(key), fontsize=9)  # fmt: skip
    if chart.counted:
        # Above the panels (tight_layout leaves it room), in the page's words: the chart's
        # title and what it counts.
        figure.suptitle(_wrap(f"{chart.title}. {chart.counted}.", int(width * 10.5)), x=0.01,
                        ha="left", fontsize=10)  # fmt: skip
    _lay_out(figure, chart, rows, [line.name for line in chart.lines[: chart.columns]])
    return figure


# A line of text, in inches, at the charts' sizes (points x line spacing / 72).
LINE_9, LINE_10 = 9 * 1.25 / 72, 10 * 1.25 / 72
TICKS = 0.12  # a tick and its gap to its label
SLANT = math.radians(35)


def _inches(text, size):
    """The width of the widest line of `text` at `size` points, in inches, from the font's own
    metrics (no drawing): what matplotlib's tight_layout would measure by drawing the whole
    figure first, which took half of a chart's time (docs/performance.md, "Trends")."""
    font = FontProperties(family="sans-serif", size=size)
    return max(_TEXT_PATHS.get_text_width_height_descent(line or " ", font, ismath=False)[0]
               for line in str(text).split("\n")) / 72  # fmt: skip


_TEXT_PATHS = TextToPath()


def _lay_out(figure, chart, rows, first_titles):
    """Margins and gaps, in inches, from the sizes of the chart's words: room for the y axis's
    numbers, the cohorts' names (slanted, wrapped or numbered) and the key below, the title
    above, and each panel's title between rows."""
    width, height = figure.get_size_inches()
    ticks = _cohort_ticks(chart)
    title_lines = max(_wrap(title, 38 if chart.columns > 1 else 60).count("\n") + 1
                      for title in first_titles)  # fmt: skip
    left = _inches("100%", 9) + TICKS + 0.08
    if chart.numbered:
        below = LINE_9 + LINE_9 + TICKS  # the numbers, then "Cohort, oldest first"
    elif _tick_layout(chart):
        widest = max(_inches(tick, 9) for tick in ticks)
        below = widest * math.sin(SLANT) + LINE_9 * math.cos(SLANT) + TICKS
        # The first name, slanted, reaches left of the first cohort's point.
        first = _inches(ticks[0], 9) * math.cos(SLANT) - 0.5 * (width - 1.5) / len(ticks)
        left = max(left, first + 0.1)
    else:
        below = max(tick.count("\n") + 1 for tick in ticks) * LINE_9 + TICKS
    bottom = below + 2 * LINE_9 + 0.15  # and the key
    top = title_lines * LINE_10 + 0.15
    if chart.counted:
        top += _wrap(f"{chart.title}. {chart.counted}.", int(width * 10.5)).count("\n") * LINE_10
        top += LINE_10 + 0.15
    right = 0.2
    row_gap = title_lines * LINE_10 + 0.25
    column_gap = 0.3
    panel_height = (height - top - bottom - (rows - 1) * row_gap) / rows
    panel_width = (width - left - right - (chart.columns - 1) * column_gap) / chart.columns
    figure.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                           bottom=bottom / height, hspace=row_gap / panel_height,
                           wspace=column_gap / panel_width)  # fmt: skip


def _key(chart, big_words, small_words):
    """{words: a grey sample} for the shapes the chart has."""
    key = {}
    if any(line.intervals for line in chart.lines):
        key[INTERVAL_WORDS] = Patch(color=KEY_COLOUR, alpha=0.25, linewidth=0)
    for small, words, face in ((False, big_words, KEY_COLOUR), (True, small_words, "white")):
        if small in chart.small:
            key[words] = Line2D([], [], marker="o", markersize=7, markerfacecolor=face,
                                markeredgecolor=KEY_COLOUR, markeredgewidth=1.8,
                                linestyle="none")  # fmt: skip
    return key


def _cohort_ticks(chart):
    if chart.numbered:
        # At most about ten numbers under a small panel, or they run into each other.
        # Counted back from the last, the newest, which is always numbered.
        count = len(chart.categories)
        step = math.ceil(count / 10)
        return [str(place + 1) if (count - 1 - place) % step == 0 else ""
                for place in range(count)]  # fmt: skip
    if len(chart.categories) <= 6:
        return [_wrap(name, 18) for name in chart.categories]
    # Many cohorts: slanted, one line each, long names cut (the table has them whole).
    return [_plain(textwrap.shorten(name, 30, placeholder="...")) for name in chart.categories]


def _tick_layout(chart):
    if chart.numbered or len(chart.categories) <= 6:
        return {}
    return {"rotation": 35, "ha": "right", "rotation_mode": "anchor"}
