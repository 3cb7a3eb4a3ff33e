"""The .policyreview bundle: text, structure, metadata, notes and corrections survive the trip."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace

import pytest

from policyreader.core import review_bundle
from policyreader.core.anchoring import AnchorState, describe_in
from policyreader.core.fingerprint import fingerprint
from policyreader.core.loading import load_text
from policyreader.core.notes import Note, new_note_id
from policyreader.core.practices.corrections import Correction, CorrectionKind
from policyreader.core.review_bundle import BundleError, read_bundle, write_bundle
from tests.notes_samples import FUZZY_QUOTE, MOVED_QUOTE, POLICY_V1

TABLE_POLICY = (
    POLICY_V1
    + """
## Data We Keep

| Data | How long |
| --- | --- |
| Routes | **30 days** |
| Receipts | 7 years, see [tax law](https://example.org/tax) |

- Your *name*
  - and your email
"""
)


@pytest.fixture
def document():
    return load_text(TABLE_POLICY, "/home/someone/private/larkspur.md")


def a_note(document, quote: str, body: str) -> Note:
    start = document.text.index(quote)
    anchor = describe_in(document, start, start + len(quote))
    return Note(
        id=new_note_id(),
        quote=anchor.quote,
        position=anchor.position,
        body=body,
        tags=("ask",),
        section_title=anchor.section_title,
        created="2026-05-01T09:00:00.000Z",
        updated="2026-05-01T09:00:00.000Z",
    )


def test_bundle_round_trip_keeps_document_notes_and_corrections(document) -> None:
    notes = [a_note(document, MOVED_QUOTE, "Really?"), a_note(document, FUZZY_QUOTE, "Short.")]
    text_id = fingerprint(document.text)
    corrections = [
        Correction(text_id, 3, 20, CorrectionKind.WRONG, "data_retention"),
        Correction(text_id, 40, 60, CorrectionKind.ADDED, None, "third_party_sharing"),
    ]
    data = write_bundle(document, notes, corrections)
    bundle = read_bundle(data)
    rebuilt = bundle.document
    assert rebuilt.text == document.text
    assert rebuilt.blocks == document.blocks  # kinds, levels, markers, inlines, table cells
    assert [(s.title, s.level, s.start, s.end) for s in rebuilt.walk_sections()] == [
        (s.title, s.level, s.start, s.end) for s in document.walk_sections()
    ]
    assert (rebuilt.title, rebuilt.title_block, rebuilt.format) == (
        document.title,
        document.title_block,
        document.format,
    )
    assert rebuilt.metadata == document.metadata
    assert bundle.fingerprint == text_id
    assert {n.text_fingerprint for n in bundle.notes} == {text_id}
    by_place = sorted(notes, key=lambda n: n.position.start)
    assert [replace(n, text_fingerprint=None) for n in bundle.notes] == by_place
    assert [replace(c, created="") for c in bundle.corrections] == corrections
    for note in bundle.notes:
        assert rebuilt.text[note.position.start : note.position.end] == note.quote.exact
        assert note.state is AnchorState.EXACT


def test_bundle_carries_no_local_folders(document) -> None:
    data = write_bundle(document)
    assert b"/home/someone" not in data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert json.loads(archive.read("document.json"))["source_name"] == "larkspur.md"
        assert json.loads(archive.read("manifest.json"))["format"] == "policyreview"


def _zip(members: dict[str, object]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in members.items():
            archive.writestr(name, value if isinstance(value, str | bytes) else json.dumps(value))
    return buffer.getvalue()


def _members(document) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(write_bundle(document))) as archive:
        return {name: json.loads(archive.read(name)) for name in archive.namelist()}


def test_bad_bundles_say_what_is_wrong(document) -> None:
    with pytest.raises(BundleError, match="not a zip"):
        read_bundle(b"hello")
    members = _members(document)
    incomplete = {k: v for k, v in members.items() if k != "annotations.json"}
    with pytest.raises(BundleError, match=r"annotations\.json missing"):
        read_bundle(_zip(incomplete))
    with pytest.raises(BundleError, match="newer policyreader"):
        read_bundle(_zip({**members, "manifest.json": {**members["manifest.json"], "version": 9}}))
    broken = dict(members["document.json"])
    broken["blocks"] = [{"kind": "paragraph", "start": 0, "end": 10**9}]
    with pytest.raises(BundleError, match="outside the text"):
        read_bundle(_zip({**members, "document.json": broken}))
    with pytest.raises(BundleError, match="not valid JSON"):
        read_bundle(_zip({**members, "corrections.json": "{oops"}))


def test_a_member_in_an_unknown_compression_method_is_a_bundle_error(document) -> None:
    data = bytearray(write_bundle(document))
    # Method 99 in every local and central header: zipfile raises NotImplementedError for it.
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = data.find(signature)
        while start != -1:
            data[start + offset : start + offset + 2] = (99).to_bytes(2, "little")
            start = data.find(signature, start + 4)
    with pytest.raises(BundleError):
        read_bundle(bytes(data))


def test_a_bundle_that_would_unpack_too_far_is_refused(document, monkeypatch) -> None:
    monkeypatch.setattr(review_bundle, "MAX_UNPACKED_BYTES", 1024 * 1024)
    members = _members(document)
    huge = b'{"corrections": []' + b" " * (2 * 1024 * 1024) + b"}"
    with pytest.raises(BundleError, match="too large"):
        read_bundle(_zip({**members, "corrections.json": huge}))
