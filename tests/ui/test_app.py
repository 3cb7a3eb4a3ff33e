"""``policyreader PATH --screenshot OUT.png`` renders the window to a PNG and exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import SEEDS
from tests.ui.documents import KESTREL_MARKDOWN


def _screenshot(path: Path, out: Path, theme: str = "light") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "POLICYREADER_THEME": theme}
    return subprocess.run(
        [sys.executable, "-m", "policyreader", str(path), "--screenshot", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def _dark_fraction(image: QImage) -> float:
    """Share of sampled pixels that are dark: a light page is mostly light, a dark one mostly dark."""
    samples = dark = 0
    for x in range(0, image.width(), 23):
        for y in range(0, image.height(), 19):
            samples += 1
            dark += image.pixelColor(x, y).lightness() < 100
    return dark / samples


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshot_of_a_policy(tmp_path, theme):
    policy = tmp_path / "kestrel.md"
    policy.write_text(KESTREL_MARKDOWN, encoding="utf-8")
    out = tmp_path / "shot.png"
    result = _screenshot(policy, out, theme)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 820)
    assert (_dark_fraction(image) > 0.5) == (theme == "dark")


def test_screenshot_of_a_missing_file_reports_it(tmp_path):
    out = tmp_path / "shot.png"
    result = _screenshot(tmp_path / "absent.md", out)
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert out.exists()


@pytest.mark.shared
def test_screenshot_of_a_seed_policy(tmp_path):
    seed = sorted(SEEDS.glob("*"))[0]
    out = tmp_path / "seed.png"
    result = _screenshot(seed, out)
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == 1280


def test_screenshot_mode_waits_for_the_practices(qtbot, qapp, window, policy_files):
    """Detection normally waits for the text to paint; a screenshot must still show the label."""
    from policyreader.app import _settle_practices
    from policyreader.ui.practices.practices_feature import PracticesFeature
    from tests.ui.conftest import open_and_wait

    (tab,) = open_and_wait(qtbot, window, policy_files["markdown"])
    feature = PracticesFeature.of(tab)
    _settle_practices(qapp, window)
    assert feature.summary is not None
    assert not feature.painter.busy


def test_screenshot_without_a_display_renders_offscreen_and_says_so(tmp_path):
    policy = tmp_path / "kestrel.md"
    policy.write_text(KESTREL_MARKDOWN, encoding="utf-8")
    out = tmp_path / "shot.png"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}
    }
    result = subprocess.run(
        [sys.executable, "-m", "policyreader", str(policy), "--screenshot", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "POLICYREADER_THEME": "light", "POLICYREADER_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "no display is available; rendering the screenshot offscreen" in result.stderr
    assert "xcb-cursor0" not in result.stderr
    assert not QImage(str(out)).isNull()


def test_offscreen_fallback_keeps_a_platform_the_caller_chose() -> None:
    from policyreader.app import offscreen_fallback

    chosen = {"QT_QPA_PLATFORM": "xcb"}
    assert offscreen_fallback(chosen) is None and chosen == {"QT_QPA_PLATFORM": "xcb"}
    bare: dict[str, str] = {}
    assert offscreen_fallback(bare) == "no display is available"
    assert bare["QT_QPA_PLATFORM"] == "offscreen"
