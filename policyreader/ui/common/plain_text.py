"""Tooltips that show untrusted strings as written (Qt reads any text that looks like HTML as HTML)."""

from __future__ import annotations

from PySide6.QtGui import Qt  # QtGui's Qt carries the rich-text helpers


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` literally; tooltips have no text format of their own."""
    return Qt.convertFromPlainText(text) if Qt.mightBeRichText(text) else text
