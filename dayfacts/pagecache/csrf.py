"""The CSRF token of a cached page: a placeholder in what is stored, a fresh token on the way out.

A cached page is rendered once for everyone, so it cannot hold one reader's token. While
the page cache renders a page it hands templates PLACEHOLDER as `csrf_token`; each response
then gets the reader's own token in its place (which also sets the reader's CSRF cookie).
Behind the nginx front cache the placeholder is left in and nginx fills it in
(deploy/nginx/dayfacts.conf).
"""

from django.middleware.csrf import get_token

# Letters and hyphens only, so HTML escaping leaves it as it is and nginx can match it.
PLACEHOLDER = "dayfacts-csrf-token-placeholder"
PLACEHOLDER_BYTES = PLACEHOLDER.encode()


def context_processor(request):
    """Give templates the placeholder instead of a token while a shared page is rendered."""
    if getattr(request, "pagecache_placeholder", False):
        return {"csrf_token": PLACEHOLDER}
    return {}


def fill(request, body):
    """Put the reader's own CSRF token where the placeholder stands in `body` (bytes)."""
    if PLACEHOLDER_BYTES not in body:
        return body
    return body.replace(PLACEHOLDER_BYTES, get_token(request).encode())
