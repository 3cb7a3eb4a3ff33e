"""The start-up probe writes the first-paint time only when asked to, and only once."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtWidgets import QLabel

from policyreader.ui.shell.startup_probe import PROBE_ENV, install_startup_probe


def test_first_paint_is_recorded_once(qtbot, monkeypatch, tmp_path: Path) -> None:
    target = tmp_path / "probe.txt"
    monkeypatch.setenv(PROBE_ENV, str(target))
    window = QLabel("policy")
    qtbot.addWidget(window)
    before = time.time()
    assert install_startup_probe(window) is not None
    window.show()
    qtbot.waitUntil(target.exists, timeout=2000)
    window.repaint()
    qtbot.wait(50)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    kind, stamp, _pid, pid, _cpu, cpu = lines[0].split()
    assert kind == "first-paint" and before <= float(stamp) <= time.time()
    assert int(pid) == os.getpid() and 0 < float(cpu) <= time.process_time()


def test_nothing_is_installed_without_the_variable(qtbot, monkeypatch) -> None:
    monkeypatch.delenv(PROBE_ENV, raising=False)
    window = QLabel("policy")
    qtbot.addWidget(window)
    assert install_startup_probe(window) is None
