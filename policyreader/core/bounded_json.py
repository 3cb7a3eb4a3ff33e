"""JSON from other people's files, parsed only within a size and a nesting-depth bound.

``loads_bounded`` is the one parser for untrusted JSON (review bundles, imported notes): it refuses
input over the size cap or nested deeper than ``max_depth`` before ``json`` recurses into it, and
every way the input can be wrong ends in ``UntrustedJsonError`` with a sentence for the user.
"""

from __future__ import annotations

import json
from array import array
from itertools import accumulate
from typing import Any

# Notes and a policy's blocks nest five or six levels; 64 leaves room for others' generators.
MAX_DEPTH = 64
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
# Opening brackets count +1, closing ones -1 (as signed bytes).
_STEPS = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")


class UntrustedJsonError(ValueError):
    """JSON that is malformed, too large or too deep; ``str(error)`` says which."""


def loads_bounded(data: str | bytes, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` within bounds; only ``UntrustedJsonError`` escapes."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise UntrustedJsonError(f"it is larger than {max_bytes // 1048576 or 1} MB")
    if nesting_depth(raw) > max_depth:
        raise UntrustedJsonError(f"it is nested more than {max_depth} levels deep")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise UntrustedJsonError("it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UntrustedJsonError(f"it is not JSON ({error})") from None
    except (ValueError, RecursionError, MemoryError) as error:  # e.g. a number of 5,000 digits
        raise UntrustedJsonError(f"it cannot be read as JSON ({type(error).__name__})") from None


def nesting_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects, counted outside strings (linear, no recursion)."""
    # Escaped backslashes go first, then escaped quotes: what is left of each string is its two
    # quotes and what lies between them, so every other piece of a split on quotes is outside one.
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(unescaped.translate(None, _NOT_STRUCTURE).split(b'"')[::2])
    steps = array("b", outside.translate(_STEPS))
    return max(accumulate(steps), default=0)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
