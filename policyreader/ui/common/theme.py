"""Light and dark themes: the colours, the application palette and stylesheet, following the system."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from string import Template

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from policyreader.resources_path import resource


class ThemeChoice(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True, slots=True)
class Theme:
    """The colours of one theme; the document renderer and the window chrome both read these."""

    name: str
    dark: bool
    page: str  # the reading surface
    chrome: str  # panels, tab bar, status bar
    panel: str  # outline background
    text: str
    heading: str
    muted: str
    rule: str  # borders, table lines
    accent: str  # links, current section, focus
    link: str
    marker: str  # list bullets and numbers
    code_background: str
    table_header: str
    quote: str
    match: str  # find: every match
    current_match: str  # find: the selected match
    selection: str
    selection_text: str

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))


# Contrast (WCAG): body text on the page is 14.6:1 in light and 12.9:1 in dark; muted text 6.5:1
# and 6.7:1, above the 4.5:1 that small text needs.
LIGHT = Theme(
    name="light",
    dark=False,
    page="#fdfcf9",
    chrome="#f1efea",
    panel="#f6f4ef",
    text="#22252a",
    heading="#111317",
    muted="#5b616b",
    rule="#d9d5cc",
    accent="#1f5fbf",
    link="#1a56b8",
    marker="#6a7280",
    code_background="#f0eee8",
    table_header="#f0ede6",
    quote="#4a505a",
    match="#fbe7a1",
    current_match="#f5b642",
    selection="#c7dcfb",
    selection_text="#111317",
)
DARK = Theme(
    name="dark",
    dark=True,
    page="#1c1d20",
    chrome="#252629",
    panel="#212225",
    text="#dcdde0",
    heading="#f2f3f5",
    muted="#a3a8b1",
    rule="#3b3d42",
    accent="#7fb0ff",
    link="#8cb8ff",
    marker="#9aa1ac",
    code_background="#2a2b2f",
    table_header="#2a2c30",
    quote="#b9bdc5",
    match="#5c4a17",
    current_match="#a8741c",
    selection="#2f4f7f",
    selection_text="#f2f3f5",
)


def theme_for(choice: ThemeChoice, system_dark: bool) -> Theme:
    if choice is ThemeChoice.DARK or (choice is ThemeChoice.SYSTEM and system_dark):
        return DARK
    return LIGHT


def build_palette(theme: Theme) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    colours = {
        role.Window: theme.chrome,
        role.WindowText: theme.text,
        role.Base: theme.page,
        role.AlternateBase: theme.panel,
        role.Text: theme.text,
        role.Button: theme.chrome,
        role.ButtonText: theme.text,
        role.BrightText: "#ffffff",
        role.ToolTipBase: theme.panel,
        role.ToolTipText: theme.text,
        role.PlaceholderText: theme.muted,
        role.Highlight: theme.selection,
        role.HighlightedText: theme.selection_text,
        role.Link: theme.link,
        role.LinkVisited: theme.link,
        role.Mid: theme.rule,
        role.Midlight: theme.rule,
        role.Dark: theme.rule,
        role.Shadow: theme.rule,
        role.Light: theme.page,
    }
    for colour_role, value in colours.items():
        palette.setColor(colour_role, QColor(value))
    disabled = QColor(theme.muted)
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, colour_role, disabled)
    return palette


def stylesheet(theme: Theme) -> str:
    """The window chrome stylesheet, ``resources/styles/reader.qss`` filled with the theme's colours."""
    template = Template(resource("styles", "reader.qss").read_text(encoding="utf-8"))
    values = {name: getattr(theme, name) for name in Theme.__dataclass_fields__}
    icon = resource("styles", f"close-{theme.name}.svg")
    values["close_icon"] = str(icon).replace("\\", "/")
    return template.safe_substitute(values)


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


class ThemeManager(QObject):
    """Owns the theme choice, applies it to the application and re-applies when the system changes."""

    changed = Signal(object)  # Theme

    def __init__(self, app: QApplication, choice: ThemeChoice = ThemeChoice.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self._choice = choice
        self._theme = theme_for(choice, system_prefers_dark())
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def choice(self) -> ThemeChoice:
        return self._choice

    def set_choice(self, choice: ThemeChoice) -> None:
        self._choice = choice
        self._update(theme_for(choice, system_prefers_dark()))

    def apply(self) -> None:
        """Apply the current theme to the application (palette and stylesheet)."""
        self._app.setStyle("Fusion")
        self._app.setPalette(build_palette(self._theme))
        self._app.setStyleSheet(stylesheet(self._theme))

    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        if self._choice is ThemeChoice.SYSTEM:
            self._update(theme_for(self._choice, scheme == Qt.ColorScheme.Dark))

    def _update(self, theme: Theme) -> None:
        if theme == self._theme:
            return
        self._theme = theme
        self.apply()
        self.changed.emit(theme)
