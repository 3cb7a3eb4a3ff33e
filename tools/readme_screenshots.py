"""Re-take the README screenshots into docs/screenshots (or the folder given): ``python tools/readme_screenshots.py``."""

# The reader and practices shots are ``policyreader SEED --screenshot`` on two of the shared seed
# policies (../shared/corpus/seeds); the notes shot opens the notes tests' policy, adds five notes
# and opens its next version; the compare shot is the compare-view test's own screenshot.

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
CLI_SHOTS = (
    ("reader-light.png", "light", "003_f0db16302448d09d.txt"),
    ("reader-dark.png", "dark", "001_5174944cfaf63b07.txt"),
    ("practices-light.png", "light", "003_f0db16302448d09d.txt"),
    ("practices-dark.png", "dark", "003_f0db16302448d09d.txt"),
)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    for name, theme, seed in CLI_SHOTS:
        command = [sys.executable, "-m", "policyreader", str(SEEDS / seed), "--screenshot"]
        subprocess.run(
            [*command, str(out / name)], env={**env, "POLICYREADER_THEME": theme}, check=True
        )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "tests/ui/versions/test_compare_view.py",
            "-k",
            "screenshot",
        ],
        env={**env, "POLICYREADER_UPDATE_SCREENSHOTS": "1"},
        cwd=ROOT,
        check=True,
    )
    if out != ROOT / "docs" / "screenshots":
        (out / "compare.png").write_bytes((ROOT / "docs/screenshots/compare.png").read_bytes())
    subprocess.run([sys.executable, __file__, "--notes", str(out)], env=env, check=True)
    return 0


def notes_shot(out: Path) -> None:
    """The notes panel after the policy changed: moved, to review, section, gone."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from policyreader.core.loading import load_path
    from policyreader.storage.notes_store import NotesStore
    from policyreader.ui.common.theme import ThemeChoice, ThemeManager
    from policyreader.ui.practices.practices_feature import PracticesFeature
    from policyreader.ui.shell.main_window import MainWindow
    from policyreader.ui.shell.settings import Settings
    from tests.notes_samples import NOTED, POLICY_V1, POLICY_V2

    app = QApplication(["policyreader"])
    scratch = Path(tempfile.mkdtemp(prefix="notes-shot-"))
    policy = scratch / "policies" / "larkspur.md"
    policy.parent.mkdir()
    policy.write_text(POLICY_V1, encoding="utf-8")
    store = NotesStore.open(scratch / "data" / "notes.db")
    opened = store.open_document(load_path(str(policy)), str(policy))
    store.add_document_note(opened, "Overall: clear, but vague on sharing.")
    for quote, body in NOTED.values():
        start = opened.document.text.index(quote)
        tags = ("retention", "ask") if "Thirty" in body else ()
        store.add_note(opened, start, start + len(quote), body, tags=tags)
    choices = next(s for s in opened.document.walk_sections() if s.title == "Your Choices")
    store.add_section_note(
        opened,
        choices,
        "Is there a way to delete route history right away?",
        tags=("choices",),
        colour="#2e9d5b",
    )
    policy.write_text(POLICY_V2, encoding="utf-8")
    themes = ThemeManager(app, ThemeChoice.LIGHT)
    themes.apply()
    window = MainWindow(Settings(scratch / "config"), themes, notes_store=store)
    assert window.notes is not None
    window.resize(1280, 820)
    window.show()
    window.open_files([str(policy)])
    window.tasks.wait(60_000)
    tab = window.current_tab()
    assert tab is not None
    practices = PracticesFeature.of(tab)
    assert practices is not None
    practices.begin_detection()
    window.tasks.wait(60_000)
    deadline = time.monotonic() + 30
    while practices.painter.busy and time.monotonic() < deadline:
        app.processEvents()
    notes = window.notes.tab_notes(tab)
    assert notes is not None
    notes.reveal_panel()
    bar = tab.reader.verticalScrollBar()
    for _ in range(5):
        app.processEvents()
    bar.setValue(bar.maximum())
    tab.update_current_section()
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(out / "notes-light.png"))
    window.notes.confirm_quit = lambda _message: True


if __name__ == "__main__":
    if sys.argv[1:2] == ["--notes"]:
        notes_shot(Path(sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
