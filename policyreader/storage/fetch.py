"""Fetch a policy page over http(s) with a timeout, a size cap and bounded redirects; no Qt."""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from policyreader import __version__
from policyreader.core.document import DocumentFormat, Original, PolicyDocument
from policyreader.core.errors import LoadProblem, PolicyLoadError
from policyreader.core.urls import looks_like_url

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 20.0
CHUNK = 64 * 1024
USER_AGENT = f"policyreader/{__version__} (desktop privacy-policy reader)"

# What a policy can arrive as: pages, plain text and PDF, which the loader reads.
_ACCEPTED_TYPES = {
    "text/html": DocumentFormat.HTML,
    "application/xhtml+xml": DocumentFormat.HTML,
    "text/plain": DocumentFormat.TEXT,
    "text/markdown": DocumentFormat.MARKDOWN,
    "text/x-markdown": DocumentFormat.MARKDOWN,
    "application/pdf": DocumentFormat.PDF,
}
_TYPE_WORDS = {
    "image": "an image",
    "video": "a video",
    "audio": "a sound file",
    "font": "a font",
    "application/json": "JSON data",
    "application/javascript": "a script",
    "text/javascript": "a script",
    "text/css": "a style sheet",
    "application/zip": "a zip archive",
}

Progress = Callable[[int, int | None], None]
Cancelled = Callable[[], bool]


class FetchProblem(StrEnum):
    BAD_ADDRESS = "bad_address"
    CONNECTION = "connection"
    TIMEOUT = "timeout"
    HTTP_STATUS = "http_status"
    REDIRECTS = "redirects"
    TOO_LARGE = "too_large"
    NOT_A_PAGE = "not_a_page"
    CANCELLED = "cancelled"


class FetchError(PolicyLoadError):
    """A page that could not be fetched; ``reason`` says why, ``str()`` says it to the user."""

    def __init__(self, reason: FetchProblem, message: str, url: str, status: int | None = None):
        problem = (
            LoadProblem.TOO_LARGE if reason is FetchProblem.TOO_LARGE else LoadProblem.UNREADABLE
        )
        super().__init__(problem, message, url)
        self.reason = reason
        self.status = status


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched page: the address asked for, where it ended up, its bytes and when."""

    requested_url: str
    url: str
    data: bytes
    content_type: str
    charset: str | None
    fetched_at: str

    @property
    def format(self) -> DocumentFormat | None:
        if self.data.startswith(b"%PDF-"):
            return DocumentFormat.PDF
        return _ACCEPTED_TYPES.get(self.content_type)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by ``fetch`` itself, so it can count them and spot loops."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(
    url: str,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
) -> FetchResult:
    """The page at ``url``; raises ``FetchError`` with a sentence for the user when it cannot.

    ``timeout`` bounds each wait on the network and the whole download; ``progress`` receives the
    bytes received so far and the announced total (``None`` when the server does not say).
    """
    requested = normalise_url(url)
    current = requested
    seen = {current}
    deadline = time.monotonic() + timeout
    for _ in range(max_redirects + 1):
        response = _open(current, deadline)
        if response.status in (301, 302, 303, 307, 308):
            target = _redirect_target(response, current)
            if target in seen:
                raise FetchError(
                    FetchProblem.REDIRECTS,
                    f"{requested} redirects in a loop (back to {target}); the site is misconfigured.",
                    requested,
                )
            seen.add(target)
            current = target
            continue
        with response:
            content_type, charset = _content_type(response.headers)
            _check_type(content_type, current)
            data = _read_capped(response, current, deadline, max_bytes, progress, cancelled)
        return FetchResult(
            requested,
            current,
            data,
            content_type,
            charset,
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
    raise FetchError(
        FetchProblem.REDIRECTS,
        f"{requested} redirected more than {max_redirects} times; policyreader stopped following it.",
        requested,
    )


def normalise_url(url: str) -> str:
    """An http(s) address with a host; a bare ``example.com/privacy`` gets ``https://``."""
    text = url.strip()
    if "://" not in text and not text.lower().startswith(("mailto:", "file:", "javascript:")):
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(
            FetchProblem.BAD_ADDRESS,
            f"{url} is not a web address; policyreader fetches only http and https pages.",
            url,
        )
    if not parts.hostname:
        raise FetchError(FetchProblem.BAD_ADDRESS, f"{url} has no host name.", url)
    return text


class _Raw(Protocol):
    """An answer from urllib: a response, or an HTTPError standing for one."""

    headers: Message

    def read(self, size: int = -1) -> bytes: ...
    def close(self) -> None: ...


class _Response:
    """The parts of an HTTP response ``fetch`` uses, from a normal answer or an HTTPError."""

    def __init__(self, raw: _Raw, status: int) -> None:
        self.raw = raw
        self.status = status
        self.headers: Message = raw.headers

    def read(self, size: int) -> bytes:
        # read1 returns what has arrived instead of waiting for ``size`` bytes, so a server that
        # drips its page still meets the overall deadline between reads.
        reader = getattr(self.raw, "read1", None) or self.raw.read
        return reader(size)

    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()


def _open(url: str, deadline: float) -> _Response:
    handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
    if _is_loopback(url):
        # A proxy cannot reach this machine's own servers.
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.8",
            "Accept-Encoding": "identity",
        },
    )
    remaining = max(0.05, deadline - time.monotonic())
    try:
        raw = opener.open(request, timeout=remaining)
        return _Response(raw, raw.status)
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            return _Response(error, error.code)
        error.close()
        raise _status_error(url, error.code, error.reason) from None
    except TimeoutError:
        raise _timeout_error(url, deadline) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise _timeout_error(url, deadline) from None
        raise FetchError(
            FetchProblem.CONNECTION,
            f"Could not connect to {_host(url)}: {_reason(error.reason)}.",
            url,
        ) from None
    except (OSError, ValueError) as error:
        raise FetchError(
            FetchProblem.CONNECTION, f"Could not fetch {url}: {_reason(error)}.", url
        ) from None


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _reason(reason: object) -> str:
    text = getattr(reason, "strerror", None) or str(reason)
    return text.rstrip(".")


def _timeout_error(url: str, deadline: float) -> FetchError:
    return FetchError(
        FetchProblem.TIMEOUT,
        f"{_host(url)} did not answer in time; try again later or save the page from a browser.",
        url,
    )


def _status_error(url: str, status: int, reason: str) -> FetchError:
    if status == 404 or status == 410:
        message = f"There is no page at {url} (HTTP {status}); check the address."
    elif status in (401, 403):
        message = f"{_host(url)} refused to give the page (HTTP {status}); save it from a browser."
    elif status == 429:
        message = f"{_host(url)} asks to slow down (HTTP 429); try again in a few minutes."
    elif status >= 500:
        message = f"{_host(url)} had an error (HTTP {status} {reason}); try again later."
    else:
        message = f"{_host(url)} answered HTTP {status} {reason} for {url}."
    return FetchError(FetchProblem.HTTP_STATUS, message, url, status)


def _redirect_target(response: _Response, current: str) -> str:
    with response:
        location = response.headers.get("Location")
    if not location:
        raise FetchError(
            FetchProblem.REDIRECTS, f"{current} redirects without saying where to.", current
        )
    target = urljoin(current, location.strip())
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        raise FetchError(
            FetchProblem.REDIRECTS,
            f"{current} redirects to {target}, which is not a web page.",
            current,
        )
    return target


def _content_type(headers: Message) -> tuple[str, str | None]:
    return headers.get_content_type().lower(), headers.get_content_charset()


def _check_type(content_type: str, url: str) -> None:
    if content_type in _ACCEPTED_TYPES or content_type == "application/octet-stream":
        return  # octet-stream is what misconfigured servers send for PDFs; the bytes decide
    what = _TYPE_WORDS.get(content_type) or _TYPE_WORDS.get(content_type.split("/")[0])
    described = f"{what} ({content_type})" if what else content_type
    raise FetchError(
        FetchProblem.NOT_A_PAGE,
        f"{url} is {described}, not a web page or a document policyreader can read.",
        url,
    )


def _read_capped(
    response: _Response,
    url: str,
    deadline: float,
    max_bytes: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> bytes:
    total = _announced_length(response.headers)
    if total is not None and total > max_bytes:
        raise _too_large(url, max_bytes, total)
    chunks: list[bytes] = []
    received = 0
    if progress:
        progress(0, total)
    while True:
        if cancelled and cancelled():
            raise FetchError(FetchProblem.CANCELLED, "Fetching was cancelled.", url)
        if time.monotonic() > deadline:
            raise _timeout_error(url, deadline)
        try:
            chunk = response.read(CHUNK)
        except TimeoutError:
            raise _timeout_error(url, deadline) from None
        except OSError as error:
            raise FetchError(
                FetchProblem.CONNECTION,
                f"The connection to {_host(url)} broke: {_reason(error)}.",
                url,
            ) from None
        if not chunk:
            break
        received += len(chunk)
        if received > max_bytes:
            raise _too_large(url, max_bytes, total)
        chunks.append(chunk)
        if progress:
            progress(received, total)
    return b"".join(chunks)


def _announced_length(headers: Message) -> int | None:
    value = headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _too_large(url: str, max_bytes: int, total: int | None) -> FetchError:
    size = f"{total / 1048576:.0f} MB" if total else f"larger than {max_bytes // 1048576} MB"
    return FetchError(
        FetchProblem.TOO_LARGE,
        f"The page at {url} is {size}; policyreader fetches pages up to "
        f"{max_bytes // 1048576} MB, and a policy is far smaller. Check the address.",
        url,
    )


def document_from_fetch(result: FetchResult) -> PolicyDocument:
    """The policy in a fetched page, read as a saved file would be, with its source recorded.

    The document's ``path`` is the address asked for, so the library files each new text fetched
    from it as a new version of the same document.
    """
    from policyreader.core.loading import load_original

    fmt = result.format
    declared = fmt is not None and fmt is not DocumentFormat.PDF and bool(result.charset)
    document = load_original(
        Original(
            result.data,
            result.requested_url,
            result.charset if declared else None,
            fmt.value if declared and fmt is not None else None,
        )
    )
    document.metadata.source_url = document.metadata.source_url or result.url
    document.metadata.extra["fetched_at"] = result.fetched_at
    if result.url != result.requested_url:
        document.metadata.extra["final_url"] = result.url
    return document


def fetch_document(url: str, **options: Any) -> PolicyDocument:
    """Fetch ``url`` and read the policy in it (see ``fetch`` for the options)."""
    return document_from_fetch(fetch(url, **options))


def load_source(source: str) -> PolicyDocument:
    """A policy from a file path, or from an http(s) address fetched now."""
    if looks_like_url(source):
        return fetch_document(source)
    from policyreader.core.loading import load_path

    return load_path(source)
