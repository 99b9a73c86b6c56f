"""Statements the ORM writes once per shape, in each process, and runs again with new values.

A day page asks the same few questions of every day: its headline, its counts and its
lists, each a UNION ALL of a dozen filtered parts. The database answers them in well under
a millisecond; building and compiling the querysets takes the ORM ten times that. Two days'
statements differ only in their values (the month and day, the moment "now", the fact left
out), so the SQL is written by the ORM once for each shape, with stand-in values, and each
later call binds its own values in their places. The rules stay where they are, on the
querysets: this module only remembers what the ORM wrote for them.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.db import connections, router
from django.db.models.query import ModelIterable

# Stand-ins are numbers and moments that no real statement uses, so that each is found in
# the compiled parameters by its value alone. The numbers fit a small integer column: on
# PostgreSQL, the ORM answers a lookup beyond a column's range with no statement at all.
FIRST_STAND_IN = 31_001
STAND_IN_MOMENT = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)

_written = {}


@dataclass(frozen=True)
class StandInDay:
    """What the querysets read of a MonthDay: its month and its day."""

    month: int
    day: int


def _stand_ins(value, numbers):
    """The stand-in for a value, and the (stand-in, value) pairs of its leaves, in order."""
    if value is None:
        return None, []
    if isinstance(value, (list, tuple)):
        pairs, stand_ins = [], []
        for item in value:
            stand_in, item_pairs = _stand_ins(item, numbers)
            stand_ins.append(stand_in)
            pairs += item_pairs
        return stand_ins, pairs
    if isinstance(value, datetime.datetime):
        moment = STAND_IN_MOMENT + datetime.timedelta(seconds=next(numbers))
        return moment, [(moment, value)]
    if isinstance(value, int):
        number = FIRST_STAND_IN + next(numbers)
        return number, [(number, value)]
    if hasattr(value, "month") and hasattr(value, "day"):
        month, day = FIRST_STAND_IN + next(numbers), FIRST_STAND_IN + next(numbers)
        return StandInDay(month, day), [(month, value.month), (day, value.day)]
    raise TypeError(f"No stand-in for {value!r}")


def _shape(value):
    """What the SQL depends on beyond the values: how many there are and which are None."""
    if isinstance(value, (list, tuple)):
        return tuple(_shape(item) for item in value)
    return None if value is None else type(value).__name__


def _bound(value, connection):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def run(model, key, build, *values):
    """Run `build(*values)`'s statement; with SQL written for an earlier call of this shape.

    `build` returns a queryset of `model` and may depend on `values` only through them
    (days, moments, ids, lists of these, or None, which is part of the shape). Answers
    model instances for a queryset of instances, tuples for `values_list()`.
    """
    alias = router.db_for_read(model)
    connection = connections[alias]
    shape = (alias, key, _shape(values))
    written = _written.get(shape)
    if written is None:
        numbers = itertools.count()
        stand_ins, pairs = _stand_ins(values, numbers)
        queryset = build(*stand_ins)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        slots = {_bound(stand_in, connection): index
                 for index, (stand_in, _) in enumerate(pairs)}
        places = [slots.get(param) for param in params]
        if len({place for place in places if place is not None}) != len(slots):
            raise ValueError(f"Some values of {key!r} are not parameters of its statement")
        names = None
        if queryset._iterable_class is ModelIterable:
            names = _field_names(compiler)
        written = _written[shape] = (sql, tuple(params), places, names)
    sql, params, places, names = written
    leaves = [value for _, value in _stand_ins(values, itertools.count())[1]]
    bound = [param if place is None else _bound(leaves[place], connection)
             for param, place in zip(params, places, strict=True)]
    if names is not None:
        return list(model._default_manager.db_manager(alias).raw(sql, bound, translations=names))
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        return cursor.fetchall()



def _field_names(compiler):
    """The field each column of a statement's rows fills, by the column's name in the rows.

    A plain statement names its columns as the fields' columns; the ORM names those of
    a compound one col1, col2, ... in the order it selects them.
    """
    return {f"col{number}": expression.target.attname
            for number, (expression, _, _) in enumerate(compiler.select, start=1)}
