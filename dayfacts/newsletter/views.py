import functools
import json
import zoneinfo

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.exceptions import Ratelimited

from dayfacts.ops.origin import same_origin_only

from .forms import SignupForm
from .models import SubscriberStatus
from .services import request_signup
from .tokens import subscriber_from_confirm_token, subscriber_from_unsubscribe_token


@same_origin_only
def signup(request):
    """The sign-up page; the form in every page's footer posts here too."""
    form = SignupForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            request_signup(form, request)
        except Ratelimited:
            form.add_error(None, "Too many sign-ups from your network just now. "
                                 "Please try again in an hour.")
            status = 429
        else:
            return redirect("newsletter:check_inbox")
    elif request.method == "POST":
        status = 400
    return render(request, "newsletter/signup.html",
                  {"form": form, "time_zones": sorted(zoneinfo.available_timezones())},
                  status=status)


def check_inbox(request):
    return render(request, "newsletter/check_inbox.html")


@same_origin_only
@never_cache
def confirm(request, token):
    """Ask to confirm on GET (mail scanners follow links); subscribe on POST."""
    try:
        subscriber = subscriber_from_confirm_token(token)
    except signing.SignatureExpired:
        return render(request, "newsletter/confirm.html", {"expired": True}, status=410)
    except signing.BadSignature:
        raise Http404("No such confirmation link.") from None
    if subscriber is None or subscriber.status not in (SubscriberStatus.PENDING,
                                                       SubscriberStatus.ACTIVE):
        return render(request, "newsletter/confirm.html", {"stale": True}, status=410)
    if request.method == "POST" and subscriber.status == SubscriberStatus.PENDING:
        subscriber.confirm()
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


def subscriber_link(view):
    """Hand the view the subscriber its link names: 404 for a bad link, 410 for an old one."""

    @functools.wraps(view)
    def wrapped(request, token):
        try:
            subscriber = subscriber_from_unsubscribe_token(token)
        except signing.SignatureExpired:
            days = settings.NEWSLETTER_LINK_MAX_AGE // (24 * 3600)
            return render(request, "newsletter/link_expired.html", {"days": days}, status=410)
        if subscriber is None:
            raise Http404("No such subscription.")
        return view(request, token, subscriber)

    return wrapped


@same_origin_only
@never_cache
@subscriber_link
def unsubscribe(request, token, subscriber):
    """A page with a button on GET; on POST (RFC 8058 one-click or the button) unsubscribe.

    Mail programs post `List-Unsubscribe=One-Click` from their servers, with no cookie and
    no browser's headers: the signed token in the address is the proof. The answer is a
    200 page, never a redirect.
    """
    if request.method == "POST":
        subscriber.unsubscribe()
        return render(request, "newsletter/unsubscribed.html", {"token": token})
    return render(request, "newsletter/unsubscribe.html",
                  {"subscriber": subscriber, "token": token})


@never_cache
@subscriber_link
def subscriber_data(request, token, subscriber):
    """Everything kept about a subscriber, as a JSON download."""
    response = HttpResponse(json.dumps(subscriber.as_data(), indent=2),
                            content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="newsletter-subscription.json"'
    return response


@same_origin_only
@require_POST
@never_cache
@subscriber_link
def delete(request, token, subscriber):
    """Delete a subscriber and their delivery history."""
    subscriber.delete()
    return render(request, "newsletter/deleted.html")
