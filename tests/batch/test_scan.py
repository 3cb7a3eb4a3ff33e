"""``policyreader scan``: inspect --json per file, failures as lines, resume, order whatever --jobs."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policyreader.batch.progress import Progress
from policyreader.batch.runner import ScanOptions, run_scan
from policyreader.cli import main
from policyreader.core.analysis import chosen_detector
from policyreader.core.fingerprint import fingerprint
from policyreader.core.loading import load_path

REPO = Path(__file__).resolve().parent.parent.parent
COMPARE = REPO / "tests" / "fixtures" / "compare"
SAMPLE = REPO / "resources" / "samples" / "lanternfish-privacy.md"


def corpus(root: Path) -> Path:
    """Good policies in nested folders, and a corrupt, an empty, a binary and an unreadable file."""
    nested = root / "vendors" / "b"
    nested.mkdir(parents=True)
    for source in COMPARE.glob("*.md"):
        shutil.copy(source, root / "vendors" / source.name)
    shutil.copy(SAMPLE, nested / "lanternfish.md")
    (root / "vendors" / "notes.docx").write_bytes(b"not a policy format")  # skipped: not opened
    (root / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> broken")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.html").write_bytes(bytes(range(256)) * 20)
    (root / "gone.md").symlink_to(root / "nowhere.md")  # listed, cannot be read
    return root


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def inspect_json(path: str, capsys: pytest.CaptureFixture[str]) -> dict:
    """``inspect --json`` with scan's detector (inspect's own default may be the encoder's)."""
    capsys.readouterr()
    assert main(["inspect", path, "--json", "--detector", chosen_detector().value]) == 0
    return json.loads(capsys.readouterr().out)


def test_each_line_is_inspect_json_without_text_plus_fingerprint_and_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["scan", str(COMPARE), str(SAMPLE), "--out", str(out), "--jobs", "1"]) == 0
    records = lines(out)
    assert [r["path"] for r in records] == sorted([*map(str, COMPARE.glob("*.md")), str(SAMPLE)])
    for record in records:
        expected = inspect_json(record["path"], capsys)
        text = expected.pop("text")
        assert record.pop("fingerprint") == fingerprint(text)
        assert record.pop("error") is None
        assert record == expected
        assert record["facts"]["sells"]["value"] in {"Sells", "Does not", "Not stated"}


def test_text_keeps_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["scan", str(SAMPLE), "--out", str(out), "--jobs", "1", "--text"]) == 0
    (record,) = lines(out)
    del record["fingerprint"], record["error"]
    assert record == inspect_json(str(SAMPLE), capsys)


def test_bad_files_are_lines_with_their_message_and_the_rest_complete(tmp_path: Path) -> None:
    root = corpus(tmp_path / "corpus")
    out = tmp_path / "out.jsonl"
    result = run_scan([str(root)], out, ScanOptions(jobs=2))
    records = {Path(r["path"]).name: r for r in lines(out)}
    assert set(records) == {
        "brightkettle.md",
        "quillmoss.md",
        "tallowfen.md",
        "lanternfish.md",
        "corrupt.pdf",
        "empty.txt",
        "binary.html",
        "gone.md",
    }
    assert "is empty" in records["empty.txt"]["error"]
    assert "binary" in records["binary.html"]["error"]
    assert "does not exist" in records["gone.md"]["error"]
    assert records["corrupt.pdf"]["error"]
    for name in ("brightkettle.md", "quillmoss.md", "tallowfen.md", "lanternfish.md"):
        assert records[name]["error"] is None and records[name]["practices"]
    assert (result.files, result.failed) == (8, 4)


def test_jobs_one_and_two_write_identical_files(tmp_path: Path) -> None:
    root = corpus(tmp_path / "corpus")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_scan([str(root)], one, ScanOptions(jobs=1))
    run_scan([str(root)], two, ScanOptions(jobs=2))
    assert one.read_bytes() == two.read_bytes()
    chunked = tmp_path / "chunked.jsonl"
    run_scan([str(root)], chunked, ScanOptions(jobs=2, chunk=3))
    assert chunked.read_bytes() == one.read_bytes()


def test_resume_skips_unchanged_files_and_redoes_a_changed_one(tmp_path: Path) -> None:
    root = corpus(tmp_path / "corpus")
    out = tmp_path / "out.jsonl"
    run_scan([str(root)], out, ScanOptions(jobs=1))
    first = out.read_bytes()
    again = run_scan([str(root)], out, ScanOptions(jobs=1, resume=True))
    assert (again.written, again.skipped) == (4, 4)  # the four failed files are tried again
    assert out.read_bytes() == first
    changed = root / "vendors" / "tallowfen.md"
    changed.write_text(changed.read_text() + "\nWe keep forecasts for 7 days.\n")
    third = run_scan([str(root)], out, ScanOptions(jobs=1, resume=True))
    assert third.skipped == 3
    records = lines(out)
    assert len(records) == len({r["path"] for r in records}) == 8
    (tallowfen,) = [r for r in records if r["path"] == str(changed)]
    assert tallowfen["fingerprint"] == fingerprint(load_path(changed).text)


def test_resume_ignores_a_torn_last_line(tmp_path: Path) -> None:
    root = corpus(tmp_path / "corpus")
    out, reference = tmp_path / "out.jsonl", tmp_path / "ref.jsonl"
    run_scan([str(root)], reference, ScanOptions(jobs=1))
    whole = reference.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(whole[:3]) + whole[3][: len(whole[3]) // 2], encoding="utf-8")
    run_scan([str(root)], out, ScanOptions(jobs=1, resume=True))
    assert out.read_bytes() == reference.read_bytes()


def test_resume_after_a_kill_mid_run_completes_without_duplicates(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for number in range(40):  # distinct texts, so that each file takes a detector run
        (root / f"policy-{number:02d}.md").write_text(
            text + f"\nCopy {number}.\n", encoding="utf-8"
        )
    out, reference = tmp_path / "out.jsonl", tmp_path / "ref.jsonl"
    command = [sys.executable, "-m", "policyreader", "scan", str(root), "--out", str(out)]
    process = subprocess.Popen([*command, "--jobs", "1"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or out.read_bytes().count(b"\n") < 3):
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = out.read_bytes().count(b"\n")
    assert 3 <= done < 40, "the kill came too late to test a resume"
    resumed = run_scan([str(root)], out, ScanOptions(jobs=1, resume=True))
    assert resumed.skipped >= 3
    run_scan([str(root)], reference, ScanOptions(jobs=1))
    assert out.read_bytes() == reference.read_bytes()


def test_csv_has_a_row_of_facts_per_policy(tmp_path: Path) -> None:
    out, table = tmp_path / "out.jsonl", tmp_path / "facts.csv"
    run_scan([str(COMPARE)], out, ScanOptions(jobs=1, csv=table))
    with table.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    sells = {Path(r["path"]).name: r["Sells data: Sells personal data"] for r in rows}
    assert sells == {
        "brightkettle.md": "Sells",
        "quillmoss.md": "Does not",
        "tallowfen.md": "Not stated",
    }


def test_progress_draws_only_on_a_terminal(tmp_path: Path) -> None:
    class Terminal:
        def __init__(self) -> None:
            self.text = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    terminal = Terminal()
    bar = Progress(4, terminal)  # type: ignore[arg-type]
    for _ in range(4):
        bar.advance()
    assert "4/4" in terminal.text and "files/s" in terminal.text and "ETA" in terminal.text
    with (tmp_path / "log").open("w") as log:
        quiet = Progress(4, log)
        quiet.advance(4)
        quiet.finish()
    assert (tmp_path / "log").read_text() == ""


def test_bad_arguments_are_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--out", str(tmp_path / "o.jsonl")]) == 2
    assert "needs a PATH" in capsys.readouterr().err
    assert main(["scan", str(SAMPLE), "--out", str(tmp_path / "o.jsonl"), "--jobs", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err
    assert main(["scan", str(SAMPLE), "--out", str(tmp_path / "missing" / "o.jsonl")]) == 2
    assert "cannot write" in capsys.readouterr().err


@pytest.mark.slow
def test_dask_local_cluster_writes_the_same_file(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    root = corpus(tmp_path / "corpus")
    one, cluster_out = tmp_path / "one.jsonl", tmp_path / "dask.jsonl"
    run_scan([str(root)], one, ScanOptions(jobs=1))
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    ) as cluster:
        # Three files per task: the eight files make three tasks, spread over both workers.
        options = ScanOptions(engine="dask", scheduler=cluster.scheduler_address, chunk=3)
        result = run_scan([str(root)], cluster_out, options)
    assert result.files == 8
    assert cluster_out.read_bytes() == one.read_bytes()
    assert os.path.getsize(one) > 0


def test_a_call_that_fails_in_its_worker_is_that_files_error_line(tmp_path: Path) -> None:
    from concurrent.futures import Future

    from policyreader.batch.engines import ordered_results

    class Flaky:
        """Stands in for a pool whose worker died on the second file."""

        def submit(self, fn, *args):
            future: Future = Future()
            if args[0] == "b":
                future.set_exception(RuntimeError("worker killed"))
            else:
                future.set_result(fn(*args))
            return future

    results = list(ordered_results(Flaky(), lambda name: name.upper(), [("a",), ("b",), ("c",)], 2))
    assert [(task[0], value) for task, value, _ in results] == [("a", "A"), ("b", None), ("c", "C")]
    assert isinstance(results[1][2], RuntimeError)


def test_a_torn_file_without_any_whole_line_is_emptied(tmp_path: Path) -> None:
    from policyreader.batch.jsonl import compact, drop_torn_tail

    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"path": "a", "fing')
    drop_torn_tail(out)
    assert out.read_bytes() == b""
    out.write_bytes(b'{"path": "b"}\n{"path": "a"}\n{"path": "b", "x": 1}\n')
    compact(out, ["a", "b", "c"])
    assert out.read_bytes() == b'{"path": "a"}\n{"path": "b", "x": 1}\n'
