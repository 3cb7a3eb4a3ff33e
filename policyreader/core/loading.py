"""One entry point: a path or bytes in, a PolicyDocument out, or a PolicyLoadError that says why not."""

from __future__ import annotations

import os

from policyreader.core.builder import SourceParse
from policyreader.core.document import DocumentFormat, Original, PolicyDocument
from policyreader.core.errors import LoadProblem, PolicyLoadError
from policyreader.core.metadata import finish_document
from policyreader.core.safe_files import MAX_FILE_BYTES, read_user_file
from policyreader.core.sniff import decode, is_pdf, sniff_format


def load_path(path: str | os.PathLike[str]) -> PolicyDocument:
    """Read and parse the file at ``path``; never touches the network."""
    data = read_policy_bytes(path)
    return load_bytes(data, name=str(path))


def read_policy_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, capped and never blocking (see ``safe_files``)."""
    return read_user_file(path, MAX_FILE_BYTES)


def load_bytes(data: bytes, name: str | None = None) -> PolicyDocument:
    """Parse the bytes of a policy file; ``name`` is used for messages and as a format tie-breaker."""
    try:
        document = _load(data, name)
    except PolicyLoadError as error:
        error.path = error.path or name
        raise
    document.original = Original(data, name)
    return document


def load_original(original: Original, name: str | None = None) -> PolicyDocument:
    """Read kept bytes again exactly as they were read first (the loader of today)."""
    shown = name or original.name
    if original.charset and original.format:
        fmt = DocumentFormat(original.format)
        try:
            text = original.data.decode(original.charset, errors="replace")
        except LookupError:
            return load_bytes(original.data, name=shown)
        document = load_text(text.replace("\r\n", "\n"), name=shown, fmt=fmt)
        document.original = original
        return document
    return load_bytes(original.data, name=shown)


def _load(data: bytes, name: str | None) -> PolicyDocument:
    if not data.strip():
        raise PolicyLoadError(LoadProblem.EMPTY, f"{name or 'The document'} is empty.", name)
    if is_pdf(data):
        from policyreader.core.formats import pdf

        return finish_document(pdf.read_pdf(data), DocumentFormat.PDF, name)
    text = decode(data, name)
    return load_text(text, name=name)


def load_text(
    text: str, name: str | None = None, fmt: DocumentFormat | None = None
) -> PolicyDocument:
    """Parse already decoded text; the format is sniffed unless given."""
    if not text.strip():
        raise PolicyLoadError(LoadProblem.EMPTY, f"{name or 'The document'} is empty.", name)
    fmt = fmt or sniff_format(text, name)
    parse = _parse(text, fmt)
    parse.drop_header_dates = True
    document = finish_document(parse, fmt, name)
    if not document.text.strip():
        raise PolicyLoadError(
            LoadProblem.NO_TEXT, f"{name or 'The document'} contains no readable text.", name
        )
    return document


def _parse(text: str, fmt: DocumentFormat) -> SourceParse:
    if fmt is DocumentFormat.MARKDOWN:
        from policyreader.core.formats.markdown import read_markdown

        return read_markdown(text)
    if fmt is DocumentFormat.HTML:
        from policyreader.core.formats.html import read_html

        return read_html(text)
    from policyreader.core.formats.text import read_text

    return read_text(text)
