"""Start-up: what the launch imports before the window exists, and launch to first paint.

``python -m benchmarks.bench_startup [--before DIR] [--runs N]``: ``DIR`` is another checkout
(e.g. ``git archive`` of an older commit) measured the same way, for a before/after list.

Measured 2026-12-07 (shared 2-core machine, load 1.8; a second set at load 5.2): modules imported
at launch 320 -> 273 (policyreader's 102 -> 88); the detector, model, rules, library window,
versions compare view, side-by-side window and the fetcher no longer load at start (lxml,
markdown-it, pdfminer, charset-normalizer and numpy did not before either). Launch to first
paint, offscreen, median of 5: 0.66 -> 0.55 s wall (0.60 -> 0.49 s own CPU); at load 5.2,
1.14 -> 0.99 s (0.76 -> 0.63 s CPU). Single-run import times vary too much here to compare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# What ``policyreader FILE`` imports before it builds the window.
LAUNCH = "import policyreader.cli, policyreader.app, policyreader.ui.shell.main_window"
# Modules the window does not need to paint; each is reported if the launch imports it.
WATCHED = (
    "lxml",
    "markdown_it",
    "pdfminer",
    "charset_normalizer",
    "numpy",
    "sqlite3",
    "policyreader.core.practices.detector",
    "policyreader.core.practices.model",
    "policyreader.core.practices.rules",
    "policyreader.core.analysis",
    "policyreader.core.versions",
    "policyreader.core.review_bundle",
    "policyreader.ui.notes.notes_feature",
    "policyreader.ui.versions.versions_feature",
    "policyreader.ui.versions.compare_view",
    "policyreader.ui.library.library_window",
    "policyreader.ui.compare_policies.window",
    "policyreader.storage.fetch",
)


def _environment(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "QT_QPA_PLATFORM": "offscreen"}


def import_times(tree: Path) -> dict[str, int]:
    """Cumulative import time (microseconds) of every module the launch imports from ``tree``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", LAUNCH],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        env=_environment(tree),
        check=True,
    )
    times = {}
    for line in done.stderr.splitlines()[1:]:
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            times[parts[2].strip()] = int(parts[1])
    return times


def first_paint(tree: Path, policy: Path) -> tuple[float, float]:
    """Seconds from launching ``python -m policyreader POLICY`` to the window's first paint
    (wall, and the process's own CPU), offscreen, with an empty data directory."""
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / "probe"
        env = {
            **_environment(tree),
            "POLICYREADER_STARTUP_PROBE": str(probe),
            "POLICYREADER_DATA_DIR": str(Path(scratch) / "data"),
            "POLICYREADER_CONFIG_DIR": str(Path(scratch) / "config"),
            "POLICYREADER_CACHE_DIR": str(Path(scratch) / "cache"),
        }
        start = time.time()
        process = subprocess.Popen(
            [sys.executable, "-m", "policyreader", str(policy)],
            env=env,
            cwd=scratch,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while not probe.exists() or "first-paint" not in probe.read_text():
                if time.time() - start > 60 or process.poll() is not None:
                    return float("nan"), float("nan")
                time.sleep(0.01)
            fields = probe.read_text().split()
            return float(fields[1]) - start, float(fields[5])
        finally:
            process.terminate()
            process.wait(10)


def report(name: str, tree: Path, policy: Path, runs: int) -> None:
    times = import_times(tree)
    ours = [module for module in times if module.startswith("policyreader")]
    print(f"\n== {name}: {tree}")
    print(f"modules imported at launch: {len(times)} ({len(ours)} of policyreader)")
    print(
        f"launch import time (policyreader.app cumulative): {times.get('policyreader.app', 0) / 1000:.0f} ms"
    )
    for module in WATCHED:
        state = f"{times[module] / 1000:6.1f} ms" if module in times else "   not imported"
        print(f"  {state}  {module}")
    paints = [first_paint(tree, policy) for _ in range(runs)]
    walls = sorted(wall for wall, _ in paints)
    cpus = sorted(cpu for _, cpu in paints)
    print(
        f"launch to first paint (offscreen, 100 KB Markdown, {runs} runs): median "
        f"{statistics.median(walls):.3f} s wall (min {walls[0]:.3f}), "
        f"{statistics.median(cpus):.3f} s CPU of its own"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, help="another checkout to measure the same way")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from benchmarks.policy_factory import markdown_policy

    with tempfile.TemporaryDirectory() as folder:
        policy = Path(folder) / "policy100k.md"
        policy.write_text(markdown_policy(100_000), encoding="utf-8")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        if args.before is not None:
            report("before", args.before.resolve(), policy, args.runs)
        report("after", REPO, policy, args.runs)


if __name__ == "__main__":
    main()
