"""Errors a user can cause, each with a one-line message naming the input and what is wrong.

The CLI prints ``str(error)`` and exits non-zero; nothing else should reach the user as a traceback.
"""


class ClaimledgerError(Exception):
    """Base of every error whose message is meant for the user."""

    exit_code = 2


class InputError(ClaimledgerError):
    """The input cannot be read as an article (missing, empty, binary, undecodable, too large)."""


class UnsupportedLanguageError(ClaimledgerError):
    """The article is not in a language claimledger reads (English only for now)."""


class DataFormatError(ClaimledgerError):
    """A data file (CSV, JSON Lines, model manifest) does not have the expected shape."""


class ModelError(ClaimledgerError):
    """A shipped or trained model is missing, corrupt or does not match its manifest."""


class UsageError(ClaimledgerError):
    """A command-line option has a value that cannot be used."""


class UnknownIdError(ClaimledgerError):
    """An id (claim, source, article) that is not in the store."""


class StoreError(ClaimledgerError):
    """The store cannot be opened, migrated or written."""


class TimeBudgetError(ClaimledgerError):
    """The analysis of one article ran over the time budget per article."""
