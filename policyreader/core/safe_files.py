"""The one way a user's file is read: regular files only, size-capped before reading, never blocking.

Documents, review bundles and notes JSON all come through ``read_user_file``: a FIFO, a device or a
socket is refused before anything is read from it (it could block forever or never end), the
descriptor is opened with ``O_NONBLOCK`` so even a file swapped for a FIFO after the check cannot
hold a thread, and no more than the cap (plus one byte, to notice a file that grew) is read.
"""

from __future__ import annotations

import os
import stat

from policyreader.core.errors import LoadProblem, PolicyLoadError

# A privacy policy is rarely over 1 MB of text; 20 MB leaves room for saved pages full of markup
# while refusing logs, dumps and disk images before they exhaust memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
_CHUNK = 1 << 20
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def read_user_file(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; anything else raises ``PolicyLoadError``."""
    shown = os.fspath(path)
    try:
        _check(os.stat(shown), shown, max_bytes)  # follows links: a link to a FIFO is refused too
        descriptor = os.open(shown, _OPEN_FLAGS)
        try:
            _check(os.fstat(descriptor), shown, max_bytes)  # the file opened is the file checked
            data = _read_capped(descriptor, max_bytes)
        finally:
            os.close(descriptor)
    except FileNotFoundError:
        raise PolicyLoadError(LoadProblem.NOT_FOUND, f"{shown} does not exist.", shown) from None
    except PermissionError:
        raise PolicyLoadError(
            LoadProblem.PERMISSION, f"You do not have permission to read {shown}.", shown
        ) from None
    except IsADirectoryError:
        raise _folder(shown) from None
    except OSError as error:
        raise PolicyLoadError(
            LoadProblem.UNREADABLE, f"{shown} could not be read: {error.strerror or error}.", shown
        ) from None
    if len(data) > max_bytes:
        raise _too_large(shown, max_bytes)
    return data


def _check(info: os.stat_result, shown: str, max_bytes: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise _folder(shown)
    if not stat.S_ISREG(info.st_mode):
        raise PolicyLoadError(
            LoadProblem.NOT_A_FILE,
            f"{shown} is not a regular file (it is a pipe, device or socket); "
            "policyreader opens only saved files.",
            shown,
        )
    if info.st_size > max_bytes:
        raise PolicyLoadError(
            LoadProblem.TOO_LARGE,
            f"{shown} is {_megabytes(info.st_size)}; policyreader opens files up to "
            f"{_megabytes(max_bytes)}.",
            shown,
        )


def _read_capped(descriptor: int, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    remaining = max_bytes + 1
    while remaining > 0:
        chunk = os.read(descriptor, min(remaining, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _folder(shown: str) -> PolicyLoadError:
    return PolicyLoadError(LoadProblem.IS_DIRECTORY, f"{shown} is a folder, not a file.", shown)


def _too_large(shown: str, max_bytes: int) -> PolicyLoadError:
    return PolicyLoadError(
        LoadProblem.TOO_LARGE,
        f"{shown} is larger than {_megabytes(max_bytes)}, the most policyreader opens.",
        shown,
    )


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.0f} MB" if size >= 1048576 else f"{size / 1024:.0f} KB"
