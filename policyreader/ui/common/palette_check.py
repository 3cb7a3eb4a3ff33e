"""Colour arithmetic for checking the palette: WCAG contrast, CIELAB distance, colour-blind views.

Pure Python on "#rrggbb" strings, so tests and ``tools/contrast.py`` measure what the UI paints.
"""

from __future__ import annotations

import math

RGB = tuple[float, float, float]

# Machado, Oliveira & Fernandes (2009) matrices at full severity, applied to linear RGB.
_DEFICIENCIES: dict[str, tuple[RGB, RGB, RGB]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
DEFICIENCIES = tuple(_DEFICIENCIES)


def _channels(colour: str) -> RGB:
    value = colour.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return channel * 12.92 if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def _hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """WCAG relative luminance."""
    r, g, b = (_linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(base: str, over: str, share: float) -> str:
    """``over`` laid on ``base`` at ``share`` opacity (as ``ui.highlights.mix`` does)."""
    a, b = (round(c * 255) for c in _channels(base)), (round(c * 255) for c in _channels(over))
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def _lab(colour: str) -> RGB:
    r, g, b = (_linear(c) for c in _channels(colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def distance(first: str, second: str) -> float:
    """CIE76 colour difference (about 2.3 is just noticeable; 20+ reads as another colour)."""
    return math.dist(_lab(first), _lab(second))


def as_seen_with(colour: str, deficiency: str) -> str:
    """``colour`` as a reader with ``deficiency`` (see ``DEFICIENCIES``) sees it."""
    linear = [_linear(c) for c in _channels(colour)]
    red, green, blue = (
        _gamma(sum(m * c for m, c in zip(row, linear, strict=True)))
        for row in _DEFICIENCIES[deficiency]
    )
    return _hex((red, green, blue))
