import functools

from django.urls import URLPattern, re_path

from dayfacts.pagecache.middleware import reads_query

from .api import api
from .http import PROBLEM_TYPE, problem_response
from .views import router

app_name = "api"


def not_found(request, rest=""):
    """Answer an address under /api/ that names no route with a problem+json 404."""
    return problem_response(404, f"No API route at {request.path}.")


def http_methods(view):
    """Answer HEAD as GET without the body, and a method a route lacks with a problem 405."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if head:
            request.method = "HEAD"
            response.content = b""
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_TYPE:
            return problem_response(405, f"{request.method} is not allowed here.",
                                    {"Allow": response.get("Allow", "")})
        return response

    return wrapped


def query_names():
    """{route name: the query parameters its GET operation declares}, as ninja parsed them."""
    return {
        operation.url_name: [field.alias or name
                             for model in operation.signature.models
                             if model.__ninja_param_source__ == "query"
                             for name, field in model.model_fields.items()]
        for path_view in router.path_operations.values()
        for operation in path_view.operations if "GET" in operation.methods
    }


# Ninja's own patterns, under this app's "api" namespace (its urls_namespace matches); the
# page cache keys each stored answer on the parameters its operation declares.
QUERY_NAMES = query_names()
urlpatterns = [
    *(URLPattern(p.pattern, reads_query(*QUERY_NAMES.get(p.name, ()))(http_methods(p.callback)),
                 p.default_args, p.name)
      for p in api.urls[0]),
    re_path(r"^(?P<rest>.*)$", not_found),
]
