"""The share of an expected JSON's fields a parse gets right, leaf by leaf.

Every scalar inside the expected JSON (nested dicts and lists) is one field, named by its path
(`budget_summary[2].prior`). A field is right when the parse holds the same value, of the same
type, at the same path; a missing key or list element is wrong. Keys the expected JSON leaves
out are free, and `warnings` is not scored. An empty list or dict in the expected JSON is one
field that must be empty in the parse too.
"""

from collections.abc import Iterator
from typing import NamedTuple

SKIPPED = frozenset({"warnings"})
_MISSING = object()


class Score(NamedTuple):
    right: int
    total: int
    wrong: list[str]  # the paths of the wrong fields

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0


def _fields(expected: object, actual: object, path: str) -> Iterator[tuple[str, bool]]:
    if isinstance(expected, dict):
        if not expected:
            yield path, actual == {}
            return
        for key, value in expected.items():
            if key in SKIPPED:
                continue
            found = actual.get(key, _MISSING) if isinstance(actual, dict) else _MISSING
            yield from _fields(value, found, f"{path}.{key}" if path else key)
    elif isinstance(expected, list):
        if not expected:
            yield path, actual == []
            return
        for index, value in enumerate(expected):
            present = isinstance(actual, list) and index < len(actual)
            yield from _fields(value, actual[index] if present else _MISSING, f"{path}[{index}]")
    else:
        yield path, type(actual) is type(expected) and actual == expected


def score(expected: dict, actual: dict) -> Score:
    results = list(_fields(expected, actual, ""))
    wrong = [path for path, right in results if not right]
    return Score(len(results) - len(wrong), len(results), wrong)
