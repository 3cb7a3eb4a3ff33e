"""``policyreader diff OLD NEW [--json]``: what changed between two versions of a policy."""

from __future__ import annotations

import argparse
import json
import sys

from policyreader.core.versions import compare, format_report
from policyreader.storage.fetch import load_source


def run_diff(args: argparse.Namespace) -> int:
    comparison = compare(load_source(args.old), load_source(args.new))
    if args.json:
        json.dump(comparison.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_report(comparison))
    return 0


def add_diff_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="compare two versions of a policy (files or web addresses)",
        description="Compare two versions of a policy: sections aligned even when moved or "
        "renamed, changed sentences, and the practices that changed. Whitespace and line "
        "wrapping are ignored.",
    )
    diff.add_argument("old", help="the earlier version (file or http(s) address)")
    diff.add_argument("new", help="the later version (file or http(s) address)")
    diff.add_argument(
        "--json", action="store_true", help="print sections and practice changes as JSON"
    )
    diff.set_defaults(handler=run_diff)
