"""Render the SVG icons in resources/icons into PNG sizes, a hicolor tree, .ico and .icns files.

Run after editing an SVG: ``python tools/make_icons.py`` (``--out DIR`` to write elsewhere).
Needs only PySide6 (QtSvg ships in PySide6-Essentials); the .ico and .icns containers are written
here with ``struct``, both simply hold PNG images.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "resources" / "icons"
APP_ID = "org.policyreader.PolicyReader"

HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's icon types that hold PNG data, by pixel size (the @2x types repeat a size).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)
# Up to this size the pixel-grid drawing replaces the detailed one.
SMALL_MAX = 16


@dataclass(frozen=True)
class IconSet:
    """One icon: its detailed and 16 px SVG sources and the names it is installed under."""

    svg: str
    small_svg: str
    hicolor_context: str  # "apps" or "mimetypes"
    hicolor_name: str
    stem: str  # file stem of the .ico and .icns


ICON_SETS = (
    IconSet("policyreader.svg", "policyreader-small.svg", "apps", APP_ID, "policyreader"),
    IconSet(
        "application-x-policyreview.svg",
        "application-x-policyreview-small.svg",
        "mimetypes",
        "application-x-policyreview",
        "policyreview",
    ),
)


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico of PNG entries (supported since Vista at every size)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payload = b"", b""
    for size in sizes:
        data = pngs[size]
        edge = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        payload += data
    return header + entries + payload


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns whose entries are PNG images."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = pngs[size]
        body += kind + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def read_ico_sizes(data: bytes) -> list[int]:
    _reserved, kind, count = struct.unpack_from("<HHH", data)
    if kind != 1:
        raise ValueError("not an icon file")
    sizes = []
    for index in range(count):
        width = data[6 + 16 * index]
        sizes.append(width or 256)
    return sizes


def read_icns_types(data: bytes) -> list[bytes]:
    if data[:4] != b"icns" or struct.unpack(">I", data[4:8])[0] != len(data):
        raise ValueError("not an icns file")
    kinds, offset = [], 8
    while offset < len(data):
        kind, length = (
            data[offset : offset + 4],
            struct.unpack(">I", data[offset + 4 : offset + 8])[0],
        )
        kinds.append(kind)
        offset += length
    return kinds


def make_icon_set(icon: IconSet, source: Path, out: Path) -> list[Path]:
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *(size for _kind, size in ICNS_TYPES)})
    pngs = {
        size: render_png(source / (icon.small_svg if size <= SMALL_MAX else icon.svg), size)
        for size in sizes
    }
    written = []
    for size in HICOLOR_SIZES:
        path = (
            out / "hicolor" / f"{size}x{size}" / icon.hicolor_context / f"{icon.hicolor_name}.png"
        )
        written.append(write(path, pngs[size]))
    scalable = out / "hicolor" / "scalable" / icon.hicolor_context / f"{icon.hicolor_name}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    if scalable.resolve() != (source / icon.svg).resolve():
        shutil.copyfile(source / icon.svg, scalable)
    written.append(scalable)
    written.append(write(out / f"{icon.stem}.ico", ico_bytes({s: pngs[s] for s in ICO_SIZES})))
    written.append(write(out / f"{icon.stem}.icns", icns_bytes(pngs)))
    return written


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ICONS, help="folder of the SVG sources")
    parser.add_argument("--out", type=Path, default=ICONS, help="folder to write into")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([])
    for icon in ICON_SETS:
        for path in make_icon_set(icon, args.source, args.out):
            print(path.relative_to(args.out) if path.is_relative_to(args.out) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
