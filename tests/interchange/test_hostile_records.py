"""Hostile records in every format meet the models' own field checks before anything is stored."""

import json
import re

import pytest
from django.core.management import CommandError

from dayfacts.comments.models import Comment
from dayfacts.facts.models import Fact, Topic

pytestmark = pytest.mark.django_db

SCRIPT_URL = "javascript:alert(1)"
LONG_TITLE = "A" * 301
GOOD_CSV = "month,day,year,title\n1,2,1950,Already here\n"


def csv_file(**bad):
    """A good row, then a row with the `bad` values."""
    row = {"month": "3", "day": "20", "year": "1952", "title": "Bad row", "slug": "bad-row",
           "source_url": "https://example.org/", "status": "published", **bad}
    header = ",".join(row)
    good = "3,21,1953,Good row,good-row,https://example.org/good,published"
    return f"{header}\n{good}\n" + ",".join(f'"{v}"' for v in row.values()) + "\n"


def jsonl_file(fact=None, topic=None, comment=None):
    """A good fact (line 1), then a fact, a topic or a comment with the given values."""
    good = {"type": "fact", "slug": "good-row", "month": 3, "day": 21, "year": 1953,
            "title": "Good row", "status": "published"}
    lines = [good]
    if fact is not None:
        lines.append({"type": "fact", "slug": "bad-row", "month": 3, "day": 20,
                      "title": "Bad row", **fact})
    if topic is not None:
        lines.append({"type": "topic", "name": "Treaties", **topic})
    if comment is not None:
        lines.append({"type": "comment", "key": "c1", "fact": "good-row", "name": "Ann",
                      "text": "Hello.", "status": "approved", **comment})
    return "".join(json.dumps(line) + "\n" for line in lines)


WXR_ITEM = """<item><title>{title}</title><link>{link}</link>
<wp:post_id>{id}</wp:post_id><wp:post_date>2012-03-20 10:00:00</wp:post_date>
<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>{comment}</item>"""
WXR_COMMENT = """<wp:comment><wp:comment_id>7</wp:comment_id>
<wp:comment_author>Ann</wp:comment_author><wp:comment_author_url>{url}</wp:comment_author_url>
<wp:comment_content>Hello.</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
</wp:comment>"""


def wxr_file(title="March 20th: Bad post", link="https://blog.example/bad", slug="bad-post",
             comment_url=None):
    """A good post (item 1), then a post with the given values."""
    good = WXR_ITEM.format(title="March 21st: Good post", link="https://blog.example/good",
                           id=1, slug="good-post", comment="")
    comment = WXR_COMMENT.format(url=comment_url) if comment_url is not None else ""
    bad = WXR_ITEM.format(title=title, link=link, id=2, slug=slug, comment=comment)
    return ('<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/">'
            f"<channel><title>Blog</title><link>https://blog.example</link>{good}{bad}"
            "</channel></rss>")


def muffinlabs_file(url):
    item = {"year": "1952", "text": "Something happened.", "links": []}
    return {"date": "March 20", "url": url, "data": {"Events": [item]}}


def wikipedia_file(url):
    def item(year, page):
        return {"year": year, "text": f"Something happened in {year}.",
                "pages": [{"content_urls": {"desktop": {"page": page}}}]}

    return {"events": [item(1952, "https://en.wikipedia.org/wiki/Good"), item(1953, url)]}


def bsd_file(text):
    return f"03/21\tGood line, 1953\n03/20\t{text}, 1952\n"


# (id, format, file name, content, place in the message, field, titles imported with --skip-bad)
CASES = [
    ("csv-script-url", "csv", "hostile.csv", csv_file(source_url=SCRIPT_URL), "line 3",
     "source_url", ["Good row"]),
    ("csv-slug-space", "csv", "hostile.csv", csv_file(slug="bad row"), "line 3", "slug",
     ["Good row"]),
    ("csv-slug-slash", "csv", "hostile.csv", csv_file(slug="../bad"), "line 3", "slug",
     ["Good row"]),
    ("csv-status", "csv", "hostile.csv", csv_file(status="secret"), "line 3", "status",
     ["Good row"]),
    ("csv-long-title", "csv", "hostile.csv", csv_file(title=LONG_TITLE), "line 3", "title",
     ["Good row"]),
    ("csv-year-past-the-range", "csv", "hostile.csv", csv_file(year="99999"), "line 3", "year",
     ["Good row"]),
    ("jsonl-year-past-the-range", "jsonl", "hostile.jsonl", jsonl_file({"year": -100000}),
     "line 2", "year",
     ["Good row"]),
    ("jsonl-script-url", "jsonl", "hostile.jsonl", jsonl_file({"source_url": SCRIPT_URL}),
     "line 2", "source_url", ["Good row"]),
    ("jsonl-slug-space", "jsonl", "hostile.jsonl", jsonl_file({"slug": "bad row"}), "line 2",
     "slug", ["Good row"]),
    ("jsonl-slug-slash", "jsonl", "hostile.jsonl", jsonl_file({"slug": "a/b"}), "line 2",
     "slug", ["Good row"]),
    ("jsonl-status", "jsonl", "hostile.jsonl", jsonl_file({"status": "secret"}), "line 2",
     "status", ["Good row"]),
    ("jsonl-long-title", "jsonl", "hostile.jsonl", jsonl_file({"title": LONG_TITLE}), "line 2",
     "title", ["Good row"]),
    ("jsonl-topic-slug", "jsonl", "hostile.jsonl", jsonl_file(topic={"slug": "a b/c"}),
     "line 2", "topic slug", ["Good row"]),
    ("jsonl-comment-url", "jsonl", "hostile.jsonl", jsonl_file(comment={"url": SCRIPT_URL}),
     "line 2", "comment url", ["Good row"]),
    ("jsonl-comment-status", "jsonl", "hostile.jsonl",
     jsonl_file(comment={"status": "published"}), "line 2", "comment status", ["Good row"]),
    ("wxr-script-url", "wxr", "hostile.xml", wxr_file(link=SCRIPT_URL), "item 2",
     "source_url", ["Good post"]),
    ("wxr-slug-space", "wxr", "hostile.xml", wxr_file(slug="bad post"), "item 2", "slug",
     ["Good post"]),
    ("wxr-slug-slash", "wxr", "hostile.xml", wxr_file(slug="../../etc"), "item 2", "slug",
     ["Good post"]),
    ("wxr-long-title", "wxr", "hostile.xml", wxr_file(title=f"March 20th: {LONG_TITLE}"),
     "item 2", "title", ["Good post"]),
    ("wxr-comment-url", "wxr", "hostile.xml", wxr_file(comment_url=SCRIPT_URL),
     "item 2 ('March 20th: Bad post'), comment 7", "comment url", ["Bad post", "Good post"]),
    ("muffinlabs-script-url", "muffinlabs", "03-20.json", muffinlabs_file(SCRIPT_URL),
     "Events, item 0", "source_url", []),
    ("wikipedia-script-url", "wikipedia", "03-20.json", wikipedia_file(SCRIPT_URL),
     "events, item 1", "source_url", ["Something happened in 1952."]),
    ("bsd-long-title", "bsd", "calendar.history", bsd_file(LONG_TITLE), "line 2", "title",
     ["Good line"]),
]


@pytest.mark.parametrize("format_name, name, content, place, field, _",
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_hostile_record_is_refused_naming_file_place_and_field(
        run_import, write, database_state, format_name, name, content, place, field, _):
    run_import("csv", write("earlier.csv", GOOD_CSV))
    before = database_state()
    with pytest.raises(CommandError) as error:
        run_import(format_name, write(name, content))
    message = str(error.value)
    assert f"{name}, {place}" in message and f": {field} " in message, message
    assert "Nothing was imported" in message
    assert database_state() == before


@pytest.mark.parametrize("format_name, name, content, place, field, imported",
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_with_skip_bad_the_hostile_record_is_skipped_and_reported(
        run_import, write, format_name, name, content, place, field, imported):
    report = run_import(format_name, "--skip-bad", write(name, content))
    assert re.search(rf"{re.escape(name)}, {re.escape(place)}[^\n]*: {field} ", report), report
    assert sorted(Fact.objects.values_list("title", flat=True)) == imported
    # Nothing hostile was stored by any path.
    assert not Fact.objects.exclude(source_url="").exclude(source_url__startswith="https://")
    assert not Fact.objects.filter(slug__regex=r"[^-a-zA-Z0-9_]").exists()
    assert not Topic.objects.filter(slug__regex=r"[^-a-zA-Z0-9_]").exists()
    assert not Comment.objects.exclude(url="").exclude(url__startswith="https://")
    assert set(Comment.objects.values_list("status", flat=True)) <= {"approved"}


def test_a_good_comment_beside_a_hostile_one_is_kept(run_import, write):
    lines = jsonl_file(comment={"url": SCRIPT_URL}) + json.dumps(
        {"type": "comment", "key": "c2", "fact": "good-row", "name": "Bo", "text": "Hi.",
         "url": "https://bo.example/", "status": "approved"}) + "\n"
    report = run_import("jsonl", "--skip-bad", write("site.jsonl", lines))
    assert "site.jsonl, line 2: comment url 'javascript:alert(1)': Enter a valid URL." in report
    assert list(Comment.objects.values_list("name", "url")) == [("Bo", "https://bo.example/")]
    assert re.search(r"comment\s+│\s+1 │\s+0 │\s+0 │\s+0 │\s+1", report)


def test_an_editor_cannot_type_an_address_other_than_http_or_https(admin_client):
    # The same field rule stands for typed facts: the admin form runs the model's validation.
    for address in (SCRIPT_URL, "ftp://files.example/treaty.txt"):
        response = admin_client.post("/admin/facts/fact/add/", {
            "title": "Typed", "slug": "typed", "month": 3, "day": 20, "year": 1952,
            "kind": "event", "status": "draft", "publish_at_0": "2026-01-01",
            "publish_at_1": "00:00:00", "notability": 0, "source_url": address,
        })
        assert response.status_code == 200, address
        assert "Enter a valid URL." in response.content.decode()
        assert not Fact.objects.filter(slug="typed").exists()


def test_an_address_stored_before_the_rule_is_shown_but_never_linked(client, make_fact):
    fact = make_fact(title="Old entry", source_name="Old source", source_url=SCRIPT_URL)
    Comment.objects.create(fact=fact, name="Mallory", email="m@example.org", url=SCRIPT_URL,
                           text="Hello.", status="approved")
    page = client.get(fact.get_absolute_url()).content.decode()
    assert "Old source" in page and "Mallory" in page
    assert 'href="javascript:' not in page


def test_a_wordpress_slug_in_other_letters_gets_one_made_from_the_title(run_import, write):
    # WordPress percent-encodes a slug written in letters other than ASCII.
    run_import("wxr", write("blog.xml", wxr_file(slug="%e6%97%a5%e6%9c%ac")))
    assert Fact.objects.get(title="Bad post").slug == "bad-post"
