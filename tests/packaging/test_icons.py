"""The icon script renders every size from the SVG sources, and the committed icons are complete."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import REPO

ICONS = REPO / "resources" / "icons"


def load_make_icons():
    spec = importlib.util.spec_from_file_location("make_icons", REPO / "tools" / "make_icons.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_icons"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


make_icons = load_make_icons()


def check_icon_tree(root: Path) -> None:
    for icon in make_icons.ICON_SETS:
        for size in make_icons.HICOLOR_SIZES:
            png = (
                root
                / "hicolor"
                / f"{size}x{size}"
                / icon.hicolor_context
                / f"{icon.hicolor_name}.png"
            )
            image = QImage(str(png))
            assert (image.width(), image.height()) == (size, size), png
            # Drawn, not blank: the page outline and the badge are there at every size.
            assert len({image.pixel(x, y) for x in range(size) for y in range(size)}) > 4, png
        svg = root / "hicolor" / "scalable" / icon.hicolor_context / f"{icon.hicolor_name}.svg"
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
        ico = (root / f"{icon.stem}.ico").read_bytes()
        assert make_icons.read_ico_sizes(ico) == sorted(make_icons.ICO_SIZES)
        icns = (root / f"{icon.stem}.icns").read_bytes()
        assert make_icons.read_icns_types(icns) == [kind for kind, _ in make_icons.ICNS_TYPES]


def test_script_renders_all_sizes_from_the_svg_sources(qapp, tmp_path: Path) -> None:
    assert make_icons.main(["--out", str(tmp_path)]) == 0
    check_icon_tree(tmp_path)


def test_committed_icons_are_complete(qapp) -> None:
    check_icon_tree(ICONS)


def test_ico_entries_hold_png_images_at_their_offsets() -> None:
    pngs = {16: b"\x89PNG-16", 256: b"\x89PNG-256"}
    data = make_icons.ico_bytes(pngs)
    assert make_icons.read_ico_sizes(data) == [16, 256]
    size, offset = int.from_bytes(data[14:18], "little"), int.from_bytes(data[18:22], "little")
    assert data[offset : offset + size] == pngs[16]


def test_broken_svg_is_reported(qapp, tmp_path: Path) -> None:
    (tmp_path / "bad.svg").write_text("<svg", encoding="utf-8")
    with pytest.raises(SystemExit, match="cannot read"):
        make_icons.render_png(tmp_path / "bad.svg", 16)
