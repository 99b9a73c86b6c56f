"""Importers fed mutated real files: an import, or a clear error and the database as it was."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dayfacts.facts.models import Fact

FILES = Path(__file__).resolve().parents[1] / "interchange" / "files"
# Bytes that break formats in interesting ways: encodings, quotes, brackets, escapes, nulls.
NASTY = [b"\x00", b"\xff\xfe", b"\xc3", b"\r", b"\n\t", b'"', b"'", b",", b"{", b"}", b"[",
         b"<", b"&", b"]]>", b"\\", b"\\u", b"\t", b"/", b"-", b"BC", b"99", b"02/30", b"0"]

mutation = st.tuples(
    st.sampled_from(["delete", "insert", "replace", "truncate", "repeat"]),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=1, max_value=64),
    st.sampled_from(NASTY) | st.binary(min_size=1, max_size=8),
)


def mutate(data, mutations):
    """Apply a list of byte-level edits to `data`."""
    for operation, where, size, payload in mutations:
        at = int(where * len(data))
        if operation == "delete":
            data = data[:at] + data[at + size:]
        elif operation == "insert":
            data = data[:at] + payload + data[at:]
        elif operation == "replace":
            data = data[:at] + payload + data[at + len(payload):]
        elif operation == "truncate":
            data = data[:at]
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at) + 1 or len(data)
            data = data[:end] + data[start:end] * 2 + data[end:]
    return data


def snapshot():
    return sorted(Fact.objects.values_list("slug", "title", "month", "day", "year", "summary"))


def originals(shared_data, almanac, tmp_path):
    """A real file of each format: the shipped data sets, trimmed, and our own exports."""
    bsd = (shared_data / "bsd-calendar" / "calendar.history").read_bytes()
    day = json.loads((shared_data / "wikipedia-onthisday" / "03-20.json").read_text())
    day["data"] = {kind: items[:6] for kind, items in day["data"].items()}
    found = {
        "bsd": ("calendar.history", b"\n".join(bsd.splitlines()[:120]) + b"\n"),
        "muffinlabs": ("03-20.json", json.dumps(day, ensure_ascii=False).encode()),
    }
    for name, suffix in [("csv", ".csv"), ("jsonl", ".jsonl")]:
        out = tmp_path / f"export{suffix}"
        call_command("export", name, "-o", str(out), stdout=io.StringIO())
        found[name] = (f"facts{suffix}", out.read_bytes())
    wxr = FILES / "site-1.2.xml"
    if wxr.exists():
        found["wxr"] = ("site.xml", wxr.read_bytes())
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("format_name", ["bsd", "muffinlabs", "csv", "jsonl", "wxr"])
def test_a_mutated_file_imports_or_fails_clearly_leaving_the_database_as_it_was(
        shared_data, almanac, tmp_path, format_name):
    sources = originals(shared_data, almanac, tmp_path)
    if format_name not in sources:
        pytest.skip(f"no real {format_name} file to mutate")
    filename, original = sources[format_name]

    @given(st.lists(mutation, min_size=1, max_size=4))
    @hypothesis_settings(max_examples=25)
    def check(mutations):
        path = tmp_path / "in" / filename
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(mutate(original, mutations))
        before = snapshot()
        try:
            call_command("import", format_name, str(path), "--no-progress",
                         stdout=io.StringIO(), stderr=io.StringIO())
            event("imported")
        except CommandError as error:
            event("refused")
            message = str(error)
            assert filename in message, f"the error does not name the file: {message}"
            assert snapshot() == before, "a failed import changed the database"

    check()


# Values an attacker puts in a record's fields: script addresses, paths for slugs, unknown
# choices, over-long and NUL-bearing text.
HOSTILE = st.sampled_from([
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>", "ftp://files.example/x", "//evil.example/",
    "a b", "a/b", "../..", "%2e%2e", "secret", "x" * 301, "t\x00t", "", "https://ok.example/",
])
RECORD_FIELDS = st.sampled_from(["source_url", "slug", "status", "kind", "title", "licence",
                                 "source_name", "attribution"])


def write_records(path, facts):
    """Write fact objects as JSON Lines or as CSV, by the file's suffix."""
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps({"type": "fact", **f}) + "\n" for f in facts))
        return
    with path.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=sorted({k for f in facts for k in f}))
        writer.writeheader()
        writer.writerows(facts)


@pytest.mark.django_db
@pytest.mark.parametrize("format_name, filename, place",
                         [("jsonl", "facts.jsonl", "line 2"), ("csv", "facts.csv", "line 3")])
def test_hostile_field_values_are_refused_or_never_stored(tmp_path, format_name, filename,
                                                           place):
    path = tmp_path / filename

    @given(st.dictionaries(RECORD_FIELDS, HOSTILE | st.text(max_size=20), min_size=1,
                           max_size=3))
    @hypothesis_settings(max_examples=40)
    def check(values):
        good = {"month": 3, "day": 21, "title": "A good fact", "slug": "a-good-fact"}
        write_records(path, [good, {"month": 3, "day": 20, "title": "Hostile", **values}])
        before = snapshot()
        try:
            call_command("import", format_name, str(path), "--no-progress",
                         stdout=io.StringIO(), stderr=io.StringIO())
        except CommandError as error:
            event("refused")
            assert f"{filename}, {place}: " in str(error)
            assert snapshot() == before
            return
        event("imported")
        # What was stored passes the same checks as a fact typed in the admin.
        for fact in Fact.objects.all():
            fact.full_clean(validate_unique=False, validate_constraints=False)
        Fact.objects.all().delete()

    check()
