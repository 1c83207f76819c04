"""SVG charts drawn with pygal, embedded as data URIs (no scripts, no external files)."""
from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable

import pygal
from pygal.style import Style

STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1d2733",
    foreground_strong="#1d2733", foreground_subtle="#5b6673",
    colors=("#0b5cab", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207"),
    font_family="DejaVu Sans, Arial, sans-serif", label_font_size=13, major_label_font_size=13,
    legend_font_size=13, title_font_size=16, value_font_size=12,
)


_SCRIPT = re.compile(rb"<script\b.*?</script>", re.DOTALL)


def _data_uri(chart: pygal.graph.graph.Graph) -> str:
    # pygal embeds a config <script> for its tooltips; an <img> never runs it, drop it anyway.
    svg = _SCRIPT.sub(b"", chart.render())
    return "data:image/svg+xml;charset=utf-8;base64," + base64.b64encode(svg).decode("ascii")


class _Bar(pygal.Bar):
    """Bars whose value labels sit just above the bar, clear of its top edge."""

    def _static_value(self, serie_node: object, value: object, x: float, y: float,
                      metadata: object, align_text: str = "middle",
                      classes: object = None) -> None:
        super()._static_value(serie_node, value, x, y - 3, metadata, "middle", classes)


class _HorizontalBar(pygal.HorizontalBar):
    """Bars whose value labels start just past the end of the bar (pygal centres them on it)."""

    def _static_value(self, serie_node: object, value: object, x: float, y: float,
                      metadata: object, align_text: str = "start",
                      classes: object = None) -> None:
        super()._static_value(serie_node, value, x, y, metadata, "start", classes)


WIDTH, HEIGHT, ROW = 720, 360, 28  # pixels; ROW is the height per label of a horizontal chart


def _room_for_values(horizontal: bool, labels: list[str], series: dict[str, list[float | None]],
                     texts: list[str]) -> bool:
    """Tell whether each bar is wide enough to carry its value without touching the next.

    When it is not, values are left out: the table beside every chart has the numbers.
    """
    bars_count = max(1, len(labels) * len(series))
    font = STYLE.value_font_size
    if horizontal:
        return ROW * len(labels) * 0.75 / bars_count >= font + 2
    widest = max((len(t) for t in texts), default=1) * font * 0.6
    return (WIDTH - 100) * 0.75 / bars_count >= widest + 4


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _locale() -> str:
    from flask import has_request_context

    if not has_request_context():
        return "vi"
    from flask_babel import get_locale

    return str(get_locale() or "vi")


def number_formatter(percent: bool = False) -> Callable[[float | None], str]:
    """Return a formatter showing numbers the way the reader's language writes them."""
    from babel.numbers import format_decimal

    locale = _locale()

    def show(value: float | None) -> str:
        if value is None:
            return ""
        text = format_decimal(value, format="#,##0.#", locale=locale)
        return f"{text}%" if percent else text
    return show


def _ticks(values: list[float | None], percent: bool) -> list[float]:
    """Whole-number axis steps with room above the tallest bar for its value label."""
    if percent:
        return [0, 20, 40, 60, 80, 100]
    top = max((v for v in values if v is not None), default=0)
    if top <= 0:
        return [0, 1]
    step = 10 ** max(0, math.floor(math.log10(top)))
    for factor in (0.2, 0.5, 1):  # aim for four to ten steps
        if step * factor >= 1 and top * 1.15 / (step * factor) <= 10:
            step = int(step * factor)
            break
    return list(range(0, math.ceil(top * 1.15 / step) * step + 1, step))


def _config(title: str) -> dict[str, object]:
    # js=[]: pygal otherwise links a tooltip script from a CDN.
    return {"title": title, "style": STYLE, "js": [], "width": WIDTH, "height": HEIGHT,
            "print_values": True, "show_legend": True, "legend_at_bottom": True,
            "disable_xml_declaration": False, "print_zeroes": False}


def bars(title: str, labels: list[str], series: dict[str, list[float | None]],
         horizontal: bool = False, x_title: str | None = None, percent: bool = False) -> str:
    """Return a bar chart as a data URI; values are printed past the end of each bar."""
    kind = _HorizontalBar if horizontal else _Bar
    long_labels = not horizontal and any(len(text) > 12 for text in labels)
    shown = number_formatter(percent)
    texts = [shown(v) for values in series.values() for v in values]
    config = {**_config(title),
              "print_values": _room_for_values(horizontal, labels, series, texts)}
    chart = kind(**config, truncate_label=-1, x_title=x_title,
                 x_label_rotation=25 if long_labels else 0,
                 # Outside the bar, so a label never sits on a bar of another colour.
                 print_values_position="top", value_formatter=shown,
                 y_labels=_ticks([v for vs in series.values() for v in vs], percent),
                 # Room past 100% for the value printed beside a full bar.
                 **({"range": (0, 118)} if percent else {}))
    if horizontal:
        # pygal stacks horizontal bars from the bottom: reverse so the list reads top-down.
        # Long agency names would squeeze the bars to nothing: cut them (the table has them whole).
        labels = [_short(text) for text in labels[::-1]]
        series = {name: values[::-1] for name, values in series.items()}
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    if horizontal:
        chart.height = max(HEIGHT, ROW * len(labels) + 120)
    return _data_uri(chart)


def pie(title: str, parts: dict[str, int]) -> str:
    """Return a pie chart as a data URI (keep ``parts`` to a few: each needs a legend)."""
    chart = pygal.Pie(**_config(title), inner_radius=0.4, value_formatter=number_formatter(),
                      legend_at_bottom_columns=2)
    for name, value in parts.items():
        chart.add(name, value)  # empty parts keep their legend: the groups are always the same
    return _data_uri(chart)


def measure_line(title: str, days: list[str], values: list[float | None], target: float | None,
                 value_name: str, target_name: str) -> str:
    """Return a line chart of a measure's reported values over time, with its target."""
    shown = number_formatter()
    chart = pygal.Line(**{**_config(title), "height": 320}, value_formatter=shown,
                       dots_size=5, show_dots=True, truncate_label=-1, margin_right=48,
                       show_y_guides=False, y_labels=_ticks([*values, target], False),
                       print_values_position="top")
    chart.x_labels = days
    chart.add(value_name, values, stroke_style={"width": 3})
    if target is not None:  # a thick dashed line across the chart: how far is still to go
        chart.add(target_name, [target] * len(days), show_dots=False, print_values=False,
                  stroke_style={"width": 3, "dasharray": "10,6"})
    return _data_uri(chart)
