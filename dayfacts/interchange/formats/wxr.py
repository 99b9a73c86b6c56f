"""WordPress export files (WXR 1.0, 1.1 and 1.2): posts with their comments.

A "this day in history" blog titles its posts "March 20th: What happened"; the day comes
from that title, or from the post's date where the title has none (`--day-from`). Pages,
attachments, menu items and other post types are skipped, counted by their type.

A file is a WordPress export when its channel says which WXR version wrote it, as
WordPress's own importer decides: the `wp:` elements may be bound to any address (WordPress
1.0 to 1.2 use http://wordpress.org/export/1.x/, WordPress.com writes https://, some tools
drop the last slash), so the address is read from the file rather than expected. The XML is parsed
with defusedxml, which refuses entity declarations and external references, so a hostile
file (an entity expansion bomb, a reference to a local file) stops with an error instead of
being expanded.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from xml.etree.ElementTree import ParseError

import nh3
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils import timezone

from dayfacts.days import MonthDay
from dayfacts.facts.markup import sanitize_html
from dayfacts.facts.models import Kind, Status

from ..records import BadInput, CommentRecord, FactRecord, Note, Problem, Skip
from ..registry import Importer, register

# Files without a wxr_version element are still known by their namespace's address.
WP_NAMESPACE = re.compile(r"^\{(https?://wordpress\.org/export/\d+\.\d+/?)\}")
_WXR_VERSION = re.compile(r"^\d+\.\d+$")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_TITLE_DAY = re.compile(
    rf"^\s*(?P<month>{_MONTHS}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)\s+"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*(?:[:,\u2013\u2014-]\s*|\s+)(?P<rest>\S.*)$",
    re.I,
)
_YEAR = re.compile(r"\b(1\d{3}|20\d{2})\b")
_SHORTCODE = re.compile(r"\[/?(?:caption|gallery|embed|video|audio|playlist)\b[^\]]*\]")
STATUSES = {"publish": Status.PUBLISHED, "future": Status.SCHEDULED, "draft": Status.DRAFT,
            "pending": Status.DRAFT, "private": Status.DRAFT}
COMMENT_STATUSES = {"1": "approved", "0": "pending", "spam": "spam"}
KIND_CATEGORIES = {"births": Kind.BIRTH, "deaths": Kind.DEATH, "holidays": Kind.HOLIDAY,
                   "observances": Kind.HOLIDAY}
NO_DATE = "0000-00-00 00:00:00"


@register
class WXRImporter(Importer):
    name = "wxr"
    help = "WordPress export files (WXR 1.0-1.2): posts, categories and tags, comments."
    suffixes = (".xml", ".wxr")
    match_slug = False

    @classmethod
    def add_arguments(cls, parser):
        group = parser.add_argument_group("wxr")
        group.add_argument(
            "--day-from", choices=["title-or-date", "title", "date"], default="title-or-date",
            help="(wxr) Where a post's calendar day comes from: a title like 'March 20th: ...', "
                 "else the post date (default); the title only (others are skipped); or the "
                 "post date only.",
        )

    def read(self, path):
        """Yield a record per post (with its comments) and a skip for everything else."""
        root = self.parse(path)
        channel = root.find("channel")
        ns = self.namespace(root, path)
        site = (channel.findtext("link") or "").strip().rstrip("/")
        site_name = (channel.findtext("title") or "").strip() or "WordPress"
        name = Path(path).name
        for index, item in enumerate(channel.findall("item")):
            place = f"{name}, item {index + 1}"
            title = (item.findtext("title") or "").strip()
            where = f"{place} ({title[:50]!r})" if title else place
            try:
                record = self.post(item, ns, site, site_name, where)
                if isinstance(record, FactRecord) and not item.findtext(f"{{{ns}}}post_id"):
                    yield Note(where, f"no wp:post_id; known by {record.key[:80]!r}")
                yield record
            except ValueError as error:
                yield Problem(name, f"item {index + 1}", str(error))

    def parse(self, path):
        data = self.read_bytes(path)
        try:
            root = fromstring(data)
        except DefusedXmlException as error:
            raise BadInput(path, "", f"refused: the XML declares entities or external "
                                     f"references, which an export never needs ({error})") from None
        except ParseError as error:
            line, column = error.position
            # expat counts columns from 0; editors count from 1.
            raise BadInput(path, f"line {line}, column {column + 1}",
                           f"not well-formed XML: {str(error).split(':')[0]}") from None
        if root.tag != "rss" or root.find("channel") is None:
            raise BadInput(path, "line 1", "not a WordPress export (no <rss><channel>)")
        return root

    def namespace(self, root, path):
        """The file's wp: namespace: the one its channel's wxr_version is written in."""
        channel = root.find("channel")
        for element in channel:
            namespace, _, local = element.tag[1:].rpartition("}")
            if local == "wxr_version" and element.tag.startswith("{"):
                version = (element.text or "").strip()
                if not _WXR_VERSION.match(version):
                    raise BadInput(path, "", f"not a WordPress export (its wxr_version, "
                                             f"{version[:20]!r}, is not a version number)")
                return namespace
        for element in channel.iter():
            match = WP_NAMESPACE.match(element.tag)
            if match:
                return match.group(1)
        raise BadInput(path, "", "not a WordPress export (no wxr_version and no "
                                 "wordpress.org/export elements)")

    def post(self, item, ns, site, site_name, place):
        def wp(tag, default=""):
            return (item.findtext(f"{{{ns}}}{tag}") or default).strip()

        post_type = wp("post_type", "post")
        title = (item.findtext("title") or "").strip()
        if post_type != "post":
            # Named by type (page, attachment, nav_menu_item, wp_block...), so the report
            # says what was left out; the length bounds what a file can make us print.
            return Skip(f"{post_type[:40]} (not a post)", place, "", title)
        status = wp("status", "publish")
        if status not in STATUSES:
            return Skip(f"post with status {status[:40]!r}", place, "", title)
        key = self.post_key(item, wp("post_id"), site, wp("post_date"), title)
        posted = local_time(wp("post_date"), wp("post_date_gmt"))
        # The day as the blog showed it: the local post date, not the GMT one.
        dated = local_time(wp("post_date"), "") or posted
        day, title = self.day_and_title(title, dated)
        if day is None:
            return Skip("no day in the title", place, "", title)
        if not title:
            raise ValueError("the post has no title")

        content = _SHORTCODE.sub("", item.findtext(CONTENT) or "")
        body = sanitize_html(content).strip()
        excerpt = next((e.text or "" for e in item if e.tag.endswith("}encoded")
                        and "excerpt" in e.tag), "")
        summary = plain_text(excerpt) or first_words(plain_text(content))
        categories = [(c.get("domain"), (c.text or "").strip()) for c in item.findall("category")]
        # WXR 1.0 wrote tags with the domain "tag", and each category once more without one.
        topics = sorted({name for domain, name in categories
                         if domain in ("category", "post_tag", "tag") and name
                         and name.lower() != "uncategorized"})
        kind = next((KIND_CATEGORIES[name.lower()] for _, name in categories
                     if name.lower() in KIND_CATEGORIES), Kind.EVENT)
        year_match = _YEAR.search(title) or _YEAR.search(plain_text(content)[:400])
        # WordPress writes a slug of other letters than ASCII percent-encoded ("%e6%97%a5"):
        # such a post gets a slug made from its title, as our slugs are ASCII.
        slug = wp("post_name")
        slug = "" if "%" in slug else slug
        return FactRecord(
            key=key, month=day.month, day=day.day,
            year=int(year_match.group(1)) if year_match else None, kind=kind, title=title,
            summary=summary, body=body, topics=topics, slug=slug,
            status=STATUSES[status], publish_at=posted, source_name=site_name,
            source_url=(item.findtext("link") or "").strip(), place=place,
            comments=[c for c in (self.comment(e, ns, site, key, place) for e in
                                  item.findall(f"{{{ns}}}comment")) if c],
        )

    def post_key(self, item, post_id, site, posted, title):
        """What knows the post from one import to the next: its id on the site, else its
        guid or address, else its title and date (as WordPress's importer matches one)."""
        if post_id:
            return f"{site}/?p={post_id}"[:255]
        for tag in ("guid", "link"):
            address = (item.findtext(tag) or "").strip()
            if address:
                return address[:255]
        if not title:
            raise ValueError("the post has no wp:post_id, guid, link or title to know it by")
        return f"{site}/?date={posted}&title={title}"[:255]

    def day_and_title(self, title, posted):
        """The calendar day and the title without its "March 20th:" prefix."""
        how = self.options.get("day_from", "title-or-date")
        match = _TITLE_DAY.match(title) if how != "date" else None
        if match:
            try:
                day = MonthDay.parse(f"{match.group('month').rstrip('.')[:3]} "
                                     f"{match.group('day')}")
                return day, match.group("rest").strip()
            except ValueError:
                pass
        if how == "title" or posted is None:
            return None, title
        return MonthDay.from_date(posted), title

    def comment(self, element, ns, site, post_key, place):
        def wp(tag):
            return (element.findtext(f"{{{ns}}}{tag}") or "").strip()

        status = COMMENT_STATUSES.get(wp("comment_approved"))
        if status is None or wp("comment_type") not in ("", "comment"):
            return None  # trash, pingbacks and trackbacks are not conversation
        parent = wp("comment_parent")
        comment_id = wp("comment_id")
        # A comment without an id is known by its post, author and time.
        key = (f"{site}/?c={comment_id}" if comment_id else
               f"{post_key}#{wp('comment_date')} {wp('comment_author')}")
        return CommentRecord(
            key=key[:255],
            name=html.unescape(wp("comment_author")) or "Anonymous",
            email=wp("comment_author_email"), url=wp("comment_author_url"),
            text=plain_text(element.findtext(f"{{{ns}}}comment_content") or "", paragraphs=True),
            status=status, created=local_time(wp("comment_date"), wp("comment_date_gmt")),
            parent_key=f"{site}/?c={parent}" if parent not in ("", "0") else None,
            place=f"{place}, comment {comment_id or wp('comment_date')}",
        )


def local_time(local, gmt):
    """A WordPress time: the GMT column when set, else the local one in the site's zone."""
    for value, zone in ((gmt, dt.UTC), (local, timezone.get_current_timezone())):
        if value and value != NO_DATE:
            try:
                return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
            except ValueError:
                continue
    return None


def plain_text(markup, paragraphs=False):
    """Text without tags or entities; paragraphs kept as blank lines when asked."""
    if paragraphs:
        markup = re.sub(r"(?i)\s*(?:</?p\b[^>]*>|<br\s*/?>)\s*", "\n\n", markup)
    text = html.unescape(nh3.clean(markup, tags=set()))
    if paragraphs:
        return re.sub(r"\n{3,}", "\n\n", text).strip()
    return re.sub(r"\s+", " ", text).strip()


def first_words(text, limit=300):
    """The start of a text, cut at a sentence or a word."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > limit // 2 else cut.rsplit(" ", 1)[0] + "…"
