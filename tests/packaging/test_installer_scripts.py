"""The Windows installer script compiles and undoes what it writes; the macOS plist declares types."""

from __future__ import annotations

import importlib.util
import plistlib
import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

NSI = REPO / "packaging" / "windows" / "policyreader.nsi"
PLIST = REPO / "packaging" / "macos" / "Info.plist"
POLICY_EXTENSIONS = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf"}


def load_build():
    spec = importlib.util.spec_from_file_location("build", REPO / "packaging" / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build"] = module
    spec.loader.exec_module(module)
    return module


def fake_windows_bundle(root: Path) -> Path:
    """What PyInstaller's one folder looks like on Windows; contents do not matter to makensis."""
    bundle = root / "policyreader"
    for name in (
        "policyreader.exe",
        "_internal/python311.dll",
        "_internal/base_library.zip",
        "_internal/PySide6/Qt6Core.dll",
        "_internal/PySide6/plugins/platforms/qwindows.dll",
        "_internal/policyreader/resources/samples/lanternfish-privacy.md",
    ):
        path = bundle / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"MZ" + name.encode())
    return bundle


def test_nsis_script_compiles_against_a_windows_layout(tmp_path: Path) -> None:
    if shutil.which("makensis") is None:
        pytest.skip("makensis is not installed (.ci/run installs nsis)")
    build = load_build()
    target = build.build_nsis(
        fake_windows_bundle(tmp_path), target=tmp_path / "setup-test.exe", strict=True
    )
    data = target.read_bytes()
    assert data[:2] == b"MZ" and len(data) > 50_000  # the NSIS stub plus our payload


def expanded_sections() -> tuple[str, str]:
    """The install and uninstall sections with !define values and macros written out."""
    text = NSI.read_text(encoding="utf-8")
    defines = dict(re.findall(r'^!define (\w+) "([^"]*)"', text, flags=re.MULTILINE))
    macros = {
        name: (params.split(), body)
        for name, params, body in re.findall(
            r"^!macro (\w+) ?([^\n]*)\n(.*?)^!macroend", text, flags=re.MULTILINE | re.DOTALL
        )
    }

    def insert(match: re.Match[str]) -> str:
        if match.group(1) not in macros:  # MUI's own macros
            return match.group(0)
        params, body = macros[match.group(1)]
        for param, value in zip(params, match.group(2).split(), strict=True):
            body = body.replace(f"${{{param}}}", value.strip('"'))
        return body

    text = re.sub(r'^\s*!insertmacro (\w+) ("[^"]*")$', insert, text, flags=re.MULTILINE)
    for _ in range(3):
        for name, value in defines.items():
            text = text.replace(f"${{{name}}}", value)
    install = text.split('Section "Policy Reader"', 1)[1].split("SectionEnd", 1)[0]
    uninstall = text.split('Section "Uninstall"', 1)[1].split("SectionEnd", 1)[0]
    return install, uninstall


def test_uninstaller_removes_every_registry_key_the_installer_writes() -> None:
    install, uninstall = expanded_sections()
    written = re.findall(r'WriteReg\w+ HKLM "([^"]+)" "([^"]*)"', install)
    deleted_keys = re.findall(r'DeleteRegKey (?:/ifempty )?HKLM "([^"]+)"', uninstall)
    deleted_values = set(re.findall(r'DeleteRegValue HKLM "([^"]+)" "([^"]*)"', uninstall))
    assert written
    for key, value in written:
        covered = (key, value) in deleted_values or any(
            key == gone or key.startswith(gone + "\\") for gone in deleted_keys
        )
        assert covered, f"uninstall leaves {key} {value!r} behind"


def test_installer_associates_the_policy_types_and_owns_review_files() -> None:
    install, _ = expanded_sections()
    open_with = set(
        re.findall(r'Software\\Classes\\(\.\w+)\\OpenWithProgids" "PolicyReader', install)
    )
    assert open_with == POLICY_EXTENSIONS | {".policyreview"}
    assert 'WriteRegStr HKLM "Software\\Classes\\.policyreview" "" "PolicyReader.Review"' in install
    assert 'CreateShortcut "$SMPROGRAMS\\Policy Reader.lnk"' in install
    assert "WriteUninstaller" in install


def test_macos_plist_declares_the_review_type_and_opens_policies() -> None:
    info = plistlib.loads(PLIST.read_bytes())
    (exported,) = info["UTExportedTypeDeclarations"]
    assert exported["UTTypeIdentifier"] == "org.policyreader.review"
    tags = exported["UTTypeTagSpecification"]
    assert tags["public.filename-extension"] == ["policyreview"]
    assert tags["public.mime-type"] == ["application/x-policyreview"]
    by_type = {
        content_type: document
        for document in info["CFBundleDocumentTypes"]
        for content_type in document["LSItemContentTypes"]
    }
    assert by_type["org.policyreader.review"]["LSHandlerRank"] == "Owner"
    for content_type in (
        "net.daringfireball.markdown",
        "public.plain-text",
        "public.html",
        "com.adobe.pdf",
    ):
        assert by_type[content_type]["LSHandlerRank"] == "Alternate", content_type
    assert info["CFBundleIdentifier"] == "org.policyreader.PolicyReader"
    icon = by_type["org.policyreader.review"]["CFBundleTypeIconFile"]
    assert (REPO / "resources" / "icons" / icon).is_file()


@pytest.mark.parametrize("with_model", [True, False])
def test_staging_keeps_or_leaves_out_the_practice_model(monkeypatch, tmp_path, with_model) -> None:
    build = load_build()
    monkeypatch.setattr(build, "BUILD", tmp_path / "build")
    stage = build.stage_sources(with_model=with_model)
    practices = stage / "policyreader" / "resources" / "practices"
    assert (practices / "rules.toml").is_file()  # the rules always ship
    assert (practices / "model.json.gz").is_file() is with_model
