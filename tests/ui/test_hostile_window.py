"""Issue 19 in the window: FIFOs, hostile bundles and rich text never hang, vanish or link out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.helpers import POLICY, bundle_members, make_fifo, zip_members
from tests.ui.notes_helpers import make_window


@pytest.fixture
def window(qtbot, settings, themes, recorder, store):
    return make_window(qtbot, settings, themes, recorder, store)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifos_are_refused_and_the_loaders_stay_free(window, recorder, tmp_path: Path) -> None:
    fifos = [make_fifo(tmp_path / name) for name in ("a.md", "b.md", "c.md", "x.policyreview")]
    window.open_requested.emit([str(f) for f in fifos])
    assert window.tasks.wait(10_000)
    assert len(recorder.messages) == 4
    assert all("not a regular file" in message for _title, message in recorder.messages)
    policy = tmp_path / "policy.md"
    policy.write_text(POLICY, encoding="utf-8")
    window.open_requested.emit([str(policy)])
    assert window.tasks.wait(10_000)
    assert window.current_tab() is not None


@pytest.mark.parametrize(
    "document",
    [
        {"metadata": ["a", "list"]},
        {"blocks": [{"kind": "paragraph", "start": 0, "end": 3, "inlines": [[0, 3, 0, 0, 0, 9]]}]},
        {"format": "<a href='file:///etc/passwd'>Details</a>"},
    ],
    ids=["metadata-list", "href-number", "format-link"],
)
def test_a_hostile_bundle_says_why_it_does_not_open(
    window, recorder, tmp_path: Path, document: dict[str, object]
) -> None:
    members = bundle_members()
    members["document.json"] = {**members["document.json"], **document}
    path = tmp_path / "hostile.policyreview"
    path.write_bytes(zip_members(members))
    window.open_requested.emit([str(path)])
    assert window.tasks.wait(10_000)
    assert window.tabs.count() == 0
    ((title, message),) = recorder.messages
    assert title == "Cannot open hostile.policyreview" and "cannot be read" in message
