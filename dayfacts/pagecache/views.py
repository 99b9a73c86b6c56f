from django.http import HttpResponse


def trivial(request):
    """Answer a few bytes: the framework's floor that bench/ compares the day page with."""
    return HttpResponse(b"ok\n", content_type="text/plain")
