"""``plantwin serve``: the web app (FastAPI) with its JSON API, pages and background jobs.

Imported only by ``plantwin serve`` (and tests): no other command pays for FastAPI.
"""

from plantwin.web._app import create_app
from plantwin.web._jobs import JobRunner
from plantwin.web._security import LOOPBACK_HOSTS, check_bind

__all__ = ["LOOPBACK_HOSTS", "JobRunner", "check_bind", "create_app"]
