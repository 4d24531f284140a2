"""The PolNeAR reader and the span scorer, on hand-made text (and the real corpus when present)."""

from __future__ import annotations

import pytest

from claimledger.evaluation.polnear import GoldAttribution, parse_ann, read_article, span_text
from claimledger.evaluation.spans import (
    PredictedSpan,
    gold_as_predictions,
    score_document,
    sum_scores,
)
from claimledger.records import Attribution, Mention
from shared_data import shared_path

TEXT = (
    "The harbour master said the pier would reopen by Friday. "
    '"We are not worried," she added, "because the divers found no cracks." '
    "Residents believe the repairs were rushed."
)


def _find(fragment: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(fragment)
    return (start, start + len(fragment))


def _gold() -> list[GoldAttribution]:
    return [
        GoldAttribution(
            "E1",
            source_spans=[_find("The harbour master")],
            cue_spans=[_find("said")],
            content_spans=[_find("the pier would reopen by Friday")],
        ),
        GoldAttribution(
            "E2",
            source_spans=[_find("she")],
            cue_spans=[_find("added")],
            content_spans=[_find('"We are not worried,"'), _find('"because the divers found no cracks."')],
        ),
        GoldAttribution(
            "E3",
            source_spans=[],
            cue_spans=[_find("believe")],
            content_spans=[_find("the repairs were rushed")],
        ),
    ]


def _attribution(content: tuple[int, int], cue=None, mention=None, source="s1") -> Attribution:
    return Attribution(
        id="a",
        source=source,
        cue="",
        content=TEXT[content[0] : content[1]],
        start=content[0],
        end=content[1],
        direct=False,
        cue_start=cue[0] if cue else None,
        cue_end=cue[1] if cue else None,
        source_mention=Mention(TEXT[mention[0] : mention[1]], *mention) if mention else None,
    )


def test_gold_against_itself_scores_one_everywhere():
    gold = _gold()
    score = score_document(TEXT, gold, gold_as_predictions(gold))
    for name, counts in score.counts.items():
        assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0), name


def test_disjoint_predictions_score_zero():
    gold = _gold()[:1]
    prediction = _attribution(_find("Residents"), cue=_find("Friday"), mention=_find("divers"))
    score = score_document(TEXT, gold, [prediction])
    for name, counts in score.counts.items():
        assert counts.tp == 0 and counts.f1 == 0.0, name
    assert score.false_negatives == gold and score.false_positives == [prediction]


def test_content_needs_half_of_gold_and_half_of_prediction():
    gold = _gold()[:1]  # "the pier would reopen by Friday" (31 chars)
    half = _attribution(_find("the pier would r"), source=None)  # 16 chars: >= half of gold
    too_short = _attribution(_find("the pier"), source=None)
    too_long = _attribution((0, _find("Friday.")[1]), source=None)  # 57 chars, overlap 31 >= 28.5
    assert score_document(TEXT, gold, [half]).counts["content"].tp == 1
    assert score_document(TEXT, gold, [too_short]).counts["content"].tp == 0
    assert score_document(TEXT, gold, [too_long]).counts["content"].tp == 1
    sprawling = _attribution((0, _find("worried")[1]), source=None)
    assert score_document(TEXT, gold, [sprawling]).counts["content"].tp == 0


def test_matching_is_one_to_one():
    gold = _gold()[:1]
    twice = [_attribution(gold[0].content_spans[0]), _attribution(gold[0].content_spans[0])]
    counts = score_document(TEXT, gold, twice).counts["content"]
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)


def test_discontinuous_gold_forgives_the_interrupting_cue():
    gold = _gold()[1:2]
    whole = (_find('"We are')[0], _find('cracks."')[1])  # includes ' she added, '
    score = score_document(TEXT, gold, [_attribution(whole, cue=_find("added"), mention=_find("she"))])
    assert score.counts["content"].tp == 1
    assert score.counts["content+source"].tp == 1
    assert score.counts["content_tokens"].precision == 1.0


def test_source_match_by_mention_or_resolver_and_missing_source():
    gold = _gold()
    by_mention = _attribution(gold[0].content_spans[0], mention=_find("harbour"))
    elsewhere = _attribution(gold[1].content_spans[1], mention=_find("Residents"))
    no_source = _attribution(gold[2].content_spans[0], mention=None, source=None)
    score = score_document(TEXT, gold, [by_mention, elsewhere, no_source])
    assert score.counts["content"].tp == 3
    assert score.counts["content+source"].tp == 2  # "Residents" is not "she"
    assert len(score.source_errors) == 1

    # A resolver may vouch for a source whose mention lies elsewhere (pronoun resolved to a name).
    resolved = score_document(TEXT, gold, [elsewhere], source_matcher=lambda pred, g: g.id == "E2")
    assert resolved.counts["content+source"].tp == 1

    # Gold names no source: a prediction that invents one does not match.
    invented = _attribution(gold[2].content_spans[0], mention=_find("Residents"))
    assert score_document(TEXT, gold[2:], [invented]).counts["content+source"].tp == 0


def test_cue_is_its_own_detection_task():
    gold = _gold()
    predictions = [
        PredictedSpan(*_find("Residents believe"), cue_start=_find("believe")[0], cue_end=_find("believe")[1]),
        PredictedSpan(*_find("would reopen"), cue_start=None, cue_end=None),
    ]
    counts = score_document(TEXT, gold, predictions).counts["cue"]
    assert (counts.tp, counts.fp, counts.fn) == (1, 0, 2)


def test_token_level_credits_partial_boundaries():
    gold = _gold()[:1]
    partial = _attribution(_find("the pier would"))  # 3 of the 6 gold tokens
    counts = score_document(TEXT, gold, [partial]).counts["content_tokens"]
    assert counts.precision == 1.0 and counts.recall == pytest.approx(0.5)
    assert score_document(TEXT, gold, [partial]).counts["content"].tp == 0


def test_scores_sum_over_documents():
    gold = _gold()
    perfect = score_document(TEXT, gold, gold_as_predictions(gold))
    empty = score_document(TEXT, gold, [])
    total = sum_scores([perfect, empty])["content"]
    assert (total.tp, total.fp, total.fn) == (3, 0, 3)
    assert total.recall == 0.5 and total.precision == 1.0


def test_parse_ann_handles_discontinuous_missing_source_and_noise():
    ann = "\n".join(
        [
            "T1\tSource 0 18\tThe harbour master",
            "T2\tCue 19 23\tsaid",
            "T3\tContent 24 55\tthe pier would reopen by Friday",
            "T4\tAttribution 19 23\tsaid",
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            "T5\tContent 57 78;90 127\tpieces",
            "a continuation line of a span text that held a newline",
            "T6\tCue 84 89\tadded",
            "T7\tContent 129 140\textra",
            "T8\tAttribution-no-source 84 89\tadded",
            "E2\tAttribution-no-source:T8 Content:T5 Cue:T6 Content2:T7",
            "#1\tAnnotatorNotes T5\ta note",
            "T9\tDiscuss 0 3\tThe",
            "T10\tContent 5000 5010\tout of range",
            "E3\tAttribution:T4 Content:T10",
        ]
    )
    first, second, third = parse_ann(ann, len(TEXT))
    assert span_text(TEXT, first.source_spans) == "The harbour master"
    assert span_text(TEXT, first.content_spans) == "the pier would reopen by Friday"
    assert second.source_spans == [] and not second.has_source
    assert second.content_spans == [(57, 78), (90, 127), (129, 140)]
    assert second.cue_spans == [(84, 89)]
    assert third.content_spans == []


def test_read_article_pairs_txt_and_ann(tmp_path):
    (tmp_path / "outlet_2016-01-01_pier.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "outlet_2016-01-01_pier.ann").write_text(
        "T1\tCue 19 23\tsaid\nT2\tContent 24 55\tx\nE1\tAttribution-no-source:T1 Cue:T1 Content:T2\n",
        encoding="utf-8",
    )
    article = read_article(tmp_path / "outlet_2016-01-01_pier.txt")
    assert article.publisher == "outlet" and article.text == TEXT
    assert [span_text(TEXT, a.content_spans) for a in article.attributions] == ["the pier would reopen by Friday"]


def test_polnear_dev_reads_completely_and_scores_one_against_itself():
    from claimledger.evaluation.polnear import iter_split

    dev = shared_path("data", "polnear", "dev")
    articles = list(iter_split(dev))
    assert len(articles) == 84
    assert sum(len(a.attributions) for a in articles) == 2193
    assert len({a.publisher for a in articles}) == 7
    for article in articles:
        for gold in article.attributions:
            for start, end in gold.source_spans + gold.cue_spans + gold.content_spans:
                assert 0 <= start < end <= len(article.text)
    scores = [score_document(a.text, a.attributions, gold_as_predictions(a.attributions)) for a in articles]
    assert sum_scores(scores)["content+source"].f1 == 1.0
