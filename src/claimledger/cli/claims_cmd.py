"""`claimledger claims`, `claimledger claim ID`, `claimledger claim add TEXT`: the store's claim ledgers."""

from __future__ import annotations

import argparse
import sys

from claimledger.errors import UsageError
from claimledger.ledger.corpus import STATUSES
from claimledger.ledger.corpus_render import FORMATS


def register(subparsers: argparse._SubParsersAction) -> None:
    listing = subparsers.add_parser("claims", help="list the store's claims with their sides and status",
                                    description="List the claims in the store, most disputed first.")
    listing.add_argument("--db", default=None, metavar="URL", help="store (default ledger.db)")
    listing.add_argument("--format", choices=FORMATS, default="text")
    listing.add_argument("--status", choices=STATUSES, help="only claims with this status")
    listing.add_argument("--search", metavar="WORDS", help="only claims whose wording contains this")
    listing.add_argument("--outlet", help="only claims carried by this outlet")
    listing.add_argument("--since", metavar="YYYY-MM-DD", help="only claims seen on or after this date")
    listing.add_argument("--until", metavar="YYYY-MM-DD", help="only claims seen on or before this date")
    listing.add_argument("--limit", type=int, default=0, help="at most this many (default: all)")
    listing.set_defaults(handler=run_claims)

    one = subparsers.add_parser(
        "claim", help="one claim's ledger; add, match, merge, split or resolve claims",
        description="`claim ID` shows a claim's ledger; `claim add TEXT` registers a claim to track; "
                    "`claim match TEXT` (or --file F) ranks the store's claims for a text; `claim merge A B` folds "
                    "claim B into A; `claim split ID --article N` takes articles off a claim into a new one; "
                    "`claim resolve ID true|false|unresolved --by NAME [--evidence URL] [--note TEXT]` records a verdict.",
    )
    one.add_argument("what", nargs="+", metavar="ID_OR_ADD", help="a claim id, or: add \"the claim's text\"")
    one.add_argument("--db", default=None, metavar="URL", help="store (default ledger.db)")
    one.add_argument("--format", choices=FORMATS, default="text")
    decisions = one.add_argument_group("claim match / merge / split / resolve")
    decisions.add_argument("--file", metavar="F", help="match: one text per line (JSON Lines out, one object per line)")
    decisions.add_argument("--article", type=int, action="append", default=[], metavar="ID",
                           help="split: an article that leaves the claim (repeat for more)")
    decisions.add_argument("--text", help="split: the new claim's wording (default: the first article's)")
    decisions.add_argument("--by", metavar="NAME", help="who decides (required for resolve)")
    decisions.add_argument("--evidence", metavar="URL", help="resolve: where the verdict's evidence is")
    decisions.add_argument("--note", metavar="TEXT", help="why, in words")
    one.set_defaults(handler=run_claim)


def run_claims(args: argparse.Namespace) -> int:
    from claimledger.ledger.corpus_render import render_claims
    from claimledger.store.database import open_engine
    from claimledger.store.queries import Filters, list_claims
    from claimledger.timex.resolver import check_published, parse_iso_date

    since = check_published(args.since, "--since") if args.since else None
    until = check_published(args.until, "--until") if args.until else None
    engine = open_engine(args.db, create=False)
    with engine.connect() as connection:
        filters = Filters(status=args.status, search=args.search, outlet=args.outlet, since=parse_iso_date(since),
                          until=parse_iso_date(until))
        claims = list_claims(connection, filters, limit=max(0, args.limit))
    sys.stdout.write(render_claims(claims, args.format))
    return 0


def run_claim(args: argparse.Namespace) -> int:
    from claimledger.store.database import open_engine

    if args.what[0] == "add":
        text = " ".join(args.what[1:]).strip()
        if not text:
            raise UsageError("claim add needs the claim's text: claimledger claim add \"Iran struck targets in Iraq\"")
        from claimledger.services.registration import register_claim

        registration = register_claim(open_engine(args.db), text)
        if registration.created:
            print(f"claim {registration.claim_id} registered; {registration.articles_judged} stored article(s) speak to it")
        else:
            print(f"claim {registration.claim_id} was already in the store; it is now tracked as registered")
        return 0
    action = _DECISIONS.get(args.what[0])
    if action is not None:
        return action(args)
    stray = [f"--{name}" for name in ("file", "text", "by", "evidence", "note") if getattr(args, name)]
    if args.article:
        stray.append("--article")
    if stray:
        raise UsageError(f"claim {' '.join(args.what)}: {', '.join(stray)} only go with match, split or resolve")
    if len(args.what) != 1 or not args.what[0].isdigit():
        raise UsageError(f"claim {' '.join(args.what)}: give a claim id (a number) or `add TEXT`")
    from claimledger.ledger.corpus_render import render_claim
    from claimledger.store.queries import get_claim

    engine = open_engine(args.db, create=False)
    with engine.connect() as connection:
        ledger = get_claim(connection, int(args.what[0]))
    sys.stdout.write(render_claim(ledger, args.format))
    return 0


def _ids(args: argparse.Namespace, count: int, usage: str) -> list[int]:
    given = args.what[1:]
    if len(given) < count or not all(item.isdigit() for item in given[:count]):
        raise UsageError(f"claim {' '.join(args.what)}: usage: claimledger claim {usage}")
    return [int(item) for item in given[:count]]


def run_match(args: argparse.Namespace) -> int:
    """`claim match TEXT` / `claim match --file F`: the store's best claims for each text."""
    import json

    from claimledger.store.claim_matching import match_texts
    from claimledger.store.database import open_engine

    if args.file:
        if len(args.what) > 1:
            raise UsageError("claim match: give TEXT or --file F, not both")
        texts = _read_lines(args.file)
    else:
        texts = [" ".join(args.what[1:]).strip()]
        if not texts[0]:
            raise UsageError('claim match needs a text: claimledger claim match "Iran struck targets in Iraq"')
    results = match_texts(open_engine(args.db, create=False), texts)
    if args.file or args.format == "json":
        for result in results:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        return 0
    for result in results:
        verdict = "would start a new claim" if result.new else f"is claim {result.matches[0].claim}"
        print(f"{result.text}\n  {verdict}")
        for match in result.matches:
            print(f"  {match.score:.3f}  claim {match.claim}: {match.text}")
    return 0


def _read_lines(path: str) -> list[str]:
    from pathlib import Path

    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        lines = [" ".join(line.split()) for line in raw.decode("utf-8-sig").splitlines()]
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    texts = [line for line in lines if line]
    if not texts:
        raise UsageError(f"{path}: no text to match (one text per line)")
    return texts


def run_merge(args: argparse.Namespace) -> int:
    from claimledger.store.database import open_engine
    from claimledger.services.decisions import merge_claims

    keep, merged = _ids(args, 2, "merge A B  (B is folded into A)")
    merge_claims(open_engine(args.db, create=False), keep, merged, by=args.by, note=args.note)
    print(f"claim {merged} merged into claim {keep}; later ingests follow this decision")
    return 0


def run_split(args: argparse.Namespace) -> int:
    from claimledger.store.database import open_engine
    from claimledger.services.decisions import split_claim

    (claim_id,) = _ids(args, 1, "split ID --article ARTICLE_ID [--article …] [--text WORDING]")
    new_id = split_claim(open_engine(args.db, create=False), claim_id, args.article, text=args.text, by=args.by,
                         note=args.note)
    print(f"{len(set(args.article))} article(s) left claim {claim_id}: they carry claim {new_id}")
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    import json

    from claimledger.store.database import open_engine
    from claimledger.services.decisions import resolve_claim

    (claim_id,) = _ids(args, 1, "resolve ID true|false|unresolved --by NAME [--evidence URL] [--note TEXT]")
    if len(args.what) != 3:
        raise UsageError(f"claim {' '.join(args.what)}: give the verdict: true, false or unresolved")
    resolution = resolve_claim(open_engine(args.db, create=False), claim_id, args.what[2], by=args.by or "",
                               evidence=args.evidence, note=args.note)
    if args.format == "json":
        print(json.dumps({"claim": claim_id, **resolution.to_dict()}, ensure_ascii=False))
    else:
        print(f"claim {claim_id}: {resolution.verdict} ({resolution.decided_by}, {resolution.decided_at})")
    return 0


_DECISIONS = {"match": run_match, "merge": run_merge, "split": run_split, "resolve": run_resolve}
