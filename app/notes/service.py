"""Notes on passages, the one entry point: ``core.notes``.

Everything works offline on the library; a piece linked to a site whose companion plugin keeps notes
(0.4.0 and later) shares them: each change is queued in the outbox (``notes.send``, one job per piece
and site) and ``sync()`` brings the others' notes and replies back. Without the plugin, notes stay in
this library and :meth:`sharing` says so. Synchronous; the window calls it through its runner.

    notes = core.notes
    note = notes.add(piece.id, "Source?", start=120, end=164)   # a passage of the body
    notes.add(piece.id, "Strong ending.")                       # the whole piece
    notes.reply(note.id, "Added the council minutes.")
    notes.resolve(note.id)
    threads = notes.threads(piece.id, text=editor_text)         # placed on the text as it is now
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from app.errors import InvalidInputError, PermissionDenied
from app.notes.anchor import Anchor, Placement, Relocator, anchor_at
from app.notes.data import NoteData, NotesSharing, NoteThread
from app.notes.store import NoteStore
from app.store.models import utcnow

if TYPE_CHECKING:
    from app.notes.sync import NotesSyncReport
    from app.outbox.queue import Job
    from app.outbox.worker import JobOutcome
    from app.pieces.library import PieceLibrary
    from app.remote import RemoteServices
    from app.store import Database

log = logging.getLogger(__name__)

MAX_NOTE = 20_000


def _clean(body: str) -> str:
    body = body.strip()
    if not body:
        raise InvalidInputError("A note cannot be empty.")
    if len(body) > MAX_NOTE:
        raise InvalidInputError(f"The note is too long (at most {MAX_NOTE} characters).")
    return body


class NoteService:
    def __init__(
        self,
        db: Database,
        pieces: PieceLibrary,
        remote: Callable[[], RemoteServices],
        *,
        author: Callable[[], str],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._pieces = pieces
        self._remote_services = remote  # built on first use: notes work offline
        self._author = author
        self._clock = clock
        self.store = NoteStore(db, clock=clock)

    # -- where the notes go --------------------------------------------------------------------

    def _shared_site(self, piece_id: int) -> int | None:
        return self.sharing(piece_id).site_id

    def sharing(self, piece_id: int) -> NotesSharing:
        """Whether the piece's notes are shared through its site, and if not, why."""
        from app.notes.sync import linked_sites

        self._pieces.get(piece_id)
        sites = linked_sites(self._remote_services, piece_id) if self._has_links() else []
        if not sites:
            return NotesSharing(False, None, "The piece is on no site: its notes stay in this library.")
        with_plugin = [(site, link) for site, link, plugin in sites if plugin]
        if not with_plugin:
            names = ", ".join(site.name for site, _link, _plugin in sites)
            return NotesSharing(
                False, None,
                f"{names} has no Copydesk companion plugin 0.4.0 or later: the notes stay in this "
                "library. Ask the site's administrator to install "
                "packaging/wordpress/copydesk-companion.php.",
            )  # fmt: skip
        site, _link = with_plugin[0]
        return NotesSharing(True, site.id, f"Shared with the editors of {site.name}.")

    def _has_links(self) -> bool:
        from app.workflow.store import WorkflowStore

        return WorkflowStore(self.store._db).has_links()  # noqa: SLF001 - the same library

    def _queue(self, piece_id: int, site_id: int | None) -> Job | None:
        if site_id is None:
            return None
        from app.notes.jobs import enqueue_send

        return enqueue_send(self._remote_services().outbox, piece_id, site_id)

    # -- writing -------------------------------------------------------------------------------

    def add(
        self,
        piece_id: int,
        body: str,
        *,
        start: int | None = None,
        end: int | None = None,
        text: str | None = None,
    ) -> NoteData:
        """A note on ``text[start:end]`` (*text*: the body as the user sees it, by default the
        stored one), or on the whole piece without a passage."""
        body = _clean(body)
        piece = self._pieces.get(piece_id)
        anchor = None
        if start is not None or end is not None:
            source = piece.body if text is None else text
            try:
                anchor = anchor_at(source, start or 0, end if end is not None else len(source))
            except ValueError:
                raise InvalidInputError("Select the passage the note is about first.") from None
            self.store.keep_base(piece_id, source)
        site_id = self._shared_site(piece_id)
        note = self.store.add(piece_id, body=body, author=self._author(), anchor=anchor,
                              site_id=site_id)  # fmt: skip
        self._queue(piece_id, site_id)
        return note

    def add_on_quote(self, piece_id: int, quote: str, body: str) -> NoteData:
        """A note on the first passage of the stored body that reads *quote* (the CLI's way)."""
        text = self._pieces.get(piece_id).body
        start = text.find(quote) if quote else -1
        if start == -1:
            raise InvalidInputError(f"The piece has no passage “{quote}”.")
        if text.find(quote, start + 1) != -1:
            raise InvalidInputError(
                f"“{quote}” is in the piece more than once.", hint="Quote a longer passage."
            )
        return self.add(piece_id, body, start=start, end=start + len(quote))

    def reply(self, note_id: int, body: str) -> NoteData:
        parent = self.store.get(note_id)
        if parent.parent_id is not None:
            parent = self.store.get(parent.parent_id)  # a thread is one level deep
        reply = self.store.add(parent.piece_id, body=_clean(body), author=self._author(),
                               parent_id=parent.id, site_id=parent.site_id)  # fmt: skip
        self._queue(parent.piece_id, parent.site_id)
        return reply

    def resolve(self, note_id: int) -> NoteData:
        return self._set_resolved(note_id, True)

    def reopen(self, note_id: int) -> NoteData:
        return self._set_resolved(note_id, False)

    def _set_resolved(self, note_id: int, resolved: bool) -> NoteData:
        note = self.store.get(note_id)
        if note.parent_id is not None:
            raise InvalidInputError("Resolve the note the reply belongs to, not the reply.")
        note = self.store.change(
            note_id, resolved=resolved, resolved_by=self._author() if resolved else "",
            resolved_at=self._clock() if resolved else None,
        )  # fmt: skip
        self._queue(note.piece_id, note.site_id)
        return note

    def edit(self, note_id: int, body: str) -> NoteData:
        note = self._own(note_id, "change")
        note = self.store.change(note_id, body=_clean(body))
        self._queue(note.piece_id, note.site_id)
        return note

    def delete(self, note_id: int) -> None:
        note = self._own(note_id, "delete")
        others = [n for n in self.store.for_piece(note.piece_id)
                  if n.parent_id == note_id and not n.mine]  # fmt: skip
        if others:
            raise InvalidInputError(
                "Others have replied to this note; it cannot be deleted.", hint="Resolve it instead."
            )
        if note.site_id is None or note.remote_id is None:
            self.store.remove(note_id)
            return
        self.store.change(note_id, deleted=True)
        self._queue(note.piece_id, note.site_id)

    def _own(self, note_id: int, verb: str) -> NoteData:
        note = self.store.get(note_id)
        if not note.mine:
            raise PermissionDenied(
                f"Only {note.author or 'its author'} may {verb} this note.",
                hint="Reply to it instead." if verb == "change" else "Resolve it instead.",
            )
        return note

    # -- reading -------------------------------------------------------------------------------

    def threads(self, piece_id: int, *, text: str | None = None) -> list[NoteThread]:
        """The piece's notes with their replies, each placed on *text* (by default the stored body);
        a note whose passage is not found is orphaned (it keeps its quote). By position."""
        body = self._pieces.get(piece_id).body if text is None else text
        notes = self.store.for_piece(piece_id)
        roots = [n for n in notes if n.parent_id is None]
        anchors = [n.anchor for n in roots]
        relocator = Relocator(body, self.store.bases(a.base_hash for a in anchors if a is not None))
        placements = relocator.locate_all(anchors)
        threads = [
            NoteThread(root, tuple(n for n in notes if n.parent_id == root.id), placement)
            for root, placement in zip(roots, placements, strict=True)
        ]
        far = len(body) + 1
        threads.sort(key=lambda t: (t.placement.start if t.placement else far, t.note.created_at))
        return threads

    def rebase(self, piece_id: int, text: str) -> int:
        """Move the anchors onto *text* (after a save), so later edits are diffed from it; orphaned
        notes keep their old anchor. Returns how many notes are orphaned."""
        threads = self.threads(piece_id, text=text)
        changes: list[tuple[int, str, bool]] = []
        base_needed = False
        for thread in threads:
            anchor = thread.note.anchor
            if anchor is None:
                continue
            placement = thread.placement
            if placement is None:
                changes.append((thread.note.id, anchor.to_json(), True))
                continue
            moved = _moved(anchor, text, placement)
            base_needed = True
            changes.append((thread.note.id, moved.to_json(), False))
        if base_needed:
            self.store.keep_base(piece_id, text)
        self.store.set_anchors(changes)
        return sum(1 for _id, _anchor, orphaned in changes if orphaned)

    def open_count(self, piece_id: int) -> int:
        return self.store.open_count(piece_id)

    # -- sync ----------------------------------------------------------------------------------

    def send(self, piece_id: int) -> list[JobOutcome]:
        """Send the piece's changed notes now; what the site does not take now stays queued."""
        from app.notes.data import SEND
        from app.outbox.queue import JobState

        remote = self._remote_services()
        jobs = [j.id for j in remote.outbox.jobs([JobState.QUEUED, JobState.FAILED])
                if j.kind == SEND and j.piece_id == piece_id]  # fmt: skip
        worker = remote.worker()
        return [worker.run_job(job_id) for job_id in jobs]

    def sync(self, site_id: int | None = None) -> NotesSyncReport:
        """Send the notes changed here, then bring every shared piece's notes back from its site."""
        from app.notes.sync import NotesSyncer

        return NotesSyncer(self._remote_services(), self.store).sync(site_id)


def _moved(anchor: Anchor, text: str, placement: Placement) -> Anchor:
    return anchor_at(text, placement.start, placement.end) if placement.end > placement.start else anchor
