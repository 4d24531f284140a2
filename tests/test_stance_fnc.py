"""FNC-1 CSV reading/writing and the FNC scorer, on hand-made files and confusion cases."""

from __future__ import annotations

import numpy as np
import pytest

from claimledger.errors import DataFormatError
from claimledger.stance.fnc import LABELS, StancePair, read_bodies, read_stances, score, write_stances

BODIES = 'Body ID,articleBody\n7,"The city council voted on Monday to close the old bridge, officials said."\n' \
         '9,"A local bakery says its new sourdough recipe, with rye, sold out in an hour."\n'


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------- scorer


def test_perfect_predictions_score_100():
    gold = ["agree", "disagree", "discuss", "unrelated"]
    result = score(gold, gold)
    assert result.fnc_score == pytest.approx(100.0)
    assert result.macro_f1 == pytest.approx(1.0)
    assert result.confusion.tolist() == np.eye(4, dtype=int).tolist()


def test_fnc_weighting_by_hand():
    # gold: 2 related (agree, discuss) + 2 unrelated -> best = 1 + 1 + 0.25 + 0.25 = 2.5
    gold = ["agree", "discuss", "unrelated", "unrelated"]
    # agree->discuss earns 0.25 (related-related), discuss->discuss 1.0, unrelated->unrelated 0.25,
    # unrelated->agree 0 -> 1.5 / 2.5 = 60 %
    pred = ["discuss", "discuss", "unrelated", "agree"]
    result = score(gold, pred)
    assert result.fnc_score == pytest.approx(60.0)
    assert result.confusion[LABELS.index("agree"), LABELS.index("discuss")] == 1
    assert result.confusion[LABELS.index("unrelated"), LABELS.index("agree")] == 1


def test_all_unrelated_guess_scores_only_the_unrelated_quarter_points():
    gold = ["unrelated"] * 6 + ["disagree"] * 2
    result = score(gold, ["unrelated"] * 8)
    assert result.fnc_score == pytest.approx(100 * 1.5 / 3.5)
    assert result.f1["disagree"] == 0.0
    assert result.f1["unrelated"] == pytest.approx(2 * 6 / (6 + 8))


def test_per_class_f1_by_hand():
    gold = ["disagree", "disagree", "agree", "agree"]
    pred = ["disagree", "agree", "agree", "agree"]
    result = score(gold, pred)
    # disagree: tp 1, fp 0, fn 1 -> 2/3; agree: tp 2, fp 1, fn 0 -> 0.8; others absent -> 0
    assert result.f1["disagree"] == pytest.approx(2 / 3)
    assert result.f1["agree"] == pytest.approx(0.8)
    assert result.macro_f1 == pytest.approx((2 / 3 + 0.8) / 4)
    assert "FNC score" in result.report() and "disagree" in result.report()


def test_scorer_rejects_mismatched_lengths_and_labels():
    with pytest.raises(DataFormatError):
        score(["agree"], ["agree", "agree"])
    with pytest.raises(DataFormatError):
        score(["agree"], ["supports"])


# ---------------------------------------------------------------- reading


def test_reads_bodies_and_stances(tmp_path):
    bodies = read_bodies(_write(tmp_path / "b.csv", BODIES))
    assert sorted(bodies) == [7, 9] and "sourdough" in bodies[9]
    stances = _write(tmp_path / "s.csv", "Headline,Body ID,Stance\nBridge to close,7,agree\nBakery,9,\n")
    pairs = read_stances(stances, bodies)
    assert pairs == [StancePair("Bridge to close", 7, "agree"), StancePair("Bakery", 9, None)]


def test_write_then_read_round_trip_keeps_order_and_quotes(tmp_path):
    pairs = [StancePair('He said "no", then left', 9), StancePair("Plain", 7), StancePair("Third, again", 9)]
    out = tmp_path / "out.csv"
    write_stances(out, pairs, ["discuss", "agree", "unrelated"])
    back = read_stances(out, read_bodies(_write(tmp_path / "b.csv", BODIES)), require_stance=True)
    assert [(p.headline, p.body_id, p.stance) for p in back] == [
        ('He said "no", then left', 9, "discuss"), ("Plain", 7, "agree"), ("Third, again", 9, "unrelated")]


def _one_line_error(call, *names):
    with pytest.raises(DataFormatError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    for name in names:
        assert name in message, message
    return message


def test_missing_column_names_file_and_header_row(tmp_path):
    path = _write(tmp_path / "bad.csv", "Headline,Body\nBridge to close,7\n")
    message = _one_line_error(lambda: read_stances(path), "bad.csv", "row 1", "Body ID")
    assert "missing column" in message


def test_unknown_body_id_names_row(tmp_path):
    bodies = read_bodies(_write(tmp_path / "b.csv", BODIES))
    path = _write(tmp_path / "s.csv", "Headline,Body ID\nBridge to close,7\nMystery,42\n")
    _one_line_error(lambda: read_stances(path, bodies), "s.csv", "row 2", "42")


def test_empty_file(tmp_path):
    path = _write(tmp_path / "empty.csv", "")
    _one_line_error(lambda: read_bodies(path), "empty.csv", "empty")


def test_header_without_rows(tmp_path):
    path = _write(tmp_path / "head.csv", "Body ID,articleBody\n")
    _one_line_error(lambda: read_bodies(path), "head.csv", "no data rows")


def test_utf16_file(tmp_path):
    path = _write(tmp_path / "u16.csv", BODIES, encoding="utf-16")
    _one_line_error(lambda: read_bodies(path), "u16.csv", "row 1", "UTF-16")


def test_latin1_bytes_name_the_line(tmp_path):
    text = "Headline,Body ID\nBridge to close,7\nCaf\u00e9 opens,9\n"
    path = _write(tmp_path / "latin.csv", text, encoding="latin-1")
    _one_line_error(lambda: read_stances(path), "latin.csv", "line 3", "UTF-8")


def test_non_integer_body_id_and_unknown_label(tmp_path):
    path = _write(tmp_path / "s.csv", "Headline,Body ID,Stance\nBridge,seven,agree\n")
    _one_line_error(lambda: read_stances(path), "s.csv", "row 1", "seven")
    path = _write(tmp_path / "t.csv", "Headline,Body ID,Stance\nBridge,7,agree\nBridge,7,supports\n")
    _one_line_error(lambda: read_stances(path), "t.csv", "row 2", "supports")


def test_predictions_to_an_unwritable_place_are_a_one_line_error(tmp_path):
    target = tmp_path / "missing-dir" / "pred.csv"
    with pytest.raises(DataFormatError, match="cannot be written"):
        write_stances(target, [StancePair("A headline", 1, None)], ["agree"])
    assert not list(tmp_path.rglob("*.partial"))
