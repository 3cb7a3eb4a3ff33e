"""Huge and hostile inputs (issue 19): time and peak memory, each in a fresh process.

    python3 benchmarks/bench_hostile.py            # all figures (several minutes)
    python3 benchmarks/bench_hostile.py word       # only the one-long-word figure

    python3 benchmarks/bench_hostile.py window SHOTS  # the window only, PNGs saved in SHOTS

Figures: a 19 MB Markdown policy through ``inspect --json`` and in the window (targets: under
20 s and 600 MB for inspect, the window under 1 GB), and 1 MB of one unbroken word shown in the
window (target: under 3 s). A policy past ``pages.PAGE_CHARS`` is shown a part at a time: the
window figures include an outline jump to a section two thirds down (another part).
Prints figures; nothing here is a test.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.policy_factory import write_policy
from benchmarks.probe import run_probe

BIG = 19_000_000
# A policy of one part (under pages.PAGE_CHARS), measured beside the 19 MB one.
ONE_PART = 1_000_000
WORD = 1_000_000
# How long the window probe waits for the practice highlights before reporting them unfinished.
HIGHLIGHT_WAIT_S = 300

# Opens one file in the window (offscreen), waits until its text is laid out and painted and its
# practices are highlighted, jumps by the outline to a section two thirds down, then reports the
# times and the process's peak memory; with a folder as its fourth argument, saves PNGs there.
WINDOW_PROBE = r"""
import json, os, resource, sys, time
from pathlib import Path
from policyreader.app import _application, _themes
from policyreader.storage.notes_store import NotesStore
from policyreader.ui.reader.document_tab import DocumentTab
from policyreader.ui.shell.main_window import MainWindow
from policyreader.ui.practices.practices_feature import PracticesFeature
from policyreader.ui.shell.settings import Settings
app = _application()
folder = Path(sys.argv[1])
settings = Settings(folder)
store = NotesStore.open(folder / "notes.db")
refused = []
window = MainWindow(settings, _themes(app, settings), notes_store=store,
                    present_error=lambda title, message: refused.append(message))
window.resize(1280, 820)
window.show()
path = sys.argv[2]
started = time.perf_counter()
window.open_files([path])
while not isinstance(window.tabs.tab_for_path(path), DocumentTab) and not refused:
    app.processEvents()
    time.sleep(0.005)  # idle like the event loop: a busy loop here starves the loader's thread
if refused:
    print(json.dumps({"refused": refused[0], "refused_s": time.perf_counter() - started,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    sys.exit(0)
window.grab()
result = {"shown_s": time.perf_counter() - started}
tab = window.tabs.tab_for_path(path)
while tab.reader.layout_pump.busy:
    app.processEvents()
result["laid_out_s"] = time.perf_counter() - started
result["laid_out_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
feature = PracticesFeature.of(tab)
deadline = time.perf_counter() + float(sys.argv[3])
while feature is not None and (feature.summary is None or feature.painter.busy):
    app.processEvents()
    if time.perf_counter() > deadline:  # reported as not finished rather than waited for
        result["highlight_timeout"] = True
        break
bar = tab.reader.verticalScrollBar()
bar.setValue(bar.maximum())
window.grab()
result["highlighted_s"] = time.perf_counter() - started
result["parts"] = len(tab.pages)
shots = Path(sys.argv[4]) if len(sys.argv) > 4 else None
bar.setValue(0)
app.processEvents()  # the margin marks follow the scroll on the next turn of the loop
if shots:
    window.grab().save(str(shots / "part-1.png"))
entries = tab.outline.index.entries
target = entries[len(entries) * 2 // 3].start if entries else 0
jumped = time.perf_counter()
tab.outline.section_activated.emit(target)  # what a click on the entry does
window.grab()
result["jump_shown_s"] = time.perf_counter() - jumped
while tab.reader.layout_pump.busy or (feature is not None and feature.painter.busy):
    app.processEvents()
window.grab()
result["jump_s"] = time.perf_counter() - jumped
result["jump_part"] = tab.page_index + 1
if shots:
    window.grab().save(str(shots / f"part-{tab.page_index + 1}-after-jump.png"))
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result), flush=True)
os._exit(0)  # not waiting for an unfinished detection of a long policy to end

"""


def inspect_figures(path: Path) -> tuple[float, float]:
    """Wall time and peak memory (MB) of ``policyreader inspect PATH --json`` in a child."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "policyreader", "inspect", str(path), "--json"],
        stdout=subprocess.DEVNULL,
        check=True,
        timeout=1800,
    )
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def window_figures(path: Path, scratch: Path, shots: str = "") -> dict[str, float | str]:
    arguments = [str(scratch), str(path), str(HIGHLIGHT_WAIT_S), *([shots] if shots else [])]
    return run_probe(WINDOW_PROBE, arguments, {}, timeout=1800)


def report_window(size: int, figures: dict[str, float | str]) -> None:
    label = f"{size / 1e6:.0f} MB Markdown, window"
    if "refused" in figures:
        print(
            f"{label}: refused in {figures['refused_s']:.0f} s, peak {figures['peak_mb']:.0f} MB"
            f" ({figures['refused']})"
        )
        return
    highlighted = (
        f"highlights not done after {HIGHLIGHT_WAIT_S} s"
        if figures.get("highlight_timeout")
        else f"highlighted {figures['highlighted_s']:.0f} s"
    )
    print(
        f"{label}: shown {figures['shown_s']:.1f} s in {figures['parts']} part(s), laid out "
        f"{figures['laid_out_s']:.1f} s (peak then {figures['laid_out_peak_mb']:.0f} MB), "
        f"{highlighted}; outline jump to part {figures['jump_part']}: shown "
        f"{figures['jump_shown_s']:.1f} s, laid out {figures['jump_s']:.1f} s; "
        f"peak {figures['peak_mb']:.0f} MB (target 1 GB)"
    )


def main(which: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="policyreader-hostile-") as folder:
        scratch = Path(folder)
        if not which or "word" in which:
            word = scratch / "one-word.md"
            word.write_text("privacy" * (WORD // 7), encoding="utf-8")
            figures = window_figures(word, scratch)
            print(
                f"1 MB of one word, window: shown {figures['shown_s']:.1f} s, laid out "
                f"{figures['laid_out_s']:.1f} s, peak {figures['peak_mb']:.0f} MB (target 3 s)"
            )
        if not which or "big" in which or "window" in which:
            big = write_policy(scratch, "markdown", BIG)
        if not which or "big" in which:
            seconds, peak = inspect_figures(big)
            print(
                f"19 MB Markdown, inspect --json: {seconds:.0f} s, peak {peak:.0f} MB "
                "(targets 20 s, 600 MB)"
            )
        if not which or "big" in which or "window" in which:
            shots = next((w for w in which if w not in ("word", "big", "window")), "")
            for size in (BIG, ONE_PART):
                path = big if size == BIG else write_policy(scratch, "markdown", size)
                folder = ""
                if shots:
                    folder = str(Path(shots) / f"{size // 1_000_000}mb")
                    Path(folder).mkdir(parents=True, exist_ok=True)
                report_window(path.stat().st_size, window_figures(path, scratch, folder))
    print(f"(machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main(sys.argv[1:])
