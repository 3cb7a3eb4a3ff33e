"""Reader benchmark: load speed per format, start to first paint, open-to-rendered, peak memory.

Prints figures; budgets are checked by reading them, not by tests. Each window measurement runs in
its own process (offscreen Qt) so that start-up and memory are a user's, not a warm interpreter's.

    python3 benchmarks/bench_reader.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.policy_factory import FACTORIES, write_policy
from benchmarks.probe import run_probe
from policyreader.core.loading import load_text

SIZES = (10_000, 100_000, 1_000_000)
BUDGETS = {"first_paint_s": 0.6, "open_100k_s": 0.3, "open_1m_s": 1.5, "peak_mb": 250}

# Runs in a fresh interpreter: times from the parent's clock reading just before the spawn.
WINDOW_PROBE = r"""
import json, os, resource, sys, time
spawned = float(sys.argv[1]); files = sys.argv[2:]
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from policyreader.app import _application, _themes
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings

app = _application()
result = {}

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "first_paint_s" not in result:
            result["first_paint_s"] = time.time() - spawned
        return False

from pathlib import Path
settings = Settings(Path(os.environ["POLICYREADER_CONFIG_DIR"]))
window = MainWindow(settings, _themes(app, settings))
painter_probe = FirstPaint()
window.installEventFilter(painter_probe)
window.resize(1280, 820)
window.show()
while "first_paint_s" not in result:
    app.processEvents()
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.practices.practices_feature import PracticesFeature

def text_shown(path):
    tab = window.tabs.tab_for_path(path)
    return isinstance(tab, DocumentTab)

for path in files:
    started = time.perf_counter()
    window.open_files([path])
    while not text_shown(path):
        app.processEvents()
    window.grab()  # lay out and paint the rendered text
    result[os.path.basename(path)] = time.perf_counter() - started
    # Practice highlights arrive after the text: detection starts once it has painted.
    # (A big policy's painting starts a few turns after its summary: wait for the painter to
    # have painted this rendering, not just for the summary.)
    tab = window.tabs.tab_for_path(path)
    feature = PracticesFeature.of(tab)
    while feature is not None and (
        feature.summary is None
        or feature.painter.busy
        or feature.painter._qdocument is not tab.reader.document()
    ):
        app.processEvents()
    window.grab()
    result["all:" + os.path.basename(path)] = time.perf_counter() - started
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def bench_loading() -> None:
    print("Loading (parse + model), median of 3 runs:")
    for fmt, factory in FACTORIES.items():
        for size in SIZES:
            text = factory(size)
            times = []
            for _ in range(3):
                started = time.perf_counter()
                load_text(text, name=f"bench.{fmt}")
                times.append(time.perf_counter() - started)
            median = statistics.median(times)
            rate = len(text) / median / 1e6
            print(f"  {fmt:8} {size / 1000:>6.0f} KB  {median * 1000:7.1f} ms  ({rate:.1f} MB/s)")


def run_window_probe(files: list[Path], scratch: Path) -> dict[str, float]:
    spawned = time.time()
    args = [str(spawned), *map(str, files)]
    return run_probe(WINDOW_PROBE, args, {"POLICYREADER_CONFIG_DIR": str(scratch)}, timeout=600)


def bench_window() -> None:
    with tempfile.TemporaryDirectory(prefix="policyreader-bench-") as folder:
        scratch = Path(folder)
        print("Window (offscreen, fresh process each):")
        starts = [run_window_probe([], scratch)["first_paint_s"] for _ in range(3)]
        first_paint = statistics.median(starts)
        print(f"  start to first paint      {first_paint * 1000:7.0f} ms (median of 3)")
        worst: dict[str, float] = {}
        for fmt in FACTORIES:
            files = [write_policy(scratch, fmt, size) for size in SIZES]
            figures = run_window_probe(files, scratch)
            for size, path in zip(SIZES, files, strict=True):
                seconds = figures[path.name]
                settled = figures["all:" + path.name]
                print(
                    f"  open-to-rendered {fmt:8} {size / 1000:>5.0f} KB {seconds * 1000:7.0f} ms"
                    f"   (highlights shown: {settled * 1000:6.0f} ms)"
                )
                worst[f"{size}"] = max(worst.get(f"{size}", 0.0), seconds)
            print(f"  peak memory after the three {fmt} files: {figures['peak_mb']:.0f} MB")
            worst["peak_mb"] = max(worst.get("peak_mb", 0.0), figures["peak_mb"])
        one_mb = run_window_probe([write_policy(scratch, "markdown", 1_000_000)], scratch)
        print(f"  peak memory, one 1 MB policy open: {one_mb['peak_mb']:.0f} MB")
        print("Budgets:")
        checks = (
            ("start to first paint", first_paint, BUDGETS["first_paint_s"], "s"),
            (
                "100 KB open-to-rendered (worst format)",
                worst["100000"],
                BUDGETS["open_100k_s"],
                "s",
            ),
            ("1 MB open-to-rendered (worst format)", worst["1000000"], BUDGETS["open_1m_s"], "s"),
            ("peak memory, 1 MB policy", one_mb["peak_mb"], BUDGETS["peak_mb"], "MB"),
        )
        for label, value, budget, unit in checks:
            verdict = "ok" if value <= budget else "OVER"
            print(f"  {label:42} {value:8.3f} {unit} (budget {budget} {unit}) {verdict}")


if __name__ == "__main__":
    bench_loading()
    bench_window()
