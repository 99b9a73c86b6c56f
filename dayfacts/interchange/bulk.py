"""Plain multi-row inserts for large imports.

`QuerySet.bulk_create` compiles every value of every row through the ORM, which costs more
than the database's own work at Wikipedia's size (130,000 facts). Here each column's
conversion is chosen once and rows go to the driver's `executemany` (SQLite) or to COPY
(PostgreSQL). Columns come from the
model's fields, with their defaults, so a field added later is filled like the ORM would.
"""

from django.db import connection, models

# Fields whose Python value the drivers take as it is.
PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
         models.ForeignKey)


def insert_rows(model, rows):
    """Insert dicts of attribute values (missing ones take the field's default)."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    columns, converters, defaults = [], [], []
    for field in fields:
        columns.append(connection.ops.quote_name(field.column))
        converters.append(None if isinstance(field, PLAIN) else _converter(field))
        defaults.append(field.get_default() if field.has_default() or field.null else None)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(model._meta.db_table), ", ".join(columns),
        ", ".join(["%s"] * len(columns)),
    )
    pairs = [(f.attname, default) for f, default in zip(fields, defaults, strict=True)]
    params = [[row.get(name, default) for name, default in pairs] for row in rows]
    for index, convert in enumerate(converters):
        if convert is not None:
            for values in params:
                if values[index] is not None:
                    values[index] = convert(values[index])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one statement for the lot, so a statement trigger (the search index's)
            # runs once, not once per row as executemany's separate INSERTs would have it.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                connection.ops.quote_name(model._meta.db_table), ", ".join(columns))
            with cursor.cursor.copy(copy_sql) as copy:
                for values in params:
                    copy.write_row(values)
        else:
            cursor.executemany(sql, params)


def _converter(field):
    # Imports stamp every row with the same few times: convert each distinct value once.
    seen = {}

    def convert(value):
        try:
            return seen[value]
        except KeyError:
            seen[value] = field.get_db_prep_save(value, connection)
            return seen[value]
        except TypeError:  # unhashable
            return field.get_db_prep_save(value, connection)

    return convert
