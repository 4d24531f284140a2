"""Quotation finding in raw text: curly and straight marks, multi-paragraph, unbalanced, adjacent."""

from claimledger.attribution.quotes import find_quotations
from claimledger.nlp.pipeline import paragraph_ranges


def quotes(text):
    return [[text[a:b] for a, b in q.pieces] for q in find_quotations(text, paragraph_ranges(text))]


def test_curly_and_straight():
    text = "“We will rebuild,” the mayor said. \"Every house,\" she added."
    assert quotes(text) == [["We will rebuild"], ["Every house"]]


def test_multi_paragraph_quote_is_one_quotation():
    text = "The coach said: “We played badly.\n“Next week will be different,” he added.\nThe end."
    assert quotes(text) == [["We played badly.", "Next week will be different"]]


def test_unbalanced_quote_ends_at_paragraph_end():
    text = "He wrote \"the bridge is unsafe and must close\nThe council met later."
    found = find_quotations(text, paragraph_ranges(text))
    assert [[text[a:b] for a, b in q.pieces] for q in found] == [["the bridge is unsafe and must close"]]
    assert found[0].closed is False


def test_adjacent_quotations_merge():
    text = '"We will win," "we always do," the captain said.'
    assert quotes(text) == [["We will win", "we always do"]]


def test_apostrophes_are_not_quotes():
    assert quotes("The mayor's plan won't pass, the council's leader said.") == []
