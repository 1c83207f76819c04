"""SVG charts drawn with pygal, embedded as data URIs (no scripts, no external files)."""
from __future__ import annotations

import base64
import re

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


def _config(title: str) -> dict[str, object]:
    # js=[]: pygal otherwise links a tooltip script from a CDN.
    return {"title": title, "style": STYLE, "js": [], "width": 720, "height": 360,
            "print_values": True, "show_legend": True, "legend_at_bottom": True,
            "disable_xml_declaration": False}


def bars(title: str, labels: list[str], series: dict[str, list[float | None]],
         horizontal: bool = False, x_title: str | None = None) -> str:
    """Return a bar chart as a data URI."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    long_labels = not horizontal and any(len(text) > 12 for text in labels)
    chart = kind(**_config(title), truncate_label=-1, x_title=x_title,
                 x_label_rotation=25 if long_labels else 0)
    if horizontal:
        # pygal stacks horizontal bars from the bottom: reverse so the list reads top-down.
        labels = labels[::-1]
        series = {name: values[::-1] for name, values in series.items()}
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    if horizontal:
        chart.height = max(360, 28 * len(labels) + 120)
    return _data_uri(chart)


def pie(title: str, parts: dict[str, int]) -> str:
    """Return a pie chart as a data URI."""
    chart = pygal.Pie(**_config(title), inner_radius=0.4)
    for name, value in parts.items():
        if value:
            chart.add(name, value)
    return _data_uri(chart)
