"""Work per article stays near-linear in its length: pathological inputs finish within a stated budget.

The bounds are generous (a loaded 2-core CI machine) yet far below what the quadratic code took:
20,000 quote marks took about 100 s in `analyze`; an article of many quotations and statements took
minutes in attribution alone.
"""

import time

import pytest

from claimledger.attribution.extractor import RawAttribution, _drop_overlaps, extract_attributions
from claimledger.attribution.quotes import find_quotations, quoted
from claimledger.nlp.pipeline import Sentence, paragraph_ranges, parse_article
from claimledger.pipeline import analyze_text

BUDGET_S = 30


def test_twenty_thousand_quote_marks_are_analysed_within_budget():
    text = "The mayor said the harbour would reopen next week. " + '"' * 20_000 + " Then he left."
    started = time.perf_counter()
    ledger = analyze_text(text, use_stance_model=False)
    assert time.perf_counter() - started < BUDGET_S
    assert ledger.document.text == text
    assert any("harbour would reopen" in a.content for a in ledger.attributions)


def test_long_runs_of_closing_brackets_and_curly_quotes_are_bounded():
    text = "Officials said the bridge was safe. " + "”)" * 10_000 + "\nThe council met later."
    started = time.perf_counter()
    analyze_text(text, use_stance_model=False)
    assert time.perf_counter() - started < BUDGET_S


def _many_quotations_article(statements: int = 200, quotations: int = 20_000) -> str:
    filler = " ".join(["“Fine.”"] * (quotations // statements))
    paragraph = ("The minister said the harbour will reopen next week after repairs to the damaged piers "
                 "are finished by the crews working through the night.")
    return "\n".join(f"{paragraph}\n{filler}" for _ in range(statements))


def test_attribution_of_an_article_with_twenty_thousand_quotations_is_near_linear():
    article = parse_article(_many_quotations_article())
    started = time.perf_counter()
    found = extract_attributions(article)
    assert time.perf_counter() - started < BUDGET_S
    statements = [a for a in found if a.cue_class != "continuation"]
    assert len(statements) == 200
    assert all(article.text[a.content_start : a.content_end].startswith("the harbour will reopen") for a in statements)


def test_quoted_offsets_agree_with_a_scan_of_every_quotation():
    text = "He said “one, two” and “three\n“four” — \"five\" «six» and 'seven' “eight\nnine."
    quotations = find_quotations(text, paragraph_ranges(text))
    for offset in range(len(text) + 1):
        assert quoted(quotations, offset) == any(q.contains(offset) for q in quotations)
        assert quoted(list(quotations), offset) == quoted(quotations, offset)


def _attribution(start: int, end: int) -> RawAttribution:
    sentence = Sentence(0, 0, 10, 0)
    return RawAttribution(cue="said", cue_lemma="say", cue_class="speech", cue_start=max(0, start - 5),
                          cue_end=max(0, start - 1), content_start=start, content_end=end, direct=False,
                          quote="indirect", sentence=sentence)


def test_dropping_overlapping_contents_of_thirty_thousand_statements_is_near_linear():
    found = [_attribution(i * 10, i * 10 + 8) for i in range(30_000)]  # disjoint: all kept
    found += [_attribution(i * 10 + 1, i * 10 + 7) for i in range(0, 30_000, 3)]  # inside others: dropped
    started = time.perf_counter()
    kept = _drop_overlaps(found)
    assert time.perf_counter() - started < BUDGET_S
    assert [(a.content_start, a.content_end) for a in kept] == [(i * 10, i * 10 + 8) for i in range(30_000)]


# --- the time budget per article ------------------------------------------------------------

SEED_LIKE = (
    "The mayor said on Tuesday that the harbour would reopen next week. \"We have done the repairs,\" "
    "she told reporters. The port authority denied that the piers were safe.\n"
) * 40


def test_an_article_over_its_time_budget_fails_with_one_line_naming_it():
    import pytest

    from claimledger.errors import TimeBudgetError

    with pytest.raises(TimeBudgetError) as caught:
        analyze_text(SEED_LIKE, name="harbour.txt", time_budget=0.000_001)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("harbour.txt: ") and "time budget" in message


def test_cli_time_budget_is_one_line_and_a_bad_value_is_refused(tmp_path, capsys, monkeypatch):
    from claimledger.cli import main

    monkeypatch.delenv("CLAIMLEDGER_TIME_BUDGET", raising=False)
    article = tmp_path / "harbour.txt"
    article.write_text(SEED_LIKE, encoding="utf-8")
    assert main(["analyze", str(article), "--time-budget", "0.000001"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"claimledger: error: {article}: analysis ran over the time budget") and "\n" not in err
    assert main(["analyze", str(article), "--time-budget", "soon"]) == 2
    assert "--time-budget must be a number of seconds" in capsys.readouterr().err


def test_ingest_reports_an_article_over_budget_and_stores_the_others(tmp_path, monkeypatch):
    from claimledger.ingest.batch import Defaults
    from claimledger.services.ingest import ingest

    (tmp_path / "a.txt").write_text(SEED_LIKE, encoding="utf-8")
    monkeypatch.setenv("CLAIMLEDGER_TIME_BUDGET", "0.000001")
    summary = ingest([str(tmp_path / "a.txt")], str(tmp_path / "store.db"), defaults=Defaults())
    assert summary.ingested == 0
    assert [(name, "time budget" in reason) for name, reason in summary.failed] == [(str(tmp_path / "a.txt"), True)]
    monkeypatch.setenv("CLAIMLEDGER_TIME_BUDGET", "0")
    summary = ingest([str(tmp_path / "a.txt")], str(tmp_path / "store.db"), defaults=Defaults())
    assert summary.ingested == 1 and not summary.failed


def test_a_failure_names_its_article_once():
    from claimledger.records import Document
    from claimledger.services.analysis import failure

    document = Document(text="x", name="POST /api/articles")
    over = "POST /api/articles: analysis ran over the time budget of 60 s per article"
    assert failure(document, over) == over
    assert failure(document, "analysis failed (ValueError: bad)") == "POST /api/articles: analysis failed (ValueError: bad)"


def test_one_article_in_a_batch_gets_one_budget_for_parse_and_stages_together(monkeypatch):
    """The parse's time counts against the article's budget: a slow parse leaves less for the rest."""
    import claimledger.pipeline as pipeline
    from claimledger import budget
    from claimledger.errors import TimeBudgetError
    from claimledger.records import Document

    monkeypatch.setenv("CLAIMLEDGER_TIME_BUDGET", "1.0")
    monkeypatch.setattr(pipeline, "parse_articles", lambda texts: (time.sleep(0.7), [None] * len(texts))[1])

    def stages(*args):
        time.sleep(0.5)  # 0.7 + 0.5 s is over the 1 s budget, though each part alone is under it
        budget.check()

    monkeypatch.setattr(pipeline, "_ledger", stages)
    with pytest.raises(TimeBudgetError, match="time budget of"):
        pipeline.analyze_documents([Document(text="Officials said the bridge was safe.", name="slow.txt")])


def _many_speakers_article(paragraphs: int) -> str:
    starts = ["Kor", "Bal", "Sten", "Mar", "Del", "Ost", "Rav", "Lin", "Tor", "Hal", "Ber", "Wes"]
    ends = ["ova", "berg", "sen", "ski", "dal", "ley", "ford", "mann", "ick", "ez", "ton", "ard"]
    surnames = [start + end for end in ends for start in starts]
    lines = []
    for index in range(paragraphs):
        first, pronoun = ("Anna", "She") if index % 2 else ("John", "He")
        surname = surnames[index]
        lines.append(
            f"{first} {surname} told reporters on Monday that the harbour would reopen next week. "
            f"{pronoun} said the piers were safe. “The crews worked all night,” {surname} said."
        )
    return "\n\n".join(lines)


def _cluster_lookups(paragraphs: int, monkeypatch) -> tuple[int, list]:
    """How often resolve_sources reads a cluster's name, surname or kind for an article of
    ``paragraphs`` named speakers (each also a pronoun and a bare surname)."""
    from claimledger.sources import resolver

    article = parse_article(_many_speakers_article(paragraphs))
    raw = extract_attributions(article)
    lookups = [0]
    for attribute in ("name", "surname", "kind"):
        original = getattr(resolver._Cluster, attribute)

        def counted(cluster, original=original):
            lookups[0] += 1
            return original.fget(cluster)

        monkeypatch.setattr(resolver._Cluster, attribute, property(counted))
    sources, _ = resolver.resolve_sources(raw, article)
    monkeypatch.undo()
    return lookups[0], sources


def test_source_resolution_work_grows_linearly_with_the_number_of_speakers(monkeypatch):
    # The old resolver compared every mention with every cluster so far: four times the speakers
    # cost sixteen times the look-ups. Indexed, it is about four times.
    small, small_sources = _cluster_lookups(30, monkeypatch)
    large, large_sources = _cluster_lookups(120, monkeypatch)
    assert len(small_sources) == 30 and len(large_sources) == 120
    assert all(len(source.mentions) == 3 for source in large_sources)  # name, pronoun, surname
    assert large < 5 * small


def test_one_article_over_its_budget_is_not_analysed_twice(monkeypatch):
    """A batch of one that fails is reported at once: a retry would fail again, one budget later."""
    import claimledger.pipeline as pipeline
    from claimledger.errors import TimeBudgetError
    from claimledger.records import Document
    from claimledger.services.analysis import analyze_batch

    calls = []

    def over_budget(documents, **kwargs):
        calls.append(len(documents))
        raise TimeBudgetError(f"{documents[0].name}: analysis ran over the time budget of 60 s per article")

    monkeypatch.setattr(pipeline, "analyze_documents", over_budget)
    (result,) = analyze_batch([Document(text="Officials said the bridge was safe.", name="big.txt")])
    assert result.startswith("big.txt: analysis ran over the time budget") and calls == [1]
    two = analyze_batch([Document(text="a b c.", name="one.txt"), Document(text="d e f.", name="two.txt")])
    assert [r.split(":")[0] for r in two] == ["one.txt", "two.txt"] and calls == [1, 2, 1, 1]
