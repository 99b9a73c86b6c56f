"""The questions a day page asks, answered in the facts' own queryset words.

A day page leads with a headline, counts the day's entries of each kind and lists the most
notable few of each; a month page shows each day's headline. Each answer is one statement
(two or three for headlines): a UNION ALL of one bounded part per day or per kind, each
read from an index in the order the part asks for.
"""

from django.db import models
from django.db.models import Count
from django.utils import timezone

from . import statements

# What a listed fact shows (the entries, the timeline, the JSON-LD and the credits), and
# what its list is ordered by: a day page lists some eighty entries, and their articles'
# HTML and timestamps would be read for nothing.
LIST_FIELDS = ("month", "day", "year", "kind", "title", "slug", "summary", "body",
               "source_name", "licence", "attribution", "notability")


class FactManager(models.Manager):
    def headline(self, day):
        """The fact a day's page leads with, or None when the day has no entries."""
        return self.headlines(day)[day]

    def headlines(self, *days, now=None):
        """Each day's headline, keyed by day; None for a day without entries.

        The rule: the most recently updated featured fact of the day; failing that, its
        most notable event; failing that, its most notable entry of any kind. Each step
        asks only for the days the steps before it left without one.
        """
        rules = (
            lambda facts, day: facts.on(day).featured().order_by("-updated", "pk"),
            lambda facts, day: facts.on(day).events().by_notability(),
            lambda facts, day: facts.on(day).by_notability(),
        )
        now = now or timezone.now()
        found, missing = {}, list(days)
        for step, rule in enumerate(rules):
            if not missing:
                break

            def build(days, now, rule=rule):
                visible = self.get_queryset().published(now)
                return self.first_of_each([rule(visible, day) for day in days], 1)

            found.update((fact.monthday, fact) for fact in
                         statements.run(self.model, ("headlines", step), build, missing, now))
            missing = [day for day in missing if day not in found]
        return {day: found.get(day) for day in days}

    def day_counts(self, days, *, now=None):
        """How many facts readers may see on these days, by kind: {kind: n}."""
        def build(days, now):
            visible = self.get_queryset().published(now).on(*days)
            return visible.order_by().values_list("kind").annotate(n=Count("*"))

        return dict(statements.run(self.model, "day_counts", build,
                                   list(days), now or timezone.now()))

    def top_of_each_kind(self, days, kinds, limit, *, leave_out=None, now=None):
        """The `limit` most notable facts of each kind on these days, as {kind: [facts]},
        most notable first, each with only the fields a list shows (LIST_FIELDS)."""
        def build(days, now, leave_out):
            on_days = self.get_queryset().published(now).on(*days)
            if leave_out is not None:
                on_days = on_days.exclude(pk=leave_out)
            parts = [on_days.of_kind(kind).by_notability() for kind in kinds]
            return self.first_of_each(parts, limit, fields=LIST_FIELDS).by_notability()

        found = {kind: [] for kind in kinds}
        for fact in statements.run(self.model, ("top", tuple(kinds), limit), build,
                                   list(days), now or timezone.now(), leave_out):
            found[fact.kind].append(fact)
        return found

    def first_of_each(self, querysets, limit, fields=None):
        """The first `limit` facts of each queryset, in one statement (UNION ALL).

        SQLite refuses a LIMIT or an ORDER BY in a part of a compound statement, but takes
        them in a subquery: each part reads its ids there, in its own order.
        """
        parts = []
        for facts in querysets:
            part = self.filter(pk__in=facts.values("pk")[:limit]).order_by()
            parts.append(part.only(*fields) if fields else part)
        if not parts:
            return self.none()
        return parts[0].union(*parts[1:], all=True)
