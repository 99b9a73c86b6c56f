from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.generic import DetailView, ListView

from dayfacts.days import MonthDay, days_shown_on, years
from dayfacts.pagecache import generation
from dayfacts.pagecache.middleware import reads_query

from .models import Fact, Kind, Topic

# The kinds of the day page's "see all" lists, by their URL word.
LIST_KINDS = {
    "events": ("Events", [Kind.EVENT]),
    "births": ("Births", [Kind.BIRTH]),
    "deaths": ("Deaths", [Kind.DEATH]),
    "holidays": ("Holidays & Observances", [Kind.HOLIDAY]),
}


def neighbours(day, headlines=None):
    """Previous/Next links: each neighbouring day with the fact its page leads with."""
    if headlines is None:
        headlines = Fact.objects.headlines(day.previous, day.next)
    return {
        "previous": {"day": day.previous, "headline": headlines[day.previous]},
        "next": {"day": day.next, "headline": headlines[day.next]},
    }


def day_facts(days, limit):
    """The headlines of the first day and its neighbours, and the days' counts and lists.

    Kept per content generation: the same day is shown by its page, today's page and
    pages the page cache does not keep, and the ORM takes longer to write these statements
    than the database takes to answer them.
    """
    primary = days[0]
    headlines = Fact.objects.headlines(primary, primary.previous, primary.next)
    headline = headlines[primary]
    # Counted with the headline and then less it: the day index answers the count alone,
    # where leaving one fact out would read every fact of the day (PostgreSQL).
    counts = Fact.objects.day_counts(days)
    if headline:
        counts[headline.kind] -= 1
    # The lists show no topics (only the headline does), so none are fetched for them.
    top = Fact.objects.top_of_each_kind(
        days, [Kind.EVENT, Kind.BIRTH, Kind.DEATH, Kind.HOLIDAY], limit,
        leave_out=headline.pk if headline else None)
    return headlines, counts, top


def day_context(days, *, today=None):
    """Everything a day page shows, with each list bounded to the most notable entries."""
    limit = settings.DAYFACTS_DAY_PAGE_LIMIT
    primary = days[0]
    name = "day:" + ",".join(f"{day.month}-{day.day}" for day in days) + f":{limit}"
    headlines, counts, top = generation.remember(name, lambda: day_facts(days, limit))
    headline = headlines[primary]

    def by_year(facts):
        return sorted(facts, key=lambda fact: (fact.year is None, fact.year or 0))

    return {
        "day": primary,
        "days": days,
        "headline": headline,
        "events": by_year(top[Kind.EVENT]),
        "births": by_year(top[Kind.BIRTH]),
        "deaths": by_year(top[Kind.DEATH]),
        "holidays": sorted(top[Kind.HOLIDAY], key=lambda fact: fact.title),
        "counts": counts,
        "limit": limit,
        **neighbours(primary, headlines),
        "today": today,
    }


def today(request):
    """Today's page in the site's time zone; its canonical address is the day's page."""
    date = timezone.localdate()
    context = day_context(days_shown_on(date), today=date)
    return render(request, "facts/day.html", context)


def day(request, day):
    return render(request, "facts/day.html", day_context([day]))


@reads_query("page")
def day_list(request, day, kind):
    """The full, paginated list of one kind of entry for a day."""
    if kind not in LIST_KINDS:
        raise Http404("No such list.")
    heading, kinds = LIST_KINDS[kind]
    facts = Fact.objects.published().on(day).filter(kind__in=kinds).chronological()
    try:
        # A page that does not exist is a 404, not the last page again under a new address.
        page = Paginator(facts, 100).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page.") from None
    return render(request, "facts/day_list.html",
                  {"day": day, "heading": heading, "kind": kind, "page": page})


def month(request, month):
    days = MonthDay.in_month(month)
    headlines = Fact.objects.headlines(*days)
    return render(request, "facts/month.html", {
        "month": days[0], "headlines": headlines.items(),
        "previous": MonthDay(12 if month == 1 else month - 1, 1),
        "next": MonthDay(1 if month == 12 else month + 1, 1),
    })


# The discussion's pages; a no-JavaScript reply link shows a form of its own, not stored.
@reads_query("cpage", uncached=["replytocom"])
class FactDetail(DetailView):
    template_name = "facts/fact.html"

    def get_queryset(self):
        return Fact.objects.published().prefetch_related("topics")

    def get_context_data(self, **kwargs):
        day = self.object.monthday
        return super().get_context_data(
            day=day, **neighbours(day), **kwargs
        )


class TopicList(ListView):
    template_name = "facts/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.shown().order_by("name")


@reads_query("page")
class TopicDetail(ListView):
    template_name = "facts/topic.html"
    paginate_by = 100
    context_object_name = "facts"

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        # pk breaks ties, so that pages of 100 neither repeat nor skip entries on PostgreSQL.
        return (Fact.objects.published().with_topic(self.topic)
                .order_by("month", "day", "year", "pk"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


@reads_query("page")
class YearDetail(ListView):
    template_name = "facts/year.html"
    paginate_by = 100
    context_object_name = "facts"

    def get_queryset(self):
        return Fact.objects.published().in_year(self.kwargs["year"]).order_by("month", "day", "pk")

    def get_context_data(self, **kwargs):
        year = self.kwargs["year"]
        previous_year, next_year = years.neighbours(year)
        return super().get_context_data(year=year, previous_year=previous_year,
                                        next_year=next_year, **kwargs)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
