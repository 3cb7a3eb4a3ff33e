"""End to end on Linux: build the bundle and .deb, install it, open policies with xdg-open, purge.

It installs a package system-wide, so it runs only on CI (``CI`` set) or when asked for with
``pytest -m packaging``, one run at a time per machine. Needs root (dpkg -i), PyInstaller (the
``packaging`` extra) and the tools `.ci/run` installs: xvfb, xdotool, xdg-utils,
desktop-file-utils, appstream, shared-mime-info, imagemagick. Off CI a missing piece skips the
module; on CI it fails, so a green CI run means the test ran.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from policyreader import APP_ID, APP_NAME
from tests.conftest import REPO

pytestmark = [pytest.mark.packaging, pytest.mark.slow]

DIST = REPO / "packaging" / "dist"
FIGURES = DIST / "packaging-figures.json"
SCREENSHOT = DIST / "xdg-open-screenshot.png"
DESKTOP_NAME = f"{APP_ID}.desktop"
INSTALLED_EXE = Path("/opt") / APP_NAME / APP_NAME
LOCK = Path(tempfile.gettempdir()) / "policyreader-packaging-test.lock"
# 60 MiB until the encoder shipped; it brings onnxruntime (35 MB unpacked), numpy with its
# OpenBLAS (39 MB) and the int8 encoder file (23 MB, which compresses little): the package
# measured 86.2 MB (82.2 MiB) with them, xz, Linux x86-64.
MAX_DEB_BYTES = 85 * 1024 * 1024
MAX_FIRST_PAINT_S = 1.0
BUSY_FRACTION = 0.3  # CPUs busier than this with other work: wall time is reported, not judged
TOOLS = (
    "dpkg", "dpkg-deb", "ldd", "Xvfb", "xdotool", "xdg-open", "xdg-mime", "import",
    "desktop-file-validate", "appstreamcli", "update-mime-database", "update-desktop-database",
)  # fmt: skip
# Everything the package installs has one of these in its path; none may survive a purge.
OUR_NAMES = (APP_NAME, "policyreview", APP_ID)
SYSTEM_ROOTS = (
    Path("/opt"),
    Path("/usr/bin"),
    Path("/usr/share/applications"),
    Path("/usr/share/mime"),
    Path("/usr/share/metainfo"),
    Path("/usr/share/icons/hicolor"),
)
REVIEW_POLICY = """\
# Brightwater Credit Union Privacy Notice

Last updated: 2026-02-02

## 1. What we collect

We collect the account number and the address you give us when you open an account.

## 2. Who we share it with

We share your address with the card printer that makes your debit card, and with no one else.
"""


def missing_prerequisites() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if importlib.util.find_spec("PyInstaller") is None:
        missing.append("PyInstaller (pip install -e '.[packaging]')")
    if not sys.platform.startswith("linux"):
        missing.append("Linux")
    elif os.geteuid() != 0:
        missing.append("root (dpkg -i)")
    return missing


@pytest.fixture(scope="module", autouse=True)
def prerequisites(request: pytest.FixtureRequest) -> Iterator[None]:
    on_ci = bool(os.environ.get("CI"))
    if not on_ci and "packaging" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("installs a system package: runs on CI or with `pytest -m packaging`")
    missing = missing_prerequisites()
    if missing and os.environ.get("CI"):
        pytest.fail(f"the packaging test cannot run on CI without: {', '.join(missing)}")
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    with open(LOCK, "w") as lock:  # two runs would share packaging/build and the installed package
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def record(**figures: object) -> None:
    data = json.loads(FIGURES.read_text(encoding="utf-8")) if FIGURES.exists() else {}
    data.update(figures)
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


def our_paths() -> list[Path]:
    found = []
    for root in SYSTEM_ROOTS:
        if not root.exists():
            continue
        for path in [root, *root.rglob("*")]:
            if any(name in path.name for name in OUR_NAMES):
                found.append(path)
    return found


@pytest.fixture(scope="module")
def deb() -> Path:
    FIGURES.unlink(missing_ok=True)  # figures of this run only
    started = time.monotonic()
    subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py"), "deb"], check=True, timeout=900
    )
    (package,) = DIST.glob(f"{APP_NAME}_*.deb")
    record(build_seconds=round(time.monotonic() - started, 1))
    return package


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[Path]:
    assert subprocess.run(["dpkg-query", "-W", APP_NAME], capture_output=True).returncode != 0, (
        f"{APP_NAME} is installed already; purge it before running this test"
    )
    assert not our_paths(), "leftovers of an earlier install"
    subprocess.run(["dpkg", "-i", str(deb)], check=True, timeout=300)
    yield deb
    # Safety net when a test in between failed; test_purge_leaves_nothing_behind checks the result.
    subprocess.run(["dpkg", "--purge", APP_NAME], capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A private X display (Xvfb) and user directories: what a freshly logged-in user has."""
    home = tmp_path_factory.mktemp("home")
    runtime = Path(tempfile.mkdtemp(prefix="pr-run-"))  # short: it holds the instance socket
    runtime.chmod(0o700)
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x860x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    display = xvfb.stdout.readline().strip()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QT_", "XDG_", "WAYLAND", "POLICYREADER_"))
    }
    env.update(
        # A login's PATH: no virtualenv or pyenv shim may stand in for the installed program.
        PATH="/usr/bin:/bin:/usr/sbin:/sbin",
        DISPLAY=f":{display}",
        HOME=str(home),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_DIRS="/usr/local/share:/usr/share",
        XDG_CONFIG_DIRS="/etc/xdg",
        POLICYREADER_DATA_DIR=str(home / "data"),
        POLICYREADER_CONFIG_DIR=str(home / "config"),
    )
    try:
        yield env
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
        shutil.rmtree(runtime, ignore_errors=True)


def run(command: list[str], env: dict[str, str] | None = None, timeout: float = 60) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    return result.stdout.strip()


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def first_paint(probe: Path) -> tuple[float, int, float] | None:
    """Unix time of the first paint, the pid that painted and its CPU seconds until then."""
    if not probe.exists():
        return None
    for line in probe.read_text(encoding="utf-8").splitlines():
        _kind, stamp, _pid, pid, _cpu, cpu = line.split()
        return float(stamp), int(pid), float(cpu)
    return None


def window_titles(pid: int, env: dict[str, str]) -> list[str]:
    windows = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
        env=env,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [run(["xdotool", "getwindowname", window], env) for window in windows]


def launch_and_measure(
    env: dict[str, str], probe: Path, command: list[str]
) -> tuple[float, int, float]:
    """Seconds from exec to the first painted window, the pid that painted it, its CPU seconds."""
    probe.unlink(missing_ok=True)
    log = probe.with_suffix(".log")
    with log.open("w") as output:
        started = time.time()
        process = subprocess.Popen(
            command,
            env={**env, "POLICYREADER_STARTUP_PROBE": str(probe)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )

    def painted_or_died() -> tuple[float, int, float] | None:
        painted = first_paint(probe)
        if painted is None and process.poll() not in (None, 0):
            raise AssertionError(f"{command} exited {process.returncode}:\n{log.read_text()}")
        return painted

    painted, pid, cpu = wait_for(painted_or_died, 30, f"first paint of {command}")
    assert Path(f"/proc/{pid}/exe").resolve() == INSTALLED_EXE, "not the installed program"
    return painted - started, pid, cpu


def stop(pid: int) -> None:
    os.kill(pid, 15)
    wait_for(lambda: not Path(f"/proc/{pid}").exists() or zombie(pid), 10, f"pid {pid} to exit")


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def busy_fraction(seconds: float = 1.0) -> float:
    """How busy all CPUs are right now (0..1), from two samples of /proc/stat."""

    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    total_before, idle_before = sample()
    time.sleep(seconds)
    total_after, idle_after = sample()
    total = max(total_after - total_before, 1)
    return 1 - (idle_after - idle_before) / total


def test_deb_is_small_enough(deb: Path) -> None:
    size = deb.stat().st_size
    record(deb_bytes=size, deb_mb=round(size / 1e6, 1))
    assert size <= MAX_DEB_BYTES


@pytest.mark.skipif(
    not (REPO / "resources" / "practices" / "encoder.onnx").is_file(),
    reason="no encoder file in this checkout, so none in its package",
)
def test_the_installed_encoder_runs_quietly(installed: Path) -> None:
    """The bundle keeps onnxruntime and numpy working (strip once broke numpy's OpenBLAS)."""
    bundled = INSTALLED_EXE.parent / "_internal" / "policyreader" / "resources" / "practices"
    assert (bundled / "encoder.onnx").is_file()
    policy = REPO / "resources" / "samples" / "lanternfish-privacy.md"
    command = [str(INSTALLED_EXE), "inspect", "--json", "--detector", "encoder", str(policy)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stderr == ""
    practices = json.loads(result.stdout)["practices"]
    assert practices and {p["source"] for p in practices} == {"encoder"}


def test_installed_desktop_integration_validates(installed: Path, session: dict) -> None:
    run(["desktop-file-validate", f"/usr/share/applications/{DESKTOP_NAME}"])
    run(["appstreamcli", "validate", "--no-net", f"/usr/share/metainfo/{APP_ID}.metainfo.xml"])
    assert Path(f"/usr/bin/{APP_NAME}").resolve() == Path(f"/opt/{APP_NAME}/{APP_NAME}")
    for size in (16, 48, 256):
        assert Path(f"/usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert Path("/usr/share/mime/application/x-policyreview.xml").is_file()


def test_review_files_open_in_policyreader_by_default(
    installed: Path, session: dict, tmp_path: Path
) -> None:
    review = tmp_path / "shared.policyreview"
    review.write_bytes(b"PK\x03\x04")
    assert run(["xdg-mime", "query", "filetype", str(review)], session) == (
        "application/x-policyreview"
    )
    assert run(["xdg-mime", "query", "default", "application/x-policyreview"], session) == (
        DESKTOP_NAME
    )


def test_installed_app_starts_fast(installed: Path, session: dict, tmp_path: Path) -> None:
    policy = REPO / "resources" / "samples" / "lanternfish-privacy.md"
    times, cpu_times = [], []
    load = busy_fraction()
    for attempt in range(3):  # the first is the cold start right after installing
        seconds, pid, cpu = launch_and_measure(
            session, tmp_path / f"probe-{attempt}", [f"/usr/bin/{APP_NAME}", str(policy)]
        )
        times.append(round(seconds, 3))
        cpu_times.append(round(cpu, 3))
        stop(pid)
    record(
        first_paint_cold_s=times[0],
        first_paint_runs_s=times,
        first_paint_cpu_s=cpu_times,
        cpu_busy_before=round(load, 2),
    )
    # The median: one launch can lose the CPU to another process. On a machine already busy
    # with other work, wall time measures the others too; the app's own CPU time does not.
    if load < BUSY_FRACTION:
        assert statistics.median(times) < MAX_FIRST_PAINT_S, times
    assert statistics.median(cpu_times) < MAX_FIRST_PAINT_S, cpu_times


def test_xdg_open_starts_the_app_and_a_second_file_becomes_a_tab(
    installed: Path, session: dict, tmp_path: Path
) -> None:
    first = tmp_path / "lanternfish-privacy.md"
    shutil.copy(REPO / "resources" / "samples" / "lanternfish-privacy.md", first)
    second = tmp_path / "brightwater-notice.md"
    second.write_text(REVIEW_POLICY, encoding="utf-8")
    # Markdown's default handler is the user's choice ("Open With" > "Always"); make it ours.
    run(["xdg-mime", "default", DESKTOP_NAME, "text/markdown"], session)
    assert run(["xdg-mime", "query", "default", "text/markdown"], session) == DESKTOP_NAME

    probe = tmp_path / "probe"
    seconds, pid, _cpu = launch_and_measure(session, probe, ["xdg-open", str(first)])
    try:
        wait_for(
            lambda: "Lanternfish Maps Privacy Policy — policyreader" in window_titles(pid, session),
            20,
            "the first policy's window title",
        )
        opened = time.monotonic()
        run(["xdg-open", str(second)], session, timeout=30)  # returns once handed over
        titles = wait_for(
            lambda: [t for t in window_titles(pid, session) if t.startswith("Brightwater")],
            20,
            "the second policy to show in the same window",
        )
        record(xdg_open_first_paint_s=round(seconds, 3))
        record(second_open_handoff_s=round(time.monotonic() - opened, 3))
        assert titles == ["Brightwater Credit Union Privacy Notice — policyreader"]
        assert len(window_titles(pid, session)) == 1, "one window, the second file in a tab"
        time.sleep(0.5)  # let the tab finish rendering before the screenshot
        run(["import", "-window", "root", str(SCREENSHOT)], session)
        assert first_paint(probe)[1] == pid  # no second process painted a window
    finally:
        stop(pid)


def test_purge_leaves_nothing_behind(installed: Path) -> None:
    run(["dpkg", "--purge", APP_NAME], timeout=300)
    assert our_paths() == []
    cache = Path("/usr/share/applications/mimeinfo.cache")
    if cache.exists():
        assert DESKTOP_NAME not in cache.read_text(encoding="utf-8")
    globs = Path("/usr/share/mime/globs2")
    if globs.exists():
        assert "policyreview" not in globs.read_text(encoding="utf-8")
