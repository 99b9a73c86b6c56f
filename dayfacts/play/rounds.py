"""A day's rounds of "which came first?": pairs of its notable events, one year apart or more.

Every reader of a day gets the same rounds: they are drawn with a seed made of the day and
the events drawn from, so they change only when the day's content does, and they are kept
per content generation like the day page's lists.
"""

import random
from dataclasses import dataclass

from dayfacts.days import format_year
from dayfacts.facts.models import Fact
from dayfacts.pagecache import generation

ROUNDS = 5
# The most notable events a day's rounds are drawn from: enough for five fresh pairs, few
# enough that each is an event the day is known for.
POOL = 20


@dataclass(frozen=True)
class Entry:
    """An event as a round shows it; what the page and the script need, nothing more."""

    title: str
    year: int
    url: str

    @property
    def year_display(self):
        return format_year(self.year)


@dataclass(frozen=True)
class Round:
    number: int
    first: Entry
    second: Entry

    @property
    def earlier(self):
        """Which of the two (1 or 2) came first."""
        return 1 if self.first.year < self.second.year else 2

    def entry(self, position):
        return self.first if position == 1 else self.second


def rounds_for(day):
    """The day's rounds, up to ROUNDS of them; none when its events span fewer than two years."""
    return generation.remember(f"play:rounds:{day.numeric}", lambda: draw(day))


def draw(day):
    """Draw the rounds from the day's most notable dated events."""
    facts = list(Fact.objects.published().on(day).events().exclude(year=None)
                 .by_notability().only("title", "slug", "year")[:POOL])
    if len({fact.year for fact in facts}) < 2:
        return []
    seed = f"{day.numeric}:" + ",".join(str(fact.pk) for fact in facts)
    chooser = random.Random(seed)
    chooser.shuffle(facts)
    rounds = []
    for number, (first, second) in enumerate(pairs(facts), start=1):
        if chooser.random() < 0.5:
            first, second = second, first
        rounds.append(Round(number, entry(first), entry(second)))
    return rounds


def pairs(facts):
    """Up to ROUNDS pairs of facts of different years, taken in order; each fact is used
    once while there are fresh ones, then a pair may share a fact, never a pair again."""
    candidates = [(a, b) for i, a in enumerate(facts) for b in facts[i + 1:] if a.year != b.year]
    chosen, used = [], set()
    for fresh_only in (True, False):
        for a, b in candidates:
            if len(chosen) == ROUNDS:
                return chosen
            if (a, b) in chosen or (fresh_only and (a.pk in used or b.pk in used)):
                continue
            chosen.append((a, b))
            used.update((a.pk, b.pk))
    return chosen


def entry(fact):
    """Describe a fact as a round shows it."""
    return Entry(fact.title, fact.year, fact.get_absolute_url())
