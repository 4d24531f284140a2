"""Ledger: conflicts between accounts and rendering of the whole ledger."""
