"""The calendar (scheduled and published pieces by day) and the missed-schedule watchdog, read from the
library alone (the review states as last synced, and pieces on no site that carry a publication time)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from app.pieces.library import PieceLibrary
from app.pieces.workflow import Status
from app.publishing.convert import parse_wp_date
from app.workflow.data import CalendarEntry, MissedSchedule
from app.workflow.roles import is_missed
from app.workflow.store import WorkflowStore


class Calendar:
    def __init__(
        self, store: WorkflowStore, pieces: PieceLibrary, site_name: Callable[[int], str]
    ) -> None:
        self._store = store
        self._pieces = pieces
        self._site_name = site_name

    def missed(self, now: datetime | None = None) -> list[MissedSchedule]:
        """Scheduled posts whose time passed more than five minutes ago, as last synced."""
        now = now or datetime.now(UTC)
        found = []
        for state in self._store.states():
            due = parse_wp_date(state.date_gmt)
            if due is not None and is_missed(state.remote_status, due, now):
                title = self._pieces.get(state.piece_id).title or "Untitled"
                name = self._site_name(state.site_id)
                found.append(
                    MissedSchedule(state.piece_id, state.site_id, name, state.post_id, title, due)
                )
        return found

    def edit_warning(self, piece_id: int, now: datetime | None = None) -> str | None:
        """What to tell before the piece is pushed or edited on a site where it missed its schedule."""
        for missed in self.missed(now):
            if missed.piece_id == piece_id:
                return missed.message
        return None

    def entries(self, start: datetime, days: int) -> list[CalendarEntry]:
        """Scheduled and published pieces between *start* and *start + days*, by time."""
        end = start + timedelta(days=days)
        now = datetime.now(UTC)
        entries: list[CalendarEntry] = []
        on_site: set[int] = set()
        if self._store.has_links():
            for state in self._store.states():
                when = parse_wp_date(state.date_gmt)
                if state.remote_status not in ("future", "publish") or when is None:
                    continue
                on_site.add(state.piece_id)
                if start <= when < end:
                    entries.append(
                        CalendarEntry(
                            when=when, piece_id=state.piece_id, post_id=state.post_id,
                            title=self._pieces.get(state.piece_id).title or "Untitled",
                            site_name=self._site_name(state.site_id),
                            status=state.remote_status,
                            missed=is_missed(state.remote_status, when, now),
                        )
                    )  # fmt: skip
        for summary in self._pieces.summaries():
            if summary.id in on_site or summary.status not in (Status.SCHEDULED, Status.PUBLISHED):
                continue
            piece = self._pieces.get(summary.id)
            if piece.publish_at is not None and start <= piece.publish_at < end:
                status = "future" if summary.status is Status.SCHEDULED else "publish"
                entries.append(
                    CalendarEntry(piece.publish_at, summary.id, None, summary.title or "Untitled",
                                  "", status)
                )  # fmt: skip
        entries.sort(key=lambda e: (e.when, e.title))
        return entries
