"""Geometry of the server-rendered SVG charts (the templates draw them; tables carry the figures)."""

from __future__ import annotations

from dataclasses import dataclass

# Each row: the label on its own line, the bar below it (legible at 390 px as at 1280 px).
WIDTH = 360
BAR_X = 0
BAR_MAX = 300
ROW = 50
LABEL_Y = 15
BAR_Y = 21
BAR_H = 16
AXIS = 24


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    score: int
    band: str
    y: int
    width: int
    value_x: int
    before_x: int | None  # the previous result's mark, if any


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    bar_x: int = BAR_X
    bar_max: int = BAR_MAX
    width: int = WIDTH

    @property
    def thresholds(self) -> list[int]:
        return [self.bar_x + self.bar_max * p // 100 for p in (0, 25, 50, 75, 100)]


def bar_chart(rows: list[tuple[str, str, int, str, int | None]]) -> Chart:
    """rows: (code, label, score 0–100, band, previous score or None)."""
    bars = []
    for i, (code, label, score, band, before) in enumerate(rows):
        width = round(BAR_MAX * score / 100)
        bars.append(
            Bar(
                code=code, label=label, score=score, band=band, y=i * ROW, width=width, value_x=BAR_X + width + 6,
                before_x=None if before is None else BAR_X + round(BAR_MAX * before / 100),
            )
        )
    return Chart(bars=bars, height=len(bars) * ROW + AXIS)
