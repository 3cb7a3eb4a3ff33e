"""policyreader.core imports no Qt, sqlite3 or platformdirs: it runs in scripts and without a display."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import policyreader.core


def test_core_modules_load_no_gui_or_storage_library() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(policyreader.core.__path__, "policyreader.core.")
    ]
    assert "policyreader.core.loading" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "from policyreader.core.loading import load_text\n"
        "load_text('# T\\n\\n## A\\n\\ntext\\n')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'shiboken6', 'sqlite3', '_sqlite3', 'platformdirs'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == ""
