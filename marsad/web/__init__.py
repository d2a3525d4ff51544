"""The right-to-left news site, the JSON API and the feeds, over the store."""

from marsad.web.app import create_app

__all__ = ["create_app"]
