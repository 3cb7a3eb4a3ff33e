"""The ``.policyreview`` bundle: a policy's text and structure, its notes and corrections, in a zip."""

# A bundle is a zip archive holding ``manifest.json`` (format and version), ``document.json`` (the
# text exactly as the reader shows it, its blocks, title and metadata), ``annotations.json`` (the
# notes as W3C Web Annotations, positions into that text) and ``corrections.json``. Reading one
# rebuilds the ``PolicyDocument`` without the original file, so the recipient sees what the sender
# annotated even when the policy has since changed online.

from __future__ import annotations

import io
import json
import os
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any

from policyreader import __version__
from policyreader.core.annotations_io import AnnotationFormatError, export_json, import_json
from policyreader.core.bounded_json import UntrustedJsonError, loads_bounded
from policyreader.core.document import (
    Block,
    BlockKind,
    DocumentFormat,
    Inline,
    Metadata,
    PolicyDocument,
)
from policyreader.core.errors import PolicyLoadError
from policyreader.core.fingerprint import fingerprint
from policyreader.core.notes import Note, utc_now
from policyreader.core.outline import build_sections
from policyreader.core.practices.corrections import Correction
from policyreader.core.safe_files import MAX_FILE_BYTES, read_user_file

BUNDLE_SUFFIX = ".policyreview"
BUNDLE_FORMAT = "policyreview"
BUNDLE_VERSION = 1
MEDIA_TYPE = "application/x-policyreview"
# A bundle file is capped like any policy file, and its text like the text of one.
MAX_BUNDLE_BYTES = MAX_FILE_BYTES
MAX_TEXT_CHARS = MAX_FILE_BYTES
# Refuse archives that would unpack to more than this (the text plus its blocks and notes as JSON).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# What reading a damaged archive raises (zlib.error: a corrupt deflate stream; NotImplementedError:
# an unknown compression method, version or flag in a member's header; both found by fuzzing).
_DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)
# What a reader of untrusted bundle JSON may trip over, turned into a BundleError.
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError)
_MEMBERS = ("manifest.json", "document.json", "annotations.json", "corrections.json")


class BundleError(ValueError):
    """A file that is not a readable ``.policyreview`` bundle; the message says why.

    It is the only error ``read_bundle`` and ``read_bundle_file`` let escape.
    """


@dataclass(frozen=True, slots=True)
class ReviewBundle:
    document: PolicyDocument
    notes: tuple[Note, ...]
    corrections: tuple[Correction, ...]
    fingerprint: str
    created: str


def write_bundle(
    document: PolicyDocument,
    notes: Iterable[Note] = (),
    corrections: Iterable[Correction] = (),
) -> bytes:
    """The bundle's bytes. Only the file name of the source travels, never the sender's folders."""
    text_id = fingerprint(document.text)
    manifest = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "created": utc_now(),
        "generator": f"policyreader {__version__}",
    }
    members = {
        "manifest.json": manifest,
        "document.json": document_to_json(document, text_id),
        "annotations.json": export_json(notes, source=text_id),
        "corrections.json": {"corrections": [c.to_json() for c in corrections]},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in _MEMBERS:
            archive.writestr(name, json.dumps(members[name], ensure_ascii=False, indent=1))
    return buffer.getvalue()


def read_bundle_file(path: str | os.PathLike[str]) -> ReviewBundle:
    """Read (capped, never blocking) and rebuild the bundle at ``path``; only ``BundleError``."""
    try:
        data = read_user_file(path, MAX_BUNDLE_BYTES)
    except PolicyLoadError as error:
        raise BundleError(str(error)) from None
    return read_bundle(data)


def read_bundle(data: bytes) -> ReviewBundle:
    """Rebuild the document, notes and corrections; raises ``BundleError`` for anything amiss."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError("This review is too large to be a policy and its notes.")
    members = _unpack(data)
    manifest = members["manifest.json"]
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise BundleError("This file is not a policyreader review.")
    version = manifest.get("version")
    if not isinstance(version, int) or version > BUNDLE_VERSION:
        raise BundleError("This review was made by a newer policyreader; update to open it.")
    try:
        document = document_from_json(members["document.json"])
    except _MALFORMED as error:
        raise BundleError(f"The review's document cannot be read: {error}") from None
    text_id = fingerprint(document.text)
    try:
        # The notes were placed in exactly this text: say so, so no re-anchoring is needed.
        notes = tuple(
            replace(note, text_fingerprint=text_id)
            for note in import_json(members["annotations.json"])
        )
    except AnnotationFormatError as error:
        raise BundleError(f"The review's notes cannot be read: {error}") from None
    try:
        raw = members["corrections.json"]["corrections"]
        corrections = tuple(Correction.from_json(_object(item), text_id) for item in _list(raw))
    except _MALFORMED as error:
        raise BundleError(f"The review's corrections cannot be read: {error}") from None
    return ReviewBundle(document, notes, corrections, text_id, str(manifest.get("created", "")))


# --- document <-> JSON ---------------------------------------------------------------------------


def document_to_json(document: PolicyDocument, text_id: str) -> dict[str, Any]:
    """The document as a review bundle (and the open cache) keeps it: text, blocks, metadata."""
    metadata = document.metadata
    return {
        "fingerprint": text_id,
        "title": document.title,
        "format": document.format.value,
        "source_name": PurePath(document.path).name if document.path else None,
        "metadata": {**metadata.as_json(), "extra": dict(metadata.extra)},
        "title_block": document.title_block,
        "text": document.text,
        "blocks": [_block_json(block) for block in document.blocks],
    }


def _block_json(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": block.kind.value, "start": block.start, "end": block.end}
    if block.level:
        data["level"] = block.level
    if block.marker:
        data["marker"] = block.marker
    if block.inlines:
        data["inlines"] = [
            [i.start, i.end, i.bold, i.italic, i.code, i.href] for i in block.inlines
        ]
    if block.cells:
        data["cells"] = [[list(cell) for cell in row] for row in block.cells]
        data["header_rows"] = block.header_rows
    return data


def document_from_json(data: Any) -> PolicyDocument:
    """A document read back from ``document_to_json``; ``ValueError`` (or ``KeyError``...) if malformed."""
    if not isinstance(data, dict):
        raise ValueError("document.json must hold an object")
    text = data["text"]
    if not isinstance(text, str) or not text:
        raise ValueError("the text is missing")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"its text is over {MAX_TEXT_CHARS // 1048576} MB, the most a policy has")
    blocks = [_block_from_json(item, len(text)) for item in _list(data.get("blocks", []))]
    title_block = data.get("title_block")
    if title_block is not None and not (
        isinstance(title_block, int) and 0 <= title_block < len(blocks)
    ):
        raise ValueError("title_block does not name a block")
    raw_meta = _object(data.get("metadata") or {})
    metadata = Metadata(
        effective_date=_optional_text(raw_meta.get("effective_date")),
        last_updated=_optional_text(raw_meta.get("last_updated")),
        source_url=_optional_text(raw_meta.get("source_url")),
        archived_on=_optional_text(raw_meta.get("archived_on")),
        extra={str(k): str(v) for k, v in _object(raw_meta.get("extra") or {}).items()},
    )
    return PolicyDocument(
        text=text,
        blocks=blocks,
        sections=build_sections(text, blocks, skip_block=title_block),
        format=DocumentFormat(data.get("format", DocumentFormat.TEXT.value)),
        title=_optional_text(data.get("title")),
        metadata=metadata,
        path=_optional_text(data.get("source_name")),
        title_block=title_block,
    )


def _block_from_json(data: Any, length: int) -> Block:
    data = _object(data)
    start, end = data["start"], data["end"]
    _check_range(start, end, length)
    inlines = []
    for item in _list(data.get("inlines", [])):
        i_start, i_end, bold, italic, code, href = _list(item)
        _check_range(i_start, i_end, length)
        if href is not None and not isinstance(href, str):
            raise ValueError(f"a link target must be text, not {type(href).__name__}")
        inlines.append(Inline(i_start, i_end, bool(bold), bool(italic), bool(code), href))
    cells: list[tuple[tuple[int, int], ...]] = []
    for row in _list(data.get("cells", [])):
        pairs = [tuple(_list(cell)) for cell in _list(row)]
        for c_start, c_end in pairs:
            _check_range(c_start, c_end, length)
        cells.append(tuple((c_start, c_end) for c_start, c_end in pairs))
    marker = data.get("marker", "")
    if not isinstance(marker, str):
        raise ValueError("a list marker must be text")
    return Block(
        kind=BlockKind(data["kind"]),
        start=start,
        end=end,
        level=_small_int(data.get("level", 0)),
        marker=marker,
        inlines=tuple(inlines),
        cells=tuple(cells),
        header_rows=_small_int(data.get("header_rows", 0)),
    )


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, found {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list, found {type(value).__name__}")
    return value


def _small_int(value: Any) -> int:
    """Levels and header counts: small non-negative integers (never a bool or a huge number)."""
    if type(value) is not int or not 0 <= value <= 1000:
        raise ValueError(f"{value!r} is not a small whole number")
    return value


def _check_range(start: Any, end: Any, length: int) -> None:
    if not (type(start) is int and type(end) is int and 0 <= start <= end <= length):
        raise ValueError(f"the range {start!r}..{end!r} lies outside the text")


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# --- the archive ---------------------------------------------------------------------------------


def _unpack(data: bytes) -> dict[str, Any]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGED:
        raise BundleError(
            "This file is not a policyreader review (it is not a zip archive)."
        ) from None
    with archive:
        infos = {info.filename: info for info in archive.infolist()}
        missing = [name for name in _MEMBERS if name not in infos]
        if missing:
            raise BundleError(f"This review is incomplete: {', '.join(missing)} missing.")
        if sum(infos[name].file_size for name in _MEMBERS) > MAX_UNPACKED_BYTES:
            raise BundleError("This review is too large to be a policy and its notes.")
        return {name: _load_member(archive, name) for name in _MEMBERS}


def _load_member(archive: zipfile.ZipFile, name: str) -> Any:
    try:
        # Read at most the cap even if the header lied about the size.
        with archive.open(name) as member:
            raw = member.read(MAX_UNPACKED_BYTES + 1)
        if len(raw) > MAX_UNPACKED_BYTES:
            raise BundleError("This review is too large to be a policy and its notes.")
    except _DAMAGED as error:
        raise BundleError(f"The review is damaged ({name}: {error}).") from None
    try:
        return loads_bounded(raw, MAX_UNPACKED_BYTES)
    except UntrustedJsonError as error:
        raise BundleError(f"The review's {name} is not valid JSON: {error}.") from None
