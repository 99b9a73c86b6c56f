"""Full-text search over the facts, on SQLite FTS5 or PostgreSQL full-text search.

    from dayfacts.search import search
    results = search('treaty japan -war', kind="event", topic="diplomacy", century=20)
    results.count(); results[:20]; results.page(2); results.suggestions()

The full interface is documented in docs/search.md.
"""


def search(query, *, kind=None, topic=None, century=None, now=None):
    """Find published facts matching a reader's query, best first (see engine.Results)."""
    from .engine import search as run

    return run(query, kind=kind, topic=topic, century=century, now=now)
