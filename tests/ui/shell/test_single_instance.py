"""Single instance: later launches, stale sockets and macOS file-open events end in one signal."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QApplication, QWidget

from policyreader import APP_ID
from policyreader.ui.shell import single_instance
from policyreader.ui.shell.single_instance import (
    AppInstance,
    Forwarded,
    OpenRequests,
    absolute_paths,
    claim_instance,
    decode_message,
    encode_message,
    forward_paths,
    forward_to_running_instance,
    server_name,
)

# A second launch, as a separate process: prints what claim_instance decided.
SECOND_LAUNCH = """
import sys
from PySide6.QtWidgets import QApplication
from policyreader.ui.shell.single_instance import claim_instance
app = QApplication([])
instance = claim_instance(app, sys.argv[2:], sys.argv[1])
print("forwarded" if instance is None else "primary")
"""


@pytest.fixture
def socket_name() -> Iterator[str]:
    # Short on purpose: Unix socket paths are limited to about 100 bytes, pytest's tmp_path is long.
    directory = tempfile.mkdtemp(prefix="pr-si-")
    yield os.path.join(directory, "instance.sock")
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def primary(qapp: QApplication, socket_name: str) -> Iterator[AppInstance]:
    instance = claim_instance(qapp, [], socket_name)
    assert instance is not None
    yield instance
    qapp.removeEventFilter(instance.file_open_filter)
    if instance.server is not None:
        instance.server.close()
    instance.deleteLater()


def launch_second(name: str, arguments: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SECOND_LAUNCH, name, *arguments],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_queued_paths_arrive_in_one_signal_after_start(qtbot) -> None:
    requests = OpenRequests()
    received: list[list[str]] = []
    requests.open_requested.connect(received.append)
    requests.add(["/policies/a.md", "/policies/b.html"])
    requests.add(["/policies/a.md"])
    qtbot.wait(20)
    assert received == [], "nothing may be delivered before the event loop is started"
    with qtbot.waitSignal(requests.open_requested, timeout=1000):
        requests.start()
    qtbot.wait(20)
    assert received == [["/policies/a.md", "/policies/b.html"]]


def test_burst_after_start_is_coalesced(qtbot) -> None:
    requests = OpenRequests()
    received: list[list[str]] = []
    requests.open_requested.connect(received.append)
    requests.start()
    qtbot.wait(10)
    requests.add(["/p/one.md"])
    requests.add(["/p/two.md"])
    qtbot.waitUntil(lambda: bool(received), timeout=1000)
    assert received == [["/p/one.md", "/p/two.md"]]


def test_no_signal_for_a_launch_without_files(qtbot) -> None:
    requests = OpenRequests()
    received: list[list[str]] = []
    requests.open_requested.connect(received.append)
    requests.start()
    qtbot.wait(30)
    assert received == []


def test_second_launch_hands_absolute_paths_to_the_running_instance(
    qtbot, primary: AppInstance, socket_name: str, tmp_path: Path
) -> None:
    (tmp_path / "sub").mkdir()
    primary.start()
    with qtbot.waitSignal(primary.open_requested, timeout=5000) as signal:
        second = launch_second(socket_name, ["policy.md", "sub/../other.txt"], tmp_path)
    out, err = second.communicate(timeout=10)
    assert out.strip() == "forwarded", err
    assert second.returncode == 0
    assert signal.args == [[str(tmp_path / "policy.md"), str(tmp_path / "other.txt")]]


# The real command line as a second launch: reports its exit code and whether the UI was loaded.
SECOND_COMMAND_LINE = """
import sys
from policyreader.cli import main
code = main(sys.argv[1:])
print(code, "policyreader.ui.shell.main_window" in sys.modules)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_RUNTIME_DIR names the socket")
def test_command_line_hands_over_before_loading_the_ui(qtbot, qapp, tmp_path: Path) -> None:
    runtime = tempfile.mkdtemp(prefix="pr-rt-")
    try:
        name = os.path.join(runtime, f"{APP_ID}.sock")
        instance = claim_instance(qapp, [], name)
        assert instance is not None
        instance.start()
        with qtbot.waitSignal(instance.open_requested, timeout=8000) as signal:
            second = subprocess.Popen(
                [sys.executable, "-c", SECOND_COMMAND_LINE, "policy.md"],
                cwd=tmp_path,
                env={**os.environ, "XDG_RUNTIME_DIR": runtime},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        out, err = second.communicate(timeout=10)
        assert out.split() == ["0", "False"], err
        assert signal.args == [[str(tmp_path / "policy.md")]]
        qapp.removeEventFilter(instance.file_open_filter)
        instance.server.close()
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def test_running_instance_is_raised_when_contacted(
    qtbot, primary: AppInstance, socket_name: str, tmp_path: Path
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    primary.attach(window)
    primary.start()
    second = launch_second(socket_name, [], tmp_path)
    assert second.communicate(timeout=10)[0].strip() == "forwarded"
    qtbot.waitUntil(lambda: not window.isMinimized(), timeout=2000)
    assert window.isVisible()


def test_stale_socket_file_is_cleaned_and_replaced(qtbot, qapp, socket_name: str) -> None:
    # A crashed instance leaves its socket file: bound once, nobody listening any more.
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(socket_name)
    stale.close()
    assert os.path.exists(socket_name)
    assert forward_paths(socket_name, ["/x.md"], timeout_ms=300) is Forwarded.NO_INSTANCE

    instance = claim_instance(qapp, [], socket_name)
    assert instance is not None and instance.server is not None
    instance.start()
    second = launch_second(socket_name, ["/policies/after-crash.md"], Path.cwd())
    with qtbot.waitSignal(instance.open_requested, timeout=5000) as signal:
        pass
    assert second.communicate(timeout=10)[0].strip() == "forwarded"
    assert signal.args == [["/policies/after-crash.md"]]
    qapp.removeEventFilter(instance.file_open_filter)
    instance.server.close()


@pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files")
def test_socket_is_private_to_the_user(primary: AppInstance, socket_name: str) -> None:
    assert os.stat(socket_name).st_mode & 0o077 == 0


def test_file_open_event_feeds_the_same_signal(qtbot, qapp, primary: AppInstance) -> None:
    primary.add(["/from/command-line.md"])
    QApplication.sendEvent(qapp, QFileOpenEvent("/from/finder.pdf"))
    QApplication.sendEvent(qapp, QFileOpenEvent(QUrl.fromLocalFile("/from/dock.html")))
    with qtbot.waitSignal(primary.open_requested, timeout=1000) as signal:
        primary.start()
    assert signal.args == [["/from/command-line.md", "/from/finder.pdf", "/from/dock.html"]]


def test_server_name_is_per_user(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    name = server_name("org.example.App")
    if sys.platform.startswith("linux"):
        assert name == str(tmp_path / "org.example.App.sock")
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    name = server_name("org.example.App")
    assert name.startswith(os.path.join(tempfile.gettempdir(), "org.example.App-")) or (
        sys.platform == "win32" and name.startswith("org.example.App-")
    )


def test_paths_are_made_absolute_against_the_senders_directory() -> None:
    assert absolute_paths(["a.md", "/abs/b.md", "file:///abs/c%20d.md"], cwd="/home/u") == [
        "/home/u/a.md",
        "/abs/b.md",
        "/abs/c d.md",
    ]


def test_message_round_trip_and_garbage() -> None:
    paths = ["/a/ü.md", "/b/c.txt"]
    assert decode_message(encode_message(paths).rstrip(b"\n")) == paths
    assert decode_message(b"\xff\xfe") == []
    assert decode_message(b'{"paths": "not-a-list"}') == []
    assert decode_message(b'["/a"]') == []
    assert decode_message(b"[" * 500_000) == []  # deep JSON from any local process: no crash


# --- issue 19, finding 8: no squatting on the socket in the shared temporary folder ------------


@pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files")
def test_without_a_runtime_dir_the_socket_sits_in_a_private_folder(monkeypatch) -> None:
    shared = tempfile.mkdtemp(prefix="pr-tmp-")
    try:
        monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
        monkeypatch.setattr(tempfile, "tempdir", shared)
        name = server_name("org.example.App")
        assert name is not None
        folder = os.path.dirname(name)
        assert folder != shared and os.path.dirname(folder) == shared
        info = os.lstat(folder)
        assert info.st_uid == os.getuid() and info.st_mode & 0o777 == 0o700
    finally:
        shutil.rmtree(shared, ignore_errors=True)


@pytest.mark.skipif(sys.platform == "win32", reason="Unix socket files")
def test_a_folder_others_can_enter_is_not_used(monkeypatch) -> None:
    shared = tempfile.mkdtemp(prefix="pr-tmp-")
    try:
        monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
        monkeypatch.setattr(tempfile, "tempdir", shared)
        planted = server_name("org.example.App")
        assert planted is not None
        os.chmod(os.path.dirname(planted), 0o777)  # as if another user had made it first
        assert server_name("org.example.App") is None
        assert forward_to_running_instance(["/secret/policy.md"]) is False
    finally:
        shutil.rmtree(shared, ignore_errors=True)


@pytest.mark.skipif(not hasattr(socket, "SO_PEERCRED"), reason="SO_PEERCRED is Linux")
def test_a_listener_running_as_another_user_gets_no_paths(
    qtbot, qapp, socket_name: str, monkeypatch
) -> None:
    squatter = QLocalServer()
    assert squatter.listen(socket_name)
    received: list[bytes] = []

    def answer() -> None:
        connection = squatter.nextPendingConnection()
        connection.waitForReadyRead(500)
        received.append(bytes(connection.readAll().data()))
        connection.write(b"ok\n")
        connection.flush()

    squatter.newConnection.connect(answer)
    real_uid = os.getuid()
    assert forward_paths(socket_name, ["/a.md"], timeout_ms=300) is not Forwarded.UNTRUSTED
    # The same listener seen from a launch of another user: its uid is not the peer's.
    monkeypatch.setattr(single_instance, "_own_uid", lambda: real_uid + 1)
    received.clear()
    assert forward_paths(socket_name, ["/secret/policy.md"], timeout_ms=300) is Forwarded.UNTRUSTED
    qtbot.wait(100)
    assert all(b"secret" not in message for message in received)
    instance = claim_instance(qapp, ["/secret/policy.md"], socket_name)
    assert instance is not None and instance.server is None  # runs alone, the socket left alone
    assert os.path.exists(socket_name)
    qapp.removeEventFilter(instance.file_open_filter)
    instance.deleteLater()
    squatter.close()
