"""Fetching a policy from a server on 127.0.0.1: pages, slowness, errors, loops, huge and odd bodies."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import suppress
from http.server import BaseHTTPRequestHandler
from typing import ClassVar

import pytest

from policyreader.core.document import DocumentFormat
from policyreader.storage.fetch import (
    FetchError,
    FetchProblem,
    fetch,
    fetch_document,
    looks_like_url,
    normalise_url,
)
from tests.local_server import serving

PAGE = (
    b"<!doctype html><html><head><meta charset='utf-8'><title>Privacy | Fernhill Bikes</title>"
    b"</head><body><nav><a href='/'>Home</a></nav><main><h1>Fernhill Bikes Privacy Policy</h1>"
    b"<p>Last updated: 4 June 2024</p><h2>What we collect</h2>"
    b"<p>We collect your name and address when you order a bike.</p>"
    b"<h2>How long we keep it</h2><p>We keep order records for 30 days.</p></main></body></html>"
)
HUGE = 100 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    sent: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        with suppress(OSError):  # the client gave up first (the timeout tests)
            self.wfile.write(body)

    def do_GET(self) -> None:
        route = getattr(self, "route_" + self.path.strip("/").split("?")[0].replace("-", "_"), None)
        if route is None:
            self._send(404, b"<h1>Not found</h1>")
        else:
            route()

    def route_privacy(self) -> None:
        self._send(200, PAGE)

    def route_slow(self) -> None:
        time.sleep(3)
        self._send(200, PAGE)

    def route_drip(self) -> None:
        """Answers at once, then sends a byte now and then: each read succeeds, the whole is slow."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for _ in range(40):
            self.wfile.write(b"<p>.</p>")
            self.wfile.flush()
            time.sleep(0.1)

    def route_loop_a(self) -> None:
        self._send(302, b"", headers={"Location": "/loop-b"})

    def route_loop_b(self) -> None:
        self._send(301, b"", headers={"Location": "/loop-a"})

    def route_moved(self) -> None:
        self._send(301, b"", headers={"Location": "/privacy"})

    def route_chain(self) -> None:
        step = int(self.path.split("?n=")[1]) if "?n=" in self.path else 0
        self._send(302, b"", headers={"Location": f"/chain?n={step + 1}"})

    def route_huge(self) -> None:
        self._stream_huge(announce=True)

    def route_huge_unannounced(self) -> None:
        self._stream_huge(announce=False)

    def _stream_huge(self, announce: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if announce:
            self.send_header("Content-Length", str(HUGE))
        self.end_headers()
        chunk = b"<p>" + b"x" * 65529 + b"</p>"
        written = 0
        try:
            while written < HUGE:
                self.wfile.write(chunk)
                written += len(chunk)
        except OSError:
            pass  # the client hung up, as it should
        finally:
            _Handler.sent[self.path] = written

    def route_image(self) -> None:
        self._send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")

    def route_json(self) -> None:
        self._send(200, b'{"privacy": true}', content_type="application/json")

    def route_latin(self) -> None:
        body = "<h1>Politique de confidentialité</h1><p>Données conservées 30 jours.</p>"
        self._send(200, body.encode("latin-1"), content_type="text/html; charset=iso-8859-1")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(_Handler) as base:
        yield base


def test_a_normal_page_is_fetched_and_read_as_a_saved_page(server: str) -> None:
    reports: list[tuple[int, int | None]] = []
    document = fetch_document(
        f"{server}/privacy", progress=lambda got, total: reports.append((got, total))
    )
    assert document.format is DocumentFormat.HTML
    assert document.title == "Fernhill Bikes Privacy Policy"
    assert [s.title for s in document.walk_sections()] == ["What we collect", "How long we keep it"]
    assert "Home" not in document.text
    assert document.path == f"{server}/privacy"
    assert document.metadata.source_url == f"{server}/privacy"
    assert document.metadata.extra["fetched_at"].endswith("+00:00")
    assert reports[0] == (0, len(PAGE)) and reports[-1] == (len(PAGE), len(PAGE))


def test_a_redirect_is_followed_and_the_final_address_recorded(server: str) -> None:
    result = fetch(f"{server}/moved")
    assert result.url == f"{server}/privacy" and result.requested_url == f"{server}/moved"
    assert result.data == PAGE


@pytest.mark.timing
def test_a_slow_server_times_out_with_a_clear_message(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/slow", timeout=0.5)
    assert time.monotonic() - started < 2
    assert caught.value.reason is FetchProblem.TIMEOUT
    assert "did not answer in time" in str(caught.value)


@pytest.mark.timing
def test_a_server_that_drips_its_page_hits_the_overall_timeout(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/drip", timeout=1.0)
    assert caught.value.reason is FetchProblem.TIMEOUT
    assert time.monotonic() - started < 2.5


def test_a_missing_page_says_404(server: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/gone")
    assert caught.value.reason is FetchProblem.HTTP_STATUS and caught.value.status == 404
    assert str(caught.value) == f"There is no page at {server}/gone (HTTP 404); check the address."


def test_a_redirect_loop_is_stopped(server: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/loop-a")
    assert caught.value.reason is FetchProblem.REDIRECTS
    assert "redirects in a loop" in str(caught.value)


def test_an_endless_redirect_chain_stops_after_the_limit(server: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/chain", max_redirects=5)
    assert caught.value.reason is FetchProblem.REDIRECTS
    assert "more than 5 times" in str(caught.value)


def test_a_100_mb_response_is_refused_by_its_announced_length(server: str) -> None:
    reports: list[int] = []
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/huge", progress=lambda got, total: reports.append(got))
    assert caught.value.reason is FetchProblem.TOO_LARGE
    assert str(caught.value).startswith(f"The page at {server}/huge is 100 MB;")
    assert "up to 10 MB" in str(caught.value)
    assert reports == []  # refused before reading the body


def test_a_100_mb_response_without_a_length_is_cut_at_the_cap(server: str) -> None:
    reports: list[int] = []
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/huge-unannounced", progress=lambda got, total: reports.append(got))
    assert caught.value.reason is FetchProblem.TOO_LARGE
    assert "larger than 10 MB" in str(caught.value)
    assert max(reports) <= 10 * 1024 * 1024
    deadline = time.monotonic() + 5
    while "/huge-unannounced" not in _Handler.sent and time.monotonic() < deadline:
        time.sleep(0.05)
    # The server stopped soon after the client hung up: far from all 100 MB went out.
    assert _Handler.sent["/huge-unannounced"] < 30 * 1024 * 1024


def test_an_image_is_not_a_page(server: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}/image")
    assert caught.value.reason is FetchProblem.NOT_A_PAGE
    assert str(caught.value) == (
        f"{server}/image is an image (image/png), not a web page or a document policyreader "
        "can read."
    )


def test_json_is_not_a_page(server: str) -> None:
    with pytest.raises(FetchError, match=r"JSON data \(application/json\)"):
        fetch(f"{server}/json")


def test_the_declared_charset_decodes_the_page(server: str) -> None:
    document = fetch_document(f"{server}/latin")
    assert "Données conservées 30 jours." in document.text


def test_nothing_listens_gives_a_connection_message() -> None:
    with pytest.raises(FetchError) as caught:
        fetch("http://127.0.0.1:9/privacy", timeout=2)
    assert caught.value.reason in (FetchProblem.CONNECTION, FetchProblem.TIMEOUT)
    assert "127.0.0.1" in str(caught.value)


@pytest.mark.parametrize(
    "address", ["file:///etc/passwd", "ftp://example.org/policy", "javascript:alert(1)", "http://"]
)
def test_only_http_and_https_addresses_are_fetched(address: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(address)
    assert caught.value.reason is FetchProblem.BAD_ADDRESS


def test_address_helpers() -> None:
    assert normalise_url(" example.org/privacy ") == "https://example.org/privacy"
    assert looks_like_url("https://example.org/privacy")
    assert not looks_like_url("policy.html")
