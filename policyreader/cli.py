"""Command line: ``policyreader [FILE...]`` opens the window; ``inspect`` and others run without one."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from policyreader import __version__
from policyreader.core.errors import PolicyLoadError

if TYPE_CHECKING:
    from policyreader.core.document import PolicyDocument
    from policyreader.core.practices.detector import DetectorKind

# Past this much text, ``inspect`` leaves out an encoder stage nobody asked for (minutes).
ENCODER_TEXT_LIMIT = 2_000_000

# The commands' modules (parsers, detector, network) are imported only when a command runs:
# ``policyreader FILE`` opens the window without them.

Command = Callable[[argparse.Namespace], int]


def format_outline(document: PolicyDocument) -> str:
    lines = [f"{document.title or '(untitled)'}  [{document.format.value}]"]
    meta = document.metadata
    for label, value in (
        ("Last updated", meta.last_updated),
        ("Effective", meta.effective_date),
        ("Archived", meta.archived_on),
        ("Source", meta.source_url),
    ):
        if value:
            lines.append(f"{label}: {value}")
    lines.append("")
    for section in document.walk_sections():
        lines.append(f"{'  ' * (section.level - 1)}{section.title}")
    if not document.sections:
        lines.append("(no sections found)")
    return "\n".join(lines)


def _warn(message: str) -> None:
    print(f"policyreader: {message}", file=sys.stderr)


def run_inspect(args: argparse.Namespace) -> int:
    from policyreader.core.analysis import analyse
    from policyreader.core.loading import load_path
    from policyreader.core.practices.detector import detect_practices
    from policyreader.core.report import document_json

    document = load_path(args.path)
    if args.json:
        kind = inspect_detector(args.detector, len(document.text))
        detect = functools.partial(detect_practices, kind=kind, on_problem=_warn)
        practices = analyse(document, detect, rules_if_model_fails=False).practices
        json.dump(document_json(document, practices), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_outline(document))
    return 0


def inspect_detector(asked: str | None, text_length: int) -> DetectorKind:
    """The detector ``inspect`` runs: the one asked for, else the best there is, except that an
    unasked-for encoder stage is left out of a policy too long to read in about a minute."""
    from policyreader.core.analysis import DETECTOR_ENV, FAST_DETECTOR, chosen_detector
    from policyreader.core.practices.detector import DetectorKind

    if asked is not None:
        return DetectorKind(asked)
    kind = chosen_detector(default=DetectorKind.BEST.value)
    explicit = bool(os.environ.get(DETECTOR_ENV, "").strip())
    slow = kind in (DetectorKind.BEST, DetectorKind.ENCODER)
    if slow and not explicit and text_length > ENCODER_TEXT_LIMIT:
        _warn(
            f"{text_length / 1e6:.1f} MB of text: the encoder stage is left out "
            f"(it would take minutes); --detector {kind.value} runs it"
        )
        return DetectorKind(FAST_DETECTOR)
    return kind


def run_open(args: argparse.Namespace) -> int:
    from policyreader.ui.shell.single_instance import forward_to_running_instance

    if not args.screenshot and forward_to_running_instance(args.files):
        return 0  # handed to the running window before loading any of the UI
    from policyreader.app import run_app

    return run_app(args.files, screenshot=args.screenshot)


def run_compare_policies(args: argparse.Namespace) -> int:
    from policyreader.app_compare import run_compare_policies as run

    return run(args.paths, screenshot=args.screenshot, differences=args.differences)


def _command_parser() -> argparse.ArgumentParser:
    from policyreader.cli_diff import add_diff_command
    from policyreader.cli_notes import add_notes_commands
    from policyreader.cli_scan import add_scan_command
    from policyreader.core.practices.detector import DetectorKind

    parser = argparse.ArgumentParser(
        prog="policyreader", description="Read privacy policies closely."
    )
    parser.add_argument("--version", action="version", version=f"policyreader {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="print a policy's outline (or all of it as JSON)")
    inspect.add_argument("path")
    inspect.add_argument("--json", action="store_true", help="print the whole document as JSON")
    inspect.add_argument(
        "--detector",
        choices=[kind.value for kind in DetectorKind],
        help="how practices are found: rules, the trained model, both (combined), the encoder, "
        "or the encoder weighed with both (best, the default; combined when no encoder file, "
        f"or past {ENCODER_TEXT_LIMIT // 1_000_000} MB of text unless asked for; "
        "POLICYREADER_DETECTOR=fast picks the fast path alone)",
    )
    inspect.set_defaults(handler=run_inspect)
    add_notes_commands(commands)
    add_diff_command(commands)
    add_scan_command(commands)
    compare = commands.add_parser(
        "compare-policies", help="open the side-by-side window with these policies (or folders)"
    )
    compare.add_argument("paths", nargs="*", metavar="PATH")
    compare.add_argument(
        "--differences", action="store_true", help="show only the rows where the policies differ"
    )
    compare.add_argument("--screenshot", metavar="OUT.png", help="render the window to a PNG, exit")
    compare.set_defaults(handler=run_compare_policies)
    return parser


def _open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policyreader",
        description="Read privacy policies closely. Commands: inspect PATH [--json], "
        "diff OLD NEW [--json], notes ...",
    )
    parser.add_argument("--version", action="version", version=f"policyreader {__version__}")
    parser.add_argument(
        "files", nargs="*", help="policy files or http(s) addresses to open, each in a tab"
    )
    parser.add_argument(
        "--screenshot", metavar="OUT.png", help="render, save a PNG of the window, exit"
    )
    parser.set_defaults(handler=run_open)
    return parser


COMMANDS = {"inspect", "notes", "diff", "scan", "compare-policies"}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _command_parser() if argv and argv[0] in COMMANDS else _open_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except PolicyLoadError as error:
        print(f"policyreader: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 1
