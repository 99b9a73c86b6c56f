"""/api/v1/display/: one entry a day for small screens, in the reader's time zone."""

import datetime as dt

import pytest
import time_machine

TODAY = "/api/v1/display/today"
# 23:30 UTC on March 20: March 21 already in Auckland, still March 20 in Los Angeles.
LATE_ON_MARCH_20 = dt.datetime(2026, 3, 20, 23, 30, tzinfo=dt.UTC)


def test_a_day_answers_its_headline_in_a_few_fields(client, march_20, settings):
    answer = client.get("/api/v1/display/03/20")
    assert answer.status_code == 200
    site = settings.SITE_URL
    assert answer.json() == {
        "date": "03-20", "name": "March 20",
        "title": "Treaty of Paris", "year": 1815, "year_display": "1815",
        "text": "Something happened, number 1.",
        "url": site + march_20["featured"].get_absolute_url(),
        "day_url": site + "/march/20/",
        "card_url": site + "/march/20/card.png",
    }


def test_a_bc_headline_and_a_day_without_entries(client, make_fact):
    make_fact(title="Ides plot", year=-44, summary="")
    answer = client.get("/api/v1/display/03/20").json()
    assert (answer["year"], answer["year_display"], answer["text"]) == (-44, "44 BC", "Ides plot")
    empty = client.get("/api/v1/display/02/29")
    assert empty.status_code == 200
    assert empty.json()["title"] is None and empty.json()["url"] is None
    assert empty.json()["card_url"].endswith("/february/29/card.png")


@pytest.mark.parametrize("tz, date", [
    ("", "03-20"), ("UTC", "03-20"), ("America/Los_Angeles", "03-20"),
    ("Pacific/Auckland", "03-21"), ("pacific/auckland", "03-21"),
])
def test_today_is_the_reader_s_today(client, march_20, tz, date):
    with time_machine.travel(LATE_ON_MARCH_20, tick=False):
        answer = client.get(TODAY, {"tz": tz} if tz else {})
    assert answer.status_code == 200
    assert answer.json()["date"] == date
    expected = "Treaty of Paris" if date == "03-20" else "Elsewhere"
    assert answer.json()["title"] == expected


def test_today_without_tz_is_the_site_s_today(client, march_20, settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    with time_machine.travel(LATE_ON_MARCH_20, tick=False):
        assert client.get(TODAY).json()["date"] == "03-21"


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "../../etc/passwd", "America", "x" * 65,
                                "UTC+2"])
def test_an_unknown_time_zone_is_a_400_problem(client, db, tz):
    answer = client.get(TODAY, {"tz": tz})
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["status"] == 400 and answer.json()["detail"].startswith("tz: ")


@pytest.mark.parametrize("address", ["/api/v1/display/02/30", "/api/v1/display/3/20",
                                     "/api/v1/display/13/01"])
def test_a_day_that_is_not_one_is_a_400_problem(client, db, address):
    answer = client.get(address)
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("address", [TODAY, f"{TODAY}?tz=Europe/Paris", "/api/v1/display/03/20"])
def test_a_matching_etag_is_a_304_until_the_headline_changes(client, march_20, address):
    with time_machine.travel(LATE_ON_MARCH_20 - dt.timedelta(hours=3)):
        first = client.get(address)
        etag = first["ETag"]
        assert first["Access-Control-Allow-Origin"] == "*"
        again = client.get(address, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b""
        featured = march_20["featured"]
        featured.title = "Treaty of Paris, signed"
        featured.save()
        changed = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["title"] == "Treaty of Paris, signed"


def test_the_openapi_document_describes_both_routes(client, db):
    document = client.get("/api/openapi.json").json()
    today = document["paths"]["/api/v1/display/today"]["get"]
    assert [(p["name"], p["in"]) for p in today["parameters"]] == [("tz", "query")]
    assert {"200", "400"} <= set(today["responses"])
    day = document["paths"]["/api/v1/display/{mm}/{dd}"]["get"]
    schema = document["components"]["schemas"]["DisplayOut"]
    assert {"title", "year", "text", "url", "card_url"} <= set(schema["required"])
    assert day["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/DisplayOut")


def test_the_new_year_comes_at_the_reader_s_midnight(client, db):
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), tick=False):
        assert client.get(TODAY, {"tz": "Asia/Tokyo"}).json()["date"] == "01-01"
        assert client.get(TODAY, {"tz": "Pacific/Honolulu"}).json()["date"] == "12-31"
    with time_machine.travel(dt.datetime(2028, 2, 29, 1, 0, tzinfo=dt.UTC), tick=False):
        assert client.get(TODAY).json()["name"] == "February 29"
        assert client.get(TODAY, {"tz": "America/Chicago"}).json()["date"] == "02-28"
