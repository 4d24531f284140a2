"""The REST API and the web pages over the store, as one FastAPI application (``create_app``)."""

from claimledger.api.app import create_app

__all__ = ["create_app"]
