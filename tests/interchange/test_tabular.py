"""CSV and JSON Lines: importing, bad input, and the command's options."""

import json
import re

import pytest
from django.core.management import CommandError

from dayfacts.facts.models import Fact, Topic

pytestmark = pytest.mark.django_db

CSV = (
    "month,day,year,kind,title,summary,topics,featured,notability\n"
    "3,20,1952,event,Treaty ratified,The Senate voted.,Politics|Asia,true,5\n"
    "3,21,44 BC,death,Someone dies,,,,\n"
    '12,31,,holiday,"New Year\'s Eve, everywhere",,Holidays,,\n'
)


def test_csv_rows_become_facts(run_import, write):
    report = run_import("csv", write("facts.csv", CSV))
    treaty = Fact.objects.get(title="Treaty ratified")
    assert (treaty.month, treaty.day, treaty.year, treaty.kind) == (3, 20, 1952, "event")
    assert treaty.featured and treaty.notability == 5 and treaty.is_published
    assert sorted(t.name for t in treaty.topics.all()) == ["Asia", "Politics"]
    assert Fact.objects.get(title="Someone dies").year == -44
    assert Fact.objects.get(month=12, day=31).title == "New Year's Eve, everywhere"
    assert re.search(r"total\s+│\s+3 │", report)


def test_an_edited_row_is_left_alone_unless_update(run_import, write):
    path = write("facts.csv", CSV)
    run_import("csv", path)
    path.write_text(CSV.replace("The Senate voted.", "The Senate voted 66 to 10."))
    report = run_import("csv", path)
    assert Fact.objects.get(title="Treaty ratified").summary == "The Senate voted."
    assert "differs from the database (use --update)" in report
    report = run_import("csv", path, "--update")
    assert Fact.objects.get(title="Treaty ratified").summary == "The Senate voted 66 to 10."
    assert re.search(r"event\s+│\s+0 │\s+1 │", report)
    assert Fact.objects.count() == 3


def test_dry_run_reports_and_writes_nothing(run_import, write):
    report = run_import("csv", "--dry-run", write("facts.csv", CSV))
    assert re.search(r"total\s+│\s+3 │", report) and "Dry run" in report
    assert not Fact.objects.exists() and not Topic.objects.exists()


GOOD = {
    "csv": ("more.csv", CSV.replace("Treaty", "Pact")),
    "jsonl": ("more.jsonl", '{"type": "fact", "month": 1, "day": 2, "title": "Pact"}\n'),
}
BAD_INPUTS = [
    ("csv", "empty.csv", b"", r"empty.csv: the file is empty"),
    ("csv", "latin1.csv", "month,day,title\n3,20,Caf\u00e9\n".encode("latin-1"),
     r"latin1.csv, line 2: not UTF-8 text"),
    ("csv", "wrong.csv", b'{"type": "fact"}\n', r"wrong.csv, line 1: not a facts CSV"),
    ("csv", "quote.csv", b'month,day,title\n3,20,"unclosed\n',
     r"quote.csv, line \d+: not valid CSV"),
    ("csv", "bad.csv", b"month,day,title\n3,20,Fine\n2,30,No such day\n",
     r"bad.csv, line 3: February has no day 30"),
    ("csv", "year.csv", b"month,day,year,title\n3,20,soon,Fine\n",
     r"year.csv, line 2: column year: 'soon' is not a year"),
    ("jsonl", "broken.jsonl", b'{"type": "fact", "month": 3, "day": 20, "title": "A"}\n{"type": \n',
     r"broken.jsonl, line 2: not valid JSON"),
    ("jsonl", "notjson.jsonl", b"month,day,title\n", r"notjson.jsonl, line 1: not JSON Lines"),
    ("jsonl", "kind.jsonl", b'{"type": "fact", "month": 3, "day": 20, "title": "A", "kind": "x"}\n',
     r"kind.jsonl, line 1: kind 'x': Value 'x' is not a valid choice. Choose one of: event"),
    ("jsonl", "orphan.jsonl", b'{"type": "comment", "key": "c1", "fact": "nope", "name": "A", '
     b'"text": "Hi"}\n', r"orphan.jsonl, line 1: the comment's fact 'nope' is not in the file"),
]


@pytest.mark.parametrize("format, name, content, message", BAD_INPUTS,
                         ids=[b[1] for b in BAD_INPUTS])
def test_bad_input_names_file_and_place_and_changes_nothing(
        run_import, write, database_state, format, name, content, message):
    run_import("csv", write("good.csv", CSV))
    before = database_state()
    # A good file before the bad one is rolled back with it.
    good = GOOD[format]
    with pytest.raises(CommandError, match=message) as error:
        run_import(format, write(good[0], good[1]), write(name, content))
    assert "Nothing was imported" in str(error.value)
    assert database_state() == before


def test_skip_bad_imports_the_good_rows_and_lists_the_bad(run_import, write):
    path = write("bad.csv", "month,day,title\n3,20,Fine\n2,30,No such day\n3,21,Also fine\n")
    report = run_import("csv", "--skip-bad", path)
    assert sorted(Fact.objects.values_list("title", flat=True)) == ["Also fine", "Fine"]
    assert "bad.csv, line 3: February has no day 30" in report
    assert re.search(r"total\s+│\s+2 │\s+0 │\s+0 │\s+0 │\s+1", report)


def test_unknown_format_and_list(run_import):
    with pytest.raises(CommandError, match=r"Unknown format 'doc'; known formats: bsd, csv"):
        run_import("doc", "x")
    listing = run_import("--list")
    for name in ("bsd", "csv", "jsonl", "muffinlabs", "wikipedia", "wxr"):
        assert re.search(rf"│ {name}\s+│", listing), name


def test_jsonl_topics_facts_and_threads(run_import, write):
    lines = [
        {"type": "topic", "name": "Politics", "slug": "politics", "description": "Votes."},
        {"type": "fact", "slug": "treaty-1952", "month": 3, "day": 20, "year": 1952,
         "title": "Treaty ratified", "topics": ["Politics"], "body": "The *Senate*.",
         "publish_at": "2024-01-01T00:00:00+00:00"},
        {"type": "comment", "key": "c2", "fact": "treaty-1952", "parent": "c1", "name": "Bo",
         "text": "Agreed.", "status": "approved", "created": "2024-01-03T10:00:00+00:00"},
        {"type": "comment", "key": "c1", "fact": "treaty-1952", "parent": None, "name": "Al",
         "email": "al@example.org", "text": "Great.", "status": "approved",
         "created": "2024-01-02T10:00:00+00:00"},
    ]
    path = write("site.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    run_import("jsonl", path)
    fact = Fact.objects.get(slug="treaty-1952")
    assert fact.body_html == "<p>The <em>Senate</em>.</p>"
    assert Topic.objects.get(slug="politics").description == "Votes."
    reply = fact.comments.get(name="Bo")
    assert reply.parent.name == "Al" and reply.depth == 2
    assert reply.parent.email == "al@example.org"
    assert reply.created.isoformat() == "2024-01-03T10:00:00+00:00"
    report = run_import("jsonl", path)
    assert fact.comments.count() == 2
    assert re.search(r"comment\s+│\s+0 │\s+0 │\s+2 │", report)


def test_a_committed_import_says_so_once(run_import, write):
    from dayfacts.interchange.signals import import_finished

    heard = []

    def listener(sender, stats, **kwargs):
        heard.append((sender.name, stats.total("created")))

    import_finished.connect(listener)
    try:
        path = write("facts.csv", CSV)
        run_import("csv", "--dry-run", path)
        assert heard == []
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            run_import("csv", path)
    finally:
        import_finished.disconnect(listener)
    assert heard == [("csv", 3)]


def test_year_zero_is_refused_with_its_line(run_import, write):
    with pytest.raises(CommandError, match=r"zero.csv, line 2: there is no year 0"):
        run_import("csv", write("zero.csv", "month,day,year,title\n3,20,0,Nothing\n"))
