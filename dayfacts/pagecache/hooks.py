"""What other apps add to the pages the page cache's WSGI layer answers before Django.

A page answered by CachedPages (dayfacts.pagecache.wsgi) passes none of Django's middleware,
so an app whose middleware adds to every answer (a header, a count, a refusal) says the
same here too, from its AppConfig.ready(), and the page cache imports nothing of it:

    from dayfacts.pagecache import hooks

    hooks.register(add_my_header)        # my_hook(hit), before the answer goes out
    hooks.register(count_it, after=True)  # count_it(hit, seconds), once it has gone
    hooks.never_answer("/healthz")        # paths the layer always leaves to Django

A hook before the answer may change `hit.headers`, add its own with `hit.add_header()`,
or answer something else with `hit.replace(response)` (a refusal, say); what the hooks
added stays on whatever answer goes out. Hooks run in the order they were registered.
"""

from http import HTTPStatus

_before = []
_after = []
passed_paths = set()
REASONS = {status.value: status.phrase for status in HTTPStatus}


class Hit:
    """A request the WSGI layer is answering from the store, and the answer it will give.

    environ is the request's WSGI environ; route the stored page's view name ("facts:day",
    "api:..."), or "" when it had none; status, headers and body the answer.
    """

    def __init__(self, environ, route, status, headers, body):
        self.environ = environ
        self.route = route
        self.status = status
        self.reason = REASONS[status]
        self.headers = headers
        self.body = body
        self.added = []

    @property
    def status_line(self):
        """The status as start_response() takes it: "200 OK"."""
        return f"{self.status} {self.reason}"

    def add_header(self, name, value):
        """Give the answer a header, whichever answer goes out."""
        self.added.append((name, value))

    def replace(self, response):
        """Answer with a Django HttpResponse instead of the stored page."""
        self.status, self.reason = response.status_code, response.reason_phrase
        self.headers = [
            *response.items(),
            *(("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()),
        ]
        self.body = response.content


def register(hook, after=False):
    """Have the WSGI layer call `hook(hit)` on each answer, or `hook(hit, seconds)` after it."""
    hooks = _after if after else _before
    if hook not in hooks:
        hooks.append(hook)


def never_answer(*paths):
    """Leave requests for these paths to Django, even if a page were stored for them."""
    passed_paths.update(paths)


def before(hit):
    for hook in _before:
        hook(hit)


def after(hit, seconds):
    for hook in _after:
        hook(hit, seconds)
