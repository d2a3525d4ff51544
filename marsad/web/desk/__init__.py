"""The editor's desk on the web: pages under /desk and the API under /api/v1/desk."""

from marsad.web.desk.auth import Desk, DeskConfig

__all__ = ["Desk", "DeskConfig"]
