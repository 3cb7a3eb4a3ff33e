"""The window's start imports nothing it does not need to paint: parsers, detector, other views."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO

# Loaded on first use (in the open job or when their window opens), never to show the window.
DEFERRED = (
    "lxml",
    "markdown_it",
    "pdfminer",
    "charset_normalizer",
    "numpy",
    "policyreader.core.practices.detector",
    "policyreader.core.practices.model",
    "policyreader.core.practices.rules",
    "policyreader.ui.library.library_window",
    "policyreader.ui.versions.compare_view",
    "policyreader.ui.compare_policies.window",
)

PROBE = """
import json, sys
import policyreader.app, policyreader.cli, policyreader.ui.shell.main_window
print(json.dumps(sorted(sys.modules)))
"""


def test_the_window_modules_import_none_of_the_deferred_ones() -> None:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        timeout=120,
        check=True,
    )
    loaded = set(json.loads(done.stdout))
    assert "policyreader.ui.shell.main_window" in loaded  # the probe did import the window
    early = sorted(
        name
        for name in loaded
        if any(name == module or name.startswith(module + ".") for module in DEFERRED)
    )
    assert early == []
