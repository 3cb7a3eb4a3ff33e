"""A one-line progress bar with rate and ETA, drawn on stderr only when it is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28
REDRAW_S = 0.2


def clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.shown = self.stream.isatty()
        self.done = 0
        self.started = time.monotonic()
        self._drawn = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.shown and (now - self._drawn >= REDRAW_S or self.done == self.total):
            self._drawn = now
            self.stream.write("\r" + self.line(now - self.started))
            self.stream.flush()

    def line(self, elapsed: float) -> str:
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * WIDTH)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = clock((self.total - self.done) / rate) if rate > 0 else "?"
        return f"[{bar:<{WIDTH}}] {self.done}/{self.total}  {rate:.1f} files/s  ETA {eta} "

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
