"""Pushing the open piece to a site: choose the site and the status, watch it go, see the result.

The push is queued in the outbox first and then sent at once; if the site cannot be reached it simply
stays queued and the background sender retries. A conflict (someone changed the post on the site)
opens the side-by-side view; nothing is overwritten without the user's choice.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.outbox.data import JobState
from app.publishing.guards import ScheduleTooSoonError
from app.publishing.jobs import PushResult
from app.sites import statuses
from app.sites.statuses import DRAFT, FUTURE, PUBLISH, PUSH_STATUSES
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.outbox.data import Job
    from app.outbox.worker import JobOutcome
    from app.pieces.data import PieceData
    from app.publishing.links import LinkData
    from app.sites.registry import SiteData
    from ui.publish.outbox import OutboxController

_PHRASES: dict[str, str] = {
    FUTURE: "Scheduled for the piece's publication time",
    PUBLISH: "Published now",
}
STATUSES = (
    ("keep", "Keep the status it has on the site"),
    *((status, _PHRASES.get(status, statuses.label(status))) for status in PUSH_STATUSES),
)


class PushDialog(QDialog):
    conflict_found = Signal(object)  # PushConflictError
    piece_pushed = Signal(object)  # PushResult
    publish_time_wanted = Signal()  # the schedule was too soon: the user picks another time

    def __init__(
        self,
        core: Core,
        runner: TaskRunner,
        outbox: OutboxController,
        piece: PieceData,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Push “{piece.title or 'Untitled'}”")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per use
        self.resize(560, 420)
        self._core = core
        self._runner = runner
        self._outbox = outbox
        self._piece = piece
        self._sites: list[SiteData] = []
        self._links: dict[int, LinkData] = {}
        self._job_id: int | None = None
        self._following = False  # the background sender took the job: its end comes as job_changed
        self.schedule_question: QMessageBox | None = None
        self.site = QComboBox()
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextFormat(Qt.TextFormat.RichText)
        self.where.setOpenExternalLinks(True)
        self.status_box = QWidget()
        status_layout = QVBoxLayout(self.status_box)
        status_layout.setContentsMargins(0, 0, 0, 0)
        self.statuses = QButtonGroup(self)
        self._status_buttons: dict[str, QRadioButton] = {}
        for value, label in STATUSES:
            button = QRadioButton(label)
            button.setProperty("status", value)
            self.statuses.addButton(button)
            self._status_buttons[value] = button
            status_layout.addWidget(button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setOpenExternalLinks(True)
        self.progress = QProgressBar()
        self.progress.hide()
        form = QFormLayout()
        form.addRow("Site", self.site)
        form.addRow("", self.where)
        form.addRow("Status on the site", self.status_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        self.push_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.push_button.setText("Push")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_push_clicked)
        self.buttons.rejected.connect(self.reject)
        self.site.currentIndexChanged.connect(self._on_site_changed)
        outbox.job_progress.connect(self._on_job_progress)
        outbox.job_step.connect(self._on_job_step)
        outbox.run_finished.connect(self._on_run_finished)
        outbox.run_failed.connect(self._on_run_failed)
        outbox.job_changed.connect(self._on_job_changed)
        self.push_button.setEnabled(False)
        self.message.setText("Loading your sites…")
        assert piece.id is not None
        runner.read(self._load, piece.id, owner=self, on_done=self._on_loaded, on_error=self._on_error)

    def _load(self, piece_id: int) -> tuple[list[SiteData], list[LinkData]]:
        remote = self._core.remote
        return remote.sites.list(), remote.publisher.links_of(piece_id)

    def _on_loaded(self, result: tuple[list[SiteData], list[LinkData]]) -> None:
        self._sites, links = result
        self._links = {link.site_id: link for link in links}
        if not self._sites:
            self.message.setText("There is no site yet: add one with <b>Publish ▸ Sites…</b>.")
            return
        self.message.clear()
        for site in self._sites:
            self.site.addItem(site.name, site.id)
        # the site it was pushed to last, if any
        pushed = [link for link in links if link.pushed_at is not None]
        if pushed:
            latest = max(pushed, key=lambda link: link.pushed_at)  # type: ignore[arg-type, return-value]
            self.site.setCurrentIndex(max(0, self.site.findData(latest.site_id)))
        self._on_site_changed(self.site.currentIndex())
        self.push_button.setEnabled(True)

    def _refresh_links(self) -> None:
        """After a push the piece has a post on the site: say so, and keep its status by default."""

        def links() -> list[LinkData]:
            return self._core.remote.publisher.links_of(self._piece.id or 0)

        def show(found: list[LinkData]) -> None:
            self._links = {link.site_id: link for link in found}
            keep = self.chosen_status()
            self._on_site_changed(self.site.currentIndex())
            if keep is not None and self._status_buttons[keep].isEnabled():
                self._status_buttons[keep].setChecked(True)

        self._runner.read(links, owner=self, on_done=show)

    def _on_site_changed(self, _index: int) -> None:
        if self.site.currentIndex() < 0 or not self._sites:
            return
        site = self._sites[self.site.currentIndex()]
        link = self._links.get(site.id)
        allowed = set(site.allowed_statuses())
        existing = link is not None and link.remote_id is not None
        if existing:
            status = html.escape(link.remote_status or "unknown")  # type: ignore[union-attr]
            self.where.setText(
                f"Updates <a href='{html.escape(link.link)}'>post {link.remote_id}</a> "  # type: ignore[union-attr]
                f"(now: {status}); never a second post."
            )
        else:
            self.where.setText("Makes a new post on this site.")
        for value, button in self._status_buttons.items():
            if value == "keep":
                button.setVisible(existing)
                continue
            usable = value in allowed and (value != FUTURE or self._piece.publish_at is not None)
            button.setEnabled(usable)
            if value not in allowed:
                button.setToolTip(f"Your role on {site.name} ({site.role or 'unknown'}) cannot do this.")
            elif value == FUTURE and self._piece.publish_at is None:
                button.setToolTip("Set a publication time in the metadata first.")
            else:
                button.setToolTip("")
        default = "keep" if existing else DRAFT
        self._status_buttons[default].setChecked(True)

    def chosen_status(self) -> str | None:
        button = self.statuses.checkedButton()
        value = button.property("status") if button is not None else "keep"
        return None if value == "keep" else str(value)

    def _on_push_clicked(self) -> None:
        if self.site.currentIndex() < 0:
            return
        site_id = int(self.site.currentData())
        status = self.chosen_status()
        if status == PUBLISH:  # publishing asks first, with the site's checklist
            from ui.checklist.report import confirm

            confirm(
                self._core, self._runner, owner=self, window=self, piece_id=self._piece.id or 0,
                site_id=site_id, proceed=lambda reason: self._push(site_id, status, reason),
                on_error=self._on_error,
            )  # fmt: skip
            return
        self._push(site_id, status, "")

    def _push(self, site_id: int, status: str | None, override: str) -> None:
        """Queue the push and send it; *override*: an editor's reason to publish despite the
        checklist (recorded in the timeline and on the site first)."""
        piece_id = self._piece.id
        self.push_button.setEnabled(False)
        self.message.setText("Sending…")
        self.progress.setRange(0, 0)
        self.progress.show()

        def enqueue() -> Job:
            remote = self._core.remote
            remote.publisher.validate(piece_id or 0, site_id, status)  # what can fail offline
            if override:
                self._core.checklist.gate(piece_id or 0, site_id, "publish", override)
            return remote.outbox.enqueue_push(piece_id or 0, site_id, status=status)

        self._runner.write(enqueue, owner=self, on_done=self._on_queued, on_error=self._on_error)

    def _on_queued(self, job: Job) -> None:
        self._job_id = job.id
        self._outbox.run_now(job.id)

    def _on_job_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id == self._job_id:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _on_job_step(self, job_id: int, step: str) -> None:
        if job_id == self._job_id:
            self.message.setText(html.escape(step))

    def _on_run_finished(self, outcome: JobOutcome) -> None:
        if outcome.job.id != self._job_id:
            return
        self.progress.hide()
        self._outbox.refresh()
        job, error = outcome.job, outcome.error
        if outcome.done:
            result = PushResult.of_job(job)
            link = html.escape(result.link)
            notices = "".join(f"<li>{html.escape(n)}</li>" for n in result.notices)
            what = "Nothing had changed: nothing was sent." if result.unchanged else "Pushed."
            self.message.setText(
                f"<b>{what}</b> <a href='{link}'>{link}</a>" + (f"<ul>{notices}</ul>" if notices else "")
            )
            self.push_button.setText("Push Again")
            self.push_button.setEnabled(True)
            self.piece_pushed.emit(result)
            self._refresh_links()
            return
        if error is not None and job.error_kind == "conflict":
            self.conflict_found.emit(error)
            self.reject()
            return
        if job.state == JobState.QUEUED:
            self.message.setText(
                f"<b>Not sent yet:</b> {html.escape(job.last_error)}<br>It waits in the outbox and "
                "is sent as soon as the site answers; you can close this window."
            )
        else:
            self.message.setText(f"<b>Not pushed:</b> {html.escape(job.last_error)}")
        self.push_button.setEnabled(True)

    def _on_run_failed(self, job_id: int, error: BaseException) -> None:
        if job_id != self._job_id:
            return
        # the outbox's background sender may have taken the job first: follow it there
        self._runner.read(
            self._core.remote.outbox.get, job_id, owner=self,
            on_done=lambda job: self._on_taken_elsewhere(job, error), on_error=self._on_error,
        )  # fmt: skip

    def _on_taken_elsewhere(self, job: Job, error: BaseException) -> None:
        if job.state == JobState.IN_FLIGHT:
            self._following = True  # its end comes through job_changed
        elif job.state in (JobState.DONE, JobState.FAILED):
            self._on_run_finished(_outcome(job))
        else:
            self._on_error(error)

    def _on_job_changed(self, job: Job) -> None:
        if self._following and job.id == self._job_id and job.state != JobState.IN_FLIGHT:
            self._following = False
            self._on_run_finished(_outcome(job))

    def _on_error(self, error: BaseException) -> None:
        self.progress.hide()
        self.push_button.setEnabled(bool(self._sites))
        self.message.setText(f"<b>Not pushed:</b> {html.escape(str(error))}")
        if isinstance(error, ScheduleTooSoonError):
            self._ask_schedule(error)

    def _ask_schedule(self, error: ScheduleTooSoonError) -> None:
        """Nothing was sent: publish now, or go and pick a later time."""
        box = QMessageBox(
            QMessageBox.Icon.Question, "Schedule", error.message,
            QMessageBox.StandardButton.Cancel, self,
        )  # fmt: skip
        box.setInformativeText("Publish the piece now, or pick a later publication time?")
        now = box.addButton("Publish &Now", QMessageBox.ButtonRole.AcceptRole)
        later = box.addButton("&Pick a Time", QMessageBox.ButtonRole.ActionRole)
        now.setEnabled(self._status_buttons[PUBLISH].isEnabled())
        box.setDefaultButton(later)
        box.finished.connect(lambda _result: self._on_schedule_answered(box.clickedButton(), now, later))
        self.schedule_question = box
        box.open()

    def _on_schedule_answered(self, clicked: object, now: object, later: object) -> None:
        self.schedule_question = None
        if clicked is now:
            self._status_buttons[PUBLISH].setChecked(True)
            self._on_push_clicked()
        elif clicked is later:
            self.publish_time_wanted.emit()
            self.reject()


def _outcome(job: Job) -> JobOutcome:
    """What a run of *job* by the background sender came to, as a run on request reports it."""
    from app.outbox.worker import JobOutcome

    return JobOutcome(job)
