"""Reading what a reader types, the way websearch_to_tsquery reads it."""

from dayfacts.search.query import parse


def test_plain_words_are_all_required_and_common_words_dropped():
    query = parse("a treaty with Japan")
    assert query.words() == ["treaty", "japan"]
    assert query.fts5() == '("treaty" AND "japan")'
    assert query.websearch() == "treaty japan"


def test_quotes_keep_a_phrase_together_with_its_small_words():
    query = parse('"treaty of peace" japan')
    assert query.fts5() == '("treaty of peace" AND "japan")'
    assert query.websearch() == '"treaty of peace" japan'


def test_or_splits_alternatives_and_minus_excludes():
    query = parse("moon -apollo or mars")
    assert query.fts5() == '(("moon") NOT ("apollo")) OR ("mars")'
    assert query.websearch() == "moon -apollo or mars"


def test_punctuation_and_quotes_in_words_cannot_break_the_expression():
    query = parse('O\'Brien "unclosed AND) NOT( -"')
    assert query
    assert query.fts5() == '("o brien" AND "unclosed and not")'


def test_nothing_required_is_an_empty_query():
    assert not parse("")
    assert not parse("-war")
    assert not parse("the of or and")
