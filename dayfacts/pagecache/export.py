"""The static export: every public page rendered to a file, rewritten only when it changed.

Pages are rendered through Django's test client, so they pass through the same URLs,
views and middleware as on the live site; whatever feeds, sitemap and API day answers the
other apps route are exported too, found by walking the URL patterns, and the image
each page names for link previews (its og:image, a share card).

The output folder is the build's own: it must be new, empty or an earlier build (its
manifest says so), and no path the build writes or removes may lead out of it.
"""

import hashlib
import html
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from csp.utils import build_policy
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.http.request import split_domain_port, validate_host
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLResolver, get_resolver, reverse

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Topic
from dayfacts.facts.views import LIST_KINDS

MANIFEST = ".dayfacts-build.json"
# Namespaces whose argument-free routes (and routes taking a month and a day) are exported.
ROUTED_NAMESPACES = ("syndication", "api")
# Routes whose answer differs per request or per query: nothing a file can hold.
SKIPPED_ROUTES = {"api:random_fact", "api:search", "api:post_comment", "api:api-root"}
EXTENSIONS = {"text/html": ".html", "application/json": ".json", "application/xml": ".xml",
              "application/rss+xml": ".xml", "application/atom+xml": ".xml",
              "text/calendar": ".ics", "text/plain": ".txt"}
# Parts of a page that differ on every render without the page changing: the comment form's
# signed "shown at" time (any earlier time passes its minimum time-to-fill check).
VOLATILE = re.compile(rb'(name="issued" value=")[^"]*(")')
SITEMAP_LOCATION = re.compile(rb"<sitemap>\s*<loc>([^<]+)</loc>")
# A page's link-preview image (its share card), which the page names by its full address.
PREVIEW_IMAGE = re.compile(rb'<meta property="og:image" content="([^"]+)"')
FORM_TARGET = re.compile(rb'(<form\b[^>]*?\baction=")(/)', re.IGNORECASE)
HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)
# A static host sends no Content-Security-Policy header, so pages carry the policy in a <meta>
# tag, which cannot hold these (CSP Level 3, "Delivering a policy via the <meta> element").
NOT_IN_META = ("frame-ancestors", "report-uri", "sandbox")


class UnsafeOutput(OSError):
    """An output folder, or a path in it, that the build will not write into or remove."""


@dataclass
class Report:
    written: list = field(default_factory=list)
    unchanged: int = 0
    removed: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def fact_addresses():
    """The addresses of the site's own pages: front page, days, months, facts, topics, years."""
    yield "/"
    limit = settings.DAYFACTS_DAY_PAGE_LIMIT
    long_lists = (Fact.objects.published().order_by().values_list("month", "day", "kind")
                  .annotate(n=Count("pk")).filter(n__gt=limit))
    words = {kinds[0]: word for word, (_, kinds) in LIST_KINDS.items() if len(kinds) == 1}
    for day in MonthDay.all():
        yield reverse("facts:day", kwargs={"day": day})
    for month, day, kind in long_lists:
        if kind in words:
            yield reverse("facts:day_list",
                          kwargs={"day": MonthDay(month, day), "kind": words[kind]})
    for month in range(1, 13):
        yield reverse("facts:month", kwargs={"month": month})
    for slug in Fact.objects.published().order_by("pk").values_list("slug", flat=True):
        yield reverse("facts:fact", kwargs={"slug": slug})
    yield reverse("facts:topics")
    for slug in shown_topics():
        yield reverse("facts:topic", kwargs={"slug": slug})
    years = Fact.objects.published().exclude(year=None).order_by("year").values_list(
        "year", flat=True).distinct()
    for year in years:
        yield reverse("facts:year", kwargs={"year": year})


def shown_topics():
    """The slugs of topics that have a published fact."""
    return Topic.objects.shown().order_by("slug").values_list("slug", flat=True)


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield namespace, pattern


def routed_addresses():
    """The feeds, sitemap and API day answers that the other apps route, as they exist."""
    for namespace, pattern in _walk(get_resolver().url_patterns):
        name = f"{namespace}:{pattern.name}"
        if namespace not in ROUTED_NAMESPACES or name in SKIPPED_ROUTES:
            continue
        arguments = set(pattern.pattern.converters) or set(pattern.pattern.regex.groupindex)
        if not arguments:
            yield reverse(name)
        elif arguments == {"mm", "dd"}:
            for day in MonthDay.all():
                yield reverse(name, kwargs={"mm": f"{day.month:02d}", "dd": f"{day.day:02d}"})
        elif arguments == {"slug"} and namespace == "syndication":  # a topic's feeds
            for slug in shown_topics():
                yield reverse(name, kwargs={"slug": slug})


def file_for(address, content_type):
    """The file (relative path) that holds `address`: directories get an index file."""
    path = address.lstrip("/")
    if path == "" or path.endswith("/"):
        kind = content_type.split(";")[0].strip()
        return path + "index" + EXTENSIONS.get(kind, ".html")
    return path


def meta_policy(site):
    """The site's policy as a <meta> tag carries it, letting forms post to `site`'s origin."""
    update = {}
    if "form-action" in settings.CONTENT_SECURITY_POLICY.get("DIRECTIVES", {}):
        # The exported pages' forms post to the dynamic site (see `statify`).
        update["form-action"] = [f"{site.scheme}://{site.netloc}"]
    return build_policy(replace=dict.fromkeys(NOT_IN_META), update=update)


def static_files():
    """(relative path under STATIC_URL, absolute source path) of every static file."""
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            yield path, storage.path(path)


class Exporter:
    """Write the site into `outdir`, touching only files whose content changed."""

    def __init__(self, outdir):
        self.outdir = Path(outdir)
        site = urlsplit(settings.SITE_URL)
        # Pages are rendered as for a reader of SITE_URL, so its links and canonicals hold.
        if not validate_host(split_domain_port(site.netloc)[0], settings.ALLOWED_HOSTS):
            raise ImproperlyConfigured(
                f"SITE_URL's host {site.netloc!r} is not in ALLOWED_HOSTS; add it to build."
            )
        self.site_url = settings.SITE_URL.encode()
        policy = meta_policy(site)
        self.policy_tag = render_to_string(
            "pagecache/policy_meta.html", {"policy": policy}).strip().encode() if policy else b""
        self.client = Client(HTTP_HOST=site.netloc, secure=site.scheme == "https")
        self.report = Report()
        self.files = set()
        self.done = set()

    def run(self):
        self.outdir.mkdir(parents=True, exist_ok=True)
        self.root = self.outdir.resolve()
        self.earlier = self.read_manifest()
        # The export is one client reading every page once: per-client limits do not apply.
        with override_settings(RATELIMIT_ENABLE=False):
            for address in [*fact_addresses(), *routed_addresses()]:
                self.export(address)
        static_prefix = settings.STATIC_URL.strip("/")
        for relative, source in static_files():
            self.write(f"{static_prefix}/{relative}", Path(source).read_bytes())
        self.remove_stale()
        return self.report

    def export(self, address):
        self.done.add(address)
        response = self.client.get(address)
        if response.status_code == 405:  # a route only for POST: no page to export
            return
        if response.status_code != 200:
            self.report.failed.append((address, response.status_code))
            return
        body = response.content
        content_type = response.get("Content-Type", "text/html")
        if content_type.startswith("text/html"):
            body = self.statify(body)
        self.write(file_for(address, content_type), body)
        # A sitemap index names its sections: export them too.
        for location in SITEMAP_LOCATION.findall(body):
            section = urlsplit(location.decode()).path
            if section not in self.done:
                self.export(section)
        # A page names its share card as an address on SITE_URL: a static host serving
        # that address serves the card too.
        for location in PREVIEW_IMAGE.findall(body):
            image = html.unescape(location.decode())
            if image.startswith(settings.SITE_URL + "/"):
                image = image[len(settings.SITE_URL):]
                if image not in self.done:
                    self.export(image)

    def statify(self, body):
        """Point forms at the dynamic site and give the page its Content-Security-Policy."""
        body = FORM_TARGET.sub(lambda m: m.group(1) + self.site_url + b"/", body)
        if self.policy_tag:
            # First in <head>: a policy applies only to what follows it.
            body = HEAD.sub(lambda m: m.group(0) + self.policy_tag, body, count=1)
        return body

    def read_manifest(self):
        """The files the earlier build in the output folder wrote; refuse any other folder."""
        manifest = self.root / MANIFEST
        if manifest.is_symlink():
            raise UnsafeOutput(f"{manifest} is a symbolic link, not a manifest a build wrote.")
        if not manifest.exists():
            if any(self.root.iterdir()):
                raise UnsafeOutput(
                    f"{self.root} is not empty and is not an earlier build (it has no "
                    f"{MANIFEST}); give a new or empty folder."
                )
            return set()
        try:
            earlier = json.loads(manifest.read_text())
        except (ValueError, UnicodeDecodeError) as error:
            raise UnsafeOutput(f"{manifest} cannot be read ({error}).") from None
        if not isinstance(earlier, list) or not all(isinstance(p, str) for p in earlier):
            raise UnsafeOutput(f"{manifest} is not a list of files.")
        for relative in earlier:
            self.inside(relative)
        return set(earlier)

    def inside(self, relative):
        """The path of `relative` in the output folder; refuse one that leads out of it."""
        target = self.root / relative
        # Resolving the folder follows `..` and symbolic links, as writing or removing would.
        folder = target.parent.resolve()
        if folder != self.root and self.root not in folder.parents:
            raise UnsafeOutput(
                f"{relative!r} leads out of {self.root} (through '..' or a symbolic link); "
                "the build writes and removes nothing outside its folder."
            )
        return target

    def write(self, relative, content):
        self.files.add(relative)
        target = self.inside(relative)
        if target.is_file() and _digest(target.read_bytes()) == _digest(content):
            self.report.unchanged += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as temporary:
            temporary.write(content)
        os.chmod(temporary.name, 0o644)
        os.replace(temporary.name, target)
        self.report.written.append(relative)

    def remove_stale(self):
        """Remove the files an earlier build wrote that this one did not (a deleted fact)."""
        manifest = self.root / MANIFEST
        for relative in sorted(self.earlier - self.files):
            self.inside(relative).unlink(missing_ok=True)
            self.report.removed.append(relative)
        listing = json.dumps(sorted(self.files), indent=0)
        if not manifest.is_file() or manifest.read_text() != listing:
            manifest.write_text(listing)


def _digest(content):
    """A hash of `content` that ignores its VOLATILE parts."""
    return hashlib.sha256(VOLATILE.sub(rb"\1\2", content)).digest()
