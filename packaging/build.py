"""Build policyreader's one-folder bundle and wrap it as a .deb, a Windows installer or a .dmg.

python packaging/build.py bundle     # PyInstaller one folder -> packaging/dist/policyreader/
python packaging/build.py deb        # bundle + .deb          -> packaging/dist/*.deb
python packaging/build.py nsis       # bundle + NSIS setup    -> packaging/dist/*-setup.exe
python packaging/build.py dmg        # bundle + disk image    -> packaging/dist/*.dmg
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUILD = HERE / "build"
DIST = HERE / "dist"
LINUX = HERE / "linux"
ICONS = REPO / "resources" / "icons"

sys.path.insert(0, str(REPO))
from policyreader import APP_ID, APP_NAME, __version__  # noqa: E402

INSTALL_DIR = Path("/opt") / APP_NAME
# Files whose system libraries are only recommended: the Wayland platform plugin (Qt falls back
# to X11 without it) and the CUPS print plugin (printing to PDF works without it).
OPTIONAL_PARTS = ("wayland", "Wayland", "WlShell", "printsupport")
OPTIONAL_PACKAGES = ("libwayland-client0", "libwayland-cursor0", "libcups2")
DEB_RECOMMENDS = ("fonts-dejavu-core | fonts-liberation2", "xdg-utils")
LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)")


def run(command: list[str | Path], **kwargs) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)


# The practice model is derived from OPP-115, whose terms are non-commercial (resources/practices/
# MODEL.md); --without-model builds a package that carries none of it (neither the linear model,
# the polarity model nor the fine-tuned encoder) and detects by rules alone.
MODEL_FILES = (
    "model.json.gz",
    "polarity.json.gz",
    "encoder.onnx",
    "encoder.json",
    "encoder-vocab.txt",
)


def stage_sources(with_model: bool = True) -> Path:
    """policyreader/ with resources/ inside it, as the installed package is laid out."""
    stage = BUILD / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    resources_ignore = (
        ignore if with_model else shutil.ignore_patterns("__pycache__", "*.pyc", *MODEL_FILES)
    )
    shutil.copytree(REPO / "policyreader", stage / "policyreader", ignore=ignore)
    shutil.copytree(
        REPO / "resources", stage / "policyreader" / "resources", ignore=resources_ignore
    )
    return stage


def build_bundle(with_model: bool = True) -> Path:
    stage = stage_sources(with_model)
    env = {**os.environ, "POLICYREADER_STAGE": str(stage)}
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            f"--distpath={DIST}",
            f"--workpath={BUILD / 'pyinstaller'}",
            HERE / "policyreader.spec",
        ],
        env=env,
    )
    return DIST / APP_NAME


def deb_architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
    ).stdout.strip()


def directory_kib(path: Path) -> int:
    files = (item for item in path.rglob("*") if item.is_file() and not item.is_symlink())
    return sum(item.stat().st_size for item in files) // 1024 + 1


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_libraries(binary: Path, bundle: Path) -> set[str]:
    """What ``binary`` loads from outside the bundle: resolved paths, or bare names if not found."""
    env = {**os.environ, "LD_LIBRARY_PATH": str(bundle / "_internal")}
    result = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, env=env)
    needs = set()
    for line in result.stdout.splitlines():
        match = LDD_LINE.match(line)
        if not match:
            continue
        name, where = match.groups()
        if where == "not found":
            needs.add(name)
        elif not Path(where).resolve().is_relative_to(bundle.resolve()):
            needs.add(where)
    return needs


def owning_package(library: str) -> str | None:
    for candidate in dict.fromkeys((library, str(Path(library).resolve()))):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    return None


def deb_relations(bundle: Path) -> tuple[list[str], list[str]]:
    """Depends and Recommends, found like dpkg-shlibdeps would: ldd over every bundled ELF file."""
    required: set[str] = set()
    optional: set[str] = set()
    for binary in elf_files(bundle):
        inside = str(binary.relative_to(bundle))
        is_optional = any(marker in inside for marker in OPTIONAL_PARTS)
        (optional if is_optional else required).update(system_libraries(binary, bundle))
    depends, recommends, unknown = set(), {*DEB_RECOMMENDS, *OPTIONAL_PACKAGES}, []
    for library in sorted(required | optional):
        package = owning_package(library) if library.startswith("/") else None
        if package is None and library in required:
            unknown.append(library)
        elif package is not None:
            (depends if library in required else recommends).add(package)
    if unknown:
        raise SystemExit(f"build: no package provides {', '.join(unknown)}; install it and rebuild")
    return sorted(depends), sorted(recommends - depends)


def control_text(
    architecture: str, installed_kib: int, depends: list[str], recommends: list[str]
) -> str:
    return (
        f"Package: {APP_NAME}\n"
        f"Version: {__version__}\n"
        f"Architecture: {architecture}\n"
        "Maintainer: The policyreader developers <dev@policyreader.org>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        f"Recommends: {', '.join(recommends)}\n"
        "Section: text\n"
        "Priority: optional\n"
        "Homepage: https://policyreader.org/\n"
        "Description: desktop reader for privacy policies\n"
        " Opens saved privacy policies (Markdown, text, HTML, PDF) with a section\n"
        " outline, data-practice highlights and notes kept beside the text.\n"
    )


def copy_file(source: Path, target: Path, mode: int = 0o644) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(mode)


def lay_out_deb(bundle: Path, root: Path) -> None:
    """The package's file tree: the bundle under /opt, a command in /usr/bin, desktop integration."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / INSTALL_DIR.relative_to("/"), symlinks=True)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    (usr_bin / APP_NAME).symlink_to(INSTALL_DIR / APP_NAME)
    share = root / "usr" / "share"
    copy_file(LINUX / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    copy_file(LINUX / f"{APP_ID}.xml", share / "mime" / "packages" / f"{APP_ID}.xml")
    copy_file(LINUX / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    for icon in (ICONS / "hicolor").rglob("*"):
        if icon.is_file():
            copy_file(icon, share / "icons" / "hicolor" / icon.relative_to(ICONS / "hicolor"))
    debian = root / "DEBIAN"
    debian.mkdir()
    for script in ("postinst", "postrm"):
        copy_file(LINUX / "debian" / script, debian / script, mode=0o755)
    depends, recommends = deb_relations(bundle)
    control = control_text(deb_architecture(), directory_kib(root), depends, recommends)
    (debian / "control").write_text(control, encoding="utf-8")
    # Directories 0755 and files readable by all, whatever the umask of the build machine.
    for path in root.rglob("*"):
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        elif not os.access(path, os.X_OK):
            path.chmod(0o644)
        else:
            path.chmod(0o755)


def build_deb(bundle: Path) -> Path:
    root = BUILD / "deb-root"
    lay_out_deb(bundle, root)
    target = DIST / f"{APP_NAME}_{__version__}_{deb_architecture()}.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", root, target])
    print(f"{target} {target.stat().st_size / 1e6:.1f} MB")
    return target


def find_makensis() -> str:
    found = shutil.which("makensis")
    program_files = os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")
    windows_default = Path(program_files) / "NSIS" / "makensis.exe"
    if found is None and windows_default.is_file():
        found = str(windows_default)
    if found is None:
        raise SystemExit("build: makensis not found (apt-get install nsis / choco install nsis)")
    return found


def build_nsis(bundle: Path, target: Path | None = None, strict: bool = False) -> Path:
    """The Windows installer; ``strict`` turns NSIS warnings into errors (the tests use it)."""
    target = target or DIST / f"{APP_NAME}-{__version__}-setup.exe"
    target.parent.mkdir(parents=True, exist_ok=True)
    run(
        [
            find_makensis(),
            "-V2",
            *(["-WX"] if strict else []),
            f"-DVERSION={__version__}",
            f"-DBUNDLE_DIR={bundle}",
            f"-DICONS_DIR={ICONS}",
            f"-DOUTFILE={target}",
            HERE / "windows" / "policyreader.nsi",
        ]
    )
    return target


def build_dmg() -> Path:
    app = DIST / "Policy Reader.app"
    target = DIST / f"{APP_NAME}-{__version__}.dmg"
    run(["bash", HERE / "macos" / "make_dmg.sh", app, target])
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build policyreader's bundle and installers.")
    parser.add_argument("target", choices=("bundle", "deb", "nsis", "dmg"))
    parser.add_argument(
        "--reuse-bundle", action="store_true", help="package the existing dist/ bundle"
    )
    parser.add_argument(
        "--without-model",
        action="store_true",
        help="leave out the OPP-115 practice model (non-commercial terms); rules work alone",
    )
    args = parser.parse_args(argv)
    bundle = DIST / APP_NAME
    if not (args.reuse_bundle and bundle.is_dir()):
        bundle = build_bundle(with_model=not args.without_model)
    if args.target == "deb":
        build_deb(bundle)
    elif args.target == "nsis":
        build_nsis(bundle)
    elif args.target == "dmg":
        build_dmg()
    return 0


if __name__ == "__main__":
    sys.exit(main())
