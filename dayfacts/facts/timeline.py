"""The day page's timeline: the day's entries placed by century, as geometry for an SVG."""

from dataclasses import dataclass, field

from dayfacts.days import format_year
from dayfacts.days.centuries import century_name, century_of
from dayfacts.facts.models import KIND_LABELS

ROWS = 8  # marks stacked in a column before a century widens
STEP = 16  # distance between mark centres
RADIUS = 6
PAD = 12  # room between centuries
TOP = 10
LABEL_ROOM = 34
LABEL_DROP = 20  # a century's label, below the axis


@dataclass
class Mark:
    fact: object
    x: int
    y: int
    label: str
    href: str
    headline: bool = False

    @property
    def css_class(self):
        return f"timeline-mark tl-{self.fact.kind}" + (" tl-headline" if self.headline else "")

    @property
    def radius(self):
        return RADIUS + 2 if self.headline else RADIUS


@dataclass
class Column:
    century: int
    x: int
    width: int
    label: str
    marks: list = field(default_factory=list)

    @property
    def centre(self):
        return self.x + self.width // 2


@dataclass
class Timeline:
    columns: list
    width: int
    height: int
    baseline: int

    @property
    def marks(self):
        return [mark for column in self.columns for mark in column.marks]

    @property
    def label_y(self):
        return self.baseline + LABEL_DROP


def layout(facts, headline=None):
    """Place facts with a year in century columns, oldest first; None when there are none."""
    dated = {fact.pk: fact for fact in facts if fact and fact.year}
    if not dated:
        return None
    by_century = {}
    for fact in sorted(dated.values(), key=lambda f: (f.year, f.pk)):
        by_century.setdefault(century_of(fact.year), []).append(fact)
    columns, x = [], PAD
    rows = min(ROWS, max(len(group) for group in by_century.values()))
    baseline = TOP + rows * STEP
    for century in sorted(by_century):
        group = by_century[century]
        stacks = (len(group) + ROWS - 1) // ROWS
        width = max(stacks * STEP, 3 * STEP)
        column = Column(century, x, width, century_name(century, short=True))
        left = column.centre - (stacks - 1) * STEP // 2
        for n, fact in enumerate(group):
            column.marks.append(Mark(
                fact, x=left + (n // ROWS) * STEP, y=baseline - STEP // 2 - (n % ROWS) * STEP,
                label=f"{format_year(fact.year)}: {fact.title} ({KIND_LABELS[fact.kind]})",
                href=fact.get_absolute_url(),
                headline=headline is not None and fact.pk == headline.pk,
            ))
        columns.append(column)
        x += width + PAD
    return Timeline(columns, width=x, height=baseline + LABEL_ROOM, baseline=baseline)
