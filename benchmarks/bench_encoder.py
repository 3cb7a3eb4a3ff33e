"""Benchmark the encoder: file sizes, load time, passages/s, 50 KB and 1 MB policies, peak memory.

    python -m benchmarks.bench_encoder [--sizes 50000 1000000] [--window-only]

``--window`` figures: the real window (offscreen, a fresh process per size) opens a Markdown
policy; from the text shown to the fast highlights, then to the encoder's final highlights
(the refine in its worker), the longest GUI-thread stall meanwhile (a 5 ms heartbeat), the
process's CPU time over that stretch (user + system, all threads), its peak memory, the
progress messages, and the time a reopen takes to show the final highlights from the cache.

Times are wall-clock seconds (onnxruntime works on two threads). Passages/s are measured on
50 KB of OPP-115's policies as plain text when ``../shared`` holds them; each size then runs in a
fresh process on ``bench_detector``'s synthetic sample, so that its peak memory is the app's.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence

from benchmarks.bench_detector import _document, _real_document
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.encoder import (
    ENCODER_FILE,
    SETTINGS_FILE,
    VOCAB_FILE,
    default_encoder,
    encoder_input,
)
from policyreader.core.practices.model import default_model
from policyreader.core.practices.sentences import passages
from policyreader.resources_path import resource


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6


def _peak_mb() -> float:
    # VmHWM starts afresh in an exec'd process; ru_maxrss would keep the parent's peak.
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1e3
    return 0.0


def one_size(size: int) -> int:
    """``combined`` and ``best`` on ``size`` characters of the synthetic sample, then the peak
    memory of this process, which loads nothing else (OPP-115's annotations would count too)."""
    document = _document(size)
    model, encoder = default_model(), default_encoder()
    print(f"{len(document.text) / 1e3:7.0f} KB sample, {len(list(passages(document)))} passages")
    for kind in (DetectorKind.COMBINED, DetectorKind.BEST):
        detector = PracticeDetector(kind, model=model, encoder=encoder)
        started = time.perf_counter()
        practices = detector.detect(document)
        took = time.perf_counter() - started
        print(f"{'':9}{kind.value:9} {took:7.2f} s, {len(practices)} practices")
    print(f"{'':9}peak memory {_peak_mb():.0f} MB (bar: 400 MB)", flush=True)
    return 0


WINDOW_PROBE = r"""
import json, os, resource, sys, time
from pathlib import Path
from PySide6.QtCore import QElapsedTimer, QTimer
from policyreader.app import _application, _themes
from policyreader.storage.analysis_cache import AnalysisCache
from policyreader.ui.practices.practices_feature import PracticesFeature
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.shell.settings import Settings

from policyreader.ui.practices import highlights, practices_panel, summary_card

# The refine's GUI-thread work, longest call by name: wall time (waits for the GIL and for a
# core included) and the GUI thread's own CPU time (what the work itself costs).
slices = {}


def timed(owner, name):
    original = getattr(owner, name)

    def wrapper(self, *args, **kwargs):
        begun, begun_cpu = time.perf_counter(), time.thread_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            wall = (time.perf_counter() - begun) * 1000
            own = (time.thread_time() - begun_cpu) * 1000
            old_wall, old_cpu = slices.get(name, (0.0, 0.0))
            slices[name] = (max(old_wall, wall), max(old_cpu, own))

    setattr(owner, name, wrapper)


timed(PracticesFeature, "_refine_step")
timed(highlights.HighlightPainter, "_step")
timed(practices_panel.PracticesPanel, "set_practices")
timed(summary_card.SummaryCard, "set_summary")
app = _application()
settings = Settings(Path(sys.argv[2]))
themes = _themes(app, settings)
cache = AnalysisCache(Path(sys.argv[3]))


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb():
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(l.split()[1]) / 1e3 for l in status if l.startswith("VmHWM:"))


class Heartbeat:
    def __init__(self):
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.beat)
        self.gaps = []
    def start(self):
        self.clock.start(); self.last = 0.0; self.gaps = []; self.timer.start()
    def beat(self):
        now = self.clock.nsecsElapsed() / 1e6
        self.gaps.append(now - self.last); self.last = now
    def stop(self):
        self.timer.stop(); self.beat(); return max(self.gaps)


def open_in_window():
    window = MainWindow(settings, themes, analysis_cache=cache)
    window.resize(1280, 820)
    window.show()
    for _ in range(5):
        app.processEvents()
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    opened = []
    window.tabs.opened.connect(lambda tab: opened.append(tab.result))
    started = time.perf_counter()
    window.open_files([sys.argv[1]])
    while window.current_tab() is None or PracticesFeature.of(window.current_tab()) is None:
        app.processEvents()
    tab = window.current_tab()
    feature = PracticesFeature.of(tab)
    tab.reader.viewport().repaint()
    shown, cpu_shown = time.perf_counter(), cpu()
    return window, tab, feature, messages, opened, started, shown, cpu_shown


result = {}
heart = Heartbeat()
window, tab, feature, messages, opened, started, shown, cpu_shown = open_in_window()
result["time_to_text_s"] = shown - started
marks = {}
feature.ready.connect(lambda: marks.setdefault("fast", time.perf_counter()))
feature.refined.connect(lambda: marks.setdefault("refined", time.perf_counter()))
heart.start()
while "refined" not in marks or feature.painter.busy or window.tasks.busy:
    app.processEvents()
    time.sleep(0.001)
    if feature.refine_state in ("none", "failed") and "fast" in marks and not window.tasks.busy:
        break
end, cpu_end = time.perf_counter(), cpu()
result["stall_ms"] = heart.stop()
result["refine_state"] = feature.refine_state
result["fast_s"] = marks.get("fast", end) - shown
result["final_s"] = end - shown
result["cpu_s"] = cpu_end - cpu_shown
result["peak_mb"] = peak_mb()
result["slices"] = {name: f"{wall:.0f}/{cpu:.0f}" for name, (wall, cpu) in slices.items()}
result["changed"] = len(feature.refine_changes)
result["practices"] = len(feature.practices)
result["text_chars"] = len(tab.document.text)
progress = [m for m in messages if m.startswith("Refining")]
result["progress"] = [progress[0], progress[-1]] if progress else []
window.close()
window, tab, feature, messages, opened, started, shown, cpu_shown = open_in_window()
marks = {}
feature.painter.finished.connect(lambda: marks.setdefault("painted", time.perf_counter()))
while "painted" not in marks:
    app.processEvents()
    time.sleep(0.001)
result["reopen_refined"] = bool(opened and opened[0].refined)
result["reopen_final_s"] = marks["painted"] - shown
result["reopen_refine_state"] = feature.refine_state
print(json.dumps(result))
"""


def window_size(size: int) -> None:
    """The window on a Markdown policy of ``size`` bytes, in a fresh process."""
    import tempfile
    from pathlib import Path

    from benchmarks.policy_factory import write_policy
    from benchmarks.probe import run_probe

    with tempfile.TemporaryDirectory(prefix="policyreader-bench-") as folder:
        scratch = Path(folder)
        path = write_policy(scratch, "markdown", size)
        env = {
            "POLICYREADER_CONFIG_DIR": str(scratch / "config"),
            "POLICYREADER_DATA_DIR": str(scratch / "data"),
        }
        args = [str(path), str(scratch / "config"), str(scratch / "cache")]
        f = run_probe(WINDOW_PROBE, args, env, timeout=1800)
    print(f"window, {f['text_chars'] / 1e3:.0f} KB Markdown policy ({f['refine_state']}):")
    print(f"  text shown after opening      {f['time_to_text_s']:7.2f} s")
    print(f"  fast highlights after text    {f['fast_s']:7.2f} s")
    print(
        f"  final highlights after text   {f['final_s']:7.2f} s (bar 1.5 s at 50 KB, 30 s at 1 MB)"
    )
    print(f"  CPU time meanwhile            {f['cpu_s']:7.2f} s (user + system, all threads)")
    print(f"  longest GUI stall meanwhile   {f['stall_ms']:7.0f} ms (bar 100 ms)")
    print(f"  peak memory                   {f['peak_mb']:7.0f} MB (bar 400 MB)")
    print(f"  longest GUI-thread calls, ms wall/own CPU {f['slices']}")
    print(f"  practices {f['practices']}, changed by the refine {f['changed']}")
    print(f"  progress shown: {' … '.join(f['progress']) or 'none (done first)'}")
    print(
        f"  reopened: final highlights from the cache {f['reopen_refined']}, painted after "
        f"{f['reopen_final_s']:.2f} s, refine {f['reopen_refine_state']}",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 1_000_000])
    parser.add_argument("--one-size", type=int, help="(internal) one size in this process")
    parser.add_argument("--window-only", action="store_true", help="only the window figures")
    args = parser.parse_args(argv)
    if args.one_size:
        return one_size(args.one_size)
    if args.window_only:
        for size in args.sizes:
            window_size(size)
        return 0
    for name in (ENCODER_FILE, VOCAB_FILE, SETTINGS_FILE):
        node = resource(*name)
        size = len(node.read_bytes()) / 1e6 if node.is_file() else 0.0
        print(f"{name[1]:24} {size:8.2f} MB")
    before = _rss_mb()
    started = time.perf_counter()
    encoder = default_encoder()
    if encoder is None:
        print("no encoder file (or no onnxruntime): nothing to measure")
        return 1
    print(f"encoder load {time.perf_counter() - started:.2f} s, +{_rss_mb() - before:.0f} MB RSS")
    document = _real_document(50_000) or _document(50_000)
    texts = [encoder_input(document.text, passage) for passage in passages(document)]
    started = time.perf_counter()
    encoder.logits(texts)
    took = time.perf_counter() - started
    print(f"encoder alone, 50 KB of policy text: {len(texts) / took:.0f} passages/s")
    for size in args.sizes:
        command = [sys.executable, "-m", "benchmarks.bench_encoder", "--one-size", str(size)]
        subprocess.run(command, check=True)
    for size in args.sizes:
        window_size(size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
