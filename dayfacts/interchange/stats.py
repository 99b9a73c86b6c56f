"""What an import did: counts by kind and outcome, skips, problems and notes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from dayfacts.facts.models import Kind

from .records import Problem, Skip

OUTCOMES = ["created", "updated", "unchanged", "skipped", "errors"]


@dataclass
class Stats:
    """Counts by kind and outcome, the reasons things were skipped, and the problems met."""

    counts: Counter = field(default_factory=Counter)
    skip_reasons: Counter = field(default_factory=Counter)
    skipped: list[Skip] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # What the run did besides importing (an abandoned run rolled back first...).
    notes: list[str] = field(default_factory=list)

    def add(self, kind, outcome, n=1):
        self.counts[kind, outcome] += n

    def skip(self, item: Skip):
        self.add(item.kind or "other", "skipped")
        self.skip_reasons[item.reason] += 1
        self.skipped.append(item)

    def total(self, outcome):
        return sum(n for (_, out), n in self.counts.items() if out == outcome)

    def kinds(self):
        order = [*Kind.values, "comment", "other"]
        present = {kind for kind, _ in self.counts}
        return [k for k in order if k in present] + sorted(present - set(order))

    def rows(self):
        """(kind, created, updated, unchanged, skipped, errors) per kind, then a total row."""
        rows = [(kind, *(self.counts[kind, out] for out in OUTCOMES)) for kind in self.kinds()]
        rows.append(("total", *(self.total(out) for out in OUTCOMES)))
        return rows

    def snapshot(self):
        """The state to go back to should an input be taken back (restore())."""
        return (Counter(self.counts), Counter(self.skip_reasons), len(self.skipped),
                len(self.problems), len(self.notes))

    def restore(self, snapshot):
        self.counts, self.skip_reasons, skipped, problems, notes = snapshot
        del self.skipped[skipped:]
        del self.problems[problems:]
        del self.notes[notes:]
