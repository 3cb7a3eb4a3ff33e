"""``policyreader notes export|import``: in-process with capsys, and once as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policyreader.cli import main
from policyreader.core.loading import load_path
from policyreader.storage.db import Database
from policyreader.storage.notes_store import NotesStore
from tests.conftest import REPO
from tests.notes_samples import (
    FUZZY_NEW,
    FUZZY_QUOTE,
    MOVED_QUOTE,
    NOTED,
    ORPHAN_QUOTE,
    POLICY_V1,
    POLICY_V2,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def take_notes(path: Path) -> dict[str, str]:
    """Notes made in the reader (the store in the current data dir); returns body -> state key."""
    store = NotesStore(Database.open())
    opened = store.open_document(load_path(path), path)
    for state, (quote, body) in NOTED.items():
        start = opened.document.text.index(quote)
        note = store.add_note(opened, start, start + len(quote), body)
        if state == "moved":
            store.update_note(note.id, tags=["sharing", "follow up"])
    store.database.close()
    return {body: state for state, (_, body) in NOTED.items()}


def annotations_by_body(output: str) -> dict[str, dict]:
    data = json.loads(output)
    assert list(data) == ["annotations"]
    found = {}
    for annotation in data["annotations"]:
        body = annotation["body"]
        found[(body[0] if isinstance(body, list) else body)["value"]] = annotation
    return found


def inspect_text(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    code, out, _ = run(capsys, "inspect", str(path), "--json")
    assert code == 0
    return json.loads(out)["text"]


def assert_edited_states(annotations: dict[str, dict], text: str) -> None:
    """moved, fuzzy at the right new place, orphaned with its quote; none lost."""
    assert len(annotations) == 3
    states = {body: a["anchoring"] for body, a in annotations.items()}
    assert states == {body: state for state, (_, body) in NOTED.items()}
    for annotation in annotations.values():
        quote, position = annotation["target"]["selector"]
        found = text[position["start"] : position["end"]]
        if annotation["anchoring"] == "moved":
            assert found == quote["exact"] == MOVED_QUOTE
        elif annotation["anchoring"] == "fuzzy":
            assert found == FUZZY_NEW
        else:
            assert quote["exact"] == ORPHAN_QUOTE


def test_export_after_the_file_changed_reports_moved_fuzzy_orphaned(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = write(tmp_path / "larkspur.md", POLICY_V1)
    take_notes(policy)
    code, out, _ = run(capsys, "notes", "export", str(policy))
    assert code == 0
    assert {a["anchoring"] for a in annotations_by_body(out).values()} == {"exact"}
    write(policy, POLICY_V2)
    code, out, _ = run(capsys, "notes", "export", str(policy), "--format", "json")
    assert code == 0
    assert_edited_states(annotations_by_body(out), inspect_text(capsys, policy))


def test_import_then_export_on_an_edited_copy_gives_the_same_states(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = write(tmp_path / "larkspur.md", POLICY_V1)
    take_notes(original)
    exported = tmp_path / "notes.json"
    code, out, _ = run(capsys, "notes", "export", str(original))
    exported.write_text(out, encoding="utf-8")
    # Someone else, with their own notes folder and the edited policy under another name.
    monkeypatch.setenv("POLICYREADER_DATA_DIR", str(tmp_path / "colleague"))
    edited = write(tmp_path / "larkspur-2026-06.md", POLICY_V2)
    code, out, _ = run(capsys, "notes", "import", str(edited), str(exported))
    assert code == 0
    assert out.startswith("Imported 3 notes into Larkspur Maps Privacy Policy")
    assert "1 moved, 1 fuzzy, 1 orphaned" in out
    code, out, _ = run(capsys, "notes", "export", str(edited))
    assert code == 0
    assert_edited_states(annotations_by_body(out), inspect_text(capsys, edited))
    code, out, _ = run(capsys, "notes", "import", str(edited), str(exported))
    assert "Imported 0 notes" in out and "3 were already on this policy" in out


def test_export_then_import_gives_back_the_same_notes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = write(tmp_path / "larkspur.md", POLICY_V1)
    take_notes(policy)
    _, first, _ = run(capsys, "notes", "export", str(policy))
    saved = write(tmp_path / "notes.json", first)
    monkeypatch.setenv("POLICYREADER_DATA_DIR", str(tmp_path / "elsewhere"))
    assert run(capsys, "notes", "import", str(policy), str(saved))[0] == 0
    _, second, _ = run(capsys, "notes", "export", str(policy))
    assert json.loads(second) == json.loads(first)
    tagged = annotations_by_body(second)["Check their partner list: is this true?"]
    assert tagged["body"][1:] == [
        {"type": "TextualBody", "value": "sharing", "purpose": "tagging"},
        {"type": "TextualBody", "value": "follow up", "purpose": "tagging"},
    ]


def test_markdown_export_groups_by_section(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = write(tmp_path / "larkspur.md", POLICY_V1)
    take_notes(policy)
    write(policy, POLICY_V2)
    code, out, _ = run(capsys, "notes", "export", str(policy), "--format", "md")
    assert code == 0
    pieces = [
        "# Notes on Larkspur Maps Privacy Policy",
        "## How We Use Information",
        f"> {FUZZY_NEW}",  # the passage as it reads now, with the note under it
        "Thirty days seems short; ask about backups.",
        f"needs review: the passage has changed; it read “{FUZZY_QUOTE}”",
        "## Sharing",
        f"> {MOVED_QUOTE}",
        "Check their partner list: is this true?",
        "## Orphaned notes",
        f"> {ORPHAN_QUOTE}",
        "Which statistics exactly?",
    ]
    positions = [out.index(piece) for piece in pieces]
    assert positions == sorted(positions)


def test_bad_inputs_give_a_clear_message_and_status_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = write(tmp_path / "larkspur.md", POLICY_V1)
    garbage = write(tmp_path / "notes.json", "{ not json")
    code, _, err = run(capsys, "notes", "import", str(policy), str(garbage))
    assert code == 2 and "not JSON" in err
    code, _, err = run(capsys, "notes", "import", str(policy), str(tmp_path / "missing.json"))
    assert code == 2 and "cannot be read" in err
    code, _, err = run(capsys, "notes", "export", str(tmp_path / "gone.md"))
    assert code == 2 and "does not exist" in err


def test_notes_commands_as_a_subprocess(tmp_path: Path) -> None:
    policy = write(tmp_path / "larkspur.md", POLICY_V1)
    take_notes(policy)
    write(policy, POLICY_V2)
    environment = {**os.environ, "POLICYREADER_DATA_DIR": os.environ["POLICYREADER_DATA_DIR"]}
    command = [sys.executable, "-m", "policyreader", "notes", "export", str(policy)]
    done = subprocess.run(
        command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    inspected = subprocess.run(
        [sys.executable, "-m", "policyreader", "inspect", str(policy), "--json"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_edited_states(annotations_by_body(done.stdout), json.loads(inspected.stdout)["text"])
    exported = write(tmp_path / "notes.json", done.stdout)
    environment["POLICYREADER_DATA_DIR"] = str(tmp_path / "fresh")
    imported = subprocess.run(
        [sys.executable, "-m", "policyreader", "notes", "import", str(policy), str(exported)],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr
    assert "Imported 3 notes" in imported.stdout


def test_import_into_a_read_only_notes_folder_fails_clearly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.storage.test_faults import read_only_folder

    policy = write(tmp_path / "larkspur.md", POLICY_V1)
    take_notes(policy)
    _, exported, _ = run(capsys, "notes", "export", str(policy))
    saved = write(tmp_path / "notes.json", exported)
    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setenv("POLICYREADER_DATA_DIR", str(locked))
    with read_only_folder(locked):
        code, out, err = run(capsys, "notes", "import", str(policy), str(saved))
        assert code == 2 and "read-only" in err and "Imported" not in out
        code, out, _ = run(capsys, "notes", "export", str(policy))
        assert code == 0 and json.loads(out) == {"annotations": []}


def test_importing_notes_kept_on_another_policy_stores_them_on_this_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICYREADER_DATA_DIR", str(tmp_path / "data"))
    original = write(tmp_path / "larkspur.md", POLICY_V1)
    take_notes(original)
    _, exported, _ = run(capsys, "notes", "export", str(original))
    saved = write(tmp_path / "notes.json", exported)
    # Another policy in the same notes folder: the ids are known, but not on this document.
    other = write(tmp_path / "other.md", POLICY_V2.replace("Larkspur", "Lowland"))
    code, out, _ = run(capsys, "notes", "import", str(other), str(saved))
    assert code == 0 and out.startswith("Imported 3 notes into") and "already" not in out
    _, listed, _ = run(capsys, "notes", "export", str(other))
    assert len(json.loads(listed)["annotations"]) == 3  # really stored, on this policy
    _, first, _ = run(capsys, "notes", "export", str(original))
    assert len(json.loads(first)["annotations"]) == 3  # and still on the first one
    code, out, _ = run(capsys, "notes", "import", str(other), str(saved))
    assert out.startswith("Imported 0 notes") and "3 were already on this policy" in out
