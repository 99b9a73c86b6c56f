import json
import shutil
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from dayfacts.comments.models import Comment

FILES = Path(__file__).parent / "files"


def test_an_import_leaves_the_planner_statistics_current(
    tmp_path, db, django_capture_on_commit_callbacks
):
    day = {"date": "March 20", "url": "https://en.wikipedia.org/wiki/March_20", "data": {
        "Events": [{"year": str(1000 + n), "text": f"Event number {n}", "html": "",
                    "no_year_html": "", "links": []} for n in range(50)],
        "Births": [], "Deaths": []}}
    (tmp_path / "03-20.json").write_text(json.dumps(day))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "muffinlabs", str(tmp_path), "--no-progress", stdout=None)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'facts_fact' LIMIT 1")
            assert cursor.fetchone()[0].split()[0] == "50"
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'facts_fact'")
            assert cursor.fetchone()[0] == 50


def test_imported_commenters_are_found_whatever_the_case_of_their_email(tmp_path, db):
    wxr = tmp_path / "site.xml"
    shutil.copy(FILES / "site-1.2.xml", wxr)
    wxr.write_text(wxr.read_text().replace("ann@private.example", "Ann@Private.Example"))
    call_command("import", "wxr", str(wxr), "--no-progress", stdout=None)
    # Stored lower-cased, as typed comments are: the proof of an approved comment compares
    # addresses, and the index on email serves the lookup.
    assert Comment.objects.by_email("Ann@private.example").approved().exists()
