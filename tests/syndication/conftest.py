
import pytest

from dayfacts.facts.models import Status, Topic


@pytest.fixture
def almanac(make_fact):
    """Featured facts on a few days around March 20, a topic, a leap-day fact and a draft."""
    space = Topic.objects.create(name="Space", slug="space", description="Rockets & <stars>")
    return {
        "space": space,
        "today": make_fact(title="Treaty of Paris", year=1815, featured=True,
                           body="The treaty *ended* the war.", topics=[space],
                           licence="CC BY-SA 4.0", attribution="Wikipedia contributors"),
        "yesterday": make_fact(title="Moon landing </script>", month=3, day=19, year=1969,
                               featured=True, topics=[space]),
        "birth": make_fact(title="Ada Lovelace, mathematician", year=1815, kind="birth"),
        "death": make_fact(title="Isaac Newton, physicist", year=1727, kind="death"),
        "holiday": make_fact(title="World Storytelling Day", year=None, kind="holiday"),
        "bc": make_fact(title="Ides of March", month=3, day=15, year=-44, topics=[space]),
        "leap": make_fact(title="Leap-day launch", month=2, day=29, year=1960, featured=True,
                          topics=[space]),
        "draft": make_fact(title="Not yet", status=Status.DRAFT, featured=True),
    }
