"""Load time of wild text: a crawler hybrid and a BBCode forum post at 100 kB and 1 MB.

Prints the best of three loads (bytes to document, as opening a file does) and the 1 MB / 100 kB
ratio, which stays near 10 when loading is linear. The budget is under 1 s for each 1 MB file.

    python -m benchmarks.bench_wild_text
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policyreader.core.loading import load_bytes

SIZES = (100_000, 1_000_000)
BUDGET_S = 1.0
TOPICS = ("Account data", "Device logs", "Payment records", "Support tickets", "Backups", "Cookies")


def _sentences(section: int) -> list[str]:
    topic = TOPICS[section % len(TOPICS)]
    return [
        f"We keep the {topic.lower()} of section {section} only while your account is open,",
        "and we delete them within thirty days of a request",
        f"unless a law requires us to keep record {section} for longer.",
        "Our staff see this data only to answer your questions.",
    ]


def crawler_hybrid(size: int) -> str:
    """Mostly bare sentence-per-line text with stray <p>, <br>, <ul><li><p> and <strong> lead-ins."""
    parts = [" Privacy Policy <p>(Note that this page covers the example service only.)\n"]
    total, section = len(parts[0]), 0
    while total < size:
        topic = TOPICS[section % len(TOPICS)]
        chunk = f"<p>{topic} {section}\n<p>" + "\n".join(_sentences(section) * 2) + "\n"
        if section % 3 == 0:
            chunk += "<ul><li><p>Name and e-mail</li>\n<li><p>Sign-in times</li></ul>\n"
        if section % 3 == 1:
            chunk += f"<p><strong>Retention:</strong> record {section} goes after a year.\n<br>"
        parts.append(chunk)
        total += len(chunk)
        section += 1
    return "".join(parts)


def bbcode_post(size: int) -> str:
    """A forum post: [B] headings, [I]/[U] emphasis, [URL=] links and [LIST][*] items."""
    parts = ["[SIZE=5][B]Example Forum Privacy Policy[/B][/SIZE]\n[I]March 3, 2021[/I]\n\n"]
    total, section = len(parts[0]), 0
    while total < size:
        topic = TOPICS[section % len(TOPICS)]
        chunk = (
            f"[B]{topic} {section}[/B]\n"
            + " ".join(_sentences(section))
            + " See the [U]help[/U] page "
            + f"[URL=https://forum.example/help/{section}]for section {section}[/URL].\n"
            + "[LIST]\n[*]Posts you write\n[*][I]IP addresses[/I]\n[/LIST]\n\n"
        )
        parts.append(chunk)
        total += len(chunk)
        section += 1
    return "".join(parts)


def best_load_seconds(text: str, name: str, repeats: int = 3) -> float:
    data = text.encode("utf-8")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        load_bytes(data, name=name)
        best = min(best, time.perf_counter() - start)
    return best


def report(label: str, make: Callable[[int], str], name: str) -> bool:
    times = {}
    for size in SIZES:
        text = make(size)
        times[size] = best_load_seconds(text, name)
        print(f"{label:<16} {len(text) / 1e6:5.2f} MB  {times[size]:6.3f} s")
    ratio = times[SIZES[-1]] / times[SIZES[0]]
    ok = times[SIZES[-1]] < BUDGET_S
    print(f"{label:<16} 1 MB / 100 kB time ratio {ratio:4.1f}  budget < {BUDGET_S} s: ", end="")
    print("met" if ok else "NOT met")
    return ok


def main() -> int:
    ok = report("crawler hybrid", crawler_hybrid, "hybrid.txt")
    ok = report("BBCode post", bbcode_post, "post.txt") and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
