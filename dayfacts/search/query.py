"""What a reader types, read the way PostgreSQL's websearch_to_tsquery reads it.

Words are all required; "a quoted phrase" must appear as written; `or` between two
terms accepts either; `-word` or `-"a phrase"` excludes. The SQLite backend turns the
parsed query into an FTS5 expression so both databases answer the same question.
"""

import re
from dataclasses import dataclass, field

# Words too common to require; PostgreSQL's English configuration drops them as well.
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only other our ours out over own
same she should so some such than that the their theirs them then there these they this
those through to too under until up very was we were what when where which while who whom
why will with you your yours
""".split())

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass
class Term:
    words: list[str]
    phrase: bool = False

    def fts5(self):
        return '"' + " ".join(self.words) + '"'

    def websearch(self):
        return " ".join(self.words) if len(self.words) == 1 else self.fts5()


@dataclass
class Group:
    """Terms that must all match, and terms that must not."""

    required: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)


@dataclass
class Query:
    text: str
    groups: list[Group]

    def __bool__(self):
        return any(group.required for group in self.groups)

    def words(self):
        """The required words, in order, for suggestions."""
        return [word for group in self.groups for term in group.required for word in term.words]

    def websearch(self):
        """The query rewritten for websearch_to_tsquery, as the FTS5 expression reads it."""
        return " or ".join(
            " ".join([term.websearch() for term in group.required]
                     + ["-" + term.websearch() for term in group.excluded])
            for group in self.groups
        )

    def fts5(self):
        """The query as an SQLite FTS5 expression, or '' when nothing is required."""
        parts = []
        for group in self.groups:
            if not group.required:
                continue
            expression = " AND ".join(term.fts5() for term in group.required)
            if group.excluded:
                excluded = " OR ".join(term.fts5() for term in group.excluded)
                expression = f"({expression}) NOT ({excluded})"
            parts.append(f"({expression})")
        return " OR ".join(parts)


def parse(text):
    """Read a reader's query into groups of required and excluded terms."""
    groups = [Group()]
    pending_or = False
    for match in _TOKEN.finditer(text or ""):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            term, negated = Term(_words(quoted), phrase=True), bool(negated)
        else:
            if bare.lower() == "or":
                pending_or = bool(groups[-1].required or groups[-1].excluded)
                continue
            negated = bare.startswith("-") and len(bare) > 1
            term = Term(_words(bare[1:] if negated else bare))
            if not negated:
                term.words = [word for word in term.words if word not in STOPWORDS]
        if not term.words:
            continue
        if pending_or:
            groups.append(Group())
            pending_or = False
        (groups[-1].excluded if negated else groups[-1].required).append(term)
    return Query(text=text or "", groups=[group for group in groups if group.required])


def _words(text):
    return [word.lower() for word in _WORD.findall(text)]
