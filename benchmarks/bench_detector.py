"""Benchmark the practice detector: model load time and size, MB/s per detector, pathological input.

    python -m benchmarks.bench_detector [--size-mb 1]

Times are CPU seconds of this process (``time.process_time``), so other work on the machine does
not count against the detector.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence

from policyreader.core.document import PolicyDocument
from policyreader.core.loading import load_text
from policyreader.core.practices.detector import DetectorKind, PracticeDetector
from policyreader.core.practices.model import MODEL_FILE, read_model
from policyreader.core.practices.rules import default_rules
from policyreader.resources_path import resource

# A fictitious policy paragraph set, repeated to the wanted size; it states every practice.
SAMPLE = """## Information we collect

When you create an account we collect your name, e-mail address and phone number. Our servers log
your IP address, browser type and the pages you visit, and we use cookies to remember you.

## Sharing

We share order details with the couriers and payment processors who deliver your purchases.
Advertising partners may place cookies on our pages. We may disclose information when required by
law, for example in response to a subpoena. We do not sell your personal information.

## Your choices and rights

You can opt out of marketing e-mails by clicking the unsubscribe link. You may set your browser to
refuse cookies. You can review, update or delete your account information in your account settings.

## Retention and security

We retain order records for seven years. Server logs are deleted after 30 days. We protect your
information with encryption and restrict access to staff who need it.

## Children, regions and changes

Our services are not directed to children under 13. California residents may request a list of the
third parties we share with. We do not respond to Do Not Track signals. We may change this policy
from time to time and will notify you of material changes.
"""

PATHOLOGICAL = {
    "no sentence ends": "we collect your data and share it with third parties ",
    "no whitespace": "wecollectcookiesandretainthem",
    "one repeated cue word": "retain ",
}


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.process_time()
    result = action()
    return time.process_time() - started, result


def _document(size: int) -> PolicyDocument:
    text = (SAMPLE + "\n") * (size // len(SAMPLE) + 1)
    return load_text(text[:size].rsplit("\n\n", 1)[0], name="bench.md")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=1.0)
    args = parser.parse_args(argv)
    size = int(args.size_mb * 1_000_000)

    node = resource(*MODEL_FILE)
    if node.is_file():
        data = node.read_bytes()
        load_seconds, model = _timed(lambda: read_model(data))
        print(f"model file: {len(data) / 1e6:.2f} MB, loads in {load_seconds * 1000:.0f} ms")
    else:
        model = None
        print("model file: absent (rules only)")
    rules_seconds, _ = _timed(default_rules)
    print(f"rules: parsed and compiled in {rules_seconds * 1000:.0f} ms")

    document = _document(size)
    megabytes = len(document.text) / 1e6
    for kind in DetectorKind:
        detector = PracticeDetector(kind, model=model)  # type: ignore[arg-type]
        detector.detect(_document(20_000))  # warm the caches a long session would have warm
        seconds, practices = _timed(lambda d=detector: d.detect(document))
        print(
            f"{kind.value:9} {megabytes:.2f} MB in {seconds:.2f} s = {megabytes / seconds:.2f} MB/s"
            f" ({len(practices)} practices)"  # type: ignore[arg-type]
        )
    combined = PracticeDetector(DetectorKind.COMBINED, model=model)  # type: ignore[arg-type]
    for name, unit in PATHOLOGICAL.items():
        text = (unit * (size // len(unit) + 1))[:size]
        pathological = load_text(text, name="big.txt")
        seconds, _ = _timed(lambda p=pathological: combined.detect(p))
        print(f"pathological, {name}: {len(text) / 1e6:.2f} MB in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
