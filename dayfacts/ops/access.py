"""AccessLog: one line per request, written by the app itself, whichever server runs it.

It wraps the whole WSGI application, so the answers the page cache gives before Django
(dayfacts.pagecache.wsgi) are logged like the rest, with the same fields under gunicorn and
granian: method, path without its query string (masked: the newsletter's hold tokens),
status, bytes and milliseconds, and the request id the app answered with. No client
address, user agent or referrer: those identify readers.

Off unless ACCESS_LOG=1, as gunicorn's and granian's own are: the deployment's proxy keeps
the access log (deploy/nginx logs the same request id), and on a cached page, answered
without Django's request cycle, writing a line is a large part of the work a request costs
(docs/benchmarks.md).
"""

import logging
import time

from .logs import mask

logger = logging.getLogger("dayfacts.access")


class AccessLog:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not logger.isEnabledFor(logging.INFO):
            return self.application(environ, start_response)
        started = time.perf_counter()
        answered = []

        def noting_start_response(status, headers, exc_info=None):
            answered[:] = [status, headers]
            return start_response(status, headers, exc_info)

        result = self.application(environ, noting_start_response)
        status, headers = answered or ("500", [])
        size, request_id = None, "-"
        for name, value in headers:
            if name == "Content-Length":
                size = value
            elif name == "X-Request-ID":
                request_id = value
        method, path = environ.get("REQUEST_METHOD", ""), mask(environ.get("PATH_INFO", ""))
        code = int(status[:3])
        if size is None and not getattr(result, "streaming", True):
            size = len(result.content)  # a Django response, whose length no header gave
        # Made directly rather than through logger.info(), which would look up the caller's
        # file and line in the stack: nobody reads those on an access line.
        record = logger.makeRecord(logger.name, logging.INFO, __file__, 0, "%s %s %s",
                                   (method, path, code), None)
        record.method, record.path, record.status = method, path, code
        record.bytes = int(size or 0)
        record.duration_ms = round((time.perf_counter() - started) * 1000, 2)
        record.request_id = request_id
        logger.handle(record)
        return result
