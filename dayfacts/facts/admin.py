from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from dayfacts.days import MonthDay
from dayfacts.days.monthday import MONTH_NAMES

from . import planning
from .models import Fact, Status, Topic


class FactAdminForm(forms.ModelForm):
    month = forms.TypedChoiceField(
        coerce=int, choices=[(n, name) for n, name in enumerate(MONTH_NAMES, start=1)]
    )
    source_url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Fact
        fields = ["title", "slug", "month", "day", "year", "kind", "summary", "body", "topics",
                  "status", "publish_at", "featured", "notability", "source_name", "source_url",
                  "licence", "attribution"]
        widgets = {"title": forms.TextInput(attrs={"size": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Importing" marks the rows of an import not yet shown: the import's to set, not
        # an editor's.
        if self.instance.status != Status.IMPORTING:
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices
                if choice[0] != Status.IMPORTING
            ]


class MonthFilter(admin.SimpleListFilter):
    title = "month"
    parameter_name = "month"

    def lookups(self, request, model_admin):
        return [(str(number), name) for number, name in enumerate(MONTH_NAMES, start=1)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(month=int(self.value()))
        return queryset


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    form = FactAdminForm
    list_display = ["title", "day_display", "year_display", "kind", "featured", "status",
                    "publish_at"]
    list_filter = [MonthFilter, "kind", "status", "featured", "topics"]
    list_editable = ["featured", "status"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    date_hierarchy = "publish_at"
    list_per_page = 50
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", ("month", "day", "year"), "kind", "summary", "body",
                           "topics"]}),
        ("Publishing", {"fields": [("status", "publish_at"), ("featured", "notability")]}),
        ("Source", {"fields": ["source_name", "source_url", "licence", "attribution"],
                    "classes": ["collapse"]}),
    ]

    @admin.display(description="day", ordering="month")
    def day_display(self, fact):
        return fact.monthday.name

    @admin.display(description="year", ordering="year")
    def year_display(self, fact):
        return fact.year_display


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


def calendar(request):
    """The editors' year: each day's state, and the round anniversaries ahead of days that
    have no featured article yet. For staff who may change facts (dayfacts/urls.py routes
    it through the admin's own login check)."""
    if not request.user.has_perm("facts.change_fact"):
        raise PermissionDenied
    languages = planning.languages()
    language = request.GET.get("language", "")
    if language and language not in languages:
        raise Http404(f"No facts are written in {language!r}.")
    facts = Fact.objects.filter(language=language) if language else Fact.objects.all()
    plan = planning.year_plan(facts, timezone.now())
    on_days = {day for day, planned in plan.items() if not planned.has_featured}
    chosen = {"language": language} if language else {}
    changelist, add = reverse("admin:facts_fact_changelist"), reverse("admin:facts_fact_add")

    def cell(planned):
        where = {"month": planned.day.month, "day": planned.day.day, **chosen}
        return {"plan": planned, "facts_url": f"{changelist}?{urlencode(where)}",
                "add_url": f"{add}?{urlencode({**where, 'featured': 1})}"}

    states = [(state, sum(planned.state == state for planned in plan.values()))
              for state in planning.State]
    return TemplateResponse(request, "admin/facts/calendar.html", {
        **admin.site.each_context(request),
        "title": "Calendar",
        "months": [(MONTH_NAMES[month - 1], [cell(plan[day]) for day in MonthDay.in_month(month)])
                   for month in range(1, 13)],
        "states": states,
        "anniversaries": planning.coming_anniversaries(facts, timezone.localdate(), on_days),
        "ahead": planning.AHEAD,
        "languages": languages if len(languages) > 1 else [],
        "language": language,
    })
