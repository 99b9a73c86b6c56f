"""The models' own field checks, run on every imported record before it is written.

The loader writes with bulk inserts, which skip model validation: here each value a record
sets goes through its model field's `clean()` (choices, lengths, web-only addresses, slugs,
number ranges...), so an import stores nothing the admin would refuse. Uniqueness is left
to the loader, which makes slugs unique and matches keys before it inserts.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

_UNSET = object()
# Forms refuse a NUL character in text, and PostgreSQL cannot store one.
no_nul = ProhibitNullCharactersValidator()


class FieldCheck:
    """Clean values with one model's fields; `blank` names those an import may leave empty."""

    def __init__(self, model, names, *, blank=()):
        self.fields = {name: model._meta.get_field(name) for name in names}
        self.blank = frozenset(blank)
        # The last value met per field and its cleaned form: a source repeats its licence,
        # its attribution and often its address record after record, and an address costs
        # a regular expression to check.
        self.last: dict[str, tuple] = {}

    def clean(self, values: dict) -> dict:
        """Return `values` as the fields store them; ValueError names a field it refuses."""
        cleaned = {}
        for name, value in values.items():
            last = self.last.get(name, (_UNSET, None))
            if type(value) is type(last[0]) and value == last[0]:
                cleaned[name] = last[1]
                continue
            field = self.fields[name]
            if name in self.blank and value in field.empty_values:
                cleaned[name] = value
                continue
            try:
                cleaned[name] = field.clean(value, None)
                if isinstance(cleaned[name], str):
                    no_nul(cleaned[name])
            except ValidationError as error:
                raise ValueError(describe(name, value, field, error)) from None
            self.last[name] = (value, cleaned[name])
        return cleaned


def describe(name, value, field, error) -> str:
    """Say which field refused which value, and why, in the model's words."""
    shown = str(value)
    shown = repr(shown if len(shown) <= 60 else shown[:59] + "…")
    message = " ".join(dict.fromkeys(error.messages))  # two URL validators, one complaint
    if any(e.code == "invalid_choice" for e in error.error_list):
        message += f" Choose one of: {', '.join(str(key) for key, _ in field.flatchoices)}."
    return f"{name} {shown}: {message}"
