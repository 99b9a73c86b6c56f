"""The game's pages: a round, the answer to it and, after the last, the day's result.

Every page is a plain GET, the same for every reader who asks for its address, so the page
cache keeps them (each view names the query parameters it reads). The score so far travels
in the address; a player's streak and history stay in their browser (static/play/play.js).
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from dayfacts.days import MonthDay
from dayfacts.pagecache.middleware import reads_query

from .rounds import ROUNDS, rounds_for


def whole_number(request, name, lowest, highest, default=None):
    """The query parameter `name`, a whole number from `lowest` to `highest` written plainly.

    Anything else (a second copy, "01", "+1", a number out of range) is a 404, so that no
    other spelling of a page is rendered, or stored, beside it.
    """
    values = request.GET.getlist(name)
    if not values and default is not None:
        return default
    if len(values) == 1 and values[0] in {str(n) for n in range(lowest, highest + 1)}:
        return int(values[0])
    raise Http404(f"No such {name}.")


def share_text(day, score, total):
    """What a player shares: the day and the score, and nothing of the answers."""
    return f"{settings.SITE_NAME} {day.name}: {score}/{total}"


def game_data(day, rounds):
    """The rounds for the script that plays them in place (json_script)."""
    return {
        "day": day.numeric,
        "name": day.name,
        "share": share_text(day, "{score}", len(rounds)),
        "url": settings.SITE_URL + reverse("play:day", kwargs={"day": day}),
        "rounds": [
            {"earlier": item.earlier,
             "entries": [{"title": entry.title, "year": entry.year_display, "url": entry.url}
                         for entry in (item.first, item.second)]}
            for item in rounds
        ],
    }


def show_round(request, day, number=1, score=0, today=False):
    """Render round `number` of the day's game, or the page saying the day has none."""
    rounds = rounds_for(day)
    if not rounds:
        return render(request, "play/not_enough.html", {"day": day, "today": today})
    if number > len(rounds) or score >= number:
        raise Http404("No such round.")
    return render(request, "play/round.html", {
        "day": day, "today": today, "round": rounds[number - 1], "score": score,
        "total": len(rounds), "game": game_data(day, rounds),
    })


def today(request):
    """Today's game, in the site's time zone; its canonical address is the day's game."""
    return show_round(request, MonthDay.today(), today=True)


@reads_query("round", "score")
def day(request, day):
    """A day's game at a round (1 unless told), with the score of the rounds before it."""
    number = whole_number(request, "round", 1, ROUNDS, default=1)
    return show_round(request, day, number, whole_number(request, "score", 0, ROUNDS, default=0))


@reads_query("round", "score", "pick")
def answer(request, day):
    """Whether the pick was right, both years, and the next round or the final score."""
    rounds = rounds_for(day)
    number = whole_number(request, "round", 1, len(rounds))
    score = whole_number(request, "score", 0, number - 1)
    pick = whole_number(request, "pick", 1, 2)
    played = rounds[number - 1]
    right = pick == played.earlier
    score += right
    total = len(rounds)
    earlier = played.entry(played.earlier)
    later = played.entry(3 - played.earlier)
    return render(request, "play/answer.html", {
        "day": day, "round": played, "right": right, "score": score, "total": total,
        "earlier": earlier, "later": later, "picked": played.entry(pick),
        "next_round": number + 1 if number < total else None,
        "share": share_text(day, score, total),
    })
