"""Fuzzed bundles and notes JSON: only the documented error types escape, in core, CLI and window."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from policyreader.cli import main
from policyreader.core.annotations_io import AnnotationFormatError, import_json
from policyreader.core.review_bundle import BundleError, ReviewBundle, read_bundle
from tests.hostile.fuzz import bundles, notes_json
from tests.hostile.helpers import POLICY

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(bundles())
def test_read_bundle_raises_only_bundle_error(data: bytes) -> None:
    try:
        bundle = read_bundle(data)
    except BundleError as error:
        assert str(error)
    else:
        assert isinstance(bundle, ReviewBundle) and bundle.document.text


@FUZZ
@given(notes_json())
def test_import_json_raises_only_annotation_format_error(payload: str) -> None:
    try:
        import_json(payload)
    except AnnotationFormatError as error:
        assert str(error)


@settings(FUZZ, max_examples=40)
@given(payload=notes_json())
def test_cli_notes_import_exits_cleanly(
    payload: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.md"
    policy.write_text(POLICY, encoding="utf-8")
    notes = tmp_path / "notes.json"
    notes.write_text(payload, encoding="utf-8", errors="surrogatepass")
    code = main(["notes", "import", str(policy), str(notes)])  # an escaping error fails the test
    err = capsys.readouterr().err
    assert code == 0 or (code == 2 and err.startswith("policyreader:"))


@settings(FUZZ, max_examples=25)
@given(data=bundles())
def test_cli_inspect_of_a_fuzzed_bundle_exits_cleanly(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fuzzed.policyreview"
    path.write_bytes(data)
    assert main(["inspect", str(path)]) in (0, 2)
    assert "Traceback" not in capsys.readouterr().err
