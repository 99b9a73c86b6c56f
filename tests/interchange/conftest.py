import json
from io import StringIO

import pytest
from django.core.management import call_command

from dayfacts.comments.models import Comment
from dayfacts.facts.models import Fact, Topic


def run(command, *args):
    """Run a management command; return what it printed."""
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def run_import(db):
    """`dayfacts import ...` as a function returning the report."""
    return lambda *args: run("import", *(str(a) for a in args))


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path (text, bytes or an object as JSON) and return its path."""

    def write(name, content):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content), encoding="utf-8")
        return path

    return write


@pytest.fixture
def database_state(db):
    """A snapshot of everything an import may touch, to prove a failed one left no trace."""

    def state():
        return (
            sorted(Fact.objects.values_list("slug", "title", "year", "updated")),
            sorted(Topic.objects.values_list("name", "description")),
            sorted(Comment.objects.values_list("name", "text", "status")),
        )

    return state
