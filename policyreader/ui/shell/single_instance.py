"""One policyreader per user: later launches and macOS file-open events end in one open signal."""

from __future__ import annotations

import getpass
import json
import os
import re
import socket as sockets
import stat
import struct
import sys
import tempfile
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

from policyreader import APP_ID
from policyreader.core.bounded_json import UntrustedJsonError, loads_bounded

# Long enough for a busy primary to answer, short enough that a hung one does not stall the user.
HANDSHAKE_TIMEOUT_MS = 2000
ACK = b"ok\n"
MAX_MESSAGE_BYTES = 1 << 20


class Forwarded(Enum):
    NO_INSTANCE = "no-instance"
    DELIVERED = "delivered"
    NOT_RESPONDING = "not-responding"
    # Something listens on the name but runs as another user: it gets no paths.
    UNTRUSTED = "untrusted"


def _user_tag() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", user) or "user"


def server_name(app_id: str = APP_ID) -> str | None:
    """The per-user name of the local socket (a file path on Unix, a pipe name on Windows).

    None when no private place for it can be made: the launch then runs on its own.
    """
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR")
    if sys.platform.startswith("linux") and runtime_dir and os.path.isdir(runtime_dir):
        # Private to the user and cleared at logout, so a stale socket rarely survives.
        return os.path.join(runtime_dir, f"{app_id}.sock")
    if sys.platform == "win32":
        return f"{app_id}-{_user_tag()}"
    # The shared temporary folder: the socket goes in a folder only this user can enter, so no
    # other user can bind the name first and collect the paths a launch hands over.
    folder = private_folder(os.path.join(tempfile.gettempdir(), f"{app_id}-{_user_tag()}"))
    return os.path.join(folder, "instance.sock") if folder else None


def private_folder(path: str) -> str | None:
    """``path`` as a folder made with mode 0700, or None if it is not this user's alone."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        info = os.lstat(path)  # never through a link someone else planted
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != _own_uid() or info.st_mode & 0o077:
        print(f"policyreader: {path} is not private to you; running on its own", file=sys.stderr)
        return None
    return path


def _own_uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else -1


def peer_uid(socket: QLocalSocket) -> int | None:
    """The user id of the process at the other end (Linux ``SO_PEERCRED``); None elsewhere."""
    option = getattr(sockets, "SO_PEERCRED", None)
    descriptor = int(socket.socketDescriptor())
    if option is None or descriptor < 0:
        return None
    with sockets.socket(fileno=os.dup(descriptor)) as duplicate:
        credentials = duplicate.getsockopt(sockets.SOL_SOCKET, option, struct.calcsize("3i"))
    return struct.unpack("3i", credentials)[1]


def _peer_is_trusted(socket: QLocalSocket) -> bool:
    uid = peer_uid(socket)
    return uid is None or uid == _own_uid()


def absolute_paths(arguments: Iterable[str], cwd: str | None = None) -> list[str]:
    """Paths made absolute against the sender's ``cwd`` (not the receiver's); file URLs too."""
    base = Path(cwd or os.getcwd())
    paths: list[str] = []
    for argument in arguments:
        if argument.startswith("file:"):
            argument = QUrl(argument).toLocalFile() or argument
        paths.append(os.path.normpath(str(base / Path(argument).expanduser())))
    return paths


def encode_message(paths: list[str]) -> bytes:
    return json.dumps({"paths": paths}).encode("utf-8") + b"\n"


def decode_message(data: bytes) -> list[str]:
    """The paths of one message; anything malformed yields no paths rather than an exception."""
    try:
        message = loads_bounded(data, MAX_MESSAGE_BYTES, max_depth=4)
    except UntrustedJsonError:
        return []
    paths = message.get("paths") if isinstance(message, dict) else None
    if not isinstance(paths, list):
        return []
    return [path for path in paths if isinstance(path, str) and path]


def forward_paths(name: str, paths: list[str], timeout_ms: int = HANDSHAKE_TIMEOUT_MS) -> Forwarded:
    """Hand ``paths`` to the instance listening on ``name``, if any; blocks until it acks."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return Forwarded.NO_INSTANCE
    if not _peer_is_trusted(socket):
        socket.abort()
        return Forwarded.UNTRUSTED
    socket.write(encode_message(paths))
    socket.waitForBytesWritten(timeout_ms)
    reply = b""
    while ACK not in reply and socket.waitForReadyRead(timeout_ms):
        reply += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return Forwarded.DELIVERED if ACK in reply else Forwarded.NOT_RESPONDING


def forward_to_running_instance(arguments: Iterable[str], name: str | None = None) -> bool:
    """True when a running instance took ``arguments``: the launch is done, the caller exits.

    Cheap on purpose (no QApplication, no window modules): a second launch hands over its files
    before it imports the rest of the UI. ``claim_instance`` still settles races later.
    """
    name = name or server_name()
    if name is None:
        return False
    outcome = forward_paths(name, absolute_paths(arguments))
    if outcome is Forwarded.NOT_RESPONDING:
        print("policyreader: the running instance is not responding", file=sys.stderr)
    if outcome is Forwarded.UNTRUSTED:
        print(f"policyreader: {name} belongs to another user; running on its own", file=sys.stderr)
    return outcome in (Forwarded.DELIVERED, Forwarded.NOT_RESPONDING)


def bring_to_front(window: QWidget) -> None:
    """Un-minimise, raise and activate ``window`` (window managers may still just flash it)."""
    state = window.windowState() & ~Qt.WindowState.WindowMinimized
    window.setWindowState(state | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()


class OpenRequests(QObject):
    """Gathers paths from every source and emits them as one ``open_requested`` once the loop runs.

    Paths that arrive before ``start()`` (the command line, early file-open events) are queued;
    after it, paths arriving in one burst (macOS sends one event per file) are coalesced.
    """

    open_requested = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[str] = []
        self._started = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)

    @property
    def pending(self) -> list[str]:
        return list(self._pending)

    def add(self, paths: Iterable[str]) -> None:
        self._pending.extend(paths)
        if self._started and self._pending:
            self._flush_timer.start()

    def start(self) -> None:
        """Deliver what is queued once the event loop runs, and everything later as it comes."""
        self._started = True
        self._flush_timer.start()

    def _flush(self) -> None:
        paths = list(dict.fromkeys(self._pending))
        self._pending.clear()
        if paths:
            self.open_requested.emit(paths)


class FileOpenFilter(QObject):
    """Turns macOS ``QEvent.FileOpen`` (Finder double-click, Dock drop) into open requests."""

    def __init__(self, requests: OpenRequests, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._requests = requests

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return False
        path = event.file() or event.url().toLocalFile()
        if path:
            self._requests.add([path])
        return True


class InstanceServer(QObject):
    """Listens for later launches; each message of paths is acked, then emitted."""

    paths_received = Signal(list)

    def __init__(self, server: QLocalServer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = server
        self._server.setParent(self)
        self._buffers: dict[QLocalSocket, bytes] = {}
        self._server.newConnection.connect(self._accept)

    @property
    def name(self) -> str:
        return self._server.fullServerName()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if not _peer_is_trusted(socket):
                socket.abort()
                socket.deleteLater()
                continue
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda socket=socket: self._read(socket))
            socket.disconnected.connect(lambda socket=socket: self._drop(socket))
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        data = self._buffers[socket] + bytes(socket.readAll().data())
        if b"\n" not in data and len(data) < MAX_MESSAGE_BYTES:
            self._buffers[socket] = data
            return
        del self._buffers[socket]
        paths = decode_message(data.split(b"\n", 1)[0])
        socket.write(ACK)
        socket.flush()
        socket.disconnectFromServer()
        self.paths_received.emit(paths)

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()


class AppInstance(QObject):
    """The running instance: one ``open_requested`` for command line, launches and FileOpen."""

    open_requested = Signal(list)

    def __init__(self, server: InstanceServer | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.requests = OpenRequests(self)
        self.requests.open_requested.connect(self.open_requested)
        self.file_open_filter = FileOpenFilter(self.requests, self)
        self.server = server
        self._window: QWidget | None = None
        if server is not None:
            server.setParent(self)
            server.paths_received.connect(self._on_paths_received)

    def attach(self, window: QWidget) -> None:
        """The window raised whenever another launch contacts this instance."""
        self._window = window

    def add(self, paths: Iterable[str]) -> None:
        self.requests.add(paths)

    def start(self) -> None:
        self.requests.start()

    def _on_paths_received(self, paths: list[str]) -> None:
        self.requests.add(paths)
        if self._window is not None:
            bring_to_front(self._window)


def _listen(name: str) -> QLocalServer | None:
    server = QLocalServer()
    server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    if server.listen(name):
        return server
    return None


def claim_instance(
    app: QApplication, arguments: Iterable[str], name: str | None = None
) -> AppInstance | None:
    """Become the instance for this user, or hand ``arguments`` to the running one.

    Returns None when another instance took the files (the caller exits); otherwise an
    ``AppInstance`` with the command-line paths queued and the FileOpen filter installed on ``app``.
    """
    name = name or server_name()
    paths = absolute_paths(arguments)
    server = None
    for _attempt in range(2 if name else 0):
        assert name is not None  # no private socket folder: no attempt at all
        outcome = forward_paths(name, paths)
        if outcome is Forwarded.DELIVERED:
            return None
        if outcome is Forwarded.NOT_RESPONDING:
            print("policyreader: the running instance is not responding", file=sys.stderr)
            return None
        if outcome is Forwarded.UNTRUSTED:
            break  # never remove or take over another user's socket
        server = _listen(name)
        if server is not None:
            break
        # Nobody answered yet the name is taken: a crashed instance left its socket file behind
        # (or one is starting right now, which the second forward attempt catches).
        QLocalServer.removeServer(name)
    instance = AppInstance(InstanceServer(server) if server is not None else None)
    if server is None:
        print(f"policyreader: cannot listen on {name}; running on its own", file=sys.stderr)
    app.installEventFilter(instance.file_open_filter)
    instance.add(paths)
    return instance
