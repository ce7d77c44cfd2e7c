"""Notes both ways between the library and the sites: what changed here goes out (the outbox's
``notes.send`` jobs), then every shared piece's notes come back, 100 posts a request.

A note the site has and this library does not is added; one changed on the site and not here is
brought up to date (one changed here too waits for its send, which wins for its author's fields); one
this library had from the site and the site no longer lists was deleted there and goes here too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.cms.wordpress.notes import NotesApi, RemoteNote, has_notes
from app.errors import CopydeskError
from app.notes.data import SEND
from app.notes.store import NoteStore
from app.publishing.convert import parse_wp_date

if TYPE_CHECKING:
    from app.publishing.links import LinkData
    from app.remote import RemoteServices
    from app.sites.registry import SiteData

log = logging.getLogger(__name__)


def linked_sites(
    remote: Callable[[], RemoteServices], piece_id: int
) -> list[tuple[SiteData, LinkData, bool]]:
    """The sites the piece is on: (site, link, whether the site's plugin keeps notes)."""
    services = remote()
    found = []
    for link in services.links.for_piece(piece_id):
        if link.remote_id is None:
            continue
        site = services.sites.get(link.site_id)
        found.append((site, link, has_notes(site.companion_version)))
    return found


@dataclass
class NotesSyncReport:
    sent: int = 0  # send jobs carried out
    added: int = 0  # notes and replies new from the sites
    updated: int = 0
    removed: int = 0  # deleted on the site
    local_only: list[str] = field(default_factory=list)  # sites without the plugin
    errors: list[tuple[str, CopydeskError]] = field(default_factory=list)


class NotesSyncer:
    def __init__(self, remote: RemoteServices, store: NoteStore) -> None:
        self._remote = remote
        self._store = store

    def sync(self, site_id: int | None = None) -> NotesSyncReport:
        report = NotesSyncReport()
        sites = [self._remote.sites.get(site_id)] if site_id else self._remote.sites.list()
        for site in sites:
            if not has_notes(site.companion_version):
                report.local_only.append(site.name)
                continue
            try:
                report.sent += self._send(site.id)
                self._pull(site.id, report)
            except CopydeskError as exc:
                log.info("Notes of %s not synced: %s", site.name, exc)
                report.errors.append((site.name, exc))
        return report

    def _send(self, site_id: int) -> int:
        from app.notes.jobs import enqueue_send
        from app.outbox.queue import JobState

        for piece_id in self._store.pieces_with_pending(site_id):
            enqueue_send(self._remote.outbox, piece_id, site_id)
        jobs = [j.id for j in self._remote.outbox.jobs([JobState.QUEUED, JobState.FAILED])
                if j.kind == SEND and j.site_id == site_id]  # fmt: skip
        worker = self._remote.worker()
        done = 0
        for job_id in jobs:
            outcome = worker.run_job(job_id)
            if not outcome.done and outcome.error is not None:
                raise outcome.error
            done += 1
        return done

    def _pull(self, site_id: int, report: NotesSyncReport) -> None:
        posts = self._remote.links.remote_ids(site_id)
        if not posts:
            return
        api = NotesApi(self._remote.sites.client(site_id))
        found, _missing = api.notes(sorted(posts))
        for post_id, notes in found.items():
            piece_id = posts.get(post_id)
            if piece_id is not None:
                self._merge(piece_id, site_id, notes, report)

    def _merge(
        self, piece_id: int, site_id: int, notes: Sequence[RemoteNote], report: NotesSyncReport
    ) -> None:
        known = self._store.remote_rows(piece_id, site_id)
        local_of = {row.remote_id: row.id for row in known.values() if row.remote_id}
        ordered = sorted(notes, key=lambda n: (n.parent != 0, n.id))
        for note in ordered:
            parent = local_of.get(note.parent) if note.parent else None
            if note.parent and parent is None:
                continue  # a reply to a note this library cannot see
            before = known.get(note.uid)
            if before is not None and before.pending:
                local_of[note.id] = before.id
                continue  # changed here: the send goes first
            fields = {
                "parent_id": parent, "author": note.author_name, "author_remote_id": note.author,
                "mine": note.mine, "body": note.text, "anchor": note.anchor,
                "resolved": note.resolved, "resolved_by": note.resolved_by_name,
                "resolved_at": parse_wp_date(note.resolved_at), "remote_id": note.id,
                "remote_modified": note.modified_gmt,
            }  # fmt: skip
            if before is None:
                fields["created_at"] = parse_wp_date(note.created_gmt) or self._remote.clock()
            elif before.remote_id == note.id and before.remote_modified == note.modified_gmt:
                local_of[note.id] = before.id
                continue
            local_of[note.id] = self._store.upsert_remote(piece_id, site_id, note.uid, **fields)
            if before is None:
                report.added += 1
            else:
                report.updated += 1
        listed = {note.uid for note in notes}
        for uid, row in known.items():
            if row.remote_id is not None and not row.pending and uid not in listed:
                self._store.remove(row.id)
                report.removed += 1
