"""The Whoosh search engine, the default backend."""

from app.search.whoosh.backend import WhooshBackend

__all__ = ["WhooshBackend"]
