"""The day page's headlines, counts and lists, written as SQL once, not compiled per request.

The day page is the site's busiest page that the page cache cannot always answer (a first
visit, an edit). Django compiles a queryset afresh on every request: for the headlines, the
four bounded lists and their counts that took about 3 ms of a 15 ms page on SQLite and 4 on
PostgreSQL, more than the database took to answer. Each statement here says what a
queryset named in its docstring says, in words both databases read the same way;
tests/facts/test_managers.py holds each to its queryset.
"""

from django.db import connections, models
from django.utils import timezone


def _columns(model, connection, *names):
    """{field name: its column, quoted for the connection}."""
    return {name: connection.ops.quote_name(model._meta.get_field(name).column)
            for name in names}


def _table(model, connection):
    return connection.ops.quote_name(model._meta.db_table)


def _by_notability(model, connection):
    """by_notability()'s order as an ORDER BY list: most notable, then the older, then id."""
    column = _columns(model, connection, "notability", "year", "id")
    return (f"{column['notability']} DESC, {column['year']} ASC NULLS LAST,"
            f" {column['id']} ASC")


def _bounded_union(selects):
    """One statement of several bounded SELECTs: both databases take each as a subquery of
    a compound one (PostgreSQL 15 wants each named)."""
    return " UNION ALL ".join(f"SELECT * FROM ({select}) AS part_{n}"
                              for n, select in enumerate(selects))


class FactManager(models.Manager):
    def headline(self, day):
        """The fact a day's page leads with, or None when the day has no entries.

        The rule: a featured fact of that day (the most recently updated if several);
        otherwise the most notable event; otherwise the most notable entry of any kind.
        """
        return self.headlines(day)[day]

    def headlines(self, *days, now=None):
        """Each day's headline (see headline()), keyed by day, None for a day without entries.

        A day page asks for itself and both its neighbours, a month page for 31 days. One
        statement finds each day's newest featured fact: per day, the first visible one of
        published().on(day).featured().order_by("-updated", "pk"), read from the index of
        featured facts, so a day featured year after year costs one row, not all of them.
        The days without one (an almanac imported from elsewhere has none) take one more
        for the first of published().on(day).events().by_notability(), read from the day
        index; only a day with no events at all is asked on its own.
        """
        from .models import Kind

        found, now = {}, now or timezone.now()
        missing = list(days)
        for rule in ("featured", Kind.EVENT):
            if missing:
                found.update((fact.monthday, fact)
                             for fact in self._first_on_each_day(missing, rule, now))
                missing = [day for day in missing if day not in found]
        for day in missing:
            found[day] = self.get_queryset().published(now).on(day).by_notability().first()
        return {day: found[day] for day in days}

    def _first_on_each_day(self, days, rule, now):
        """Each day's first visible featured fact (rule "featured") or most notable fact of
        a kind, in one statement of a bounded SELECT per day."""
        connection = connections[self.db]
        table = _table(self.model, connection)
        column = _columns(self.model, connection, "id", "featured", "updated", "kind")
        if rule == "featured":
            # "featured" as the index's own condition, so that each SELECT implies it.
            condition, extra = column["featured"], []
            order = f"{column['updated']} DESC, {column['id']} ASC"
        else:
            condition, extra = f"{column['kind']} = %s", [rule]
            order = _by_notability(self.model, connection)
        selects, params = [], []
        for day in days:
            where, visible = self._visible_on([day], now, connection)
            selects.append(f"SELECT * FROM {table} WHERE {where} AND {condition}"
                           f" ORDER BY {order} LIMIT 1")
            params += [*visible, *extra]
        return self.raw(_bounded_union(selects), params)

    def _visible_on(self, days, now, connection):
        """`published(now).on(*days)` as a WHERE clause and its parameters."""
        from .models import Status

        column = _columns(self.model, connection, "month", "day", "status", "publish_at")
        on_days = " OR ".join(f"({column['month']} = %s AND {column['day']} = %s)"
                              for _ in days)
        sql = (f"({on_days}) AND {column['status']} IN (%s, %s)"
               f" AND {column['publish_at']} <= %s")
        params = [value for day in days for value in (day.month, day.day)]
        params += [Status.PUBLISHED, Status.SCHEDULED,
                   connection.ops.adapt_datetimefield_value(now or timezone.now())]
        return sql, params

    def day_counts(self, days, *, now=None):
        """How many facts readers may see on these days, by kind: {kind: n}.

        The same as published().on(*days) counted per kind; the day index answers it alone.
        """
        connection = connections[self.db]
        where, params = self._visible_on(days, now, connection)
        kind = _columns(self.model, connection, "kind")["kind"]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {kind}, COUNT(*) FROM {_table(self.model, connection)}"
                           f" WHERE {where} GROUP BY {kind}", params)
            return dict(cursor.fetchall())

    def top_of_each_kind(self, days, kinds, limit, *, leave_out=None, now=None):
        """The `limit` most notable facts of each kind on these days, as {kind: [facts]}.

        The same as published().on(*days).exclude(pk=leave_out).of_kind(kind)
        .by_notability()[:limit] for each kind, in one statement (a UNION ALL of one
        bounded SELECT per kind, each read from the day index in notability order), and
        with only the columns a list shows (LIST_FIELDS): a day page lists some eighty
        entries, and their articles' HTML and timestamps would be read for nothing.
        """
        from .models import LIST_FIELDS

        found = {kind: [] for kind in kinds}
        if not kinds:
            return found
        connection = connections[self.db]
        where, visible = self._visible_on(days, now, connection)
        column = _columns(self.model, connection, "id", "kind", *LIST_FIELDS)
        where += f" AND {column['kind']} = %s"
        if leave_out is not None:
            where += f" AND {column['id']} <> %s"
        select = (
            f"SELECT {', '.join(column[name] for name in ('id', *LIST_FIELDS))}"
            f" FROM {_table(self.model, connection)} WHERE {where}"
            f" ORDER BY {_by_notability(self.model, connection)} LIMIT {int(limit)}"
        )
        sql = _bounded_union([select] * len(kinds))
        params = []
        for kind in kinds:
            params += [*visible, kind, *([leave_out] if leave_out is not None else [])]
        for fact in self.raw(sql, params):
            found[fact.kind].append(fact)
        return found
