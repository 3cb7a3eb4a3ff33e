"""Re-take the README screenshots: ``python tools/readme_screenshots.py [FOLDER]``."""

# The reader and practices shots are ``policyreader SEED --screenshot`` on shared seed policies
# (../shared/corpus/seeds); the compare and notes shots are drawn by their tests, which write
# docs/screenshots when POLICYREADER_UPDATE_SCREENSHOTS=1. A FOLDER gets copies of all six.

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
CLI_SHOTS = (
    ("reader-light.png", "light", "000_ef8ff6714307a239.txt"),
    ("reader-dark.png", "dark", "001_5174944cfaf63b07.txt"),
    ("practices-light.png", "light", "003_f0db16302448d09d.txt"),
    ("practices-dark.png", "dark", "003_f0db16302448d09d.txt"),
)
TEST_SHOTS = (
    ("compare.png", "tests/ui/versions/test_compare_view.py"),
    ("notes-light.png", "tests/ui/notes/test_notes_screenshot.py"),
)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else SHOTS
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    for name, theme, seed in CLI_SHOTS:
        command = [sys.executable, "-m", "policyreader", str(SEEDS / seed), "--screenshot"]
        themed = {**env, "POLICYREADER_THEME": theme}
        subprocess.run([*command, str(out / name)], env=themed, check=True)
    tests = [test for _name, test in TEST_SHOTS]
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *tests, "-k", "screenshot"],
        env={**env, "POLICYREADER_UPDATE_SCREENSHOTS": "1"},
        cwd=ROOT,
        check=True,
    )
    if out.resolve() != SHOTS.resolve():
        for name, _test in TEST_SHOTS:
            shutil.copyfile(SHOTS / name, out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
