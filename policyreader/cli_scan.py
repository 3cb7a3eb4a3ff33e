"""``policyreader scan PATH... --out FILE.jsonl``: every policy under the paths, one JSON line each."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from policyreader.core.errors import PolicyLoadError
from policyreader.core.practices.detector import DetectorKind
from policyreader.core.safe_files import read_user_file


def usable_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def add_scan_command(commands: argparse._SubParsersAction) -> None:
    scan = commands.add_parser(
        "scan",
        help="analyse every policy under the paths into a JSON-lines file (and a CSV of facts)",
        description="One line per file, sorted by path: the fields of inspect --json without "
        "text, plus fingerprint and error. The same file whatever --jobs or --engine is.",
    )
    scan.add_argument("paths", nargs="*", metavar="PATH", help="policy files or folders")
    scan.add_argument("--out", required=True, type=Path, metavar="FILE.jsonl")
    scan.add_argument("--files-from", type=Path, metavar="LIST", help="more paths, one a line")
    scan.add_argument("--jobs", type=int, default=usable_cores(), help="worker processes")
    scan.add_argument("--text", action="store_true", help="keep each policy's text in its line")
    scan.add_argument("--resume", action="store_true", help="skip files already in --out unchanged")
    scan.add_argument("--csv", type=Path, metavar="FILE.csv", help="also the facts, a row a policy")
    scan.add_argument(
        "--detector", choices=[k.value for k in DetectorKind], default=DetectorKind.COMBINED.value
    )
    scan.add_argument("--engine", choices=("local", "dask"), default="local")
    scan.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, tcp://host:8786")
    scan.add_argument(
        "--chunk", type=int, metavar="N", help="files per task (default: 1; 50 with --engine dask)"
    )
    scan.set_defaults(handler=run_scan_command)


def run_scan_command(args: argparse.Namespace) -> int:
    from policyreader.batch.runner import ScanOptions, run_scan

    paths = list(args.paths)
    if args.files_from is not None:
        try:  # capped and never blocking, like every file a user names
            listed = read_user_file(args.files_from).decode("utf-8", "replace").splitlines()
        except PolicyLoadError as error:
            print(f"policyreader: cannot read {args.files_from}: {error}", file=sys.stderr)
            return 2
        paths += [line.strip() for line in listed if line.strip()]
    if not paths:
        print("policyreader: scan needs a PATH or --files-from LIST", file=sys.stderr)
        return 2
    if args.jobs < 1 or (args.chunk is not None and args.chunk < 1):
        print("policyreader: --jobs and --chunk must be at least 1", file=sys.stderr)
        return 2
    options = ScanOptions(
        detector=args.detector,
        keep_text=args.text,
        jobs=args.jobs,
        engine=args.engine,
        scheduler=args.scheduler,
        resume=args.resume,
        csv=args.csv,
        chunk=args.chunk,
    )
    try:
        result = run_scan(paths, args.out, options)
    except OSError as error:
        print(f"policyreader: cannot write {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    print(
        f"policyreader: {result.files} files: {result.written} written, "
        f"{result.skipped} unchanged, {result.failed} failed -> {args.out}",
        file=sys.stderr,
    )
    return 0
