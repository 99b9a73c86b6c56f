"""The shapes of the API's answers, from which the OpenAPI document is generated."""

from typing import Literal

from ninja import Field, Schema


class ProblemOut(Schema):
    """An error, as RFC 9457 application/problem+json."""

    status: int
    type: str
    title: str
    detail: str
    errors: dict[str, list[str]] = Field(
        None, description="For a refused form: the messages for each field, by field name.")


# The error answers every route may give, for the OpenAPI document.
ERRORS = {400: ProblemOut, 404: ProblemOut, 429: ProblemOut}


# Wikipedia-compatible answers ----------------------------------------------------------


class TitlesOut(Schema):
    canonical: str
    normalized: str
    display: str


class ContentUrlsOut(Schema):
    page: str
    revisions: str
    edit: str


class DeviceUrlsOut(Schema):
    desktop: ContentUrlsOut
    mobile: ContentUrlsOut


class PageSummaryOut(Schema):
    """A fact's article, described as Wikipedia describes a page."""

    type: Literal["standard"]
    title: str = Field(description="The fact's slug.")
    displaytitle: str
    titles: TitlesOut
    pageid: int = Field(description="The fact's id.")
    lang: str
    dir: Literal["ltr", "rtl"]
    revision: str
    timestamp: str = Field(description="When the fact last changed, ISO 8601 in UTC.")
    content_urls: DeviceUrlsOut
    extract: str
    extract_html: str
    description: str = Field(None, description="The fact's topics, when it has any.")


class OnThisDayItemOut(Schema):
    text: str
    year: int = Field(None, description="Negative for BC; absent for holidays.")
    pages: list[PageSummaryOut]


class OnThisDayOut(Schema):
    """Entries of a day keyed by type; `all` answers every key."""

    selected: list[OnThisDayItemOut] = None
    events: list[OnThisDayItemOut] = None
    births: list[OnThisDayItemOut] = None
    deaths: list[OnThisDayItemOut] = None
    holidays: list[OnThisDayItemOut] = None


# Native answers -------------------------------------------------------------------------

KindName = Literal["event", "birth", "death", "holiday"]


class TopicOut(Schema):
    slug: str
    name: str
    description: str
    fact_count: int
    url: str
    api_url: str


class FactOut(Schema):
    """A fact in a list; `fields=` keeps only the named keys, so every key is optional."""

    id: int = None
    slug: str = None
    title: str = None
    summary: str = None
    kind: KindName = None
    year: int | None = Field(None, description="Negative for BC; null when unknown.")
    year_display: str = Field(None, description="The year as people write it: '44 BC'.")
    month: int = None
    day: int = None
    date: str = Field(None, description="The calendar day as MM-DD.")
    featured: bool = None
    notability: int = None
    topics: list[str] = Field(None, description="Topic slugs.")
    has_article: bool = None
    comment_count: int = None
    url: str = None
    api_url: str = None
    updated: str = None


class FactDetailOut(FactOut):
    """A fact with its article and where it comes from."""

    body_html: str = None
    source_name: str = None
    source_url: str = None
    licence: str = None
    attribution: str = None


class FactPageOut(Schema):
    items: list[FactOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
    next: str | None = Field(description="The next page's address, or null on the last.")


class DayOut(Schema):
    date: str
    name: str
    url: str
    headline: FactOut | None
    counts: dict[str, int] = Field(description="Published facts of the day by kind.")
    previous: str
    next: str
    facts_url: str


class DisplayOut(Schema):
    """A day's one entry for a small screen (a clock, a picture frame, a widget): its headline."""

    date: str = Field(description="The calendar day as MM-DD.")
    name: str = Field(description="The day's name: 'March 20'.")
    title: str | None = Field(description="The headline's title; null while the day has no entry.")
    year: int | None = Field(description="Negative for BC; null when undated or without entry.")
    year_display: str = Field(description="The year as people write it ('44 BC'), or empty.")
    text: str | None = Field(description="One or two sentences: the summary, or the title.")
    url: str | None = Field(description="The headline's page.")
    day_url: str = Field(description="The day's page.")
    card_url: str = Field(description="The day's share card, a 1200×630 PNG.")


class YearOut(Schema):
    year: int
    name: str
    url: str
    facts: FactPageOut


class TopicDetailOut(TopicOut):
    facts: FactPageOut


class SearchHitOut(FactOut):
    title_html: str = Field(None, description="The title with <mark> around matched words.")
    snippet_html: str = Field(None, description="A passage with <mark> around matched words.")


class SearchPageOut(Schema):
    query: str
    count: int = Field(description="Matches ranked and paged, at most DAYFACTS_SEARCH_RANK_LIMIT.")
    more: bool = Field(description="Whether more facts match than are ranked: narrow the query.")
    items: list[SearchHitOut]
    next_cursor: str | None
    next: str | None


class CommentIn(Schema):
    """A comment, checked by the same form as the page's comment form."""

    name: str = ""
    email: str = Field("", description="Never shown anywhere: not on the site, in feeds or here.")
    url: str = ""
    text: str = ""
    consent: bool = Field(False, description="Agreement with the comment terms; required.")
    parent: int | None = Field(None, description="The id of the comment this one replies to.")


class SignupIn(Schema):
    """A newsletter sign-up, checked by the same form as the site's sign-up form."""

    email: str = ""
    frequency: str = Field("daily", description="daily or weekly.")
    delivery_hour: int | None = Field(None, description="Local hour 0-23; null: the default.")
    time_zone: str = Field("", description="An IANA name such as Europe/Paris; empty: the site's.")


class AcceptedOut(Schema):
    status: str = Field(description="What happens next: `held` for a comment (awaiting "
                                    "moderation), `pending` for a sign-up (awaiting the "
                                    "confirmation email).")
    detail: str
