"""Topic and year pages: the topic's facts by day, a year's facts by date, years as links."""

import re

from django.contrib.auth.models import User

from dayfacts.facts.models import Status


def test_topic_list_counts_only_what_readers_can_open(client, make_fact):
    make_fact("Cup final in Glasgow", topics=["Football"])
    make_fact("Unfinished note", topics=["Drafts"], status=Status.DRAFT)
    html = client.get("/topics/").content.decode()
    assert re.search(r'<a href="/topics/football/">Football</a> <span class="small">\(1\)', html)
    assert "Drafts" not in html


def test_topic_page_lists_its_facts_by_day_with_year_links(client, make_fact):
    make_fact("Cup final in Glasgow", month=5, day=2, year=1923, topics=["Football"])
    make_fact("League founded", month=1, day=8, year=1888, topics=["Football"])
    make_fact("Ball game in Rome", month=1, day=8, year=-20, topics=["Football"])
    make_fact("Opera premiere", month=1, day=8, year=1900, topics=["Music"])
    html = client.get("/topics/football/").content.decode()
    days = re.findall(r'<h2><a href="(/[a-z]+/\d+/)">', html)
    assert days == ["/january/8/", "/may/2/"]
    january = html.split('href="/january/8/"', 1)[1].split("<h2>", 1)[0]
    assert january.index("Ball game in Rome") < january.index("League founded")
    assert '<a class="entry-year" href="/years/20-bc/">20 BC</a>' in january
    assert "Opera premiere" not in html
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_year_pages_list_that_year_by_date_bc_included(client, make_fact):
    make_fact("Ides of March", month=3, day=15, year=-44)
    make_fact("Calendar reform", month=1, day=1, year=-45)
    make_fact("Spring festival", month=1, day=1, year=-44)
    html = client.get("/years/44-bc/").content.decode()
    assert "<h1>44 BC</h1>" in html
    assert html.index("Spring festival") < html.index("Ides of March")
    assert "Calendar reform" not in html
    assert '<a rel="prev" href="/years/45-bc/">45 BC</a>' in html
    assert '<a rel="next" href="/years/43-bc/">43 BC</a>' in html
    one_bc = client.get("/years/1-bc/").content.decode()
    assert '<a rel="next" href="/years/1/">1</a>' in one_bc
    assert client.get("/years/0/").status_code == 404


def test_every_year_on_the_day_fact_and_search_pages_links_to_its_page(client, make_fact):
    fact = make_fact("Treaty signed", year=1951, body="Long *article*.", notability=9)
    make_fact("Treaty ratified", year=1952)
    make_fact("Treaty negotiator born", year=1899, kind="birth")
    pages = ["/march/20/", fact.get_absolute_url(), "/search/?q=treaty", "/march/20/births/"]
    for url in pages:
        html = client.get(url).content.decode()
        main = html.split('<main', 1)[1].split("</main>", 1)[0]
        main = re.sub(r"<(title|text)[^>]*>.*?</\1>", "", main, flags=re.S)  # SVG names
        main = re.sub(r'<[^>]+>', lambda m: m.group(0) if m.group(0).startswith("<a") or
                      m.group(0) == "</a>" else " ", main)
        linked = set(re.findall(r'<a [^>]*href="/years/(\d+)/"[^>]*>\s*(\d+)\s*</a>', main))
        bare = set(re.findall(r"(?<![\d/-])(1951|1952|1899)(?![\d/-])", re.sub(
            r"<a [^>]*>.*?</a>", "", main, flags=re.S)))
        assert linked and not bare, (url, bare)


def test_editors_assign_topics_in_the_admin(client, make_fact):
    fact = make_fact("Cup final in Glasgow", topics=["Football"])
    User.objects.create_superuser("editor", "editor@example.com", "pw-long-enough-1")
    client.force_login(User.objects.get(username="editor"))
    html = client.get(f"/admin/facts/fact/{fact.pk}/change/").content.decode()
    assert re.search(r'<select name="topics"[^>]*multiple', html)
    assert re.search(r'<option value="\d+" selected>Football</option>', html)
