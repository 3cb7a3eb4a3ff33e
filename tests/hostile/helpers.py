"""Hostile inputs made on the spot: bundles with chosen members, FIFOs, and the CLI as a subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from policyreader.core.loading import load_text
from policyreader.core.review_bundle import write_bundle
from tests.conftest import REPO

POLICY = (
    "# Privacy\n\nWe collect your email address.\n\n## Sharing\n\nWe share it with advertisers.\n"
)


def bundle_members(text: str = POLICY) -> dict[str, Any]:
    """The four members of a valid bundle of ``text``, as parsed JSON."""
    with zipfile.ZipFile(io.BytesIO(write_bundle(load_text(text, "p.md")))) as archive:
        return {name: json.loads(archive.read(name)) for name in archive.namelist()}


def zip_members(members: dict[str, Any]) -> bytes:
    """A zip of ``members``; values that are bytes or str go in as they are, others as JSON."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, value in members.items():
            raw = value if isinstance(value, bytes | str) else json.dumps(value)
            archive.writestr(name, raw)
    return buffer.getvalue()


def make_fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def run_cli(
    *argv: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``policyreader ARGV`` in a fresh interpreter; a hang fails the test by its timeout."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "policyreader", *argv],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
