"""Every panel beside the text, declared once: its key, its tab title and the feature owning it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SidePanel:
    key: str
    title: str
    feature: str  # the package under policyreader/ui/ that makes it


# In the order their tabs show; the first one a tab has is in front.
SIDE_PANELS: tuple[SidePanel, ...] = (
    SidePanel("summary", "Summary", "practices"),
    SidePanel("practices", "Practices", "practices"),
    SidePanel("notes", "Notes", "notes"),
)
PANEL_KEYS = tuple(panel.key for panel in SIDE_PANELS)


def side_panel(key: str) -> SidePanel:
    """The declared panel ``key``; an undeclared one is a programming error."""
    return SIDE_PANELS[PANEL_KEYS.index(key)]
