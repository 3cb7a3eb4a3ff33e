"""Benchmark the encoder: file sizes, load time, passages/s, 50 KB and 1 MB policies, peak memory.

    python -m benchmarks.bench_encoder [--sizes 50000 1000000]

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 1_000_000])
    parser.add_argument("--one-size", type=int, help="(internal) one size in this process")
    args = parser.parse_args(argv)
    if args.one_size:
        return one_size(args.one_size)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
