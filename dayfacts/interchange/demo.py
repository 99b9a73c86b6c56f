"""Synthetic facts, comments and subscribers for benchmarks, load tests and demos.

Titles and texts are put together from word lists written for this purpose, so they read
like an almanac without copying one. The spread follows real almanacs: most entries are
from the last two centuries, births outnumber deaths, a few facts carry an article.
"""

import datetime as dt
import random

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from dayfacts.days import MonthDay
from dayfacts.facts import statistics
from dayfacts.facts.markup import render_markdown
from dayfacts.facts.models import Fact, Kind, Status, Topic
from dayfacts.facts.signals import content_changed
from dayfacts.search import index

from .bulk import insert_rows

PLACES = """Lisbon Vienna Prague Kyoto Lima Cairo Dublin Oslo Quebec Madras Antwerp Seville
Krakow Nairobi Manila Havana Bergen Tbilisi Valparaiso Marseille Bombay Zanzibar Riga Naples
Edinburgh Salonica Boston Adelaide Montevideo Canton Smyrna Geneva Lagos Tallinn Danzig
Samarkand Bordeaux Cadiz Calcutta Winnipeg Hobart Bremen Turin Lyon Porto Bristol Hamburg
Venice Florence Ghent Bruges Toledo Granada Malta Cyprus Crete Sicily Iceland Greenland
Patagonia Bengal Bohemia Saxony Anatolia Persia Siam Korea Japan Mexico Chile Peru Norway
Sweden Finland Poland Hungary Portugal Brazil Canada Egypt Ghana Kenya Ceylon Java""".split()
NATIONS = """Portuguese Austrian Czech Japanese Peruvian Egyptian Irish Norwegian French
Indian Belgian Spanish Polish Kenyan Filipino Cuban Georgian Chilean Scottish Greek American
Australian Uruguayan Chinese Turkish Swiss Nigerian Estonian German Italian Dutch Danish
Hungarian Brazilian Canadian Mexican Swedish Finnish Korean Persian""".split()
FIRST = """Ada Amalia Anton Aurelio Beatrix Bruno Camille Casimir Clara Dagny Edvard Elif
Emil Esther Fatima Felix Greta Hana Henrik Ignacio Ines Ivan Johanna Jonas Kasimir Leila
Lorenzo Lucia Magnus Marta Mateo Nadia Nils Octavia Olaf Paloma Pieter Rosa Samuel Sigrid
Tomas Ursula Viktor Wanda Yusuf Zofia""".split()
LAST = """Abrantes Bergqvist Castellano Dvorak Eriksen Ferreira Galloway Haddad Ibarra
Jankowski Kowalczyk Lindqvist Moreau Nakamura Okafor Petrov Quintero Rasmussen Salazar
Tanaka Ueda Valdivia Weissmann Xavier Yilmaz Zielinski Aguilar Brandt Cordova Delacroix
Falk Gomes Hartmann Ivanova Kruger Lund Marquez Novak Ortega Pereira""".split()
PROFESSIONS = {
    "Science": ["chemist", "astronomer", "physicist", "botanist", "mathematician"],
    "Music": ["composer", "violinist", "soprano", "conductor", "pianist"],
    "Literature": ["novelist", "poet", "playwright", "essayist"],
    "Art": ["painter", "sculptor", "photographer"],
    "Sport": ["footballer", "cyclist", "sprinter", "chess player", "mountaineer"],
    "Politics": ["statesman", "diplomat", "reformer", "prime minister"],
    "Exploration": ["explorer", "navigator", "cartographer"],
    "Medicine": ["surgeon", "physician", "nurse"],
    "Film": ["actress", "film director", "actor"],
    "Architecture": ["architect", "engineer"],
}
EVENTS = {
    "Politics": ["{adj} treaty signed in {place}", "{place} declares independence",
                 "Parliament of {place} passes the {adj} reform act",
                 "New constitution adopted in {place}", "Elections held across {place}"],
    "War": ["Battle of {place}", "Siege of {place} ends", "Armistice agreed at {place}",
            "Fleet sails from {place}", "Fortress of {place} surrenders"],
    "Disasters": ["Earthquake strikes {place}", "Great fire of {place}",
                  "Floods sweep through {place}", "Storm wrecks the harbour of {place}",
                  "Volcano erupts near {place}"],
    "Science": ["Comet sighted over {place}", "{adj} observatory opens in {place}",
                "Eclipse recorded by astronomers in {place}",
                "New element described by chemists in {place}"],
    "Technology": ["First railway reaches {place}", "Telegraph line links {place} and {place2}",
                   "{adj} bridge opens in {place}", "First radio broadcast from {place}",
                   "Airship lands in {place}"],
    "Sport": ["{place} wins the {adj} cup", "Marathon first run in {place}",
              "{adj} games open in {place}", "Record crowd at the {place} regatta"],
    "Music": ["Opera house opens in {place}", "{adj} symphony first performed in {place}",
              "Music festival founded in {place}"],
    "Exploration": ["Expedition reaches {place}", "Navigators sight the coast of {place}",
                    "Overland route from {place} to {place2} completed"],
    "Religion": ["Cathedral of {place} consecrated", "Council meets in {place}",
                 "Pilgrims arrive in {place}"],
    "Economy": ["Stock exchange opens in {place}", "Bank of {place} founded",
                "{adj} trade fair held in {place}", "Gold found near {place}"],
    "Medicine": ["Hospital founded in {place}", "Vaccination campaign begins in {place}",
                 "Epidemic ends in {place}"],
    "Architecture": ["{adj} tower completed in {place}", "Canal opens at {place}",
                     "University of {place} founded"],
}
ADJECTIVES = """Great Northern Southern Royal Grand New Imperial Free Eastern Western Central
Coastal Alpine First Second National Old United""".split()
HOLIDAYS = ["Feast of Saint {first}", "{place} Liberation Day", "National {noun} Day",
            "{adj} Festival of Lanterns", "Day of the {noun}", "{place} Independence Day",
            "Harvest Festival in {place}", "International {noun} Day"]
NOUNS = """Poetry Sea Forests Bread Music Teachers Rivers Lighthouses Children Workers
Mountains Books Bees Stars Kites Rain""".split()
CLAUSES = ["crowds filled the streets", "newspapers printed special editions",
           "the news took weeks to reach the capital", "bells rang in every parish",
           "observers wrote careful accounts", "the city council met through the night",
           "envoys had argued for months", "merchants closed their shops",
           "a commission was set up to report", "the event was remembered for generations",
           "letters from the time describe the scene", "the harbour was crowded with ships"]
LIFE = ["known for {work}", "remembered for {work}", "whose {work} changed the field",
        "celebrated for {work}"]
WORKS = ["early experiments", "a long series of concerts", "three celebrated novels",
         "maps of unknown coasts", "a famous record", "bold reforms", "patient teaching",
         "portraits of working people", "new bridges and halls", "a life in the theatre"]

TOPICS = sorted({*EVENTS, *PROFESSIONS, "Holidays"})
KIND_WEIGHTS = [(Kind.EVENT, 45), (Kind.BIRTH, 30), (Kind.DEATH, 20), (Kind.HOLIDAY, 5)]


def year_for(rng):
    """A year with the skew of real almanacs: mostly recent, a thin tail into antiquity."""
    roll = rng.random()
    if roll < 0.55:
        year = int(2025 - rng.triangular(0, 225, 0))
    elif roll < 0.85:
        year = rng.randint(1500, 1799)
    elif roll < 0.96:
        year = rng.randint(1, 1499)
    else:
        year = -rng.randint(1, 3000)
    return year or 1


def day_for(rng, days):
    day = rng.choice(days)
    # February 29 comes round once in four years, and so do its entries.
    if day == MonthDay(2, 29) and rng.random() < 0.75:
        return MonthDay(2, 28)
    return day


def fill(template, rng):
    return template.format(place=rng.choice(PLACES), place2=rng.choice(PLACES),
                           adj=rng.choice(ADJECTIVES), noun=rng.choice(NOUNS),
                           first=rng.choice(FIRST))


def make_entry(rng):
    """(kind, year, topic, title, summary) for one made-up entry."""
    kind = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])[0]
    if kind == Kind.HOLIDAY:
        title = fill(rng.choice(HOLIDAYS), rng)
        return kind, None, "Holidays", title, f"Observed each year; {rng.choice(CLAUSES)}."
    year = year_for(rng)
    if kind == Kind.EVENT:
        topic = rng.choice(list(EVENTS))
        title = fill(rng.choice(EVENTS[topic]), rng)
        return kind, year, topic, title, f"{title}, and {rng.choice(CLAUSES)}."
    topic = rng.choice(list(PROFESSIONS))
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    job = f"{rng.choice(NATIONS)} {rng.choice(PROFESSIONS[topic])}"
    life = rng.choice(LIFE).format(work=rng.choice(WORKS))
    return kind, year, topic, f"{person}, {job}", f"{person}, {job} {life}."


def make_body(rng):
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        sentences = [f"{rng.choice(CLAUSES).capitalize()}." for _ in range(rng.randint(3, 5))]
        paragraphs.append(" ".join(sentences))
    paragraphs.insert(1, f"## {rng.choice(['Background', 'What happened', 'Afterwards'])}")
    return "\n\n".join(paragraphs)


def article_pool(rng, size=200):
    """(body, body_html) pairs rendered once: Markdown per fact would dominate the run."""
    return [(body, render_markdown(body)) for body in (make_body(rng) for _ in range(size))]


def topics_by_name():
    existing = {t.name: t for t in Topic.objects.filter(name__in=TOPICS)}
    missing = [Topic(name=name, slug=slugify(name),
                     description=f"Entries about {name.lower()}.")
               for name in TOPICS if name not in existing]
    Topic.objects.bulk_create(missing, ignore_conflicts=True)
    return {t.name: t for t in Topic.objects.filter(name__in=TOPICS)}


def analyze():
    """Refresh the planner's statistics: a fresh table of a million rows looks empty.

    On PostgreSQL this VACUUMs the facts too (see facts.statistics), without which a day
    page's counts read every row of the day until autovacuum comes by.
    """
    statistics.refresh()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Fact.topics.through._meta.db_table}")


def add_facts(count, *, seed=None, batch_size=20000, progress=None):
    """Add `count` published facts spread over every day, with topics; return how many.

    Rows go in through the importers' bulk writer, a batch at a time, with the search
    index paused and rebuilt once at the end.
    """
    rng = random.Random(seed)
    topics = topics_by_name()
    days = MonthDay.all()
    articles = article_pool(rng)
    now = timezone.now()
    publish_at = now - dt.timedelta(days=1)
    # A run tag keeps slugs unique when the command runs again on the same database.
    tag = f"{rng.getrandbits(32):08x}"
    made = 0
    with index.paused():
        while made < count:
            size = min(batch_size, count - made)
            with transaction.atomic():
                last = Fact.objects.aggregate(top=Max("pk"))["top"] or 0
                facts, topic_names = [], {}
                for number in range(last + 1, last + 1 + size):
                    kind, year, topic, title, summary = make_entry(rng)
                    day = day_for(rng, days)
                    body, body_html = rng.choice(articles) if rng.random() < 0.03 else ("", "")
                    slug = f"{slugify(title)[:150]}-{tag}-{number}"
                    facts.append({
                        "month": day.month, "day": day.day, "year": year, "kind": kind,
                        "title": title, "slug": slug, "summary": summary,
                        "body": body, "body_html": body_html, "source_url": "",
                        "source_name": "dayfacts demo data", "licence": "CC0-1.0",
                        "attribution": "Synthetic entry made by dayfacts demo-data.",
                        "featured": bool(body) and rng.random() < 0.1,
                        "notability": int(rng.paretovariate(1.5) * 10) % 1000,
                        "status": Status.PUBLISHED, "publish_at": publish_at,
                        "created": now, "updated": now,
                    })
                    topic_names[slug] = ({topic, rng.choice(TOPICS)} if rng.random() < 0.2
                                         else {topic})
                insert_rows(Fact, facts)
                ids = dict(Fact.objects.filter(pk__gt=last).values_list("slug", "pk"))
                insert_rows(Fact.topics.through, [
                    {"fact_id": ids[slug], "topic_id": topics[name].pk}
                    for slug, names in topic_names.items() for name in names
                ])
            made += size
            if progress:
                progress(made)
        analyze()
    content_changed.send(sender=Fact)
    return made


def installed_model(app_label, model_name):
    """The model, or None when its app is not installed."""
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def add_comments(count, *, seed=None):
    """Add approved (mostly) comments on facts with articles, if the comments app exists."""
    Comment = installed_model("comments", "Comment")
    if Comment is None:
        return None
    rng = random.Random(seed)
    facts = list(Fact.objects.published().with_article().values_list("pk", flat=True)[:5000])
    if not facts:
        facts = list(Fact.objects.published().values_list("pk", flat=True)[:5000])
    if not facts:
        return 0
    statuses = ["approved"] * 90 + ["pending"] * 8 + ["spam"] * 2
    comments = [
        Comment(fact_id=rng.choice(facts), name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                email=f"reader{rng.getrandbits(40):x}@example.com",
                text=f"{rng.choice(CLAUSES).capitalize()}. My grandparents told me "
                     f"{rng.choice(CLAUSES)}.",
                status=rng.choice(statuses))
        for _ in range(count)
    ]
    Comment.objects.bulk_create(comments, batch_size=2000)
    content_changed.send(sender=Comment)
    return count


def add_subscribers(count, *, seed=None):
    """Add newsletter subscribers at example.org addresses, if the newsletter app exists."""
    Subscriber = installed_model("newsletter", "Subscriber")
    if Subscriber is None:
        return None
    rng = random.Random(seed)
    zones = ["UTC", "Europe/Lisbon", "Europe/Berlin", "America/New_York", "Asia/Tokyo",
             "Australia/Sydney", "America/Sao_Paulo"]
    now = timezone.now()
    tag = f"{rng.getrandbits(32):08x}"
    subscribers = []
    for n in range(count):
        active = rng.random() < 0.85
        subscribers.append(Subscriber(
            email=f"subscriber-{tag}-{n}@example.org",
            frequency="weekly" if rng.random() < 0.3 else "daily",
            delivery_hour=rng.randint(5, 10), time_zone=rng.choice(zones),
            status="active" if active else "pending",
            confirmed_at=now if active else None,
        ))
    Subscriber.objects.bulk_create(subscribers, batch_size=2000, ignore_conflicts=True)
    return count
