"""Share cards: a 1200x630 PNG for every day and every fact, cached like the pages and
drawn again after an edit; the pages' heads point link previews at them."""

import io
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse
from PIL import Image, ImageChops

from dayfacts.cards import drawing
from dayfacts.days import MonthDay
from dayfacts.facts.models import Status


class Meta(HTMLParser):
    """A page's <meta> tags by property or name, as a link preview reads them."""

    def __init__(self):
        super().__init__()
        self.tags = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.tags.setdefault(attrs.get("property") or attrs["name"], attrs["content"])


def meta_of(client, address):
    response = client.get(address)
    assert response.status_code == 200
    parser = Meta()
    parser.feed(response.content.decode())
    return parser.tags


def image_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    return image


@pytest.fixture
def treaty(make_fact):
    make_fact(title="A lesser event", year=1066)
    return make_fact(title="The Senate ratifies the treaty", year=1952, featured=True,
                     slug="senate-ratifies", body="The vote was decisive.")


def test_the_addresses_others_reverse():
    assert reverse("cards:day", kwargs={"day": MonthDay(3, 20)}) == "/march/20/card.png"
    assert reverse("cards:fact", kwargs={"slug": "senate-ratifies"}) == \
        "/facts/senate-ratifies/card.png"


def test_a_day_and_a_fact_have_a_card_of_the_size_link_previews_want(client, treaty):
    for address in ("/march/20/card.png", "/facts/senate-ratifies/card.png"):
        response = client.get(address)
        assert image_of(response).size == (1200, 630)
        # Shared like a page: any cache may keep it briefly, a browser revalidates.
        assert response["Cache-Control"].startswith("public, max-age=0, s-maxage=")
        assert response["ETag"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_every_calendar_day_has_a_card_even_without_entries(client, treaty):
    empty = image_of(client.get("/february/29/card.png"))
    assert empty.size == (1200, 630)
    full = image_of(client.get("/march/20/card.png"))
    assert ImageChops.difference(empty.convert("RGB"), full.convert("RGB")).getbbox()


@pytest.mark.parametrize("address", [
    "/february/30/card.png", "/march/32/card.png", "/march/0/card.png", "/smarch/1/card.png",
    "/march/020/card.png", "/march/20/card.jpg", "/march/20/card.png/x",
])
def test_a_day_that_does_not_exist_has_no_card(client, db, address):
    assert client.get(address).status_code == 404


def test_a_fact_readers_may_not_see_has_no_card(client, make_fact):
    draft = make_fact(title="Not ready", status=Status.DRAFT)
    assert client.get(f"/facts/{draft.slug}/card.png").status_code == 404
    assert client.get("/facts/no-such-fact/card.png").status_code == 404


def test_an_edit_of_the_headline_draws_the_card_again(
        client, treaty, django_assert_num_queries):
    first = client.get("/march/20/card.png")
    fact_first = client.get("/facts/senate-ratifies/card.png").content
    # Until something changes, the card comes from the page cache, without a query.
    with django_assert_num_queries(0):
        again = client.get("/march/20/card.png")
    assert again.content == first.content and again["ETag"] == first["ETag"]

    treaty.title = "The Senate approves the security treaty"
    treaty.save()
    edited = client.get("/march/20/card.png")
    assert image_of(edited).size == (1200, 630)
    assert edited.content != first.content and edited["ETag"] != first["ETag"]
    assert client.get("/facts/senate-ratifies/card.png").content != fact_first


def test_a_new_featured_fact_takes_over_the_days_card(client, treaty, make_fact):
    before = client.get("/march/20/card.png").content
    newer = make_fact(title="A newer featured fact", year=2001, featured=True)
    assert client.get("/march/20/card.png").content != before
    assert client.get("/march/20/card.png").content == \
        client.get(f"/facts/{newer.slug}/card.png").content


def test_day_and_fact_pages_point_link_previews_at_their_cards(client, treaty, settings):
    settings.SITE_URL = "https://dayfacts.example"
    settings.ALLOWED_HOSTS = ["dayfacts.example", "testserver"]
    for page, card in [("/march/20/", "/march/20/card.png"),
                       ("/facts/senate-ratifies/", "/facts/senate-ratifies/card.png")]:
        tags = meta_of(client, page)
        assert tags["og:image"] == "https://dayfacts.example" + card
        assert tags["twitter:image"] == tags["og:image"]
        assert tags["twitter:card"] == "summary_large_image"
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        assert tags["og:image:type"] == "image/png"
        assert tags["og:image:alt"] == "March 20: The Senate ratifies the treaty (1952)"
        assert image_of(client.get(card)).size == (1200, 630)


def test_todays_page_points_at_todays_card(client, treaty, settings):
    with time_machine.travel("2026-03-20 12:00Z", tick=False):
        tags = meta_of(client, "/")
    assert tags["og:image"] == settings.SITE_URL + "/march/20/card.png"


def test_a_headline_of_any_length_fits_the_card():
    width, height = drawing.WIDTH - 2 * drawing.MARGIN, 300
    short = drawing.fit_headline("Treaty ratified", width, height)
    assert short[0].size == drawing.HEADLINE_SIZES[0] and short[1] == ["Treaty ratified"]

    text = " ".join(["The Senate votes on the treaty after a long debate"] * 20)
    face, lines, step = drawing.fit_headline(text, width, height)
    assert face.size == drawing.HEADLINE_SIZES[-1]
    assert len(lines) * step <= height
    assert all(face.getlength(line) <= width for line in lines)
    assert lines[-1].endswith("\u2026")

    # A word longer than a line is broken rather than drawn past the edge.
    face, lines, _ = drawing.fit_headline("X" * 200, width, height)
    assert len(lines) > 1 and all(face.getlength(line) <= width for line in lines)


def test_the_card_shows_its_year_and_the_sites_name():
    def pixels(png):
        return Image.open(io.BytesIO(png)).convert("RGB")

    plain = pixels(drawing.draw("March 20", "Treaty", "", "dayfacts"))
    dated = pixels(drawing.draw("March 20", "Treaty", "44 BC", "dayfacts"))
    renamed = pixels(drawing.draw("March 20", "Treaty", "", "another almanac"))
    year_box = ImageChops.difference(plain, dated).getbbox()
    assert year_box and year_box[0] > drawing.WIDTH // 2  # the year sits on the right
    name_box = ImageChops.difference(plain, renamed).getbbox()
    assert name_box and name_box[1] > drawing.HEADLINE_BOTTOM  # the name sits at the foot
