"""Bad input is normal input: every unreadable file gives PolicyLoadError with a clear sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyreader.core.errors import LoadProblem, PolicyLoadError
from policyreader.core.loading import MAX_FILE_BYTES, load_bytes, load_path
from tests.conftest import unprivileged_section


def expect_problem(path: Path | str) -> PolicyLoadError:
    with pytest.raises(PolicyLoadError) as caught:
        load_path(path)
    error = caught.value
    assert str(error).endswith("."), "messages are whole sentences"
    return error


def test_missing_file(tmp_path: Path) -> None:
    error = expect_problem(tmp_path / "gone.md")
    assert error.problem is LoadProblem.NOT_FOUND
    assert "gone.md" in str(error)


def test_directory(tmp_path: Path) -> None:
    assert expect_problem(tmp_path).problem is LoadProblem.IS_DIRECTORY


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \r\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert expect_problem(path).problem is LoadProblem.EMPTY


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    error = expect_problem(path)
    assert error.problem is LoadProblem.BINARY
    assert str(path) in str(error)  # which of the files dropped on the window it was


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19]) * 1000)
    error = expect_problem(path)
    assert error.problem is LoadProblem.UNDECODABLE
    assert str(path) in str(error)


def test_fifty_megabyte_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    error = expect_problem(path)
    assert error.problem is LoadProblem.TOO_LARGE
    assert "50 MB" in str(error)
    assert MAX_FILE_BYTES < 50 * 1024 * 1024


def test_markup_that_holds_no_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><body><script>alert(1)</script><div> </div></body></html>")
    assert expect_problem(path).problem in {LoadProblem.NO_TEXT, LoadProblem.EMPTY}


def test_unreadable_file_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from policyreader.cli import main

    path = tmp_path / "secret.md"
    path.write_text("# Secret policy\n\nText.\n")
    path.chmod(0)
    tmp_path.chmod(0o755)
    with unprivileged_section():
        code = main(["inspect", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err == f"policyreader: You do not have permission to read {path}.\n"


def test_pdf_bytes_are_routed_to_the_pdf_reader() -> None:
    with pytest.raises(PolicyLoadError) as caught:
        load_bytes(b"%PDF-1.4\n%garbage that is not a real pdf\n", name="x.pdf")
    assert caught.value.path == "x.pdf"


def test_cli_reports_a_bad_file_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from policyreader.cli import main

    assert main(["inspect", str(tmp_path / "nope.txt")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "does not exist" in captured.err
