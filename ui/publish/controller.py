"""What the Publish menu does: open the dialogs, start the sender, handle conflicts and results.

The main window only connects its actions here; the dialogs themselves do the asking, through the
task runner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.pieces.data import PieceData
from ui.messages import Level, MessageBar
from ui.publish.outbox import OutboxController, OutboxPanel
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.outbox.data import Job
    from app.outbox.worker import JobOutcome
    from app.publishing.safety import ConflictInfo
    from ui.actions import ActionTable
    from ui.editor.session import PieceSession
    from ui.library.controller import LibraryController


class PublishController(QObject):
    publish_time_wanted = Signal()  # a push refused a schedule too soon: pick another time

    def __init__(
        self,
        *,
        core: Core,
        runner: TaskRunner,
        session: PieceSession,
        library: LibraryController,
        messages: MessageBar,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._core = core
        self._runner = runner
        self._session = session
        self._library = library
        self._messages = messages
        self._window = window
        self._resolving: int | None = None
        self.outbox = OutboxController(core, runner, self)
        self.panel = OutboxPanel(self.outbox)
        self.outbox.run_finished.connect(self._on_run_finished)
        self.outbox.run_failed.connect(self._on_run_failed)
        self.panel.resolve_requested.connect(self._on_resolve_requested)

    def start_if_needed(self) -> None:
        """Start the background sender when the library has sites (it loads requests, the keyring)."""
        self._runner.read(
            self._core.remote.sites.list,
            owner=self,
            on_done=lambda sites: self.outbox.start() if sites else None,
        )

    def stop(self) -> None:
        self.outbox.stop()

    def connect_actions(self, table: ActionTable) -> None:
        """Connect the Publish menu's actions (``ui/actions.py``)."""
        table["publish/push"].triggered.connect(self.push)
        table["publish/pull"].triggered.connect(self.pull)
        table["publish/unlink"].triggered.connect(self.unlink)
        table["publish/sites"].triggered.connect(self.manage_sites)

    def push(self) -> None:
        if not self._session.is_open:
            return
        from ui.publish.push import PushDialog

        self._session.save()
        dialog = PushDialog(
            self._core, self._runner, self.outbox, self._session.snapshot(), self._window
        )
        dialog.conflict_found.connect(self.show_conflict)
        dialog.publish_time_wanted.connect(self.publish_time_wanted)
        dialog.open()

    def pull(self) -> None:
        from ui.publish.pull import PullDialog

        dialog = PullDialog(self._core, self._runner, self._window)
        dialog.piece_opened.connect(self._library.show_loaded)
        dialog.open()

    def unlink(self) -> None:
        """Forget where the open piece was pushed on a site (asked first); see ui/publish/unlink.py."""
        if not self._session.is_open:
            return
        from ui.publish.unlink import UnlinkFlow

        UnlinkFlow(self._core, self._runner, self._messages, self._window).start(
            self._session.snapshot()
        )

    def manage_sites(self) -> None:
        from ui.publish.sites import SitesDialog

        dialog = SitesDialog(self._core, self._runner, self._window)
        dialog.sites_changed.connect(self.outbox.start)
        dialog.open()

    def _on_resolve_requested(self, job: Job) -> None:
        self._resolving = job.id
        self.outbox.run_now(job.id)

    def _on_run_finished(self, outcome: JobOutcome) -> None:
        if outcome.job.id != self._resolving:
            return  # a push dialog's own run: it shows the outcome itself
        self._resolving = None
        if outcome.error is not None and outcome.job.error_kind == "conflict":
            self.show_conflict(outcome.error)
        elif outcome.error is not None:
            self._messages.show_message(f"Not sent: {outcome.job.last_error}", Level.ERROR)

    def _on_run_failed(self, job_id: int, error: BaseException) -> None:
        if job_id == self._resolving:
            self._resolving = None
            self._messages.show_message(f"Not sent: {error}", Level.ERROR)

    def show_conflict(self, error: BaseException) -> None:
        from ui.publish.conflict import ConflictDialog

        info: ConflictInfo | None = getattr(error, "info", None)
        if info is None:
            self._messages.show_message(str(error), Level.ERROR)
            return
        dialog = ConflictDialog(self._core, self._runner, info, self._window)
        dialog.resolved.connect(lambda result: self._on_conflict_resolved(result, info))
        dialog.open()

    def _on_conflict_resolved(self, result: object, info: ConflictInfo) -> None:
        """Show what the resolution left in the library, so no later autosave undoes it."""
        self.outbox.refresh()
        # through the writer: after every save queued before, as the library holds it now
        self._runner.write(
            self._core.pieces.get,
            info.piece_id,
            owner=self,
            on_done=lambda piece: self._on_resolved_piece_read(piece, result, info),
            on_error=lambda error: self._messages.show_message(
                f"Could not reload the piece: {error}", Level.ERROR
            ),
        )

    def _on_resolved_piece_read(self, piece: PieceData, result: object, info: ConflictInfo) -> None:
        if isinstance(result, PieceData):  # took the site's version: open it, wherever we were
            self._library.show_loaded(piece)
            self._messages.show_message(
                "Took the site's version. Yours is kept in the revision history."
            )
            return
        merged = piece.body != info.mine.body
        if piece.id == self._session.piece_id and (
            merged  # the merge replaced the text: show it, or the next autosave would undo it
            or (not self._session.dirty and piece.body != self._session.snapshot().body)
        ):
            self._library.show_loaded(piece)
        link = getattr(result, "link", "")
        self._messages.show_message(f"Pushed the merge: {link}" if merged else f"Pushed: {link}")
