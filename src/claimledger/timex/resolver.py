"""Time expressions in statements, resolved against the publication date into date ranges.

Expressions are found by spaCy's NER (DATE/TIME) plus patterns for the vague spans news uses
("in recent days", "the past several days"). Each is resolved to an [earliest, latest] range of
ISO dates: dateparser does explicit and simple relative dates; the calendar conventions of news
(a bare weekday means the latest such day on or before publication, "last week" the previous
Monday–Sunday, "several days" up to seven) are written out here because dateparser returns one
instant where a range is meant. Without a publication date, expressions are kept, marked relative.
A time inside the content dates the event ("role": "event"); one in the cue's clause dates the
statement ("role": "statement").
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from claimledger.errors import UsageError
from claimledger.records import TimeRef

if TYPE_CHECKING:
    from claimledger.attribution.extractor import RawAttribution
    from claimledger.nlp.pipeline import ParsedArticle

WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30,
}
# Vague quantities as ranges of units: "several days" is taken as up to a week.
VAGUE = {"several": (2, 7), "few": (2, 5), "a few": (2, 5), "couple of": (2, 3), "a couple of": (2, 3),
         "recent": (1, 7), "many": (5, 30)}
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}

_VAGUE_SPAN = re.compile(
    r"\b(?:in |over |during |within )?(?:the )?(?:past|last|previous|recent|coming|next)\s+"
    r"(?:(several|few|couple of|\d+|two|three|four|five|six|seven|eight|nine|ten)\s+)?(days?|weeks?|months?|years?)\b"
    r"|\bin recent (days|weeks|months|years)\b|\brecently\b",
    re.IGNORECASE,
)


def check_published(published: str | None, name: str) -> str | None:
    """Validate a --published value (YYYY-MM-DD); a one-line error otherwise."""
    if published in (None, ""):
        return None
    try:
        return date.fromisoformat(str(published)[:10]).isoformat()
    except ValueError:
        raise UsageError(f"{name}: --published '{published}' is not a date of the form YYYY-MM-DD") from None


def parse_iso_date(value: object) -> date | None:
    """The date an ISO string (or a datetime's string) starts with, or None when it holds none."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def find_times(text: str, attribution: RawAttribution, article: ParsedArticle, published: str | None) -> list[TimeRef]:
    """Time expressions of one attribution: in its content (event) and its cue clause (statement)."""
    sentence = attribution.sentence
    low = min(sentence.start, attribution.content_start)
    high = max(sentence.end, attribution.content_end)
    spans: list[tuple[int, int]] = []
    for sent in article.sentences_between(low, high):
        if sent.span is None or sent.end <= low or sent.start >= high:
            continue
        for entity in sent.span.ents:
            if entity.label_ in ("DATE", "TIME"):
                spans.append((sent.base + entity.start_char, sent.base + entity.end_char))
    for match in _VAGUE_SPAN.finditer(text, low, high):
        spans.append(match.span())
    spans = [_narrow(text, start, end) for start, end in _merge(spans)]
    anchor = date.fromisoformat(published) if published else None
    refs = []
    for start, end in spans:
        expression = text[start:end]
        inside = attribution.content_start <= start and end <= attribution.content_end
        near_cue = abs(start - attribution.cue_end) < 60 or abs(attribution.cue_start - end) < 60
        if not inside and not near_cue:
            continue
        earliest, latest = resolve_safely(expression, anchor)
        if earliest is None and latest is None and not _VAGUE_SPAN.search(expression) and not _looks_temporal(expression):
            continue
        refs.append(
            TimeRef(
                text=expression,
                start=start,
                end=end,
                earliest=earliest.isoformat() if earliest else None,
                latest=latest.isoformat() if latest else None,
                relative=anchor is None,
                role="event" if inside else "statement",
            )
        )
    return refs


_AGO = re.compile(r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|few|many)\s+(?:day|week|month|year)s?\s+ago\b", re.I)


def _narrow(text: str, start: int, end: int) -> tuple[int, int]:
    """'the school three days ago' (an NER slip) → 'three days ago'."""
    match = _AGO.search(text, start, end)
    return match.span() if match else (start, end)


def _looks_temporal(expression: str) -> bool:
    return bool(re.search(r"\d|day|week|month|year|ago|today|tonight|morning|evening|night", expression, re.I))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def resolve_safely(expression: str, anchor: date | None) -> tuple[date | None, date | None]:
    """:func:`resolve`, but a range that would leave the calendar (year 1 minus a week, year 9999 plus
    one) is undated rather than an error: a publication date near either end is legal."""
    try:
        return resolve(expression, anchor)
    except (OverflowError, ValueError):
        return None, None


def resolve(expression: str, anchor: date | None) -> tuple[date | None, date | None]:
    """[earliest, latest] dates for one expression, or (None, None) when it cannot be dated."""
    if anchor is None:
        return None, None
    phrase = re.sub(r"\s+", " ", expression.lower().strip(" ,.")).removeprefix("on ").removeprefix("in ")
    phrase = phrase.removeprefix("the ")
    if phrase in ("today", "tonight", "this morning", "this afternoon", "this evening", "now"):
        return anchor, anchor
    if phrase in ("yesterday", "last night"):
        day = anchor - timedelta(days=1)
        return day, day
    if re.fullmatch(r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|few|\d+)\s+"
                    r"(?:day|week|month|year|decade|centur(?:y|ie))s?(?:\s+(?:long|old))?", phrase):
        return None, None  # a duration ("a decade", "two months"), not a date
    if phrase == "recently":
        return anchor - timedelta(days=30), anchor
    match = re.fullmatch(r"(?:(?:in|over|during|within) )?(?:the )?(past|last|previous|recent|coming|next) (?:(\w+(?: of)?) )?(day|week|month|year)s?", phrase) or re.fullmatch(
        r"(?:in )?(recent) ()(day|week|month|year)s", phrase
    )
    if match:
        direction, amount, unit = match.groups()
        if direction in ("last", "previous") and not amount and unit in ("week", "month", "year"):
            return _previous_calendar_unit(anchor, unit)
        low, high = _amount(amount, direction)
        span = timedelta(days=high * UNIT_DAYS[unit])
        if direction in ("coming", "next"):
            return anchor, anchor + span
        return anchor - span, anchor
    match = re.fullmatch(r"(\w+|\d+) (day|week|month|year)s? ago", phrase)
    if match:
        amount, unit = match.groups()
        count = int(amount) if amount.isdigit() else NUMBER_WORDS.get(amount)
        if count is None:
            vague = VAGUE.get(amount)
            if vague is None:
                return None, None
            low, high = vague
            return anchor - timedelta(days=high * UNIT_DAYS[unit]), anchor - timedelta(days=low * UNIT_DAYS[unit])
        day = anchor - timedelta(days=count * UNIT_DAYS[unit])
        if unit == "day":
            return day, day
        return day - timedelta(days=UNIT_DAYS[unit] // 2), day + timedelta(days=UNIT_DAYS[unit] // 2)
    weekday = phrase.removeprefix("last ").removeprefix("this past ")
    if weekday in WEEKDAYS:
        offset = (anchor.weekday() - WEEKDAYS[weekday]) % 7
        if phrase.startswith("last ") and offset == 0:
            offset = 7
        day = anchor - timedelta(days=offset)
        return day, day
    # "earlier this week" ends the day before publication; "this week" may include it.
    earlier = timedelta(days=1) if phrase.startswith("earlier") else timedelta(0)
    if phrase in ("this week", "earlier this week"):
        return anchor - timedelta(days=anchor.weekday()), max(anchor - earlier, anchor - timedelta(days=anchor.weekday()))
    if phrase in ("this month", "earlier this month"):
        return anchor.replace(day=1), max(anchor - earlier, anchor.replace(day=1))
    if phrase in ("this year", "earlier this year"):
        return anchor.replace(month=1, day=1), max(anchor - earlier, anchor.replace(month=1, day=1))
    month_match = re.fullmatch(r"(?:early |late |mid-?)?([a-z]+)\.?(?: (\d{4}))?", phrase)
    if month_match and month_match.group(1) in MONTHS:
        month = MONTHS[month_match.group(1)]
        year = int(month_match.group(2)) if month_match.group(2) else (anchor.year if month <= anchor.month else anchor.year - 1)
        last_day = calendar.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last_day)
    if re.fullmatch(r"(?:in )?\d{4}", phrase):
        year = int(phrase[-4:])
        return date(year, 1, 1), date(year, 12, 31)
    return _dateparser(expression, anchor)


def _amount(amount: str | None, direction: str) -> tuple[int, int]:
    if not amount:
        return VAGUE["recent"] if direction == "recent" else (1, 1)
    if amount.isdigit():
        return int(amount), int(amount)
    if amount in NUMBER_WORDS:
        return NUMBER_WORDS[amount], NUMBER_WORDS[amount]
    return VAGUE.get(amount, VAGUE["several"])


def _previous_calendar_unit(anchor: date, unit: str) -> tuple[date, date]:
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        last = anchor.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return date(anchor.year - 1, 1, 1), date(anchor.year - 1, 12, 31)


def _dateparser(expression: str, anchor: date) -> tuple[date | None, date | None]:
    import dateparser
    from datetime import datetime

    settings = {
        "RELATIVE_BASE": datetime(anchor.year, anchor.month, anchor.day, 12),
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": [],
        "RETURN_TIME_AS_PERIOD": True,
    }
    try:
        result = dateparser.date.DateDataParser(languages=["en"], settings=settings).get_date_data(expression)
    except Exception:  # dateparser raises assorted errors on odd strings; an undated time is fine
        return None, None
    if result is None or result.date_obj is None:
        return None, None
    day = result.date_obj.date()
    period = result.period
    if period == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    return day, day
