import pytest
from django.utils.http import http_date

URL = "/api/v1/feed/onthisday/all/03/20"


def test_get_answers_carry_cors_and_cache_headers(client, march_20):
    response = client.get(URL)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "s-maxage=300, max-age=60"
    # Strong from the view, weak when the page cache answers (its bytes differ by reader).
    assert response["ETag"].startswith(('"', 'W/"'))
    assert response["Last-Modified"]


def test_cache_control_comes_from_the_setting(client, march_20, settings):
    settings.DAYFACTS_API_CACHE_CONTROL = "max-age=5"
    assert client.get("/api/v1/topics")["Cache-Control"] == "max-age=5"


def test_matching_etag_is_a_304_and_a_change_makes_a_new_one(client, march_20):
    etag = client.get(URL)["ETag"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    fact = march_20["recent"]
    fact.summary = "Changed"
    fact.save()
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_if_modified_since_is_a_304_until_a_fact_changes(client, march_20):
    last_modified = client.get(URL)["Last-Modified"]
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_native_answers_have_validators_too(client, march_20):
    url = f"/api/v1/facts/{march_20['featured'].pk}"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_errors_are_problem_json_everywhere_under_api(client, db):
    for path in ("/api/v2/nothing", "/api/v1/facts/abc", "/api/v1/days/03/32"):
        response = client.get(path)
        assert response["Content-Type"] == "application/problem+json", path
        assert response.json()["status"] == response.status_code in (400, 404)


def test_a_client_over_its_allowance_gets_429_with_retry_after(client, db, settings):
    # The same address each time: after the first, the page cache answers, and still counts.
    settings.DAYFACTS_API_RATE_LIMIT = "3/m"
    statuses = [client.get("/api/v1/topics").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/topics")
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Another client is not held back.
    assert client.get("/api/v1/topics", REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs"])
def test_openapi_document_and_docs_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 200


def test_openapi_is_3_1_and_lists_every_route(client, db):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    paths = set(document["paths"])
    assert {"/api/v1/feed/onthisday/{type}/{mm}/{dd}", "/api/v1/facts", "/api/v1/facts/{fact_id}",
            "/api/v1/facts/slug/{slug}", "/api/v1/facts/random", "/api/v1/days/{mm}/{dd}",
            "/api/v1/topics", "/api/v1/topics/{slug}", "/api/v1/years/{year}"} <= paths


def test_head_answers_like_get_without_a_body(client, march_20):
    get = client.get(URL)
    head = client.head(URL)
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_a_method_a_route_lacks_is_a_405_problem(client, db, method):
    response = getattr(client, method)("/api/v1/topics")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET"
