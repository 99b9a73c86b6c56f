"""Slugs for facts: the one rule, for the editors' admin and the importers alike."""

from django.utils.text import slugify

from dayfacts.days import format_year


def slug_base(title, year):
    """The slug a title and a year make, before free_slug() makes it unique:
    'Treaty of Paris', 1815 -> 'treaty-of-paris-1815'; -44 reads '44-bc'."""
    return slugify(f"{title} {format_year(year)}".strip())[:180] or "fact"


def free_slug(base, taken):
    """`base`, or the first of base-2, base-3... that `taken(slug)` says is free."""
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug
