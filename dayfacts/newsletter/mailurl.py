"""Read the EMAIL_URL setting into Django's EMAIL_* settings.

    file://./var/outbox            one .eml file per message in that folder (the default)
    smtp://user:pass@host:25       plain SMTP, with AUTH when a user is given
    smtp://host:587?tls            STARTTLS (also smtp+tls://host)
    smtps://user:pass@host:465     SMTP over SSL
    console://                     print messages (development)

Query options: tls, ssl, timeout (seconds). User names and passwords are URL-decoded, so
an "@" in a password is written %40.
"""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

FILE_BACKEND = "dayfacts.newsletter.backends.EmlFileBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
SIMPLE_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
SMTP_SCHEMES = {"smtp", "smtps", "smtp+tls", "smtp+ssl"}


def _flag(query, name):
    # "?tls" alone switches an option on, as does "?tls=1"; "?tls=0" leaves it off.
    value = query.get(name)
    return value is not None and value.strip().lower() in {"", "1", "true", "yes", "on"}


def email_settings(url):
    """Return the EMAIL_* settings that EMAIL_URL describes."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if scheme == "file":
        folder = unquote(parts.netloc + parts.path)
        if not folder:
            raise ImproperlyConfigured("EMAIL_URL file:// needs a folder, e.g. file://./var/outbox")
        return {"EMAIL_BACKEND": FILE_BACKEND, "EMAIL_FILE_PATH": str(Path(folder).resolve())}
    if scheme in SIMPLE_BACKENDS:
        return {"EMAIL_BACKEND": SIMPLE_BACKENDS[scheme]}
    if scheme not in SMTP_SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {scheme or '(none)'!r} is not one of file, smtp, smtps, "
            "smtp+tls, console, locmem, dummy."
        )
    use_ssl = scheme in {"smtps", "smtp+ssl"} or _flag(query, "ssl")
    use_tls = scheme == "smtp+tls" or _flag(query, "tls")
    if use_ssl and use_tls:
        raise ImproperlyConfigured("EMAIL_URL asks for both SSL and STARTTLS; choose one.")
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
        timeout = float(query.get("timeout", 30))
    except ValueError as error:
        raise ImproperlyConfigured(f"EMAIL_URL has a bad port or timeout: {error}") from None
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": timeout,
    }
