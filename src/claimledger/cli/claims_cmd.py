"""`claimledger claims`, `claimledger claim ID`, `claimledger claim add TEXT`: the store's claim ledgers."""

from __future__ import annotations

import argparse
import sys

from claimledger.errors import UsageError
from claimledger.ledger.corpus import STATUSES
from claimledger.ledger.corpus_render import FORMATS


def register(subparsers) -> None:
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
        "claim", help="show one claim's ledger, or register a claim: claim ID | claim add TEXT",
        description="`claim ID` shows a claim's ledger; `claim add TEXT` registers a claim to track.",
    )
    one.add_argument("what", nargs="+", metavar="ID_OR_ADD", help="a claim id, or: add \"the claim's text\"")
    one.add_argument("--db", default=None, metavar="URL", help="store (default ledger.db)")
    one.add_argument("--format", choices=FORMATS, default="text")
    one.set_defaults(handler=run_claim)


def run_claims(args: argparse.Namespace) -> int:
    from claimledger.ledger.corpus_render import render_claims
    from claimledger.store.database import open_engine
    from claimledger.store.queries import list_claims
    from claimledger.timex.resolver import check_published

    since = check_published(args.since, "--since") if args.since else None
    until = check_published(args.until, "--until") if args.until else None
    engine = open_engine(args.db, create=False)
    with engine.connect() as connection:
        claims = list_claims(connection, limit=max(0, args.limit), status=args.status, search=args.search,
                             outlet=args.outlet, since=since, until=until)
    sys.stdout.write(render_claims(claims, args.format))
    return 0


def run_claim(args: argparse.Namespace) -> int:
    from claimledger.store.database import open_engine

    if args.what[0] == "add":
        text = " ".join(args.what[1:]).strip()
        if not text:
            raise UsageError("claim add needs the claim's text: claimledger claim add \"Iran struck targets in Iraq\"")
        from claimledger.store.registration import register_claim

        registration = register_claim(open_engine(args.db), text)
        if registration.created:
            print(f"claim {registration.claim_id} registered; {registration.articles_judged} stored article(s) speak to it")
        else:
            print(f"claim {registration.claim_id} was already in the store; it is now tracked as registered")
        return 0
    if len(args.what) != 1 or not args.what[0].isdigit():
        raise UsageError(f"claim {' '.join(args.what)}: give a claim id (a number) or `add TEXT`")
    from claimledger.ledger.corpus_render import render_claim
    from claimledger.store.queries import claim_ledger

    engine = open_engine(args.db, create=False)
    with engine.connect() as connection:
        ledger = claim_ledger(connection, int(args.what[0]))
    sys.stdout.write(render_claim(ledger, args.format))
    return 0
