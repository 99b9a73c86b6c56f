"""The API object: its routes, its OpenAPI document and how errors are answered."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from . import display, posting, views
from .http import Problem, api_headers, problem_response

api = NinjaAPI(
    title="dayfacts API",
    version="1",
    description=(
        "What happened on each day of the year. `/v1/feed/onthisday/...` answers in the shape "
        "of Wikipedia's REST feed; the other `/v1/` routes are this site's own. Errors are "
        "application/problem+json. Details: docs/api.md."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_decorator(api_headers, mode="view")
api.add_router("/v1/", views.router)
api.add_router("/v1/", posting.router)
api.add_router("/v1/", display.router)


@api.exception_handler(Problem)
def on_problem(request, exc):
    return problem_response(exc.status, exc.detail, exc.headers, errors=exc.errors)


@api.exception_handler(ValidationError)
def on_invalid(request, exc):
    # Ninja answers 422 by default; a malformed request is a 400 here, as for Wikipedia's.
    details = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        details.append(f"{where}: {error.get('msg', 'invalid')}")
    return problem_response(400, "; ".join(details) or "The request is not valid.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem_response(404, "Nothing here by that name or id.")


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return problem_response(exc.status_code, str(exc))
