"""``policyreader notes export|import``: a policy's notes on the command line, without a display."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from policyreader.core.anchoring import AnchorState
from policyreader.core.annotations_io import (
    AnnotationFormatError,
    dumps_json,
    export_html,
    export_markdown,
    read_notes_file,
)
from policyreader.core.loading import load_path
from policyreader.storage.db import (
    Database,
    StorageError,
    StorageProblem,
    only_the_file_is_read_only,
)
from policyreader.storage.notes_store import NotesStore

FORMATS = ("json", "md", "html")


def add_notes_commands(commands: Any) -> None:
    """Add ``notes export`` and ``notes import`` to the command parser's subcommands."""
    notes = commands.add_parser("notes", help="export or import the notes of a policy")
    actions = notes.add_subparsers(dest="notes_command", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export", help="print the notes of the policy at PATH, re-anchored to its current text"
    )
    export.add_argument("path", metavar="PATH")
    export.add_argument("--format", choices=FORMATS, default="json", help="default: json")
    export.set_defaults(handler=run_notes_export)
    add = actions.add_parser(
        "import", help="add the W3C Web Annotations in FILE.json to the policy at PATH"
    )
    add.add_argument("path", metavar="PATH")
    add.add_argument("file", metavar="FILE.json")
    add.set_defaults(handler=run_notes_import)


def run_notes_export(args: argparse.Namespace) -> int:
    document = load_path(args.path)
    try:
        store = _open_store()
        opened = store.open_document(document, args.path)
        notes = store.notes_for(opened)
    except StorageError as error:
        return _fail(str(error))
    source = Path(opened.path).as_uri() if opened.path else None  # W3C wants an IRI
    if args.format == "md":
        output = export_markdown(notes, document.title, opened.path, document.text)
    elif args.format == "html":
        output = export_html(notes, document.title, opened.path, document.text)
    else:
        output = dumps_json(notes, source=source)
    sys.stdout.write(output)
    return 0


def run_notes_import(args: argparse.Namespace) -> int:
    document = load_path(args.path)
    try:
        notes = read_notes_file(args.file)
    except AnnotationFormatError as error:
        return _fail(f"{args.file}: {error}")
    try:
        store = _open_store()
        opened = store.open_document(document, args.path)
        report = store.import_notes(opened, notes)
    except StorageError as error:
        return _fail(f"nothing from {args.file} was imported. {_cli_wording(error)}")
    states = report.states
    counts = ", ".join(f"{states[state]} {state.value}" for state in AnchorState if states[state])
    title = document.title or args.path
    print(
        f"Imported {len(report.added)} note{'s' if len(report.added) != 1 else ''} "
        f"into {title}" + (f" ({counts})" if counts else "") + "."
    )
    if report.skipped:
        print(
            f"{report.skipped} {'was' if report.skipped == 1 else 'were'} already on this "
            "policy and left as they are."
        )
    if states[AnchorState.FUZZY]:
        print("Fuzzy notes found a changed passage: review them in the notes panel.")
    return 0


def _open_store() -> NotesStore:
    database = Database.open()
    if database.moved_aside is not None and database.notice:
        print(f"policyreader: {database.notice}", file=sys.stderr)
    return NotesStore(database)


def _cli_wording(error: StorageError) -> str:
    """The store's sentence speaks of keeping notes in memory; a command that exits cannot."""
    folder = error.path.parent if error.path else "the notes folder"
    if (
        error.problem is StorageProblem.READ_ONLY
        and error.path
        and only_the_file_is_read_only(error.path)
    ):
        return (
            f"The notes file {error.path} is read-only (make it writable, or set "
            "POLICYREADER_DATA_DIR to another folder)."
        )
    if error.problem is StorageProblem.READ_ONLY:
        return f"The notes folder {folder} is read-only (set POLICYREADER_DATA_DIR to another)."
    if error.problem is StorageProblem.DISK_FULL:
        return f"The disk holding {folder} is full."
    return str(error)


def _fail(message: str) -> int:
    print(f"policyreader: {message}", file=sys.stderr)
    return 2
