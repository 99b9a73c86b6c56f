"""The static export writes each page's share card beside it, where its og:image points."""

import re

from django.core.management import call_command
from PIL import Image

from dayfacts.pagecache import export

PAGES = ["/", "/march/20/", "/facts/senate-ratifies/", "/february/29/"]


def test_the_static_site_holds_the_cards_its_pages_name(make_fact, tmp_path, settings,
                                                        monkeypatch):
    settings.SITE_URL = "https://dayfacts.example"
    settings.ALLOWED_HOSTS = ["dayfacts.example"]
    make_fact(title="The Senate ratifies the treaty", year=1952, featured=True,
              slug="senate-ratifies")
    # A few pages stand for the whole site: each is exported as `dayfacts build` does.
    monkeypatch.setattr(export, "fact_addresses", lambda: iter(PAGES))
    monkeypatch.setattr(export, "routed_addresses", lambda: iter(()))
    built = tmp_path / "site"
    call_command("build", str(built))

    for page, card in [("march/20/index.html", "march/20/card.png"),
                       ("facts/senate-ratifies/index.html", "facts/senate-ratifies/card.png"),
                       ("february/29/index.html", "february/29/card.png")]:
        named = re.search(r'<meta property="og:image" content="([^"]+)"',
                          (built / page).read_text())[1]
        assert named == f"https://dayfacts.example/{card}"
        with Image.open(built / card) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630))
