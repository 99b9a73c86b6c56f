from django import forms
from django.contrib import admin

from dayfacts.days.monthday import MONTH_NAMES

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
