"""The review actions of the open piece, as the window asks for them: submit, return with a note,
approve, approve and schedule, publish now, and a schedule changed from the calendar.

Each is queued in the outbox first, through the runner's writer (after the piece's last save), then
sent at once on the network lane; offline it waits in the outbox and the message bar says so. What the
user's role may do is decided by the core (``core.workflow``): refusals come back as messages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from app.errors import CopydeskError, InvalidInputError
from app.workflow.roles import Act
from ui.messages import Level, MessageBar
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.outbox.data import Job
    from app.outbox.worker import JobOutcome
    from app.workflow.service import WorkflowService
    from ui.editor.session import PieceSession

log = logging.getLogger(__name__)


class ReviewActions(QObject):
    """Queues and sends the review actions; announces what came of them."""

    queued = Signal(object)  # the outbox Job
    sent = Signal(object)  # list[JobOutcome]
    failed = Signal(object)  # the error: refused here, or by the site

    def __init__(
        self,
        core: Core,
        runner: TaskRunner,
        session: PieceSession,
        messages: MessageBar,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._core = core
        self._runner = runner
        self._session = session
        self._messages = messages
        self._window = window

    @property
    def flow(self) -> WorkflowService:
        return self._core.workflow

    # -- the actions -----------------------------------------------------------------------------

    def submit(self, piece_id: int, site_id: int | None, override: str = "") -> None:
        """Submit for review on *site_id*; None: the site where the user may submit (asked when
        there are several). *override*: an editor's reason to go ahead despite the checklist."""
        if site_id is not None:
            self.queue(
                lambda: self.flow.submit(piece_id, site_id, override=override),
                retry=lambda reason: self.submit(piece_id, site_id, reason),
                verb="submit",
            )
            return
        flow, sites = self.flow, self._core.remote.sites

        def choices() -> list[tuple[int, str]]:
            return [(s.id, s.name) for s in sites.list() if Act.SUBMIT in flow.site(s.id).acts]

        self._runner.read(
            choices,
            owner=self,
            on_done=lambda found: self._on_submit_sites_read(piece_id, found),
            on_error=self._on_error,
        )

    def _on_submit_sites_read(self, piece_id: int, sites: list[tuple[int, str]]) -> None:
        if not sites:
            self._on_error(
                InvalidInputError(
                    "No site lets you submit pieces yet.",
                    hint="Add the newsroom's site under Publish → Sites and check its connection.",
                )
            )
            return
        if len(sites) == 1:
            self.submit(piece_id, sites[0][0])
            return
        dialog = QInputDialog(self._window)
        dialog.setWindowTitle("Submit for Review")
        dialog.setLabelText("Submit the piece for review on:")
        dialog.setComboBoxItems([name for _id, name in sites])
        dialog.setAccessibleName("Choose the site to submit to")
        by_name = {name: site_id for site_id, name in sites}
        dialog.textValueSelected.connect(lambda name: self.submit(piece_id, by_name[name]))
        dialog.open()

    def send_back(self, piece_id: int, site_id: int | None, note: str) -> None:
        self.queue(lambda: self.flow.send_back(piece_id, note, site_id=site_id))

    def approve(self, piece_id: int, site_id: int | None, override: str = "") -> None:
        self.queue(
            lambda: self.flow.approve(piece_id, site_id=site_id, override=override),
            retry=lambda reason: self.approve(piece_id, site_id, reason),
            verb="approve",
        )

    def schedule(self, piece_id: int, site_id: int | None, at: datetime, override: str = "") -> None:
        """Approve and schedule (also a new time from the calendar); the 60-second rule is checked
        by the dialog, by the core before queuing, and again when the job runs."""
        self.queue(lambda: self.flow.approve(piece_id, at=at, site_id=site_id, override=override),
                   retry=lambda reason: self.schedule(piece_id, site_id, at, reason),
                   verb="schedule")  # fmt: skip

    def publish_now(
        self, piece_id: int, site_id: int | None, override: str = "", *, confirmed: bool = False
    ) -> None:
        """Publish now, once the user has seen the checklist and confirmed."""
        if not confirmed:
            from ui.checklist.report import confirm

            self._session.save()
            confirm(
                self._core, self._runner, owner=self, window=self._window, piece_id=piece_id,
                site_id=site_id, on_error=self._on_error,
                proceed=lambda reason: self.publish_now(piece_id, site_id, reason, confirmed=True),
            )  # fmt: skip
            return
        self.queue(lambda: self.flow.publish_now(piece_id, site_id=site_id, override=override),
                   retry=lambda reason: self.publish_now(piece_id, site_id, reason, confirmed=True),
                   verb="publish")  # fmt: skip

    # -- queue, then send ------------------------------------------------------------------------

    def queue(
        self,
        enqueue: Callable[[], Job],
        *,
        retry: Callable[[str], None] | None = None,
        verb: str = "",
    ) -> None:
        """Save the open piece, then queue the action (on the writer: after that save), then send.
        Blocked by the checklist: show what is missing; *retry* with an editor's override reason."""
        self._session.save()
        self._runner.write(enqueue, owner=self, on_done=self._on_queued,
                           on_error=lambda error: self._on_queue_error(error, retry, verb))  # fmt: skip

    def _on_queue_error(
        self, error: BaseException, retry: Callable[[str], None] | None, verb: str
    ) -> None:
        from app.checklist.service import ChecklistBlockedError

        if retry is None or not isinstance(error, ChecklistBlockedError):
            self._on_error(error)
            return
        from ui.checklist.report import ask_override

        self.failed.emit(error)
        title = self._session.snapshot().title if self._session.is_open else ""
        ask_override(error, title or "Untitled", verb or "publish", self._window, retry)

    def _on_queued(self, job: Job) -> None:
        self.queued.emit(job)
        flow, job_id = self.flow, job.id
        self._runner.network(
            lambda: flow.send([job_id]),
            owner=self,
            on_done=lambda outcomes: self._on_sent(job, outcomes),
            on_error=self._on_error,
        )

    def _on_sent(self, job: Job, outcomes: Sequence[JobOutcome]) -> None:
        if not outcomes:
            self._messages.show_message(f"{job.description}: queued in the outbox.")
        for outcome in outcomes:
            if outcome.done:
                self._messages.show_message(f"Done: {outcome.job.description}.")
            elif outcome.job.waiting_to_retry:
                self._messages.show_message(
                    f"{outcome.job.description}: {outcome.job.last_error} It waits in the outbox "
                    "and will be sent when the site answers.",
                    Level.WARNING,
                )
            else:
                error = outcome.error or CopydeskError(outcome.job.last_error)
                self.failed.emit(error)
                self._messages.show_message(f"{outcome.job.description}: {error}", Level.ERROR)
        self.sent.emit(list(outcomes))

    def _on_error(self, error: BaseException) -> None:
        self.failed.emit(error)
        self._messages.show_message(str(error), Level.ERROR)
