"""`dayfacts build OUTDIR`: the site as files, rewritten only where something changed."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse

from dayfacts.pagecache.export import MANIFEST


def mtimes(root):
    return {path: path.stat().st_mtime_ns for path in root.rglob("*") if path.is_file()}


def policy(page):
    """The Content-Security-Policy a page carries in its <head>, or None."""
    head = page.split("</head>")[0]
    found = re.search(r'<head>\s*<meta http-equiv="Content-Security-Policy" content="([^"]*)">',
                      head)
    return found and found.group(1).replace("&#x27;", "'")


def test_the_site_as_files_rebuilt_where_it_changed(almanac, make_fact, tmp_path, settings,
                                                    capsys):
    settings.SITE_URL = "https://dayfacts.example"
    settings.ALLOWED_HOSTS = ["dayfacts.example"]
    doomed = make_fact(title="A fact soon withdrawn", month=6, day=5, year=1977)
    built = tmp_path / "site"
    call_command("build", str(built))

    # Every day, fact, topic and year page, as index files.
    day = (built / "march/20/index.html").read_text()
    assert "The Senate ratifies the treaty" in day
    assert "The Senate rejects Versailles" in (built / "march/19/index.html").read_text()
    assert (built / "february/29/index.html").is_file()
    assert len(list(built.glob("*/*/index.html"))) >= 366
    fact_page = (built / "facts/senate-ratifies/index.html").read_text()
    assert "The Senate ratifies the treaty" in fact_page
    assert "The Senate ratifies the treaty" in (built / "topics/treaties/index.html").read_text()
    assert "Treaties" in (built / "topics/index.html").read_text()
    assert "The Senate ratifies the treaty" in (built / "years/1952/index.html").read_text()
    assert (built / "march/index.html").is_file()
    assert (built / "static/dayfacts/site.css").is_file()
    answer = built / "api/v1/days/03/20"
    if answer.exists():  # the API's day answers, once the API routes them
        assert "The Senate ratifies the treaty" in json.dumps(json.loads(answer.read_text()))

    # The feeds and the sitemap with its sections, once the syndication app routes them.
    for name in ("syndication:rss", "syndication:atom"):
        try:
            feed = reverse(name)
        except NoReverseMatch:
            continue
        assert "<title>" in (built / feed[1:] / "index.xml").read_text()
    if (built / "sitemap.xml").exists():
        sections = re.findall(r"<loc>[^<]*/(sitemap-[^<]+)</loc>",
                              (built / "sitemap.xml").read_text())
        assert sections and all((built / section).is_file() for section in sections)

    # Forms post to the dynamic site.
    assert 'action="/' not in day + fact_page
    if "<form" in fact_page:
        assert 'action="https://dayfacts.example/' in fact_page

    # A static host sends no headers of ours: each page carries the site's policy in a tag,
    # without what a tag cannot hold, and lets its forms post to the dynamic site.
    for page in (day, fact_page, (built / "index.html").read_text()):
        found = policy(page)
        assert found
        directives = dict(part.strip().partition(" ")[::2] for part in found.split(";"))
        assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["form-action"] == "'self' https://dayfacts.example"
        assert not {"frame-ancestors", "report-uri", "sandbox"} & set(directives)

    # A second run with nothing changed rewrites nothing.
    before = mtimes(built)
    capsys.readouterr()
    call_command("build", str(built))
    assert "0 written" in capsys.readouterr().out
    assert mtimes(built) == before

    # An edit rewrites the pages showing the fact; a deletion removes the fact's files.
    fact = almanac["fact"]
    fact.title = "The Senate approves the security treaty"
    fact.save()
    doomed.delete()
    call_command("build", str(built))
    after = mtimes(built)
    changed = {p.relative_to(built).as_posix() for p in after if after[p] != before.get(p)}
    assert {"march/20/index.html", "facts/senate-ratifies/index.html",
            "years/1952/index.html", "topics/treaties/index.html"} <= changed
    assert "december/1/index.html" not in changed
    assert "The Senate approves" in (built / "march/20/index.html").read_text()
    assert not (built / f"facts/{doomed.slug}/index.html").exists()
    assert not (built / "years/1977/index.html").exists()


def test_a_site_url_the_site_would_refuse_is_a_clear_error(db, tmp_path, settings):
    settings.SITE_URL = "https://elsewhere.example"
    settings.ALLOWED_HOSTS = ["dayfacts.example"]
    with pytest.raises(CommandError, match="ALLOWED_HOSTS"):
        call_command("build", str(tmp_path / "site"))
    assert not (tmp_path / "site").exists()


@pytest.fixture
def outside(tmp_path):
    """A folder beside the output folder, with a file the build must never touch."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "index.html").write_text("precious")
    return folder


def test_a_folder_that_is_no_earlier_build_is_refused(db, tmp_path, outside, settings):
    settings.SITE_URL = "https://dayfacts.example"
    settings.ALLOWED_HOSTS = ["dayfacts.example"]
    with pytest.raises(CommandError, match=r"is not empty and is not an earlier build"):
        call_command("build", str(outside))
    assert [p.name for p in outside.iterdir()] == ["index.html"]


@pytest.mark.parametrize("listed", ["../outside/index.html", "escape/index.html",
                                    "/{outside}/index.html"])
def test_a_manifest_leading_out_of_the_folder_deletes_nothing_there(
        db, tmp_path, outside, settings, listed):
    settings.SITE_URL = "https://dayfacts.example"
    settings.ALLOWED_HOSTS = ["dayfacts.example"]
    built = tmp_path / "site"
    built.mkdir()
    (built / "escape").symlink_to(outside, target_is_directory=True)
    # An earlier build's manifest, edited or left by a folder shared with someone else.
    (built / MANIFEST).write_text(json.dumps([listed.format(outside=outside)]))
    with pytest.raises(CommandError, match=r"leads out of .*'\.\.' or a symbolic link"):
        call_command("build", str(built))
    assert (outside / "index.html").read_text() == "precious"
    assert [p.name for p in outside.iterdir()] == ["index.html"]


def test_a_symbolic_link_inside_the_folder_is_not_written_through(
        db, tmp_path, outside, settings):
    settings.SITE_URL = "https://dayfacts.example"
    settings.ALLOWED_HOSTS = ["dayfacts.example"]
    built = tmp_path / "site"
    built.mkdir()
    (built / MANIFEST).write_text("[]")
    # Writing over a link to a file replaces the link, not the file; writing into a linked
    # folder (January's pages come first) would write outside.
    (built / "index.html").symlink_to(outside / "index.html")
    (built / "january").symlink_to(outside, target_is_directory=True)
    with pytest.raises(CommandError, match=r"'january/1/index.html' leads out of"):
        call_command("build", str(built))
    assert [p.name for p in outside.iterdir()] == ["index.html"]
    assert (outside / "index.html").read_text() == "precious"
