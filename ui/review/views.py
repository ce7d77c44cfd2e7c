"""Opening the review's two views of the library: a piece's timeline and the publication calendar.

Both read the library only (offline); a schedule changed in the calendar goes through
:class:`~ui.review.acting.ReviewActions` like any review action, and the calendar reloads once it
has been sent (or queued).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.workflow.data import CalendarEntry, TimelineEntry
from app.workflow.roles import Act
from ui.review.acting import ReviewActions
from ui.review.state import PieceReview
from ui.runner import ErrorHandler, TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from ui.review.calendar import CalendarDialog
    from ui.review.timeline import TimelineDialog


class ReviewViews(QObject):
    def __init__(
        self,
        *,
        core: Core,
        runner: TaskRunner,
        actions: ReviewActions,
        open_piece: Callable[[int], object],
        on_error: ErrorHandler,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._core = core
        self._runner = runner
        self._actions = actions
        self._open_piece = open_piece
        self._on_error = on_error
        self._window = window
        self.timeline_dialog: TimelineDialog | None = None
        self.calendar_dialog: CalendarDialog | None = None

    def show_timeline(self, review: PieceReview) -> None:
        from ui.review.timeline import TimelineDialog

        def show(entries: list[TimelineEntry]) -> None:
            dialog = TimelineDialog(
                review.title, entries, review.missing, self._window, status=review.status_line
            )
            dialog.open()
            self.timeline_dialog = dialog

        self._runner.read(
            self._core.workflow.timeline,
            review.piece_id,
            owner=self,
            on_done=show,
            on_error=self._on_error,
        )

    def show_calendar(self) -> None:
        core = self._core

        def may_reschedule() -> bool:
            flow = core.workflow
            if not flow.store.has_links():
                return False  # nothing is on a site: no need to load the site list
            return any(Act.SCHEDULE in flow.site(s.id).acts for s in core.remote.sites.list())

        self._runner.read(
            may_reschedule, owner=self, on_done=self._open_calendar, on_error=self._on_error
        )

    def _open_calendar(self, can_reschedule: bool) -> None:
        from ui.review.calendar import CalendarDialog

        if self.calendar_dialog is not None:
            self.calendar_dialog.close()
        dialog = CalendarDialog(self._window, can_reschedule=can_reschedule)
        dialog.range_requested.connect(lambda start, days: self._load(dialog, start, days))
        dialog.reschedule_requested.connect(self._on_reschedule_requested)
        dialog.piece_requested.connect(self._open_piece)
        dialog.destroyed.connect(self._on_calendar_destroyed)
        self._actions.sent.connect(dialog.request)
        dialog.show()
        dialog.request()
        self.calendar_dialog = dialog

    def _on_calendar_destroyed(self) -> None:
        self.calendar_dialog = None

    def _on_reschedule_requested(self, entry: CalendarEntry, at: datetime) -> None:
        if entry.piece_id is not None:
            self._actions.schedule(entry.piece_id, None, at)

    def _load(self, dialog: CalendarDialog, start: datetime, days: int) -> None:
        def show(entries: list[CalendarEntry]) -> None:
            dialog.show_entries(start, days, entries)

        self._runner.read(
            self._core.workflow.calendar,
            start,
            days,
            owner=dialog,
            on_done=show,
            on_error=self._on_error,
        )
