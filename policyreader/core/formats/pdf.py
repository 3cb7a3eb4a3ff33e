"""PDF: text and headings recovered from font size and weight (the versions issue fills this in)."""

from __future__ import annotations

from policyreader.core.builder import SourceParse
from policyreader.core.errors import LoadProblem, PolicyLoadError


def read_pdf(data: bytes) -> SourceParse:
    raise PolicyLoadError(
        LoadProblem.UNREADABLE, "PDF policies are not supported yet; save the policy as text or HTML."
    )
