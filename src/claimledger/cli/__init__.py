"""The `claimledger` command: a thin argparse layer over the library.

Each sub-command lives in its own module with a ``register(subparsers)`` function that adds its
parser and sets ``handler``; errors the user can cause are printed as one line, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from claimledger.errors import ClaimledgerError

from . import analyze_cmd, claims_cmd, export_cmd, ingest_cmd, search_cmd, serve_cmd, stance_cmd, train_cmd

COMMAND_MODULES = [analyze_cmd, ingest_cmd, claims_cmd, search_cmd, export_cmd, serve_cmd, stance_cmd, train_cmd]


def build_parser() -> argparse.ArgumentParser:
    from claimledger import __version__

    parser = argparse.ArgumentParser(
        prog="claimledger",
        description="Read news and write a ledger of contested claims.",
    )
    parser.add_argument("--version", action="version", version=f"claimledger {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _warnings_to_stderr()
    try:
        return int(args.handler(args) or 0)
    except ClaimledgerError as error:
        print(f"claimledger: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("claimledger: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _stderr_handler_class():
    import logging

    class StderrHandler(logging.StreamHandler):
        """Writes to whatever sys.stderr is when a record is written (tests swap it)."""

        @property
        def stream(self) -> TextIO:
            return sys.stderr

        @stream.setter
        def stream(self, _value: object) -> None:
            pass

    return StderrHandler


def _warnings_to_stderr() -> None:
    """Warnings of the library's own loggers ("3 invalid bytes replaced") as one line each on stderr."""
    import logging

    logger = logging.getLogger("claimledger")
    if not any(getattr(h, "claimledger_cli", False) for h in logger.handlers):
        handler = _stderr_handler_class()()
        handler.setFormatter(logging.Formatter("claimledger: warning: %(message)s"))
        handler.setLevel(logging.WARNING)
        handler.claimledger_cli = True
        logger.addHandler(handler)


if __name__ == "__main__":
    sys.exit(main())
