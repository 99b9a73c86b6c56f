"""No public address shows a commenter's or subscriber's email, IP address or token."""

import hashlib
import json
import os
import re
from collections import Counter, deque
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from dayfacts.comments.models import Comment, CommentStatus
from dayfacts.newsletter.models import Subscriber, SubscriberStatus
from dayfacts.newsletter.tokens import confirm_token, unsubscribe_token

LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)|<loc>([^<]+)</loc>|<link>([^<]+)</link>"""
                  r"""|"(?:url|link|href|next|previous|self)"\s*:\s*"([^"]+)\"""")
# Enough addresses of each kind (route) to cover every page type, few enough to stay quick.
PER_ROUTE = 6
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/metrics")


def secrets_of(comments, subscribers):
    """Every string that must never be public, with the forms it could be written in."""
    found = {}
    for comment in comments:
        local = comment.email.split("@")[0]
        found[f"commenter email {comment.email}"] = [comment.email, local, quote(comment.email)]
        found[f"commenter email hash {comment.email}"] = [
            hashlib.md5(comment.email.encode()).hexdigest(),
            hashlib.sha256(comment.email.encode()).hexdigest(),
        ]
        found[f"commenter IP {comment.ip}"] = [comment.ip]
    for subscriber in subscribers:
        local = subscriber.email.split("@")[0]
        found[f"subscriber email {subscriber.email}"] = [subscriber.email, local,
                                                         quote(subscriber.email)]
        found[f"subscriber key {subscriber.email}"] = [subscriber.key]
        found[f"subscriber tokens {subscriber.email}"] = [confirm_token(subscriber),
                                                          unsubscribe_token(subscriber)]
    return found


@pytest.fixture
def readers(almanac):
    """Commenters in every moderation state and subscribers in every state."""
    comments = []
    for n, status in enumerate(CommentStatus.values):
        for fact in almanac[:3]:
            comments.append(Comment.objects.create(
                fact=fact, name=f"Reader {n}", email=f"zqcommenter{n}x{fact.pk}@example.org",
                text=f"A thought on {fact.title}, number {n}.", status=status,
                ip=f"203.0.113.{100 + n * 10 + fact.pk % 10}",
            ))
    subscribers = [
        Subscriber.objects.create(email=f"zqsubscriber{n}@example.net", status=status)
        for n, status in enumerate(SubscriberStatus.values)
    ]
    return comments, subscribers


def api_addresses(fact):
    """The API's GET routes from its OpenAPI document, with real values in their holes."""
    from dayfacts.api.api import api

    schema = api.get_openapi_schema()
    values = {"mm": f"{fact.month:02d}", "dd": f"{fact.day:02d}", "fact_id": str(fact.pk),
              "slug": fact.slug, "year": str(fact.year)}
    addresses = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] not in values:
                enum = parameter.get("schema", {}).get("enum") or ["all"]
                values[parameter["name"]] = enum[0]
        addresses.append(re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path))
    return addresses


def local_path(base, link):
    """The site-relative path a link points to, or None for another site."""
    url = urljoin(base, link.replace("&amp;", "&"))
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver",
                                                                          site.netloc):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def route_of(path):
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


@pytest.mark.django_db
def test_crawling_every_public_address_finds_no_reader_data(client, almanac, readers):
    comments, subscribers = readers
    forbidden = secrets_of(*readers)
    fact = almanac[0]
    start = ["/", "/sitemap.xml", "/robots.txt", "/feed/rss/", "/feed/atom/", "/calendar.ics",
             "/comments/feed/", f"/comments/feed/{fact.slug}/", "/topics/", "/api/openapi.json",
             "/search/?q=thought", "/newsletter/", *api_addresses(fact),
             *[comment.get_absolute_url() for comment in comments]]
    queue, seen, per_route, visited = deque(start), set(start), Counter(), []
    while queue:
        path = queue.popleft()
        response = client.get(path, follow=True)
        assert response.status_code < 500, path
        visited.append(path)
        body = response.content.decode("utf-8", "replace")
        for what, forms in forbidden.items():
            for form in forms:
                assert form not in body, f"{what} appears at {path}"
        for cookie in response.cookies.values():
            for what, forms in forbidden.items():
                assert not any(form in cookie.value for form in forms), f"{what} in a cookie"
        if not response.get("Content-Type", "").startswith(("text/", "application/")):
            continue
        for match in LINK.finditer(body):
            link = next(group for group in match.groups() if group)
            target = local_path(f"http://testserver{path}", json.loads(f'"{link}"')
                                if "\\" in link else link)
            if not target or target in seen or target.startswith(SKIP_PREFIXES):
                continue
            route = route_of(target)
            if route is None or per_route[route] >= PER_ROUTE:
                continue
            per_route[route] += 1
            seen.add(target)
            queue.append(target)
    # The crawl reached the pages that show comments, every feed and the API.
    assert fact.get_absolute_url() in visited
    assert any(path.startswith("/api/v1/") for path in visited)
    if client.get("/sitemap.xml").status_code == 200:
        assert any(path.startswith("/sitemap-") for path in visited)
    assert len(visited) > 40
    # And the pages did show what readers may see: approved comments, by name.
    assert client.get(fact.get_absolute_url()).content.count(b"A thought on") >= 1


@pytest.mark.django_db
def test_the_static_export_holds_no_reader_data(almanac, readers, tmp_path):
    from django.core.management import call_command, get_commands

    if "build" not in get_commands():
        pytest.skip("dayfacts build is not installed")
    call_command("build", str(tmp_path / "site"), stdout=open(os.devnull, "w"))
    files = [path for path in (tmp_path / "site").rglob("*") if path.is_file()]
    assert any(path.name.endswith(".html") for path in files)
    forbidden = secrets_of(*readers)
    for path in files:
        content = path.read_bytes().decode("utf-8", "replace")
        for what, forms in forbidden.items():
            for form in forms:
                assert form not in content, f"{what} appears in {path.relative_to(tmp_path)}"
    # The export did include the fact pages that readers' comments are on.
    assert any(almanac[0].slug in str(path) for path in files)
