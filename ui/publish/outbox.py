"""The outbox in the window: a background thread that sends what waits, and the panel that shows it.

Every remote action goes through ``app.outbox.queue``. :class:`OutboxController` runs the outbox worker's
``serve`` loop on a thread of its own (it sleeps until a job is due, or until woken), and runs a job
at once when the user asks (the Push button). Its callbacks arrive from worker threads and are
turned into Qt signals, so the widgets update on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.outbox.data import Job, JobState
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.outbox.worker import JobOutcome

log = logging.getLogger(__name__)

REFRESH_MS = 15_000


def due_label(job: Job, now: datetime | None = None) -> str:
    """“now”, “in 40 s”, “in 12 min”, “at 14:05” for when a waiting job is tried next."""
    if job.state != JobState.QUEUED:
        return ""
    now = now or datetime.now(UTC)
    seconds = (job.next_attempt_at - now).total_seconds()
    if seconds <= 1:
        return "now"
    if seconds < 90:
        return f"in {int(seconds)} s"
    if seconds < 3600:
        return f"in {int(seconds // 60)} min"
    return f"at {job.next_attempt_at.astimezone():%H:%M}"


class OutboxController(QObject):
    """Sends the outbox in the background and reports what happens."""

    job_changed = Signal(object)  # Job
    job_progress = Signal(int, int, int)  # job id, done, total (bytes)
    job_step = Signal(int, str)  # job id, what it is doing
    jobs_listed = Signal(list)  # [Job], the active ones
    run_finished = Signal(object)  # JobOutcome of a job run on request
    run_failed = Signal(int, object)  # job id, the CopydeskError that kept it from running at all

    def __init__(self, core: Core, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._core = core
        self._runner = runner
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.job_changed.connect(lambda _job: self.refresh())

    # -- the background loop -------------------------------------------------------------------

    def start(self) -> None:
        """Start sending in the background (opens the remote services: requests, the keyring)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._serve, name="copydesk-outbox", daemon=True)
        self._thread.start()
        self._timer.start()
        self._watch_network()
        self.refresh()

    def _watch_network(self) -> None:
        """When the system says the network is back, send what waits for it now, not at the next
        backoff step. Where the platform cannot tell, the backoff alone brings it back."""
        from PySide6.QtNetwork import QNetworkInformation

        feature = QNetworkInformation.Feature.Reachability
        if not QNetworkInformation.loadBackendByFeatures(feature):
            log.info("This system does not report network changes; the outbox retries on a timer")
            return
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(self._on_reachability_changed)

    def _on_reachability_changed(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability != QNetworkInformation.Reachability.Online:
            return
        log.info("The network is back: sending what waits in the outbox")

        def due_now() -> None:
            outbox = self._core.remote.outbox
            for job in outbox.active():
                if job.error_kind in ("network", "lost") and job.state == JobState.QUEUED:
                    outbox.retry(job.id)

        self._runner.write(due_now, owner=self, on_done=lambda _r: self._after_change())

    def _serve(self) -> None:
        try:
            worker = self._core.remote.worker()
            worker.serve(
                self._stop,
                self._wake,
                on_progress=self._emit_progress,
                on_step=self.job_step.emit,
                on_change=self.job_changed.emit,
            )
        except Exception:  # never let the thread die silently
            log.exception("The outbox stopped working")

    def _emit_progress(self, job_id: int, done: int, total: int) -> None:
        # Qt's int is 32 bits; uploads are counted in kilobytes on the way to the signal
        self.job_progress.emit(job_id, done // 1024, max(total // 1024, 1))

    def wake(self) -> None:
        """Something was queued or the network came back: look at the outbox now."""
        self._wake.set()

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            if self._thread.is_alive():
                log.warning("The outbox is still sending; it resumes at the next start")
            self._thread = None

    # -- asking for things ---------------------------------------------------------------------

    def refresh(self) -> None:
        self._runner.read(self._core.remote.outbox.active, owner=self, on_done=self.jobs_listed.emit)

    def run_now(self, job_id: int) -> None:
        """Send one job at once (not waiting for the background loop); see :attr:`run_finished`."""

        def run() -> JobOutcome:
            return self._core.remote.worker().run_job(
                job_id,
                on_progress=self._emit_progress,
                on_step=self.job_step.emit,
                on_change=self.job_changed.emit,
            )

        self._runner.network(
            run, owner=self, on_done=self.run_finished.emit,
            on_error=lambda e: self._on_run_error(job_id, e),
        )  # fmt: skip

    def _on_run_error(self, job_id: int, error: BaseException) -> None:
        """An expected refusal (the job is no longer waiting, the library is busy) is reported to
        whoever asked (a bug goes to the crash dialog, through the runner)."""
        self.refresh()
        log.info("Could not run job %d: %s", job_id, error)  # told to whoever asked
        self.run_failed.emit(job_id, error)

    def retry(self, job_id: int) -> None:
        self._runner.write(
            self._core.remote.outbox.retry, job_id, owner=self, on_done=lambda _j: self._after_change()
        )

    def cancel(self, job_id: int) -> None:
        self._runner.write(
            self._core.remote.outbox.cancel, job_id, owner=self, on_done=lambda _j: self._after_change()
        )

    def _after_change(self) -> None:
        self.wake()
        self.refresh()


class OutboxPanel(QWidget):
    """What waits to be sent, what is being sent (with progress), what failed and why."""

    resolve_requested = Signal(object)  # Job with a conflict

    COLUMNS = ("What", "State", "Next try", "Problem")

    def __init__(self, controller: OutboxController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxPanel")
        self._controller = controller
        self._jobs: list[Job] = []
        self._steps: dict[int, str] = {}
        self.summary = QLabel("Nothing waits to be sent.")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m kB")
        self.progress.hide()
        self.send_now = QPushButton("Send Now")
        self.cancel = QPushButton("Cancel")
        self.resolve = QPushButton("Resolve Conflict…")
        buttons = QHBoxLayout()
        for button in (self.send_now, self.resolve, self.cancel):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        controller.jobs_listed.connect(self.show_jobs)
        controller.job_progress.connect(self._on_job_progress)
        controller.job_step.connect(self._on_job_step)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.send_now.clicked.connect(self._on_send_now_clicked)
        self.cancel.clicked.connect(self._on_cancel_clicked)
        self.resolve.clicked.connect(self._on_resolve_clicked)
        self._update_buttons()

    def show_jobs(self, jobs: list[Job]) -> None:
        selected = self._selected()
        self._jobs = jobs
        self.table.setRowCount(len(jobs))
        for row, job in enumerate(jobs):
            state = job.state.label
            if job.waiting_to_retry:
                state = f"Waiting (tried {job.attempts}×)"
            if job.state == JobState.IN_FLIGHT and job.id in self._steps:
                state = self._steps[job.id]
            problem = job.last_error if job.state != JobState.IN_FLIGHT else ""
            cells = (job.description, state, due_label(job), problem)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, job.id)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            if selected is not None and job.id == selected.id:
                self.table.selectRow(row)
        self.table.resizeRowsToContents()
        waiting = sum(1 for j in jobs if j.state == JobState.QUEUED)
        failed = sum(1 for j in jobs if j.state == JobState.FAILED)
        sending = sum(1 for j in jobs if j.state == JobState.IN_FLIGHT)
        parts = [
            f"{n} {label}"
            for n, label in ((sending, "sending"), (waiting, "waiting"), (failed, "failed"))
            if n
        ]
        self.summary.setText(
            ", ".join(parts).capitalize() + "." if parts else "Nothing waits to be sent."
        )
        if not sending:
            self.progress.hide()
        self._update_buttons()

    def _selected(self) -> Job | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        if item is None:
            return None
        job_id = item.data(Qt.ItemDataRole.UserRole)
        return next((j for j in self._jobs if j.id == job_id), None)

    def _update_buttons(self) -> None:
        job = self._selected()
        can_change = job is not None and job.state in (JobState.QUEUED, JobState.FAILED)
        self.send_now.setEnabled(can_change)
        self.cancel.setEnabled(can_change)
        self.resolve.setVisible(job is not None and job.error_kind == "conflict")

    def _on_job_progress(self, job_id: int, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(min(done, total))
        self.progress.show()

    def _on_job_step(self, job_id: int, step: str) -> None:
        self._steps[job_id] = step
        for row, job in enumerate(self._jobs):
            item = self.table.item(row, 1)
            if job.id == job_id and item is not None:
                item.setText(step)

    def _on_send_now_clicked(self) -> None:
        job = self._selected()
        if job is not None:
            self._controller.retry(job.id)

    def _on_cancel_clicked(self) -> None:
        job = self._selected()
        if job is not None:
            self._controller.cancel(job.id)

    def _on_resolve_clicked(self) -> None:
        job = self._selected()
        if job is not None:
            self.resolve_requested.emit(job)

    def counts_label(self) -> str:
        waiting = sum(1 for j in self._jobs if j.state in (JobState.QUEUED, JobState.IN_FLIGHT))
        failed = sum(1 for j in self._jobs if j.state == JobState.FAILED)
        if failed:
            return f"Outbox: {failed} failed"
        return f"Outbox: {waiting} waiting" if waiting else ""
