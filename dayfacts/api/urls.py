from django.urls import re_path

from .api import api
from .http import problem_response

app_name = "api"


def not_found(request, rest=""):
    """Answer an address under /api/ that names no route with a problem+json 404."""
    return problem_response(404, f"No API route at {request.path}.")


# Ninja's own patterns, under this app's "api" namespace (its urls_namespace matches).
urlpatterns = [
    *api.urls[0],
    re_path(r"^(?P<rest>.*)$", not_found),
]
