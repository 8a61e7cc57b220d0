"""Geometry of the dashboard's two inline SVG charts (no script, nothing from a CDN): the
overdue cases day by day, and the cases by state. Every point and bar carries the link to
the cases behind it."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import date_format

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 32


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: datetime.date
    value: int
    url: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # of the label's text; the outer ones stay inside the chart


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: list[Point]
    line: str  # the SVG polyline's points
    area: str  # the same, closed along the axis, for the shaded area
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    left: int
    right: int
    bottom: float


def _nice_max(value: int) -> int:
    """A round top for the y axis, at least the largest value."""
    if value <= 4:
        return 4
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def line_chart(
    series: list[tuple[datetime.date, int]], link: Callable[[datetime.date], str]
) -> LineChart:
    top = _nice_max(max((value for _day, value in series), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = max(len(series) - 1, 1)
    points = [
        Point(
            x=round(LEFT + plot_w * i / span, 1),
            y=round(TOP + plot_h * (1 - value / top), 1),
            day=day,
            value=value,
            url=link(day),
        )
        for i, (day, value) in enumerate(series)
    ]
    line = " ".join(f"{p.x},{p.y}" for p in points)
    bottom = TOP + plot_h
    area = f"{LEFT},{bottom} {line} {points[-1].x},{bottom}" if points else ""
    y_ticks = [Tick(round(TOP + plot_h * (1 - f), 1), str(round(top * f))) for f in (0, 0.5, 1)]
    chosen = sorted({0, len(points) // 2, len(points) - 1}) if points else []
    anchors = {0: "start", len(points) - 1: "end"}
    x_ticks = [
        Tick(points[i].x, date_format(points[i].day, "d/m"), anchors.get(i, "middle"))
        for i in chosen
    ]
    return LineChart(
        WIDTH, HEIGHT, points, line, area, y_ticks, x_ticks, LEFT, WIDTH - RIGHT, bottom
    )


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    url: str
    y: int
    width: float  # of the bar, in the chart's units
    text_y: int  # baseline of the label and the value
    value_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_x: int
    bar_height: int


BAR_HEIGHT, BAR_GAP, BAR_LABEL, BAR_WIDTH, BAR_VALUE = 26, 10, 150, 480, 70


def bar_chart(items: list[tuple[str, str, int, str]]) -> BarChart:
    """Horizontal bars, one per (key, label, value, url)."""
    top = max((value for _key, _label, value, _url in items), default=0) or 1
    bars = []
    for i, (key, label, value, url) in enumerate(items):
        y = i * (BAR_HEIGHT + BAR_GAP)
        width = round(BAR_WIDTH * value / top, 1)
        bars.append(Bar(key, label, value, url, y, width, y + 18, BAR_LABEL + width + 6))
    height = max(len(items) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)
    return BarChart(bars, BAR_LABEL + BAR_WIDTH + BAR_VALUE, height, BAR_LABEL, BAR_HEIGHT)
