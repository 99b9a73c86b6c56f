import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayfacts.settings")
django_application = get_wsgi_application()

from dayfacts.ops.access import AccessLog  # noqa: E402  (needs the settings)
from dayfacts.pagecache.wsgi import CachedPages  # noqa: E402

# Stored pages are answered before Django's request cycle (docs/caching.md); every answer,
# from either, gets one access line.
application = AccessLog(CachedPages(django_application))
