import json
import re
from html.parser import HTMLParser


class Head(HTMLParser):
    """Collect a page's JSON-LD blocks and meta tags, as a crawler reads them."""

    def __init__(self):
        super().__init__()
        self.json_ld, self.meta, self._in_ld = [], {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in_ld = attrs.get("type") == "application/ld+json"
            # The only inline script element a page may have is structured data.
            assert self._in_ld or "src" in attrs, f"inline script: {attrs}"
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], attrs["content"])

    def handle_endtag(self, tag):
        self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    head = Head()
    head.feed(response.content.decode())
    return head


def test_a_fact_page_is_an_article_about_an_event(client, almanac, settings):
    fact = almanac["today"]
    head = head_of(client, fact.get_absolute_url())
    [article] = head.json_ld
    assert article["@context"] == "https://schema.org" and article["@type"] == "Article"
    assert article["headline"] == "Treaty of Paris"
    assert article["url"] == settings.SITE_URL + fact.get_absolute_url()
    assert article["about"] == {"@type": "Event", "name": "Treaty of Paris",
                                "description": fact.summary, "startDate": "1815-03-20"}
    assert article["keywords"] == ["Space"]
    assert article["license"] == "CC BY-SA 4.0"
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == "March 20th: Treaty of Paris"
    assert head.meta["og:url"] == article["url"]
    assert head.meta["twitter:card"] == "summary_large_image"


def test_births_and_deaths_are_about_a_person(client, almanac):
    birth = head_of(client, almanac["birth"].get_absolute_url()).json_ld[0]["about"]
    assert birth["@type"] == "Person" and birth["name"] == "Ada Lovelace"
    assert birth["birthDate"] == "1815-03-20"
    death = head_of(client, almanac["death"].get_absolute_url()).json_ld[0]["about"]
    assert death["name"] == "Isaac Newton" and death["deathDate"] == "1727-03-20"


def test_bc_dates_and_holidays_are_not_given_a_wrong_date(client, almanac):
    bc = head_of(client, almanac["bc"].get_absolute_url()).json_ld[0]["about"]
    assert bc["@type"] == "Event" and "startDate" not in bc
    holiday = head_of(client, almanac["holiday"].get_absolute_url()).json_ld[0]["about"]
    assert holiday["eventSchedule"]["repeatFrequency"] == "P1Y"
    assert (holiday["eventSchedule"]["byMonth"], holiday["eventSchedule"]["byMonthDay"]) == (3, 20)


def test_a_title_cannot_close_the_script_element(client, almanac):
    page = client.get(almanac["yesterday"].get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    assert "</script" not in block
    assert json.loads(block)["headline"] == "Moon landing </script>"


def test_a_day_pages_titles_stay_inside_its_one_script_element(client, almanac, make_fact):
    title = "Fish & chips <!-- </script><script>alert(1)</script>"
    make_fact(title=title, year=1901)
    page = client.get("/march/20/").content.decode()
    assert page.count("<script") == page.count("</script>") == 1 + page.count("<script src")
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert not set("<>&") & set(block)
    names = [item["item"]["name"] for item in json.loads(block)["mainEntity"]["itemListElement"]]
    assert title in names


def test_a_day_page_lists_its_facts(client, almanac, settings):
    head = head_of(client, "/march/20/")
    [page] = head.json_ld
    assert page["@type"] == "WebPage"
    assert page["url"] == settings.SITE_URL + "/march/20/"
    items = page["mainEntity"]["itemListElement"]
    assert items[0]["item"]["name"] == "Treaty of Paris"
    assert {item["item"]["@type"] for item in items} == {"Event", "Person"}
    names = {item["item"]["name"] for item in items}
    assert {"Ada Lovelace", "Isaac Newton", "World Storytelling Day"} <= names
    assert "Not yet" not in json.dumps(page)
    assert head.meta["og:title"] == "March 20th: Treaty of Paris"
