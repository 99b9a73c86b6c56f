import datetime as dt

import icalendar
from dateutil.rrule import rrulestr


def calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def events_by_summary(cal):
    return {str(event["SUMMARY"]): event for event in cal.walk("VEVENT")}


def occurrences(event, years):
    """The dates a calendar app would show the event on, from its DTSTART and RRULE."""
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(),
                    dtstart=dt.datetime.combine(start, dt.time()))
    return [day.date() for day in rule.between(dt.datetime(years[0], 1, 1),
                                               dt.datetime(years[1], 12, 31))]


def test_featured_calendar_has_one_yearly_all_day_event_per_featured_fact(client, almanac):
    cal = calendar(client, "/calendar.ics")
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    events = events_by_summary(cal)
    assert set(events) == {"Treaty of Paris (1815)", "Moon landing </script> (1969)",
                           "Leap-day launch (1960)"}
    treaty = events["Treaty of Paris (1815)"]
    assert treaty.decoded("DTSTART") == dt.date(2000, 3, 20)
    assert treaty.decoded("DTEND") == dt.date(2000, 3, 21)
    assert treaty["RRULE"]["FREQ"] == ["YEARLY"]
    assert str(treaty["URL"]).endswith(almanac["today"].get_absolute_url())
    assert occurrences(treaty, (2030, 2032)) == [dt.date(2030, 3, 20), dt.date(2031, 3, 20),
                                                  dt.date(2032, 3, 20)]
    assert len({str(event["UID"]) for event in events.values()}) == 3


def test_feb_29_comes_round_on_feb_28_in_common_years(client, almanac):
    leap = events_by_summary(calendar(client, "/calendar.ics"))["Leap-day launch (1960)"]
    assert occurrences(leap, (2030, 2033)) == [dt.date(2030, 2, 28), dt.date(2031, 2, 28),
                                                dt.date(2032, 2, 29), dt.date(2033, 2, 28)]


def test_topic_calendar_holds_the_topics_facts(client, almanac):
    events = events_by_summary(calendar(client, "/feed/topics/space/calendar.ics"))
    assert set(events) == {"Treaty of Paris (1815)", "Moon landing </script> (1969)",
                           "Ides of March (44 BC)", "Leap-day launch (1960)"}
    assert "Space" in events["Ides of March (44 BC)"]["CATEGORIES"].to_ical().decode()
