"""Publishing pieces to remote sites: push (with images, terms and conflicts) and pull.

:class:`Publisher` and :class:`Puller` are synchronous services; the UI runs them on a worker thread,
normally through the outbox (:mod:`app.outbox.queue`), and gets plain dataclasses back.
"""

from app.publishing.jobs import PushJobs, PushResult
from app.publishing.links import LinkData, LinkStore
from app.publishing.pull import Puller, RemoteListing
from app.publishing.push import Publisher
from app.publishing.safety import OVERWRITE_ANY, ConflictInfo, PushConflictError

__all__ = [
    "OVERWRITE_ANY",
    "ConflictInfo",
    "LinkData",
    "LinkStore",
    "Publisher",
    "PushConflictError",
    "PushJobs",
    "PushResult",
    "Puller",
    "RemoteListing",
]
