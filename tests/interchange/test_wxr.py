"""WordPress exports: posts, topics, comments with threads, and what is left out."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError

from dayfacts.comments.models import Comment
from dayfacts.facts.models import Fact, Status, Topic
from dayfacts.interchange.models import FactOrigin

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
SITE = FILES / "site-1.2.xml"


@pytest.fixture(params=["1.0", "1.1", "1.2"])
def export_file(request, write):
    """The test export in each WXR version (they differ in the namespace)."""
    version = f"wordpress.org/export/{request.param}/"
    text = SITE.read_text().replace("wordpress.org/export/1.2/", version)
    return write(f"site-{request.param}.xml", text)


def test_posts_become_facts_on_the_day_their_title_names(run_import, export_file):
    report = run_import("wxr", export_file)
    pact = Fact.objects.get(slug="march-20th-pact")
    assert (pact.month, pact.day, pact.year) == (3, 20, 1952)
    assert pact.title == "The Senate Ratifies a Pact With Japan"
    assert pact.summary == "The Senate said yes to the security pact."
    assert pact.status == Status.PUBLISHED and pact.is_published
    assert sorted(t.name for t in pact.topics.all()) == ["Politics", "Treaties"]
    assert pact.source_name == "Days Gone By"
    assert pact.source_url == "https://daysgoneby.example/2012/03/20/march-20th-pact/"
    assert "skipped 1: page (not a post)" in report
    assert "skipped 1: attachment (not a post)" in report
    assert "skipped 1: nav_menu_item (not a post)" in report
    assert "skipped 1: post with status 'trash'" in report


def test_content_is_sanitized(run_import, export_file):
    run_import("wxr", export_file)
    pact = Fact.objects.get(slug="march-20th-pact")
    for html in (pact.body, pact.body_html):
        assert "<script" not in html and "alert" not in html
        assert "onclick" not in html and "onmouseover" not in html and "[caption" not in html
    assert '<a href="https://example.org/peace" rel="noopener">peace treaty</a>' in pact.body_html
    assert '<img src="https://daysgoneby.example/pact.jpg" alt="The signing">' in pact.body_html


def test_a_title_without_a_day_takes_the_post_date(run_import, export_file):
    run_import("wxr", export_file)
    rams = Fact.objects.get(slug="rams")
    assert (rams.month, rams.day, rams.year) == (3, 21, 1946)
    assert rams.title == "A Rams Contract Changes Football"


def test_day_from_title_only_skips_posts_without_one(run_import, export_file):
    report = run_import("wxr", export_file, "--day-from", "title")
    assert not Fact.objects.filter(slug="rams").exists()
    assert "skipped 1: no day in the title" in report


def test_drafts_and_scheduled_posts_keep_their_status(run_import, export_file):
    run_import("wxr", export_file)
    draft = Fact.objects.get(title="A Draft About New Year's Eve")
    assert (draft.month, draft.day, draft.kind, draft.status) == (12, 31, "holiday", "draft")
    later = Fact.objects.get(slug="july-4th-later")
    assert later.status == Status.SCHEDULED and not later.is_published
    assert later.publish_at.isoformat() == "2030-07-04T04:00:00+00:00"


def test_comments_keep_threads_status_and_private_emails(run_import, export_file, client):
    report = run_import("wxr", export_file)
    pact = Fact.objects.get(slug="march-20th-pact")
    comments = {c.name: c for c in pact.comments.all()}
    assert set(comments) == {"Ann Reader", "Ben", "Waiting Wanda", "Cheap Pills"}
    assert [comments[n].status for n in ("Ann Reader", "Ben", "Waiting Wanda", "Cheap Pills")] \
        == ["approved", "approved", "pending", "spam"]
    assert comments["Ben"].parent == comments["Ann Reader"] and comments["Ben"].depth == 2
    ann = comments["Ann Reader"]
    assert ann.email == "ann@private.example" and ann.url == "https://ann.example"
    assert ann.text == "My grandfather was there.\n\nHe never forgot it & said so."
    assert ann.created.isoformat() == "2012-03-20T13:15:00+00:00"
    assert re.search(r"comment\s+│\s+4 │", report)

    page = client.get(pact.get_absolute_url()).content.decode()
    assert "Ann Reader" in page and "Thanks for sharing, Ann." in page
    assert "Held for moderation." not in page and "Buy now" not in page
    assert "private.example" not in page and "Another Blog" not in page


def test_importing_the_same_file_again_changes_nothing(run_import, export_file, database_state):
    run_import("wxr", export_file)
    before = database_state()
    report = run_import("wxr", export_file)
    assert database_state() == before
    assert re.search(r"total\s+│\s+0 │\s+0 │\s+8 │", report)
    assert Comment.objects.count() == 4


def test_an_edited_post_is_updated_with_its_comments_kept(run_import, write):
    path = write("site.xml", SITE.read_text())
    run_import("wxr", path)
    path.write_text(SITE.read_text().replace("Ratifies a Pact", "Approves a Pact"))
    run_import("wxr", path, "--update")
    pact = Fact.objects.get(slug="march-20th-pact")
    assert pact.title == "The Senate Approves a Pact With Japan"
    assert pact.comments.count() == 4 and Fact.objects.filter(year=1952).count() == 1


HOSTILE = {
    "bomb.xml": """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&d;</title></item>
</channel></rss>""",
    "external.xml": """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&secret;</title>
<wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type></item></channel></rss>""",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_xml_is_refused(run_import, write, database_state, name):
    before = database_state()
    with pytest.raises(CommandError, match=rf"{name}: refused: the XML declares entities"):
        run_import("wxr", write(name, HOSTILE[name]))
    assert database_state() == before


@pytest.mark.parametrize("name, content, message", [
    ("cut.xml", SITE.read_text()[:3000], r"cut.xml, line \d+, column \d+: not well-formed XML"),
    ("empty.xml", "", r"empty.xml: the file is empty"),
    ("feed.xml", '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>',
     r"feed.xml, line 1: not a WordPress export"),
    ("plain.xml", "<rss><channel><item><title>x</title></item></channel></rss>",
     r"plain.xml: not a WordPress export"),
    ("day.json", '{"date": "March 20", "data": {}}',
     r"day.json, line 1, column 1: not well-formed"),
    ("latin1.xml", '<?xml version="1.0" encoding="UTF-8"?><rss>caf\u00e9</rss>'.encode("latin-1"),
     r"latin1.xml, line 1, column \d+: not well-formed XML"),
])
def test_bad_files_are_named_and_nothing_is_written(
        run_import, write, database_state, name, content, message):
    run_import("wxr", write("first.xml", SITE.read_text()))
    before = database_state()
    with pytest.raises(CommandError, match=message):
        run_import("wxr", write("again.xml", SITE.read_text().replace("?p=", "?post=")),
                   write(name, content))
    assert database_state() == before


def test_new_and_edited_comments_on_a_known_post(run_import, write):
    path = write("site.xml", SITE.read_text())
    run_import("wxr", path)
    edited = SITE.read_text().replace("Thanks for sharing, Ann.", "Thank you, Ann.")
    edited = edited.replace("<wp:comment_approved><![CDATA[0]]>",
                            "<wp:comment_approved><![CDATA[1]]>")
    path.write_text(edited)
    report = run_import("wxr", path)
    assert Comment.objects.get(name="Ben").text == "Thanks for sharing, Ann."
    assert "skipped 2: differs from the database (use --update)" in report
    run_import("wxr", path, "--update")
    assert Comment.objects.get(name="Ben").text == "Thank you, Ann."
    assert Comment.objects.get(name="Waiting Wanda").status == "approved"
    assert Comment.objects.count() == 4


@pytest.mark.parametrize("namespace", [
    "http://wordpress.org/export/1.2", "https://wordpress.org/export/1.2/",
    "https://wordpress.org/export/1.1", "https://wordpress.org/export/1.0/",
])
def test_the_namespace_may_be_spelled_as_any_wordpress_writes_it(run_import, write, namespace):
    text = SITE.read_text().replace('xmlns:wp="http://wordpress.org/export/1.2/"',
                                    f'xmlns:wp="{namespace}"')
    run_import("wxr", write("site.xml", text))
    assert Fact.objects.get(slug="march-20th-pact").comments.count() == 4


def test_a_version_that_is_not_a_number_is_refused(run_import, write):
    text = SITE.read_text().replace("<wp:wxr_version>1.2<", "<wp:wxr_version>latest<")
    with pytest.raises(CommandError, match=r"site.xml: not a WordPress export \(its wxr_version"):
        run_import("wxr", write("site.xml", text))


# Exports shaped as WordPress.com and WordPress 3.1 and 2.9 write them. Each has a post in
# UTF-8 with a comment, a post without wp:post_id, a page and an attachment.
EXPORTS = {
    "wordpress-com-1.2.xml": {
        "titles": {"Mañana – 東京 Opens Its Doors": (3, 20, 1927),
                   "A Post Moved In Without Its Number": (4, 2, 1982)},
        "keyless": "https://almanacnotes.wordpress.com/?guid=5c1f0e2a",
        "author": "Zoë Tōkyō 東京",
        "skipped": ["page", "attachment", "nav_menu_item", "wp_block", "feedback"],
    },
    "wordpress-3.1-wxr-1.1.xml": {
        "titles": {"Mañana – 東京, by Sea": (5, 5, 1905),
                   "Pasted From Another Blog": (6, 6, 1944)},
        "keyless": "http://calendario.example/2011/06/06/pasted/",
        "author": "Søren Åberg – 東京",
        "skipped": ["page", "attachment"],
    },
    "wordpress-2.9-wxr-1.0.xml": {
        "titles": {"Mañana – 東京 by Rail": (10, 1, 1964), "Typed By Hand": (11, 9, 1989)},
        "keyless": "http://olddays.example/blog/?date=2009-11-09 09:00:00"
                   "&title=November 9th: Typed By Hand",
        "author": "José Müller – 東京",
        "skipped": ["page", "attachment"],
    },
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_real_shaped_exports_come_in_whole(run_import, name):
    expected = EXPORTS[name]
    report = run_import("wxr", FILES / name)
    facts = {f.title: f for f in Fact.objects.all()}
    assert {t: (f.month, f.day, f.year) for t, f in facts.items()} == expected["titles"]
    for kind in expected["skipped"]:
        assert f"skipped 1: {kind} (not a post)" in report
    skipped = len(expected["skipped"])
    assert re.search(rf"total\s+│\s+3 │\s+0 │\s+0 │\s+{skipped} │\s+0", report)

    # Two posts and a comment created. UTF-8 in the title, content, category, comment author.
    utf8 = next(f for t, f in facts.items() if "東京" in t)
    assert "東京" in utf8.body and "añana" in utf8.body
    assert "Mañana – 東京" in [t.name for t in utf8.topics.all()]
    assert utf8.slug.isascii() and utf8.slug
    assert [c.name for c in utf8.comments.all()] == [expected["author"]]

    keys = set(FactOrigin.objects.values_list("key", flat=True))
    assert expected["keyless"] in keys and len(keys) == 2
    # The report says which post had no id and what it is known by instead.
    assert f"no wp:post_id; known by {expected['keyless'][:80]!r}" in report.replace("\n", "")


def test_reimporting_real_shaped_exports_changes_nothing(run_import, database_state):
    paths = [FILES / name for name in sorted(EXPORTS)]
    run_import("wxr", *paths)
    before = database_state(), set(FactOrigin.objects.values_list("key", "fact"))
    report = run_import("wxr", *paths)
    assert (database_state(), set(FactOrigin.objects.values_list("key", "fact"))) == before
    assert re.search(r"total\s+│\s+0 │\s+0 │\s+9 │\s+9 │\s+0", report)
    assert Fact.objects.count() == 6 and Topic.objects.filter(name="Mañana – 東京").count() == 1


def test_a_cdata_end_split_across_sections_is_read_whole(run_import):
    run_import("wxr", FILES / "wordpress-com-1.2.xml")
    cafe = Fact.objects.get(title="Mañana – 東京 Opens Its Doors")
    assert "a[b[0]]]&gt;" in cafe.body_html and "CDATA" not in cafe.body
    assert cafe.summary.startswith("In 1927 the café «Mañana – 東京» opened")
