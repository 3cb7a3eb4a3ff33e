"""Compare reports exactly what was edited: both sides read by one loader, in the window and `diff`.

Every format (Markdown, text, HTML, PDF), every section edited in turn, and a version stored
before originals were kept (compared as text) as well as one stored with its original bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from policyreader.cli import main
from policyreader.core.loading import load_path
from policyreader.core.versions import SectionChange, compare
from policyreader.storage.library import Library
from policyreader.storage.notes_store import NotesStore
from policyreader.ui.versions.compare_view import compare_html
from policyreader.ui.versions.versions_feature import ChangedBanner, CompareWindow, _stored_document
from tests.core import section_edits as edits
from tests.core import version_pairs as pairs
from tests.ui.conftest import open_and_wait
from tests.ui.notes_helpers import make_window

SAMPLE = Path(__file__).resolve().parents[3] / "resources" / "samples" / "lanternfish-privacy.md"


def _title(fmt: str, index: int) -> str:
    title = pairs.SECTIONS[index][0]
    return f"{index + 1}. {title}" if fmt == "txt" else title


def _forget_originals(store: NotesStore) -> None:
    """Make every stored version look as one kept before originals were: its text only."""
    with store.database.transaction() as connection:
        connection.execute("UPDATE versions SET original = NULL")


def _changed(comparison) -> list[str | None]:
    return [s.new_title for s in comparison.sections if s.change is not SectionChange.SAME]


@pytest.mark.parametrize("text_only", [False, True], ids=["original", "text-only"])
@pytest.mark.parametrize("fmt", edits.FORMATS)
def test_each_edited_section_is_the_only_change_in_the_stored_comparison(
    tmp_path: Path, store: NotesStore, fmt: str, text_only: bool
) -> None:
    path = tmp_path / f"policy.{fmt}"
    path.write_bytes(edits.render(pairs.SECTIONS, fmt))
    opened = store.open_document(load_path(path), str(path))
    if text_only:
        _forget_originals(store)
    library = Library(store.database)
    original = library.version_original(opened.fingerprint)
    assert (original is None) == text_only
    text = library.version_text(opened.fingerprint)
    for index in range(len(pairs.SECTIONS)):
        path.write_bytes(edits.render(edits.edited(index), fmt))
        new = load_path(path)
        old = _stored_document(original, text, new, "2024-01-01T10:00:00Z")
        comparison = compare(old, new, detect=lambda document: [])
        assert _changed(comparison) == [_title(fmt, index)], (fmt, index)


@pytest.mark.parametrize("fmt", edits.FORMATS)
def test_diff_reports_only_the_edited_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    old = tmp_path / f"old.{fmt}"
    old.write_bytes(edits.render(pairs.SECTIONS, fmt))
    for index in range(len(pairs.SECTIONS)):
        new = tmp_path / f"new{index}.{fmt}"
        new.write_bytes(edits.render(edits.edited(index), fmt))
        assert main(["diff", str(old), str(new), "--json"]) == 0
        result = json.loads(capsys.readouterr().out)
        changed = [s["new"] for s in result["sections"] if s["change"] != "same"]
        assert changed == [_title(fmt, index)], (fmt, index)


def _edit_sample(text: str) -> str:
    return (
        text.replace("**90 days**", "**2 years**")
        .replace("process payments, under", "process payments and analyse usage, under")
        .replace("encrypted in transit and at rest.", "encrypted in transit and at rest with AES.")
    )


@pytest.mark.parametrize("text_only", [False, True], ids=["original", "text-only"])
def test_window_compare_of_the_edited_sample_marks_only_the_edited_sections(
    qtbot: QtBot, settings, themes, recorder, store, tmp_path: Path, text_only: bool
) -> None:
    window = make_window(qtbot, settings, themes, recorder, store)
    policy = tmp_path / "lanternfish.md"
    policy.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    open_and_wait(qtbot, window, policy)
    window.tabs.close_tab(0)
    if text_only:
        _forget_originals(store)
    policy.write_text(_edit_sample(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    (tab,) = open_and_wait(qtbot, window, policy)
    banner = tab.findChild(ChangedBanner)
    assert banner is not None
    with qtbot.waitSignal(window.versions.compared, timeout=20_000) as shown:
        window.versions.compare_current(tab)
    compare_window: CompareWindow = shown.args[0]
    view = compare_window.view
    assert view.badges() == {
        "3. Sharing": "changed",
        "6. How long we keep information": "changed",
        "7. Security": "changed",
    }
    kinds = [(c.category.value, c.change.value) for c in view.comparison.practice_changes]
    assert ("collection_use", "added") not in kinds and ("collection_use", "removed") not in kinds
    assert len(kinds) == len(set(kinds))
    # The old side keeps its bullets and list numbers as the new one does.
    page = compare_html(view.comparison, view.colours)
    assert page.count("1. the device model") == 2
    assert page.count("• routes and waypoints") == 2
    assert view.comparison.text_only is text_only
    assert ("compared as text" in view.summary.text()) is text_only
    compare_window.close()


def test_the_window_labels_each_side_by_its_dates_older_on_the_left(
    qtbot: QtBot, settings, themes, recorder, store, tmp_path: Path
) -> None:
    window = make_window(qtbot, settings, themes, recorder, store)
    policy = tmp_path / "lanternfish.md"
    policy.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    open_and_wait(qtbot, window, policy)
    window.tabs.close_tab(0)
    with store.database.transaction() as connection:
        connection.execute("UPDATE versions SET first_seen = '2026-05-02T09:00:00Z'")
    newer = _edit_sample(SAMPLE.read_text(encoding="utf-8"))
    policy.write_text(newer.replace("last_updated: 2026-03-14", "last_updated: 2026-11-20"))
    (tab,) = open_and_wait(qtbot, window, policy)
    with qtbot.waitSignal(window.versions.compared, timeout=20_000) as shown:
        window.versions.compare_current(tab)
    view = shown.args[0].view
    page = compare_html(view.comparison, view.colours)
    left, right = page.index("Opened 2 May 2026 · last updated 14 March 2026"), page.index(
        "last updated 20 November 2026"
    )
    assert left < right
    assert "Last updated: 14 March 2026 → 20 November 2026" in view.summary.text()
    shown.args[0].close()


@pytest.mark.parametrize("text_only", [False, True], ids=["original", "text-only"])
@pytest.mark.parametrize("fmt", edits.FORMATS)
def test_window_compare_marks_only_the_edited_section_in_every_format(
    qtbot: QtBot, settings, themes, recorder, store, tmp_path: Path, fmt: str, text_only: bool
) -> None:
    window = make_window(qtbot, settings, themes, recorder, store)
    policy = tmp_path / f"brightwater.{fmt}"
    policy.write_bytes(edits.render(pairs.SECTIONS, fmt))
    open_and_wait(qtbot, window, policy)
    window.tabs.close_tab(0)
    if text_only:
        _forget_originals(store)
    policy.write_bytes(edits.render(edits.edited(3), fmt))
    (tab,) = open_and_wait(qtbot, window, policy)
    with qtbot.waitSignal(window.versions.compared, timeout=20_000) as shown:
        window.versions.compare_current(tab)
    view = shown.args[0].view
    assert view.badges() == {_title(fmt, 3): "changed"}
    assert view.comparison.text_only is text_only
    shown.args[0].close()
