"""Ingest: turn a file, stdin or a string into a :class:`~claimledger.records.Document`."""

from claimledger.ingest.reader import document_from_text, read_article

__all__ = ["document_from_text", "read_article"]
