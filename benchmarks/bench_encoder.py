"""Benchmark the encoder: file sizes, load time, passages/s, 50 KB and 1 MB policies, peak memory.

    python -m benchmarks.bench_encoder [--sizes 50000 1000000]

Times are wall-clock seconds (onnxruntime works on two threads), on OPP-115's policies as plain
text when ``../shared`` holds them, else on the synthetic sample of ``bench_detector``.
"""

from __future__ import annotations

import argparse
import resource as rusage
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
    return rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss / 1e3


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 1_000_000])
    args = parser.parse_args(argv)
    for name in (ENCODER_FILE, VOCAB_FILE, SETTINGS_FILE):
        node = resource(*name)
        size = len(node.read_bytes()) / 1e6 if node.is_file() else 0.0
        print(f"{name[1]:24} {size:8.2f} MB")
    model = default_model()
    before = _rss_mb()
    started = time.perf_counter()
    encoder = default_encoder()
    if encoder is None:
        print("no encoder file (or no onnxruntime): nothing to measure")
        return 1
    print(f"encoder load {time.perf_counter() - started:.2f} s, +{_rss_mb() - before:.0f} MB RSS")
    for size in args.sizes:
        document = _real_document(size) or _document(size)
        text = document.text
        found = list(passages(document))
        texts = [encoder_input(text, passage) for passage in found]
        started = time.perf_counter()
        encoder.logits(texts)
        took = time.perf_counter() - started
        print(
            f"{len(text) / 1e3:7.0f} KB: {len(found)} passages, encoder alone {took:.2f} s "
            f"({len(found) / took:.0f} passages/s)"
        )
        for kind in (DetectorKind.COMBINED, DetectorKind.BEST):
            detector = PracticeDetector(kind, model=model, encoder=encoder)
            started = time.perf_counter()
            practices = detector.detect(document)
            print(
                f"{'':11}{kind.value:9} {time.perf_counter() - started:6.2f} s, "
                f"{len(practices)} practices"
            )
        print(f"{'':11}RSS {_rss_mb():.0f} MB, peak {_peak_mb():.0f} MB")
    print(f"peak memory of the process: {_peak_mb():.0f} MB (bar: 400 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
