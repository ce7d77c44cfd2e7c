"""Sending notes to the site as an outbox job (``notes.send``): created offline, they land once.

One job waits per piece and site; it sends every note of the piece changed here since the site last
had it, parents before replies: a new note is created with its ``uid`` as the request id (the plugin
answers a uid it has seen with the note it made, so a create whose answer was lost is not made twice),
a changed one is updated (its author's text and anchor; resolved or open), a deleted one is deleted.
A note changed again while the job ran stays pending for the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.cms.wordpress.notes import NotesApi, RemoteNote
from app.errors import NotFoundError
from app.notes.data import SEND, NoteData
from app.notes.store import NoteStore
from app.outbox.queue import Job, Outbox
from app.outbox.worker import JobContext, JobHandler
from app.publishing.links import LinkStore
from app.sites.registry import SiteRegistry
from app.store.models import utcnow

log = logging.getLogger(__name__)


def enqueue_send(outbox: Outbox, piece_id: int, site_id: int) -> Job:
    """Queue (or bring up to date) the job that sends the piece's changed notes to the site."""
    return outbox.enqueue(SEND, site_id=site_id, piece_id=piece_id, payload={"label": "Send notes"})


class NoteJobs:
    def __init__(
        self,
        store: NoteStore,
        sites: SiteRegistry,
        links: LinkStore,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._sites = sites
        self._links = links
        self._clock = clock

    def handlers(self) -> dict[str, JobHandler]:
        return {SEND: self.run_send}

    def run_send(self, job: Job, context: JobContext) -> dict[str, Any]:
        piece_id = job.piece_id
        if piece_id is None:
            raise NotFoundError("The piece of these notes no longer exists.")
        link = self._links.get(piece_id, job.site_id)
        if link is None or link.remote_id is None:
            raise NotFoundError("The piece is not on that site any more (it was unlinked).")
        api = NotesApi(self._sites.client(job.site_id))
        every = {n.id: n for n in self._store.for_piece(piece_id, deleted=True)}
        remote_of = {n.id: n.remote_id for n in every.values()}
        counts = {"created": 0, "updated": 0, "deleted": 0}
        pending = self._store.pending(piece_id, job.site_id)
        for number, (note, deleted) in enumerate(pending, start=1):
            context.step(f"Sending notes ({number} of {len(pending)})")
            seen = self._clock()
            if deleted:
                if note.remote_id is not None:
                    api.delete(note.remote_id)
                self._store.remove(note.id)
                counts["deleted"] += 1
                continue
            if note.remote_id is None:
                parent = remote_of.get(note.parent_id) if note.parent_id is not None else 0
                if parent is None:
                    continue  # its note is not on the site yet: the next send takes it
                sent = self._create(api, link.remote_id, note, parent)
                remote_of[note.id] = sent.id
                counts["created"] += 0 if sent.repeated else 1
            else:
                sent = api.update(
                    note.remote_id, text=note.body if note.mine else None,
                    anchor=(note.anchor.to_json() if note.anchor else "") if note.mine else None,
                    resolved=note.resolved,
                )  # fmt: skip
                counts["updated"] += 1
            self._store.sent(note.id, remote_id=sent.id, modified=sent.modified_gmt, seen=seen)
        return {"post_id": link.remote_id, **counts}

    @staticmethod
    def _create(api: NotesApi, post_id: int, note: NoteData, parent: int) -> RemoteNote:
        return api.create(
            post_id, uid=note.uid, text=note.body,
            anchor=note.anchor.to_json() if note.anchor else "", parent=parent,
            resolved=note.resolved,
        )  # fmt: skip
