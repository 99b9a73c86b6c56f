from django.http import HttpResponse
from django.shortcuts import render
from django.views.csrf import csrf_failure as django_csrf_failure


def trivial(request):
    """Answer a few bytes: the framework's floor that bench/ compares the day page with."""
    return HttpResponse(b"ok\n", content_type="text/plain")


def csrf_failure(request, reason=""):
    """Ask the reader to confirm a form sent without a valid token, keeping what they typed.

    A page from the static export, or one a browser kept from long ago, has no token that
    matches the reader's cookie. Instead of Django's bare 403 the reader gets the same data
    back in a form with a fresh token (this page is never cached) and sends it with one
    click; a cross-site forgery still needs that click on our own page, which no frame can
    hide (frame-ancestors 'none').
    """
    if request.method != "POST" or request.FILES:
        return django_csrf_failure(request, reason)
    fields = [(name, value) for name, values in request.POST.lists()
              if name != "csrfmiddlewaretoken" for value in values]
    return render(request, "pagecache/confirm.html",
                  {"action": request.path, "fields": fields}, status=403)
