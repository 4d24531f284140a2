"""Time expressions resolved against the publication date (calendar conventions of news)."""

import json
from datetime import date

import pytest

from claimledger.errors import UsageError
from claimledger.timex.resolver import check_published, resolve

WEDNESDAY = date(2014, 12, 3)


@pytest.mark.parametrize(
    "expression, earliest, latest",
    [
        ("on Wednesday", "2014-12-03", "2014-12-03"),  # the article's own weekday: that day
        ("Monday", "2014-12-01", "2014-12-01"),
        ("last Wednesday", "2014-11-26", "2014-11-26"),
        ("10 days ago", "2014-11-23", "2014-11-23"),
        ("three days ago", "2014-11-30", "2014-11-30"),
        ("in the past several days", "2014-11-26", "2014-12-03"),
        ("over the last several days", "2014-11-26", "2014-12-03"),
        ("In recent days", "2014-11-26", "2014-12-03"),
        ("in September", "2014-09-01", "2014-09-30"),
        ("in December", "2014-12-01", "2014-12-31"),
        ("in January", "2014-01-01", "2014-01-31"),  # January before a December article: this year's
        ("last week", "2014-11-24", "2014-11-30"),
        ("last month", "2014-11-01", "2014-11-30"),
        ("earlier this month", "2014-12-01", "2014-12-02"),
        ("yesterday", "2014-12-02", "2014-12-02"),
        ("2013", "2013-01-01", "2013-12-31"),
        ("March 3, 2012", "2012-03-03", "2012-03-03"),
    ],
)
def test_resolves_against_publication(expression, earliest, latest):
    start, end = resolve(expression, WEDNESDAY)
    assert (start.isoformat(), end.isoformat()) == (earliest, latest)


def test_future_month_is_last_year():
    start, end = resolve("in October", date(2026, 3, 12))
    assert (start.isoformat(), end.isoformat()) == ("2025-10-01", "2025-10-31")


def test_no_anchor_keeps_it_undated():
    assert resolve("on Tuesday", None) == (None, None)


def test_undatable_expression():
    assert resolve("the night of the breach", WEDNESDAY) == (None, None)


def test_published_validation():
    assert check_published("2014-12-03", "x") == "2014-12-03"
    assert check_published(None, "x") is None
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        check_published("03/12/2014", "article.txt")


@pytest.mark.parametrize("published", ["0001-01-01", "0001-01-03", "9999-12-31", "9999-12-28"])
def test_publication_dates_at_the_ends_of_the_calendar_do_not_crash(tmp_path, capsys, published):
    from claimledger.cli import main

    article = tmp_path / "edge.txt"
    article.write_text("The mayor said on Tuesday that the harbour would reopen next week, and officials said "
                       "last year it had closed three days ago, in recent days and last week.\n", encoding="utf-8")
    assert main(["analyze", str(article), "--published", published, "--format", "json"]) == 0
    ledger = json.loads(capsys.readouterr().out)
    times = [t for a in ledger["attributions"] for t in a["times"]]
    assert any(t["text"] == "Tuesday" for t in times)
    assert all((ref["earliest"] is None) == (ref["latest"] is None) for ref in times)  # dated, or undated
