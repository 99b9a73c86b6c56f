from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.defaultfilters import truncatechars

from .models import Comment, CommentSettings, CommentStatus


class QueueFilter(admin.SimpleListFilter):
    """The moderation queue first: the list opens on what is waiting, with counts."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        counts = Comment.objects.aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in CommentStatus.values}
        )
        return [
            (None, f"Awaiting moderation ({counts[CommentStatus.PENDING]})"),
            (CommentStatus.APPROVED, f"Approved ({counts[CommentStatus.APPROVED]})"),
            (CommentStatus.SPAM, f"Spam ({counts[CommentStatus.SPAM]})"),
            ("all", "All"),
        ]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value} if value else {}, [self.parameter_name]),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        if self.value() in CommentStatus.values:
            return queryset.filter(status=self.value())
        return queryset.in_moderation()


def _moderate(modeladmin, request, queryset, status, verb):
    changed = 0
    # One save each, so post_save and comment_visibility_changed fire for every comment.
    for comment in queryset.select_related("fact").exclude(status=status):
        comment.status = status
        comment.save(update_fields=["status"])
        changed += 1
    modeladmin.message_user(request, f"{changed} comment{'s' if changed != 1 else ''} {verb}.",
                            messages.SUCCESS)


@admin.action(description="Approve selected comments", permissions=["change"])
def approve(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, CommentStatus.APPROVED, "approved")


@admin.action(description="Unapprove selected comments (back to the queue)",
              permissions=["change"])
def unapprove(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, CommentStatus.PENDING, "unapproved")


@admin.action(description="Mark selected comments as spam", permissions=["change"])
def mark_spam(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, CommentStatus.SPAM, "marked as spam")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["name", "excerpt", "fact", "status", "created", "ip"]
    list_display_links = ["name", "excerpt"]
    list_editable = ["status"]
    list_filter = [QueueFilter, "created"]
    list_select_related = ["fact"]
    search_fields = ["name", "email", "url", "text", "ip"]
    actions = [approve, unapprove, mark_spam, "delete_selected"]
    raw_id_fields = ["fact", "parent"]
    readonly_fields = ["ip", "user_agent", "created", "depth"]
    date_hierarchy = "created"
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["status", "fact", "parent", "name", "email", "url", "text", "ip", "user_agent",
              "created", "depth"]

    @admin.display(description="comment")
    def excerpt(self, comment):
        return truncatechars(comment.text, 90)


@admin.register(CommentSettings)
class CommentSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Moderation", {"fields": ["moderation_words", "disallowed_words", "hold_links",
                                   "max_depth"]}),
        ("Notifications", {"fields": ["notify_editors", "editor_emails"]}),
        ("Terms shown beside the consent box", {"fields": ["terms_title", "terms_body"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CommentSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)  # refuses as usual
        # There is one row: open it directly.
        return redirect("admin:comments_commentsettings_change", CommentSettings.load().pk)
