"""One policy's column of facts, worked out off the GUI thread from its file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from policyreader.core.analysis import analyse
from policyreader.core.errors import PolicyLoadError
from policyreader.core.facts import FactCell, policy_facts
from policyreader.core.gc_pause import cyclic_gc_paused
from policyreader.core.loading import load_path


@dataclass(frozen=True, slots=True)
class PolicyColumn:
    """A policy as the table shows it; ``cells`` is empty while it loads or when it failed."""

    path: str
    title: str
    cells: dict[str, FactCell] = field(default_factory=dict)
    text: str = ""
    error: str | None = None

    @property
    def ready(self) -> bool:
        return bool(self.cells) or self.error is not None


# Words every policy's title shares: the column heading keeps what tells the policies apart.
_TITLE_NOISE = re.compile(
    r"\s*(?:[-|:–—]\s*)?\b(?:privacy (?:policy|notice|statement)|data protection policy)\b"
    r"\s*(?:[-|:–—]\s*)?",
    re.IGNORECASE,
)


def short_title(title: str, path: str) -> str:
    """``Privacy Policy - GsmServer`` -> ``GsmServer``; the file name when nothing is left."""
    shorter = _TITLE_NOISE.sub(" ", title).strip(" -|:–—/\\·")
    return shorter or Path(path).stem


def pending_column(path: str) -> PolicyColumn:
    return PolicyColumn(path, Path(path).name)


def analyse_policy(path: str) -> PolicyColumn:
    """Load, detect and derive the facts of one policy; a bad file becomes a column with its error."""
    try:
        with cyclic_gc_paused():
            document = load_path(path)
            practices = analyse(document).practices
            cells = policy_facts(document.text, practices, document.metadata)
    except PolicyLoadError as error:
        return PolicyColumn(path, Path(path).name, error=str(error))
    title = short_title(document.title or "", path)
    return PolicyColumn(path, title, cells, document.text)
