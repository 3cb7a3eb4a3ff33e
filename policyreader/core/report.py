"""The JSON shape of one analysed policy: what ``inspect --json`` prints and ``scan`` writes per file."""

from __future__ import annotations

from collections.abc import Sequence

from policyreader.core.document import PolicyDocument
from policyreader.core.facts import facts_json, policy_facts
from policyreader.core.practices.detector import coverage
from policyreader.core.practices.practice import Practice


def document_json(
    document: PolicyDocument, practices: Sequence[Practice] | None = None
) -> dict[str, object]:
    """The stable JSON shape of ``inspect --json``; later fields are added, none renamed."""
    return {
        "path": document.path,
        "format": document.format.value,
        "title": document.title,
        "metadata": document.metadata.as_json(),
        "text": document.text,
        "outline": document.outline(),
        "practices": [practice.as_json() for practice in practices or ()],
        "coverage": coverage(practices) if practices is not None else {},
        "facts": (
            facts_json(policy_facts(document.text, practices, document.metadata))
            if practices is not None
            else {}
        ),
    }
