"""The shared text normalisation (nlp/text.py) and the shared F1 (evaluation/metrics.py)."""

from __future__ import annotations

from claimledger.evaluation.metrics import f1, precision_recall_f1
from claimledger.nlp.text import (
    OVERLAP_STOP_WORDS,
    STATEMENT_STOP_WORDS,
    STOP_WORDS,
    TITLE_STOP_WORDS,
    prefix_stem,
    stem,
)


def test_each_stage_set_is_the_shared_list_and_its_own_words():
    assert STOP_WORDS == STATEMENT_STOP_WORDS & OVERLAP_STOP_WORDS
    assert {"according", "told", "never"} <= STATEMENT_STOP_WORDS - OVERLAP_STOP_WORDS
    assert {"himself", "via", "new"} <= OVERLAP_STOP_WORDS - STATEMENT_STOP_WORDS
    assert TITLE_STOP_WORDS <= STATEMENT_STOP_WORDS | OVERLAP_STOP_WORDS
    assert (len(STATEMENT_STOP_WORDS), len(OVERLAP_STOP_WORDS), len(TITLE_STOP_WORDS)) == (140, 138, 56)


def test_the_stemmers():
    assert [stem(w) for w in ("strikes", "struck", "denied", "cooperation", "coordinated", "coordination")] == [
        "strik", "strik", "deny", "cooper", "coordinat", "coordin"]
    assert [prefix_stem(w) for w in ("hackers", "hacker", "denial", "denials")] == ["hacker", "hacker", "denial", "denial"]


def test_f1():
    assert f1(0.0, 0.0) == 0.0 and f1(1.0, 1.0) == 1.0
    assert precision_recall_f1(0, 0, 0) == (0.0, 0.0, 0.0)
    precision, recall, score = precision_recall_f1(1, 1, 2)
    assert (precision, round(recall, 4), round(score, 4)) == (0.5, 0.3333, 0.4)
