"""Every action of the window in one table: name, text, standard shortcut, menu; the window wires them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QWidget

Key = QKeySequence.StandardKey
Role = QAction.MenuRole


@dataclass(frozen=True, slots=True)
class ActionSpec:
    name: str
    text: str
    menu: str
    shortcuts: tuple[Key | str, ...] = ()
    tip: str = ""
    checkable: bool = False
    role: Role = Role.NoRole


# Menu order is the order here. Shortcuts use Qt's standard keys where one exists, so each platform
# gets its own convention (Cmd on macOS, F3 or Ctrl+G for "find next", ...).
ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("file_open", "&Open…", "file", (Key.Open,), "Open a privacy policy file"),
    ActionSpec(
        "file_open_url",
        "Open &Web Address…",
        "file",
        ("Ctrl+Shift+O",),
        "Fetch a policy from the web and keep a snapshot of it",
    ),
    ActionSpec(
        "file_reload",
        "&Reload",
        "file",
        (Key.Refresh,),
        "Read the file or fetch the page again; a changed text becomes a new version",
    ),
    ActionSpec(
        "file_compare",
        "Co&mpare Versions…",
        "file",
        (),
        "Compare this policy with an earlier version or another file",
    ),
    ActionSpec("file_close", "&Close Tab", "file", (Key.Close,), "Close the current policy"),
    ActionSpec(
        "file_export_notes",
        "&Export Notes…",
        "file",
        (),
        "Save this policy's notes as Markdown, HTML or JSON (W3C Web Annotations)",
    ),
    ActionSpec(
        "file_import_notes", "&Import Notes…", "file", (), "Add notes from a JSON annotations file"
    ),
    ActionSpec(
        "file_export_review",
        "Export Re&view…",
        "file",
        (),
        "Save the policy with its notes as a .policyreview file to share",
    ),
    ActionSpec(
        "file_library", "Notes &Library", "file", ("Ctrl+L",), "Every policy you took notes on"
    ),
    ActionSpec(
        "file_export_practices",
        "Export Summary and &Highlights…",
        "file",
        ("Ctrl+Shift+E",),
        "Save the privacy label and the highlighted policy as HTML or PDF",
    ),
    ActionSpec("file_print", "&Print…", "file", (Key.Print,), "Print the label and the policy"),
    ActionSpec(
        "file_quit", "&Quit", "file", (Key.Quit, "Ctrl+Q"), "Quit policyreader", role=Role.QuitRole
    ),
    ActionSpec("edit_copy", "&Copy", "edit", (Key.Copy,), "Copy the selected text"),
    ActionSpec(
        "edit_select_all", "Select &All", "edit", (Key.SelectAll,), "Select the whole policy"
    ),
    ActionSpec("edit_find", "&Find…", "edit", (Key.Find,), "Find text in this policy"),
    ActionSpec(
        "edit_find_next", "Find &Next", "edit", (Key.FindNext, "F3"), "Go to the next match"
    ),
    ActionSpec(
        "edit_find_previous",
        "Find Pre&vious",
        "edit",
        (Key.FindPrevious, "Shift+F3"),
        "Go to the previous match",
    ),
    ActionSpec("view_zoom_in", "Zoom &In", "view", (Key.ZoomIn, "Ctrl+="), "Larger text"),
    ActionSpec("view_zoom_out", "Zoom &Out", "view", (Key.ZoomOut,), "Smaller text"),
    ActionSpec("view_zoom_reset", "&Actual Size", "view", ("Ctrl+0",), "Text at its normal size"),
    ActionSpec(
        "view_outline", "Show O&utline", "view", ("F9",), "Show or hide the outline", checkable=True
    ),
    ActionSpec(
        "view_all_tints",
        "Tint &All Highlights",
        "view",
        (),
        "Tint every highlighted passage, not only the category selected in the legend",
        checkable=True,
    ),
    ActionSpec(
        "view_theme_system",
        "Follow &System Theme",
        "view",
        (),
        "Light or dark as the system is",
        checkable=True,
    ),
    ActionSpec("view_theme_light", "&Light Theme", "view", (), "Always light", checkable=True),
    ActionSpec("view_theme_dark", "&Dark Theme", "view", (), "Always dark", checkable=True),
    ActionSpec("go_next_section", "&Next Section", "go", ("Alt+Down",), "Jump to the next section"),
    ActionSpec(
        "go_previous_section",
        "&Previous Section",
        "go",
        ("Alt+Up",),
        "Jump to the previous section",
    ),
    ActionSpec(
        "go_next_practice",
        "Next Practi&ce",
        "go",
        ("F8",),
        "Next highlighted practice (of the category selected in the legend)",
    ),
    ActionSpec(
        "go_previous_practice",
        "Previous Prac&tice",
        "go",
        ("Shift+F8",),
        "Previous highlighted practice (of the category selected in the legend)",
    ),
    ActionSpec(
        "go_filter_outline", "&Filter Outline…", "go", ("Ctrl+Shift+F",), "Find a section by name"
    ),
    ActionSpec(
        "go_switch_panel",
        "&Switch Panel",
        "go",
        ("F6",),
        "Move between the outline, the text and the side panel",
    ),
    ActionSpec(
        "go_next_tab", "Next &Tab", "go", (Key.NextChild, "Ctrl+PgDown"), "Show the next policy"
    ),
    ActionSpec(
        "go_previous_tab",
        "Previous T&ab",
        "go",
        (Key.PreviousChild, "Ctrl+PgUp"),
        "Show the previous policy",
    ),
    ActionSpec(
        "notes_add",
        "&Add Note…",
        "notes",
        ("Ctrl+Shift+N",),
        "Add a note to the selected passage",
    ),
    ActionSpec(
        "notes_add_section",
        "Note on This &Section…",
        "notes",
        (),
        "Add a note to the current section",
    ),
    ActionSpec(
        "notes_add_document",
        "Note on the Whole &Document…",
        "notes",
        (),
        "Add a note about the whole policy",
    ),
    ActionSpec(
        "notes_go",
        "&Go to Note",
        "notes",
        ("Ctrl+J",),
        "From a noted passage to its note; Enter on a note comes back",
    ),
    ActionSpec(
        "help_shortcuts", "&Keyboard Shortcuts", "help", (Key.HelpContents,), "List every shortcut"
    ),
    ActionSpec(
        "help_about", "&About policyreader", "help", (), "Version and credits", role=Role.AboutRole
    ),
)

MENUS = (
    ("file", "&File"),
    ("edit", "&Edit"),
    ("view", "&View"),
    ("go", "&Go"),
    ("notes", "&Notes"),
    ("help", "&Help"),
)
# Actions of the notes feature: hidden when the window has no notes store.
NOTES_ACTIONS = (
    "file_export_notes",
    "file_import_notes",
    "file_export_review",
    "file_library",
    "notes_add",
    "notes_add_section",
    "notes_add_document",
    "notes_go",
)
# Actions that need an open document; the window disables them on the welcome page.
DOCUMENT_ACTIONS = (
    "edit_copy",
    "edit_select_all",
    "edit_find",
    "edit_find_next",
    "edit_find_previous",
    "go_next_section",
    "go_previous_section",
    "go_filter_outline",
    "go_switch_panel",
    "go_next_practice",
    "go_previous_practice",
    "file_export_practices",
    "file_print",
    "file_reload",
    "file_compare",
)
THEME_ACTIONS = ("view_theme_system", "view_theme_light", "view_theme_dark")
# Where separators go inside a menu: before these actions.
SEPARATORS_BEFORE = frozenset(
    {
        "file_export_notes",
        "file_library",
        "file_export_practices",
        "file_quit",
        "edit_find",
        "view_outline",
        "view_theme_system",
        "go_next_practice",
        "go_filter_outline",
        "go_next_tab",
    }
)


def key_sequences(spec: ActionSpec) -> list[QKeySequence]:
    """The spec's shortcuts with duplicates dropped (a standard key often already is the extra)."""
    sequences: list[QKeySequence] = []
    for shortcut in spec.shortcuts:
        found = (
            QKeySequence.keyBindings(shortcut)
            if isinstance(shortcut, Key)
            else [QKeySequence(shortcut)]
        )
        for sequence in map(_tab_spelling, found):
            if not sequence.isEmpty() and sequence not in sequences:
                sequences.append(sequence)
    return sequences


def _tab_spelling(sequence: QKeySequence) -> QKeySequence:
    """ "Ctrl+Shift+Backtab" as people write it, "Ctrl+Shift+Tab" (Qt matches both to the key)."""
    spelt = sequence.toString()
    return QKeySequence(spelt.replace("Backtab", "Tab")) if "Backtab" in spelt else sequence


class ActionCollection:
    """Creates the actions on ``parent`` (so their shortcuts work everywhere in the window).

    Reach one as ``actions["file_open"]`` or ``actions.file_open``.
    """

    def __init__(self, parent: QWidget) -> None:
        self.specs = {spec.name: spec for spec in ACTION_SPECS}
        self._actions: dict[str, QAction] = {}
        for spec in ACTION_SPECS:
            action = QAction(spec.text, parent)
            action.setObjectName(spec.name)
            action.setShortcuts(key_sequences(spec))
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
            action.setCheckable(spec.checkable)
            action.setMenuRole(spec.role)
            parent.addAction(action)
            self._actions[spec.name] = action
        self.theme_group = QActionGroup(parent)
        for name in THEME_ACTIONS:
            self.theme_group.addAction(self._actions[name])

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __getattr__(self, name: str) -> QAction:
        try:
            return self.__dict__["_actions"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[QAction]:
        return iter(self._actions.values())

    def in_menu(self, menu: str) -> list[QAction]:
        return [self._actions[s.name] for s in ACTION_SPECS if s.menu == menu]

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """``(action text, its shortcuts)`` for the shortcuts dialog, in menu order."""
        rows = []
        for spec in ACTION_SPECS:
            sequences = self._actions[spec.name].shortcuts()
            if sequences:
                text = spec.text.replace("&", "").replace("…", "")
                keys = ", ".join(
                    s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences
                )
                rows.append((text, keys))
        return rows
