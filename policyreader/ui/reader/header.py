"""What the reader shows above a policy's text: its title, its dates and where it was archived from."""

from __future__ import annotations

from dataclasses import dataclass

from policyreader.core.document import PolicyDocument


@dataclass(frozen=True, slots=True)
class HeaderLink:
    text: str
    href: str


@dataclass(frozen=True, slots=True)
class HeaderContent:
    """The header as words; ``provenance`` is a list of plain and linked pieces of one line."""

    title: str | None
    dates: str | None
    provenance: tuple[str | HeaderLink, ...] = ()

    @property
    def provenance_text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.provenance)


def header_for(document: PolicyDocument) -> HeaderContent:
    return HeaderContent(
        title=document.title,
        dates=dates_line(document),
        provenance=provenance_line(document),
    )


def dates_line(document: PolicyDocument) -> str | None:
    meta = document.metadata
    parts = []
    if meta.last_updated:
        parts.append(f"Last updated {meta.last_updated}")
    if meta.effective_date and meta.effective_date != meta.last_updated:
        parts.append(f"Effective {meta.effective_date}")
    elif meta.effective_date:
        parts = [f"Last updated and effective {meta.effective_date}"]
    return " · ".join(parts) or None


def provenance_line(document: PolicyDocument) -> tuple[str | HeaderLink, ...]:
    """``Archived on DATE from URL`` (with a link to the snapshot), or nothing when not archived."""
    meta = document.metadata
    if not (meta.archived_on or meta.source_url):
        return ()
    pieces: list[str | HeaderLink] = []
    pieces.append(f"Archived on {meta.archived_on}" if meta.archived_on else "Archived")
    if meta.source_url:
        pieces.append(" from ")
        pieces.append(HeaderLink(meta.source_url, meta.source_url))
    elif meta.extra.get("archived_site"):
        pieces.append(f" from {meta.extra['archived_site']}")
    snapshot = meta.extra.get("snapshot_url")
    if snapshot and snapshot != meta.source_url:
        pieces.append(" · ")
        pieces.append(HeaderLink("archived snapshot", snapshot))
    return tuple(pieces)
