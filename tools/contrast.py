"""Print the palette's measured contrast (WCAG) and colour-blind distances, in both themes.

python -m tools.contrast
"""

from __future__ import annotations

import itertools

from policyreader.core.practices.taxonomy import LABELS, PRACTICE_CATEGORIES
from policyreader.ui.common.palette_check import DEFICIENCIES, as_seen_with, contrast, distance, mix
from policyreader.ui.common.theme import DARK, LIGHT, Theme
from policyreader.ui.notes.note_editor import NOTE_COLOURS
from policyreader.ui.practices.highlights import STYLES, TINT_DARK, TINT_LIGHT, UNDERLINE_SHARE


def practice_colours(theme: Theme) -> dict[str, str]:
    return {
        LABELS[c]: STYLES[c].dark_colour if theme.dark else STYLES[c].colour
        for c in PRACTICE_CATEGORIES
    }


def closest_pair(colours: dict[str, str], deficiency: str | None) -> tuple[float, str, str]:
    def seen(value: str) -> str:
        return as_seen_with(value, deficiency) if deficiency else value

    return min(
        (distance(seen(colours[a]), seen(colours[b])), a, b)
        for a, b in itertools.combinations(colours, 2)
    )


def report(theme: Theme) -> list[str]:
    share = TINT_DARK if theme.dark else TINT_LIGHT
    colours = practice_colours(theme)
    lines = [f"== {theme.name} theme (page {theme.page}, text {theme.text})"]
    lines.append(f"{'category':34} {'mark':>6} {'underline':>9} {'text on tint':>12}")
    for label, value in colours.items():
        lines.append(
            f"{label:34} {contrast(value, theme.page):6.2f} "
            f"{contrast(mix(theme.page, value, UNDERLINE_SHARE), theme.page):9.2f} "
            f"{contrast(theme.text, mix(theme.page, value, share)):12.2f}"
        )
    lines.append(
        f"body text {contrast(theme.text, theme.page):.2f}, "
        f"muted {contrast(theme.muted, theme.page):.2f}, "
        f"link {contrast(theme.link, theme.page):.2f}"
    )
    for deficiency in (None, *DEFICIENCIES):
        gap, a, b = closest_pair(colours, deficiency)
        lines.append(f"closest pair ({deficiency or 'normal vision'}): {a} / {b}, ΔE {gap:.1f}")
    for name, value in NOTE_COLOURS:
        gap, nearest = min((distance(value, c), label) for label, c in colours.items())
        lines.append(f"note {name:7} {value}: nearest practice {nearest}, ΔE {gap:.1f}")
    return lines


def main() -> int:
    for theme in (LIGHT, DARK):
        print("\n".join(report(theme)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
