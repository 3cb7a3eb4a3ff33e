"""Run a window probe in a fresh offscreen interpreter and read the JSON line it prints last."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any


def run_probe(code: str, args: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    """``python -c code *args`` offscreen with ``env`` added; its last stdout line as JSON.

    A fresh process each time, so start-up, memory and stalls are a user's, not those of a warm
    interpreter.
    """
    completed = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        timeout=timeout,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])
