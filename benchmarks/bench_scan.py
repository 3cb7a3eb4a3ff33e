"""Benchmark ``policyreader scan``: policies per second per core, speed-up with --jobs, memory.

    nice -n 10 python -m benchmarks.bench_scan [--copies 3] [--jobs 1 2] [--repeat 2]

The corpus is real policy text: OPP-115's 75 sanitized policies and the five seeds under
``../shared``, copied ``--copies`` times under different names (so the process start-up of the
workers is spread over a realistic batch). Each configuration runs ``policyreader scan`` in a
fresh child process, the best wall time of ``--repeat`` runs is kept, and the child reports its
CPU seconds and the peak resident memory of the process doing the work (itself for --jobs 1, its
largest worker otherwise). The script also checks that every --jobs wrote the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SOURCES = (SHARED / "data" / "opp115" / "sanitized_policies", SHARED / "corpus" / "seeds")

# Runs in the child: the scan, then its own and its workers' CPU time and peak memory.
DRIVER = """
import json, resource, sys, time
from pathlib import Path
from policyreader.batch.runner import ScanOptions, run_scan
root, out, jobs = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
result = run_scan([root], out, ScanOptions(jobs=jobs))
wall = time.perf_counter() - started
own = resource.getrusage(resource.RUSAGE_SELF)
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "files": result.files, "failed": result.failed, "wall": wall,
    "cpu": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,
    "peak_kb": own.ru_maxrss if jobs == 1 else workers.ru_maxrss,
    "parent_kb": own.ru_maxrss,
}))
"""


def busy(steps: int) -> int:
    total = 0
    for step in range(steps):
        total += step
    return total


def loop_speed_up(jobs: int, tasks: int = 16, steps: int = 3_000_000) -> float:
    """What ``jobs`` processes give a trivially parallel busy loop on this machine right now.

    The ceiling any --jobs can reach here: on a shared machine it is far below ``jobs``.
    """
    started = time.perf_counter()
    for _ in range(tasks):
        busy(steps)
    alone = time.perf_counter() - started
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        list(pool.map(busy, [steps] * tasks))
    return alone / (time.perf_counter() - started)


def build_corpus(target: Path, copies: int) -> tuple[int, int]:
    files = size = 0
    for copy in range(copies):
        for source in SOURCES:
            folder = target / f"copy{copy}" / source.name
            folder.mkdir(parents=True)
            for path in sorted(source.iterdir()):
                if path.is_file():
                    shutil.copy(path, folder / path.name)
                    files += 1
                    size += path.stat().st_size
    return files, size


def run_once(root: Path, out: Path, jobs: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(root), str(out), str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    if not all(source.is_dir() for source in SOURCES):
        print(f"needs OPP-115 and the seeds under {SHARED}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as scratch:
        root = Path(scratch) / "corpus"
        files, size = build_corpus(root, args.copies)
        load = os.getloadavg()[0]
        print(f"load average before: {load:.1f} on {os.cpu_count()} cores (others' work counts)")
        print(
            f"corpus: {files} files, {size / 1e6:.1f} MB of saved policy pages ({args.copies} copies)"
        )
        runs: dict[int, list[dict[str, float]]] = {jobs: [] for jobs in args.jobs}
        digests = set()
        # Interleaved (1, 2, 1, 2...): a change in the machine's load falls on every --jobs alike.
        for _ in range(args.repeat):
            for jobs in args.jobs:
                out = Path(scratch) / f"jobs{jobs}.jsonl"
                runs[jobs].append(run_once(root, out, jobs))
                digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
        results = {jobs: min(done, key=lambda run: run["wall"]) for jobs, done in runs.items()}
        for jobs, best in results.items():
            print(
                f"--jobs {jobs}: {best['wall']:.1f} s wall, {files / best['wall']:.1f} policies/s "
                f"({files / best['wall'] / jobs:.1f} per core), {best['cpu'] / files * 1000:.0f} ms CPU "
                f"per policy ({files / best['cpu']:.1f} policies per CPU-second), peak memory per worker "
                f"{best['peak_kb'] / 1024:.0f} MB (coordinator {best['parent_kb'] / 1024:.0f} MB), "
                f"{best['failed']:.0f} failed"
            )
        base = results[min(results)]
        for jobs, best in sorted(results.items()):
            if jobs != min(results):
                print(
                    f"speed-up of --jobs {jobs} over --jobs {min(results)}: {base['wall'] / best['wall']:.2f}"
                    f" (a busy loop in {jobs} processes, the same minute: {loop_speed_up(jobs):.2f})"
                )
        print("identical output for every --jobs:", len(digests) == 1)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
