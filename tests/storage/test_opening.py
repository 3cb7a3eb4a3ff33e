"""The open job on its own: load, register, re-anchor and read notes; reviews and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyreader.core.errors import PolicyLoadError
from policyreader.core.loading import load_path
from policyreader.core.review_bundle import write_bundle
from policyreader.storage.notes_store import NotesStore
from policyreader.storage.opening import is_review_path, open_source
from tests.notes_samples import MOVED_QUOTE, POLICY_V1, POLICY_V2


@pytest.fixture
def store(tmp_path: Path):
    notes = NotesStore.open(tmp_path / "notes.db")
    yield notes
    notes.database.close()


def test_a_file_is_registered_and_its_notes_come_back_placed_in_the_new_text(
    tmp_path: Path, store: NotesStore
) -> None:
    policy = tmp_path / "larkspur.md"
    policy.write_text(POLICY_V1, encoding="utf-8")
    first = open_source(str(policy), notes=store)
    assert first.registration is not None and first.notes == [] and first.review is None
    start = first.document.text.index(MOVED_QUOTE)
    store.add_note(first.registration, start, start + len(MOVED_QUOTE), "watch this")
    policy.write_text(POLICY_V2, encoding="utf-8")
    again = open_source(str(policy), notes=store)
    assert again.registration is not None and again.registration.new_version
    (note,) = again.notes
    assert note.body == "watch this"
    placed = again.document.text[note.position.start : note.position.end]
    assert placed == MOVED_QUOTE


def test_without_a_store_only_the_document_comes_back(tmp_path: Path) -> None:
    policy = tmp_path / "larkspur.md"
    policy.write_text(POLICY_V1, encoding="utf-8")
    opened = open_source(str(policy))
    assert opened.document.title == "Larkspur Maps Privacy Policy"
    assert opened.registration is None and opened.notes == []


def test_a_review_opens_with_its_own_notes_and_is_not_registered(
    tmp_path: Path, store: NotesStore
) -> None:
    policy = tmp_path / "larkspur.md"
    policy.write_text(POLICY_V1, encoding="utf-8")
    mine = store.open_document(load_path(str(policy)))
    store.add_note(mine, 0, 10, "from the sender")
    bundle = tmp_path / "shared.policyreview"
    bundle.write_bytes(write_bundle(mine.document, store.notes_for(mine), []))
    opened = open_source(str(bundle), notes=store)
    assert opened.review is not None and opened.registration is None
    assert [n.body for n in opened.notes] == ["from the sender"]


def test_a_broken_review_is_a_load_error_with_a_sentence(tmp_path: Path) -> None:
    fake = tmp_path / "fake.policyreview"
    fake.write_bytes(b"not a zip")
    with pytest.raises(PolicyLoadError):
        open_source(str(fake))
    with pytest.raises(PolicyLoadError, match="does not exist"):
        open_source(str(tmp_path / "missing.policyreview"))


def test_only_a_local_file_is_a_review() -> None:
    assert is_review_path("/home/me/Shared.POLICYREVIEW")
    assert not is_review_path("https://example.com/shared.policyreview")
