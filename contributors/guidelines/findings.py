"""Bounded bookkeeping for the guideline check: count every problem, build only the first few.

A text can break a rule a hundred thousand times ("synergy " * 80000). Counting each hit is cheap; making a
Problem (a message, a line and column) for each, sorting them and sending them is what took seconds and
megabytes. So a rule kind asks `count(rule)` for every hit and builds the Problem only when it says yes.
Lines and columns come from one index of line starts per text, searched with bisect, never by rescanning the
text from its start.
"""

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from contributors.guidelines.scanning import fold

_NEWLINE = re.compile("\n")


class LineIndex:
    """Where each line of a text starts, so any offset's (line, column) is a binary search away."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [match.end() for match in _NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


class Findings:
    """What the rules found: every hit counted, the first `per_rule` of each rule kept (None: all)."""

    def __init__(self, rules: Sequence, *, per_rule: int | None = None) -> None:
        self.per_rule = per_rule
        self.order = {id(rule): index for index, rule in enumerate(rules)}
        self.counts: dict = {}  # rule -> problems found
        self.kept: list[tuple[int, object]] = []  # (the rule's place in the list, its Problem)
        self._indexes: dict[int, tuple[str, LineIndex]] = {}
        self._folded: dict[int, tuple[str, str]] = {}

    def count(self, rule) -> bool:
        """Count one problem of `rule`; True when it is among those to build and keep. Called per hit: lean."""
        seen = self.counts[rule] = self.counts.get(rule, 0) + 1
        return self.per_rule is None or seen <= self.per_rule

    def full(self, rule) -> bool:
        """Whether `rule` keeps no more problems: further ones need only be counted (`add`)."""
        return self.per_rule is not None and self.counts.get(rule, 0) >= self.per_rule

    def add(self, rule, number: int) -> None:
        """Count `number` problems of a full rule at once."""
        if number:
            self.counts[rule] = self.counts.get(rule, 0) + number

    def keep(self, rule, problem) -> None:
        self.kept.append((self.order.get(id(rule), 0), problem))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def blocking(self) -> bool:
        return any(rule.severity == "error" for rule in self.counts)

    def folded(self, text: str) -> str:
        """The text lower-cased (scanning.fold), once per text however many rule kinds read it."""
        entry = self._folded.get(id(text))
        if entry is None or entry[0] is not text:
            entry = self._folded[id(text)] = (text, fold(text))
        return entry[1]

    def position(self, text: str, offset: int) -> tuple[int, int]:
        entry = self._indexes.get(id(text))
        if entry is None or entry[0] is not text:
            # The text is kept with its index so its id cannot be reused by another string meanwhile.
            entry = self._indexes[id(text)] = (text, LineIndex(text))
        return entry[1].position(offset)


@dataclass(frozen=True)
class CheckReport:
    """The problems to show (blocking first, in reading order, at most the caps) and how many there were."""

    problems: list
    total: int  # every problem found, shown or not
    blocking: bool  # whether any of them, shown or not, blocks a submit

    def __iter__(self):
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    @property
    def hidden(self) -> int:
        return self.total - len(self.problems)
