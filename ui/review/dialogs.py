"""The small questions a review action asks: the note of a return, the time of a schedule.

Both are plain dialogs that only ask; :mod:`ui.review.controller` does the rest. The schedule dialog
applies WordPress's 60-second rule before anything is sent: a time less than a minute ahead (or past)
would be published at once, so OK stays disabled until the time is far enough ahead, and the dialog
says why.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QTimer
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.workflow.roles import SCHEDULE_LEAD
from ui.metadata.fields import from_qdatetime, local_zone_label, to_qdatetime

MAX_NOTE = 20_000
MARGIN = timedelta(seconds=60)  # on top of WordPress's minute: the action may wait a little to be sent


class ReturnDialog(QDialog):
    """Return a piece to its writer with a note saying what should change."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Return with a Note")
        self.setObjectName("reviewReturnDialog")
        self.setAccessibleName("Return with a note")
        intro = QLabel(
            f"“{title}” goes back to its writer as a draft, marked “Changes requested”, with your "
            "note. Say what should change."
        )
        intro.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setObjectName("reviewNote")
        self.note.setAccessibleName("Note to the writer")
        self.note.setPlaceholderText("Tighten the lede; who is on the bus?")
        self.note.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Return")
        self.ok.setAccessibleName("Return the piece with this note")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(self._on_note_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.buttons)
        self.resize(520, 300)
        self._on_note_text_changed()

    def text(self) -> str:
        return self.note.toPlainText().strip()

    def _on_note_text_changed(self) -> None:
        text = self.text()
        self.ok.setEnabled(bool(text) and len(text) <= MAX_NOTE)


def earliest_schedule(now: datetime | None = None) -> datetime:
    """The earliest time worth offering: WordPress's minute plus a margin, on the next minute."""
    now = now or datetime.now(UTC)
    return (now + SCHEDULE_LEAD + MARGIN).replace(second=0, microsecond=0) + timedelta(minutes=1)


def schedule_problem(at: datetime, now: datetime | None = None) -> str:
    """Why *at* cannot be scheduled on WordPress ("" when it can)."""
    now = now or datetime.now(UTC)
    if at <= now:
        return "That time has passed. Choose a later time, or use Publish Now."
    if at - now < SCHEDULE_LEAD + MARGIN:
        return (
            "That is less than two minutes away: WordPress publishes at once anything scheduled "
            "under a minute ahead. Choose a later time, or use Publish Now."
        )
    return ""


class ScheduleDialog(QDialog):
    """Approve and schedule: choose when (in local time) the site publishes the piece."""

    def __init__(
        self, title: str, proposed: datetime | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Approve and Schedule")
        self.setObjectName("reviewScheduleDialog")
        self.setAccessibleName("Approve and schedule")
        intro = QLabel(
            f"Approve “{title}” and let the site publish it at this time "
            f"({local_zone_label()}). WordPress publishes at once anything scheduled less than a "
            "minute ahead, so Copydesk asks for a time at least two minutes away."
        )
        intro.setWordWrap(True)
        self.when = QDateTimeEdit()
        self.when.setObjectName("reviewScheduleTime")
        self.when.setAccessibleName("Publication date and time")
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        start = proposed if proposed is not None and not schedule_problem(proposed) else None
        self.when.setDateTime(to_qdatetime(start or earliest_schedule() + timedelta(hours=1)))
        self.problem = QLabel()
        self.problem.setObjectName("reviewScheduleProblem")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Why this time cannot be used")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Approve and Schedule")
        self.ok.setAccessibleName("Approve and schedule at this time")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.soonest = QPushButton("Soonest Allowed")
        self.soonest.setAccessibleName("Set the soonest time WordPress will schedule")
        self.buttons.addButton(self.soonest, QDialogButtonBox.ButtonRole.ResetRole)
        self.soonest.clicked.connect(self._on_soonest_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.when.dateTimeChanged.connect(self._on_when_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.when)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(540, self.sizeHint().height())
        self._timer = QTimer(self, interval=5000)  # the time that is too soon moves on
        self._timer.timeout.connect(lambda: self._on_when_changed(self.when.dateTime()))
        self._timer.start()
        self._on_when_changed(self.when.dateTime())

    def moment(self) -> datetime:
        """The chosen time, in UTC."""
        return from_qdatetime(self.when.dateTime())

    def _on_when_changed(self, value: QDateTime) -> None:
        problem = schedule_problem(from_qdatetime(value))
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.ok.setEnabled(not problem)

    def _on_soonest_clicked(self) -> None:
        self.when.setDateTime(to_qdatetime(earliest_schedule()))
