"""Log records that carry the request id and no personal data.

settings.LOGGING attaches both filters to the console handler; access lines
(dayfacts.ops.access) come masked and with their request id, and have a formatter of their
own, written for the one record a request makes.
"""

import contextvars
import hashlib
import hmac
import ipaddress
import json
import logging
import re
import time

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

# The id of the request being served by this thread, or "-" outside a request (workers,
# commands). A context variable, so threads and async tasks each see their own.
request_id = contextvars.ContextVar("request_id", default="-")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# django.core.signing output (payload:timestamp:signature); its payload is only base64, so a
# signed link for a subscriber can spell out their address.
SIGNED = re.compile(r"[\w-]{16,}(?::[\w-]+)?:[\w-]{20,}")
# The segment after /newsletter/<link>/ (confirm, unsubscribe, its data and delete pages):
# a subscriber's token, whatever its shape, so a cut or damaged link is hidden too. The
# nginx access log (deploy/nginx/dayfacts-http.conf) hides the same segment.
NEWSLETTER_LINK = re.compile(r"(/newsletter/[a-z-]+/)[^/\s?#\"']+", re.IGNORECASE)
# Each pattern above needs one of these to match: text without any (an access line's path,
# nearly always) is returned as it is, without running the four.
NEEDED = re.compile(r"[@:.]|/newsletter/", re.IGNORECASE)


def pseudonym(value):
    """Return a short stable keyed hash of a value, so one person's records can be matched."""
    # Keyed with SECRET_KEY (the same on every server): a plain hash of an address could be
    # reversed by hashing a list of addresses.
    from django.conf import settings

    key = settings.SECRET_KEY.encode() if settings.configured else b"dayfacts"
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:12]


def mask(text):
    """Replace email addresses, IPv4 addresses and signed tokens in text with pseudonyms."""
    if not NEEDED.search(text):
        return text
    text = EMAIL.sub(lambda m: f"<email {pseudonym(m.group())}>", text)
    text = NEWSLETTER_LINK.sub(r"\1<token>", text)
    text = SIGNED.sub("<token>", text)
    return IPV4.sub(_mask_ip, text)


def _mask_ip(match):
    # The machine's own addresses (loopback, "any") are no one's; keep them readable.
    try:
        address = ipaddress.ip_address(match.group())
    except ValueError:
        return match.group()
    if address.is_loopback or address.is_unspecified:
        return match.group()
    return f"<ip {pseudonym(match.group())}>"


class RequestIdFilter(logging.Filter):
    """Give every record a request_id: the current request's, or "-"."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            # Django logs 4xx/5xx responses after the middleware has returned, with the
            # request attached to the record.
            attached = getattr(getattr(record, "request", None), "request_id", None)
            record.request_id = attached or request_id.get()
        return True


class PersonalDataFilter(logging.Filter):
    """Mask email addresses, IP addresses and signed tokens in the message and traceback."""

    def filter(self, record):
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info:
            # Exception messages quote data too (PostgreSQL: "Key (email)=(...) already
            # exists"): format the traceback now, masked, and log that text instead.
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def json_formatter():
    """Build the JSON formatter: time, level, logger, message, request id and extras."""
    return JsonFormatter(
        "{asctime}{levelname}{name}{message}{request_id}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        # Django attaches the request object to some records; its repr is not wanted.
        reserved_attrs=[*RESERVED_ATTRS, "request"],
    )


# The fields of an access line (dayfacts.ops.access), after the ones every line has.
ACCESS_FIELDS = ("method", "path", "status", "bytes", "duration_ms")


class AccessFormatter(logging.Formatter):
    """What both formats of an access line share: the time, written once per second.

    An access line is written for every request, hundreds in a second: the date and time
    are formatted when the second changes, and the milliseconds added to each line.
    """

    _second = (None, "")

    def formatTime(self, record, datefmt=None):
        if datefmt:
            return super().formatTime(record, datefmt)
        second, stamp = self._second
        if second != int(record.created):
            second = int(record.created)
            stamp = time.strftime(self.default_time_format, self.converter(record.created))
            self._second = (second, stamp)  # one assignment: threads see a matching pair
        return self.default_msec_format % (stamp, record.msecs)


class AccessJsonFormatter(AccessFormatter):
    """The JSON of an access line: the keys json_formatter() writes, built directly.

    The general formatter inspects every attribute of every record; an access line, one
    per request, has a fixed set, and writing it directly skips that inspection.
    """

    def format(self, record):
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name in ACCESS_FIELDS:
            line[name] = getattr(record, name, None)
        return json.dumps(line)


class AccessTextFormatter(AccessFormatter):
    """The text of an access line: the site's text format (settings.LOGGING's "text"), then
    the bytes and milliseconds, built directly."""

    def format(self, record):
        return (f"{self.formatTime(record)} {record.levelname} {record.name} "
                f"[{getattr(record, 'request_id', '-')}] {record.getMessage()} "
                f"{getattr(record, 'bytes', None)} {getattr(record, 'duration_ms', None)}ms")
