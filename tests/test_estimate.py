"""The confirmation estimate (claims/estimate.py): independent voices, not outlets, are counted."""

from __future__ import annotations

from claimledger.claims.estimate import Report, claim_estimate, estimate, independent_voices, p_true
from claimledger.ledger.corpus import SourceSide


def test_forty_outlets_repeating_one_reuters_report_are_one_source():
    repeated = [Report(side="support", outlet=f"outlet-{i}.example", origin="Reuters") for i in range(40)]
    denial = [Report(side="deny", outlet="state-tv.example", origin="Ministry of Defence")]
    voices = independent_voices(repeated + denial)
    assert len(voices["support"]) == 1 and len(voices["deny"]) == 1
    # forty outlets that each found the story themselves are forty voices
    own = [Report(side="support", outlet=f"outlet-{i}.example") for i in range(40)]
    assert len(independent_voices(own + denial)["support"]) == 40
    assert estimate(independent_voices(repeated + denial))["p_true"] < estimate(independent_voices(own + denial))["p_true"]


def test_copies_of_one_headline_are_one_voice():
    copies = [Report(side="support", outlet=f"site{i}.example", wording="Iran bombs ISIS in Iraq!") for i in range(5)]
    other = [Report(side="support", outlet="paper.example", wording="Iranian jets strike Islamic State in Diyala")]
    assert len(independent_voices(copies + other)["support"]) == 2
    grouped = [Report(side="support", outlet=f"s{i}.example", wording=f"headline {i}") for i in range(4)]
    assert len(independent_voices(grouped, copies=[7, 7, 7, 8])["support"]) == 2


def test_a_voice_counts_on_its_latest_side():
    changed = [Report(side="deny", origin="Iranian officials", order=1),
               Report(side="support", origin="Iranian officials", order=2),
               Report(side="neutral", origin="Iranian officials", order=3)]
    voices = independent_voices(changed)
    assert voices["support"] == {"origin:iranian officials"} and not voices["deny"] and not voices["neutral"]


def test_denials_weigh_and_nothing_gives_null():
    assert estimate({"support": set(), "deny": set(), "neutral": set()}) is None
    assert p_true(3, 0, 0) > p_true(0, 0, 3) > p_true(0, 1, 0)
    assert p_true(2, 1, 0) < p_true(2, 0, 0)
    result = estimate({"support": {"a", "b"}, "deny": {"c"}, "neutral": set()})
    assert 0 < result["p_true"] < 1 and "2 independent sources support it" in result["basis"]
    assert "1 independent source denies it" in result["basis"]


def test_a_stored_source_is_one_voice_whatever_the_outlets():
    kirby = SourceSide(source_id=1, name="John Kirby", outlets=[f"outlet {i}" for i in range(40)])
    officials = SourceSide(source_id=2, name="Iranian officials", outlets=["Press TV"])
    result = claim_estimate([kirby], [officials], [])
    assert result["basis"][0] == "1 independent source supports it"
    assert any("41 outlets carried these reports" in reason for reason in result["basis"])
    assert claim_estimate([], [], []) is None


def _said(source_id, name, stance, day):
    from claimledger.ledger.corpus import ClaimStatement

    return ClaimStatement(attribution_id=0, article_id=0, article_title=None, article_name=None, outlet=None, medium=None,
                          published=day, source_id=source_id, source_name=name, stance=stance, confidence=1.0,
                          content="", sentence="", because="", cue="said", direct=False, start=0, end=0)


def test_balance_over_time_and_changed_accounts():
    from claimledger.ledger.corpus import balance_over_time, changed_accounts

    statements = [
        _said(1, "John Kirby", "support", "2014-12-03"),
        _said(2, "Iranian officials", "deny", "2014-12-03"),
        _said(3, "Hossein Amir-Abdollahian", "neutral", "2014-12-04"),
        _said(3, "Hossein Amir-Abdollahian", "support", "2014-12-06"),
        _said(2, "Iranian officials", "support", "2014-12-06"),
    ]
    assert balance_over_time(statements) == [
        {"date": "2014-12-03", "support": 1, "deny": 1, "neutral": 0},
        {"date": "2014-12-04", "support": 1, "deny": 1, "neutral": 1},
        {"date": "2014-12-06", "support": 3, "deny": 0, "neutral": 0},
    ]
    assert changed_accounts(statements) == [{"source_id": 2, "name": "Iranian officials", "from": "deny", "to": "support",
                                             "since": "2014-12-03", "on": "2014-12-06"}]


def test_a_voice_whose_sides_proved_right_lifts_the_claim_it_supports_and_its_own_claim_never_counts():
    from claimledger.claims.estimate import record_terms, records_from, reliability

    # the wire agency supported two claims that proved true and denied one that proved false
    history = [([Report(side="support", outlet="Wire Agency")], True),
               ([Report(side="support", outlet="Wire Agency"), Report(side="support", outlet="Tabloid")], True),
               ([Report(side="deny", outlet="Wire Agency"), Report(side="support", outlet="Tabloid")], False)]
    records = records_from(history)
    assert records["outlet:wire agency"] == (3, 3) and records["outlet:tabloid"] == (1, 2)
    assert reliability(3, 3) > reliability(1, 2) == 0.0
    claim = [Report(side="support", outlet="Wire Agency"), Report(side="deny", outlet="State TV")]
    record_for, record_against, known = record_terms(claim, records)
    assert record_for > 0 and record_against == 0 and known == 1  # State TV has no record
    voices = independent_voices(claim)
    with_record = estimate(voices, record=(record_for, record_against, known))
    assert with_record["p_true"] > estimate(voices)["p_true"]
    assert any("1 voice taking a side has a record" in reason for reason in with_record["basis"])
    # a claim's own reports make no record for it: a neutral or unknown voice adds nothing
    assert record_terms([Report(side="neutral", outlet="Wire Agency")], records) == (0.0, 0.0, 0)
