"""Reading typography as numbers: font sizes per zoom step, heading scale, the text column (pure)."""

from __future__ import annotations

from dataclasses import dataclass

# Serif faces read best in long running text; the first one installed wins.
BODY_FAMILIES = (
    "Charter",
    "Source Serif 4",
    "Source Serif Pro",
    "Noto Serif",
    "Georgia",
    "Cambria",
    "DejaVu Serif",
    "Liberation Serif",
    "serif",
)
HEADING_FAMILIES = (
    "Inter",
    "Noto Sans",
    "Segoe UI",
    "Helvetica Neue",
    "Cantarell",
    "DejaVu Sans",
    "Liberation Sans",
    "sans-serif",
)
MONO_FAMILIES = (
    "JetBrains Mono",
    "Noto Sans Mono",
    "Consolas",
    "Menlo",
    "DejaVu Sans Mono",
    "monospace",
)

BASE_POINT_SIZE = 12.0
# Zoom steps are ratios of the base size, like a browser's: one step up is 10 % larger.
ZOOM_STEPS = (0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0, 2.4)
DEFAULT_ZOOM_INDEX = ZOOM_STEPS.index(1.0)
# Heading sizes relative to the body text, by outline level (deeper levels stay at body size).
HEADING_SCALE = {1: 1.55, 2: 1.3, 3: 1.15, 4: 1.05}
LINE_HEIGHT_PERCENT = 150
# A comfortable measure is 60-80 characters a line; the column never grows past this.
COLUMN_CHARACTERS = 74
MIN_SIDE_MARGIN = 28.0


@dataclass(frozen=True, slots=True)
class Typography:
    """Everything the renderer needs to size text; one instance per zoom step."""

    zoom_index: int = DEFAULT_ZOOM_INDEX

    @property
    def zoom(self) -> float:
        return ZOOM_STEPS[clamp_zoom_index(self.zoom_index)]

    @property
    def body_size(self) -> float:
        return round(BASE_POINT_SIZE * self.zoom, 1)

    def heading_size(self, level: int) -> float:
        return round(self.body_size * HEADING_SCALE.get(level, 1.0), 1)

    @property
    def code_size(self) -> float:
        return round(self.body_size * 0.88, 1)

    def zoomed(self, steps: int) -> Typography:
        return Typography(clamp_zoom_index(self.zoom_index + steps))


def clamp_zoom_index(index: int) -> int:
    return max(0, min(index, len(ZOOM_STEPS) - 1))


def column_margins(
    viewport_width: float,
    average_char_width: float,
    characters: int = COLUMN_CHARACTERS,
    min_margin: float = MIN_SIDE_MARGIN,
) -> float:
    """The side margin that centres a column of at most ``characters`` average characters.

    Narrow windows keep ``min_margin`` on each side; wider windows grow the margins instead of the
    line, so the eye never travels more than one comfortable measure.
    """
    column = characters * max(average_char_width, 1.0)
    spare = viewport_width - column
    return max(min_margin, spare / 2)
