"""Structure-aware mutations of review bundles and notes JSON for the fuzz tests."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

from tests.hostile.helpers import bundle_members, zip_members

Path_ = tuple[str | int, ...]

# Values of every JSON type, including the ones that have broken readers: huge integers, bools
# where integers go, markup, deep nesting, long strings.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 1, 2**31, 2**63, 2**63 - 1, 10**30]),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(['<a href="file:///etc/passwd">x</a>', "javascript:alert(1)", "x" * 100_000]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
RAW_MEMBERS = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"", b"[" * 50_000, b"{" * 10 + b"}" * 10, b"\xff\xfe\x00", b"1e99999"]),
    st.integers(1, 300).map(lambda n: ("[" * n + "]" * n).encode()),
)


def paths(value: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every path to a value inside ``value`` (keys and indexes), the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:6]):  # enough to reach each kind of entry
            found += paths(item, (*prefix, index))
    return found


def set_at(value: Any, path: Path_, new: Any, delete: bool = False) -> Any:
    if not path:
        return new
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return value


@st.composite
def mutated_json(draw: st.DrawFn, original: Any, max_mutations: int = 3) -> Any:
    """``original`` with a few values replaced by others of any type, or keys removed."""
    value = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, max_mutations))):
        where = draw(st.sampled_from(paths(value)))
        value = set_at(value, where, draw(VALUES), delete=draw(st.booleans()))
    return value


_VALID = bundle_members()


@st.composite
def bundles(draw: st.DrawFn) -> bytes:
    """Valid zips whose members have wrong types, depths, sizes and offsets, or are missing."""
    members: dict[str, Any] = copy.deepcopy(_VALID)
    for name in draw(st.lists(st.sampled_from(sorted(members)), min_size=1, max_size=3)):
        choice = draw(st.integers(0, 9))
        if choice == 0:
            members.pop(name, None)
        elif choice == 1:
            members[name] = draw(RAW_MEMBERS)
        elif name in members and not isinstance(members[name], bytes):
            members[name] = draw(mutated_json(members[name]))
    data = zip_members(members)
    if draw(st.integers(0, 9)) == 0:  # now and then a damaged archive too
        index = draw(st.integers(0, len(data) - 1))
        data = data[:index] + bytes([data[index] ^ 0xFF]) + data[index + 1 :]
    return data


def notes_json() -> st.SearchStrategy[str]:
    """Web Annotation JSON as exported, mutated, or raw bytes that are not JSON at all."""
    exported = _VALID["annotations.json"]
    if not exported["annotations"]:
        exported = {"annotations": [_SAMPLE_ANNOTATION]}
    mutated = mutated_json(exported, 4).map(lambda value: json.dumps(value))
    return st.one_of(mutated, RAW_MEMBERS.map(lambda raw: raw.decode("utf-8", "replace")))


_SAMPLE_ANNOTATION = {
    "type": "Annotation",
    "body": [{"type": "TextualBody", "value": "a note", "purpose": "commenting"}],
    "target": {
        "source": "x",
        "selector": [
            {"type": "TextQuoteSelector", "exact": "email address", "prefix": "", "suffix": ""},
            {"type": "TextPositionSelector", "start": 30, "end": 43},
        ],
    },
    "anchoring": "exact",
    "scope": "passage",
}
