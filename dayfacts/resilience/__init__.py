"""Keep readers' pages honest when a part of the site is down: a clear 503, never a traceback."""
