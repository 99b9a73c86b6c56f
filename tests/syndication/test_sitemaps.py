import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from dayfacts.syndication.sitemaps import FactSitemap

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, url, tag):
    response = client.get(url)
    assert response.status_code == 200, url
    return [loc.text for loc in ET.fromstring(response.content).findall(f"sm:{tag}/sm:loc", NS)]


def every_page_url(client):
    urls = []
    for section in locations(client, "/sitemap.xml", "sitemap"):
        parts = urlsplit(section)
        urls += locations(client, parts.path + (f"?{parts.query}" if parts.query else ""), "url")
    return urls


def test_every_sitemap_url_answers_200(client, almanac, settings):
    urls = every_page_url(client)
    assert all(url.startswith(settings.SITE_URL + "/") for url in urls)
    for url in urls:
        assert client.get(urlsplit(url).path).status_code == 200, url


def test_the_sitemap_names_every_day_fact_topic_and_year_page(client, almanac, settings):
    paths = {urlsplit(url).path for url in every_page_url(client)}
    assert "/february/29/" in paths and "/december/31/" in paths
    assert len([p for p in paths if p.count("/") == 3 and not p.startswith(("/facts", "/years",
                                                                              "/topics"))]) == 366
    published = [f for f in almanac.values() if hasattr(f, "kind") and f.status != "draft"]
    assert {f.get_absolute_url() for f in published} <= paths
    assert almanac["draft"].get_absolute_url() not in paths
    assert {"/topics/space/", "/years/1815/", "/years/44-bc/", "/", "/march/"} <= paths


def test_sections_split_into_pages_past_the_limit(client, almanac, monkeypatch):
    monkeypatch.setattr(FactSitemap, "limit", 2)
    sections = locations(client, "/sitemap.xml", "sitemap")
    fact_pages = [url for url in sections if "sitemap-facts.xml" in url]
    # Seven published facts, two to a page.
    assert len(fact_pages) == 4 and fact_pages[-1].endswith("?p=4")
    assert len(every_page_url(client)) == len(set(every_page_url(client)))


def test_robots_txt_points_to_the_sitemap(client, db, settings):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
