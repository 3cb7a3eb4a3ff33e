"""``policyreader diff``: the JSON shape the issue fixes, the readable report, and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyreader.cli import main
from tests.core import version_pairs as pairs


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_diff_json_has_exactly_the_issue_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write(tmp_path, "old.md", pairs.BASE)
    new = _write(tmp_path, "new.md", pairs.RETENTION_CHANGED)
    assert main(["diff", old, new, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"sections", "practice_changes"}
    assert all(set(s) == {"old", "new", "change"} for s in result["sections"])
    # The date line under the title is the header's date, not an "(opening text)" section.
    assert result["sections"][0] == {
        "old": "Information We Collect",
        "new": "Information We Collect",
        "change": "same",
    }
    assert [s["change"] for s in result["sections"]].count("changed") == 1
    assert result["practice_changes"] == [
        {
            "category": "data_retention",
            "change": "changed",
            "old": "We keep the messages in your trash folder for 30 days before we delete them.",
            "new": "We keep the messages in your trash folder for 2 years before we delete them.",
        }
    ]


def test_diff_json_for_moved_renamed_added_and_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write(tmp_path, "old.md", pairs.BASE)
    new = _write(tmp_path, "new.md", pairs.REORDERED_AND_RENAMED.split("## Contact Us")[0])
    assert main(["diff", old, new, "--json"]) == 0
    sections = json.loads(capsys.readouterr().out)["sections"]
    assert [s for s in sections if s["change"] != "same"] == [
        {"old": "Security", "new": "Security", "change": "moved"},
        {
            "old": "How We Use Cookies",
            "new": "Cookies and Similar Technologies",
            "change": "changed",
        },
        {"old": "Contact Us", "new": None, "change": "removed"},
    ]


def test_diff_report_is_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path, "old.md", pairs.BASE)
    new = _write(tmp_path, "new.md", pairs.SHARING_ADDED)
    assert main(["diff", old, new]) == 0
    out = capsys.readouterr().out
    assert "~ changed Sharing Your Information" in out
    assert f"+ {pairs.SHARING_SENTENCE[:60]}" in out
    assert "added: Sharing with third parties:" in out


def test_diff_of_a_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write(tmp_path, "old.md", pairs.BASE)
    assert main(["diff", old, str(tmp_path / "nope.md")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_diff_names_each_version_by_the_date_it_gives_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write(tmp_path, "old.md", pairs.BASE)
    new = _write(
        tmp_path, "new.md", pairs.RETENTION_CHANGED.replace("January 10, 2024", "May 2, 2025")
    )
    assert main(["diff", old, new]) == 0
    report = capsys.readouterr().out
    assert "Old: Brightwater Mail Privacy Policy (Last updated 10 January 2024)" in report
    assert "New: Brightwater Mail Privacy Policy (Last updated 2 May 2025)" in report
    assert "last updated: 2024-01-10 → 2025-05-02" in report
    assert "Policy changes" not in report.split("Practice changes")[1]  # the date is no practice
