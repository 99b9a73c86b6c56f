import csv

from django.contrib import admin, messages
from django.core.mail import get_connection
from django.http import HttpResponse
from django.urls import reverse

from .mail import EditionMail
from .models import Delivery, Edition, Subscriber
from .tasks import send_deliveries


def sending_progress(edition):
    """Say how far an edition (from Edition.objects.with_progress()) has been sent."""
    if not edition.delivery_count:
        return "nothing to send yet"
    return (f"{edition.sent_count:,} of {edition.delivery_count:,} sent "
            f"({edition.progress:.0%} done)")


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "frequency", "delivery_hour", "time_zone", "created",
                    "confirmed_at"]
    list_filter = ["status", "frequency", "time_zone"]
    search_fields = ["email"]
    readonly_fields = ["created", "confirmation_sent_at", "confirmed_at", "unsubscribed_at",
                       "bounced_at"]
    actions = ["export_csv"]

    @admin.action(description="Export selected subscribers as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        writer = csv.writer(response)
        fields = ["email", "status", "frequency", "delivery_hour", "time_zone", "created",
                  "confirmed_at", "unsubscribed_at", "bounced_at"]
        writer.writerow(fields)
        for row in queryset.order_by("pk").values_list(*fields).iterator(chunk_size=2000):
            writer.writerow(["" if value is None else value for value in row])
        return response


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "subject", "progress", "started", "queued", "sending", "sent",
                    "failed", "bounced", "paused"]
    list_filter = ["frequency", "paused"]
    date_hierarchy = "date"
    readonly_fields = ["frequency", "date", "subject", "html", "text", "created"]
    fields = ["frequency", "date", "subject", "paused", "text", "html", "created"]
    actions = ["pause", "resume", "send_test"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress()

    def has_add_permission(self, request):
        return False  # the scheduler makes editions

    @admin.display(description="Progress")
    def progress(self, edition):
        return sending_progress(edition)

    @admin.display(description="Started", ordering="started")
    def started(self, edition):
        return edition.started

    @admin.display(description="Queued", ordering="queued_count")
    def queued(self, edition):
        return edition.queued_count

    @admin.display(description="Sending", ordering="sending_count")
    def sending(self, edition):
        return edition.sending_count

    @admin.display(description="Sent", ordering="sent_count")
    def sent(self, edition):
        return edition.sent_count

    @admin.display(description="Failed", ordering="failed_count")
    def failed(self, edition):
        return edition.failed_count

    @admin.display(description="Bounced", ordering="bounced_count")
    def bounced(self, edition):
        return edition.bounced_count

    @admin.action(description="Pause sending")
    def pause(self, request, queryset):
        count = queryset.update(paused=True)
        self.message_user(request, f"Paused {count} edition(s). Messages already handed to "
                                   "the mail server are not recalled.")

    @admin.action(description="Resume sending")
    def resume(self, request, queryset):
        count = queryset.update(paused=False)
        send_deliveries.enqueue()
        self.message_user(request, f"Resumed {count} edition(s).")

    @admin.action(description="Send a test to my own address")
    def send_test(self, request, queryset):
        if not request.user.email:
            self.message_user(request, "Your account has no email address: add one first.",
                              messages.ERROR)
            return
        url = request.build_absolute_uri(reverse("newsletter:signup"))
        tests = [EditionMail(edition).for_address(request.user.email, url,
                                                  f"<test-{edition.pk}@dayfacts.invalid>")
                 for edition in queryset]
        try:
            get_connection().send_messages(tests)
        except Exception as error:  # shown to the editor, who can fix the mail settings
            self.message_user(request, f"The test was not sent: {error}", messages.ERROR)
            return
        self.message_user(request, f"Sent {len(tests)} test(s) to {request.user.email}.")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["edition", "subscriber", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "edition"]
    search_fields = ["subscriber__email"]
    list_select_related = ["edition", "subscriber"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
