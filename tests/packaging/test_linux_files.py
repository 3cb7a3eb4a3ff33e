"""The Linux desktop files pass their standard validators and agree with each other."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from policyreader import APP_ID
from tests.conftest import REPO

LINUX = REPO / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
MIME_XML = LINUX / f"{APP_ID}.xml"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
REVIEW_TYPE = "application/x-policyreview"
OPENED_TYPES = {"text/markdown", "text/plain", "text/html", "application/pdf", REVIEW_TYPE}


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    return path


def test_desktop_file_validates() -> None:
    result = subprocess.run(
        [need("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_validates() -> None:
    result = subprocess.run(
        [need("appstreamcli"), "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_file_opens_every_supported_type() -> None:
    entry = desktop_entry()
    mime_types = set(filter(None, entry["MimeType"].split(";")))
    assert mime_types >= OPENED_TYPES
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == "policyreader %F"  # several files at once, as local paths


def test_review_type_has_a_glob_and_its_own_icon() -> None:
    root = ET.parse(MIME_XML).getroot()
    (mime_type,) = root.findall(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == REVIEW_TYPE
    assert [g.get("pattern") for g in mime_type.findall(f"{MIME_NS}glob")] == ["*.policyreview"]
    icon = mime_type.find(f"{MIME_NS}icon").get("name")
    assert (REPO / "resources/icons/hicolor/scalable/mimetypes" / f"{icon}.svg").is_file()


def test_metainfo_names_the_desktop_file_and_types() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    provided = {m.text for m in root.iter("mediatype")}
    assert provided <= set(filter(None, desktop_entry()["MimeType"].split(";")))
    assert REVIEW_TYPE in provided


def test_mime_database_maps_review_files_to_the_type(tmp_path: Path) -> None:
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(MIME_XML, packages)
    subprocess.run([need("update-mime-database"), str(tmp_path / "mime")], check=True)
    globs = (tmp_path / "mime" / "globs2").read_text(encoding="utf-8")
    assert f"{REVIEW_TYPE}:*.policyreview" in globs


def test_maintainer_scripts_are_executable_posix_shell() -> None:
    for name in ("postinst", "postrm"):
        script = LINUX / "debian" / name
        assert script.stat().st_mode & 0o111, f"{name} must be executable"
        assert script.read_text(encoding="utf-8").startswith("#!/bin/sh\n")
        subprocess.run(["sh", "-n", str(script)], check=True)
