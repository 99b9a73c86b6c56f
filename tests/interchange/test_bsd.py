"""The BSD calendar parser, on small files written here and on the real ones."""

import filecmp
import re

import pytest

from dayfacts.interchange.formats import bsd
from dayfacts.interchange.records import BadInput, Skip


def parse(tmp_path, name, text):
    path = tmp_path / f"calendar.{name}"
    path.write_text(text, encoding="utf-8")
    return bsd.read_files([path])


@pytest.mark.parametrize(
    "text, year, title",
    [
        ("Castro expels Cuban President Batista, 1959", 1959,
         "Castro expels Cuban President Batista"),
        ("Alexander Hamilton born in Nevis, British West Indies, 1757?", 1757,
         "Alexander Hamilton born in Nevis, British West Indies"),
        ("Aristotle died, 322BC", -322, "Aristotle died"),
        ("Buddha born, 563 BC", -563, "Buddha born"),
        ("Alexander the Great dies (323BC)", -323, "Alexander the Great dies"),
        ("Death of Alexander the Great, 323 B.C.", -323, "Death of Alexander the Great"),
        ("Feast of St. Paul's Shipwreck, AD 60", 60, "Feast of St. Paul's Shipwreck"),
        ("The Roman Emperor Nero commits suicide, 68", 68,
         "The Roman Emperor Nero commits suicide"),
        ('"Star Trek" debuts on NBC (1966)', 1966, '"Star Trek" debuts on NBC'),
        ("Wilhelm Beer born, 1797, first astronomer to map Mars", 1797,
         "Wilhelm Beer born, first astronomer to map Mars"),
        ("Justice Dept. begins IBM anti-trust suit, 1969 (drops it, January 8, 1982)", 1969,
         "Justice Dept. begins IBM anti-trust suit (drops it, January 8, 1982)"),
        ("The Great Train Robbery -- $7,368,000, 1963", 1963,
         "The Great Train Robbery -- $7,368,000"),
        ("58 °C (136.4 °F) measured at el Azizia, Libya, 1922", 1922,
         "58 °C (136.4 °F) measured at el Azizia, Libya"),
        ("Earth created at 6:30 AM, 4004BC.", -4004, "Earth created at 6:30 AM"),
        ("Sir Edward William Elgar dies 1934", 1934, "Sir Edward William Elgar dies"),
        ("Holy Week (5 days) in Venezuela", None, "Holy Week (5 days) in Venezuela"),
        ("Twelfth night", None, "Twelfth night"),
    ],
)
def test_years_are_read_wherever_the_files_put_them(text, year, title):
    assert bsd.parse_year(text) == (year, title)


def test_lines_are_classified_by_file_and_wording(tmp_path):
    records, _, _ = parse(tmp_path, "birthday", (
        "01/01\tJ.D. Salinger born, 1919\n"
        "01/07\tNikola Tesla died in the Hotel New Yorker room 3327, 1943\n"
        "01/08\tArcangelo Corelli dies in Italy, 1713\n"
        "01/26\tJohn Adams and Thomas Jefferson die on same day, 1826\n"
        "01/11\tDe Hostos' Birthday in Puerto Rico\n"
    ))
    kinds = {r.title: r.kind for r in records}
    assert kinds == {
        "J.D. Salinger born": "birth",
        "Nikola Tesla died in the Hotel New Yorker room 3327": "death",
        "Arcangelo Corelli dies in Italy": "death",
        "John Adams and Thomas Jefferson die on same day": "event",
        "De Hostos' Birthday in Puerto Rico": "holiday",
    }
    holidays, _, _ = parse(tmp_path, "holiday", "11/10\tKing's Birthday in Bhutan\n")
    assert [(r.kind, r.title) for r in holidays] == [("holiday", "King's Birthday in Bhutan")]


def test_preprocessor_lines_comments_and_continuations(tmp_path):
    records, skips, _ = parse(tmp_path, "history", (
        "/*\n * History\n *\n */\n\n#ifndef _calendar_history_\n#define\t_calendar_history_\n"
        "#include <calendar.world>\nLANG=UTF-8\n\n"
        "03/15\tIdes of March.  Gaius Julius Caesar assassinated by senators,\n"
        "\tincluding adoptive son Marcus Junius Brutus Caepio, 44BC\n"
        "/* Chinese New Year is not Gregorian\n02/01\tChinese New Year Holiday in Taiwan\n*/\n"
        "May 08\tVictory Day somewhere, 1945\n"
        "01/MonThird\tMartin Luther King Day in New York (3rd Monday)\n"
        "07/FriLast\tSystem Administrator Appreciation Day\n"
        "11/Wed+3\tDay of Prayer and Repentance\n"
        "03/20*\tVernal Equinox\n"
        "#endif /* !_calendar_history_ */\n"
    ))
    assert [(r.month, r.day, r.year, r.title) for r in records] == [
        (3, 15, -44, "Ides of March. Gaius Julius Caesar assassinated by senators, "
                     "including adoptive son Marcus Junius Brutus Caepio"),
        (5, 8, 1945, "Victory Day somewhere"),
    ]
    assert sorted(s.reason for s in skips) == [
        "floating date (a weekday of the month)"] * 3 + ["variable date (marked *)"]
    assert all(isinstance(s, Skip) and "line" in s.place for s in skips)


def test_one_fact_in_two_files_is_loaded_once(tmp_path):
    (tmp_path / "calendar.birthday").write_text("12/22\tGiacomo Puccini born, 1858\n")
    (tmp_path / "calendar.music").write_text(
        "12/22\tGiacomo Puccini is born in Lucca, Italy, 1858\n"
        "12/22\tSomeone else is born, 1858\n"
    )
    records, _, duplicates = bsd.read_files(
        [tmp_path / "calendar.birthday", tmp_path / "calendar.music"])
    assert duplicates == 1
    assert sorted(r.title for r in records) == [
        "Giacomo Puccini is born in Lucca, Italy", "Someone else is born"]
    puccini = next(r for r in records if "Puccini" in r.title)
    assert puccini.topics == ["Music"] and puccini.kind == "birth"


@pytest.mark.parametrize(
    "text, place",
    [("13/01\tNo such month, 1900\n", "line 1"),
     ("\n02/30\tNo such day, 1900\n", "line 2"),
     ("Smarch 01\tNot a month\n", "line 1"),
     ("01/01 no tab and no sense\n", "line 1")],
)
def test_a_bad_line_is_named_by_file_and_line(tmp_path, text, place):
    with pytest.raises(BadInput) as error:
        parse(tmp_path, "history", text)
    assert "calendar.history" in str(error.value) and place in str(error.value)


def test_other_encodings_are_refused_with_the_line(tmp_path):
    path = tmp_path / "calendar.history"
    path.write_bytes("01/01\tfine, 1900\n01/02\tCaf\u00e9 opens, 1901\n".encode("latin-1"))
    with pytest.raises(BadInput, match=r"calendar.history, line 2: not UTF-8"):
        bsd.read_files([path])


def test_the_shipped_files_are_the_shared_ones(shared_data):
    for path in bsd_paths():
        assert filecmp.cmp(path, shared_data / "bsd-calendar" / path.name, shallow=False)
    assert (bsd_paths()[0].parent / "COPYRIGHT").read_text() == (
        shared_data / "bsd-calendar" / "COPYRIGHT").read_text()


def test_the_real_files_parse_with_every_kind(shared_data):
    folder = shared_data / "bsd-calendar"
    names = ["history", "birthday", "music", "computer", "holiday", "usholiday"]
    records, skips, duplicates = bsd.read_files([folder / f"calendar.{n}" for n in names])
    by_kind = {kind: [r for r in records if r.kind == kind]
               for kind in ("event", "birth", "death", "holiday")}
    assert all(len(found) > 100 for found in by_kind.values())
    assert {s.reason for s in skips} == {
        "floating date (a weekday of the month)", "variable date (marked *)"}
    # usholiday repeats holiday's variable equinoxes and floats Thanksgiving and Labor Day.
    assert any("Thanksgiving Day" in s.detail for s in skips)
    assert duplicates > 0
    titles = {(r.month, r.day, r.year, r.title) for r in records}
    assert (6, 13, -323, "Alexander the Great dies") in titles
    assert (1, 11, 1757, "Alexander Hamilton born in Nevis, British West Indies") in titles


def bsd_paths():
    from dayfacts.interchange.almanac import calendar_paths

    return calendar_paths()


@pytest.mark.django_db
def test_the_general_importer_reads_a_calendar_folder(shared_data, run_import):
    from dayfacts.facts.models import Fact

    report = run_import("bsd", shared_data / "bsd-calendar")
    assert Fact.objects.holidays().filter(title="Groundhog Day", month=2, day=2).exists()
    assert re.search(r"skipped \d+: floating date", report)
    count = Fact.objects.count()
    # The same lines read in another order, or from one file, have the same keys.
    run_import("bsd", *(shared_data / "bsd-calendar" / f"calendar.{name}"
                        for name in ("music", "history", "birthday")))
    assert Fact.objects.count() == count
