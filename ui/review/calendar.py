"""The calendar: scheduled and published pieces by day or by week, on the sites and in the library.

An editor reschedules a scheduled piece by dragging it to another day (it keeps its time of day) or,
from the keyboard, with Reschedule…; either way the controller sends it through the outbox as a
schedule change. The widget only shows and asks (``range_requested``, ``reschedule_requested``,
``piece_requested``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.workflow.data import CalendarEntry

MIME = "application/x-copydesk-calendar-entry"
ENTRY_ROLE = Qt.ItemDataRole.UserRole


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_midnight(day: date) -> datetime:
    """The start of *day* in local time, as an aware datetime."""
    return datetime.combine(day, time()).astimezone()


def entry_text(entry: CalendarEntry) -> str:
    when = entry.when.astimezone()
    state = "Missed" if entry.missed else "Scheduled" if entry.status == "future" else "Published"
    where = entry.site_name or "this library only"
    return f"{when:%H:%M} · {state}\n{entry.title}\n{where}"


class DayList(QListWidget):
    """One day's pieces; scheduled ones can be dragged to another day (editors)."""

    dropped = Signal(int, object)  # the entry's index, the day (a date) it was dropped on

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day = day
        self.setObjectName(f"calendarDay{day.isoformat()}")
        self.setAccessibleName(f"Pieces on {day:%A %d %B}")
        self.setWordWrap(True)
        self.setSpacing(2)
        self.setAlternatingRowColors(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(False)

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        indexes = [int(item.data(ENTRY_ROLE)) for item in items]
        data.setData(MIME, json.dumps(indexes).encode())
        return data

    def _accepts(self, data: QMimeData | None) -> bool:
        return data is not None and data.hasFormat(MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        data = event.mimeData()
        if not self._accepts(data):
            event.ignore()
            return
        # the list is redrawn from the library once the change is queued: nothing moves by itself
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        for index in json.loads(bytes(data.data(MIME).data()).decode()):
            self.dropped.emit(int(index), self.day)


class CalendarDialog(QDialog):
    range_requested = Signal(object, int)  # start (an aware datetime), days
    reschedule_requested = Signal(object, object)  # CalendarEntry, the new time (aware datetime)
    piece_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, can_reschedule: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Publication Calendar")
        self.setObjectName("reviewCalendar")
        self.setAccessibleName("Publication calendar")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.can_reschedule = can_reschedule
        self.first = week_start(date.today())
        self.days = 7
        self.entries: list[CalendarEntry] = []
        self.previous = QPushButton("◀ Previous")
        self.previous.setAccessibleName("Previous week")
        self.today = QPushButton("Today")
        self.today.setAccessibleName("Go to today")
        self.next = QPushButton("Next ▶")
        self.next.setAccessibleName("Next week")
        self.week = QPushButton("Week")
        self.week.setAccessibleName("Show a week")
        self.day = QPushButton("Day")
        self.day.setAccessibleName("Show one day")
        self._mode = QButtonGroup(self)
        for button in (self.week, self.day):
            button.setCheckable(True)
            self._mode.addButton(button)
        self.week.setChecked(True)
        self.title = QLabel()
        self.title.setObjectName("calendarRange")
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.reschedule = QPushButton("Reschedule…")
        self.reschedule.setAccessibleName("Reschedule the selected piece")
        self.open_piece = QPushButton("Open Piece")
        self.open_piece.setAccessibleName("Open the selected piece in the editor")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close the calendar")
        bar = QHBoxLayout()
        for widget in (self.previous, self.today, self.next):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.week)
        bar.addWidget(self.day)
        self.grid = QHBoxLayout()
        self.grid.setSpacing(6)
        self.columns: list[DayList] = []
        self.headers: list[QLabel] = []
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.reschedule)
        bottom.addWidget(self.open_piece)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(self.grid, 1)
        layout.addLayout(bottom)
        self.previous.clicked.connect(lambda: self._move(-1))
        self.next.clicked.connect(lambda: self._move(1))
        self.today.clicked.connect(self._on_today_clicked)
        self._mode.buttonClicked.connect(lambda _b: self._on_mode_changed())
        self.reschedule.clicked.connect(self._on_reschedule_clicked)
        self.open_piece.clicked.connect(self._on_open_piece_clicked)
        self.close_button.clicked.connect(self.close)
        self.hint.setText(
            "Drag a scheduled piece to another day to reschedule it (it keeps its time)."
            if can_reschedule
            else "Scheduled and published pieces; an editor of the site can reschedule them."
        )
        self.resize(1200, 640)
        self._build_columns()
        self._update_buttons()

    def start(self) -> datetime:
        return local_midnight(self.first)

    def show_days_of(self, day: date) -> None:
        """Show the week (or the day) of *day*."""
        self.first = week_start(day) if self.days == 7 else day
        self._build_columns()
        self.request()

    def request(self) -> None:
        """Ask for the entries of the days shown."""
        self.range_requested.emit(self.start(), self.days)

    def show_entries(self, start: datetime, days: int, entries: Sequence[CalendarEntry]) -> None:
        if start != self.start() or days != self.days:
            return  # an answer to an older question
        self.entries = list(entries)
        for column in self.columns:
            column.clear()
        for index, entry in enumerate(self.entries):
            day = entry.when.astimezone().date()
            offset = (day - self.first).days
            if not 0 <= offset < len(self.columns):
                continue
            item = QListWidgetItem(entry_text(entry))
            item.setData(ENTRY_ROLE, index)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if self._movable(entry):
                flags |= Qt.ItemFlag.ItemIsDragEnabled
            item.setFlags(flags)
            item.setToolTip(entry_text(entry).replace("\n", " — "))
            self.columns[offset].addItem(item)
        self._update_buttons()

    def selected_entry(self) -> CalendarEntry | None:
        for column in self.columns:
            for item in column.selectedItems():
                return self.entries[int(item.data(ENTRY_ROLE))]
        return None

    def move_entry(self, index: int, day: date) -> None:
        """Reschedule entry *index* to *day*, at the same local time of day (as a drop does)."""
        if not 0 <= index < len(self.entries):
            return
        entry = self.entries[index]
        if not self._movable(entry):
            return
        when = entry.when.astimezone()
        moved = datetime.combine(day, when.timetz().replace(tzinfo=None)).astimezone()
        if moved.date() != when.date() or moved.time() != when.time():
            self.reschedule_requested.emit(entry, moved)

    def _movable(self, entry: CalendarEntry) -> bool:
        return self.can_reschedule and entry.status == "future" and entry.piece_id is not None

    def _build_columns(self) -> None:
        while self.grid.count():
            child = self.grid.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.deleteLater()
        self.columns, self.headers = [], []
        today = date.today()
        for offset in range(self.days):
            day = self.first + timedelta(days=offset)
            column = QWidget()
            box = QVBoxLayout(column)
            box.setContentsMargins(0, 0, 0, 0)
            header = QLabel(f"{day:%a %d %b}" + (" · today" if day == today else ""))
            if day == today:
                font = QFont(header.font())
                font.setBold(True)
                header.setFont(font)
            listing = DayList(day)
            listing.dropped.connect(self.move_entry)
            listing.itemSelectionChanged.connect(lambda lst=listing: self._on_selected(lst))
            listing.itemActivated.connect(lambda _i: self._on_open_piece_clicked())
            box.addWidget(header)
            box.addWidget(listing, 1)
            self.grid.addWidget(column, 1)
            self.columns.append(listing)
            self.headers.append(header)
        last = self.first + timedelta(days=self.days - 1)
        self.title.setText(
            f"{self.first:%A %d %B %Y}"
            if self.days == 1
            else f"{self.first:%d %b} – {last:%d %b %Y} (week {self.first.isocalendar().week})"
        )
        noun = "day" if self.days == 1 else "week"
        self.previous.setAccessibleName(f"Previous {noun}")
        self.next.setAccessibleName(f"Next {noun}")

    def _on_selected(self, listing: DayList) -> None:
        if listing.selectedItems():  # one selection in the whole calendar
            for other in self.columns:
                if other is not listing:
                    other.blockSignals(True)
                    other.clearSelection()
                    other.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        self.reschedule.setVisible(self.can_reschedule)
        self.reschedule.setEnabled(entry is not None and self._movable(entry))
        self.open_piece.setEnabled(entry is not None and entry.piece_id is not None)

    def _move(self, step: int) -> None:
        self.first += timedelta(days=step * self.days)
        self._build_columns()
        self.request()

    def _on_today_clicked(self) -> None:
        self.show_days_of(date.today())

    def _on_mode_changed(self) -> None:
        self.days = 1 if self.day.isChecked() else 7
        today = date.today()
        if self.days == 7:
            self.first = week_start(self.first)
        elif week_start(today) == self.first:
            self.first = today
        self._build_columns()
        self.request()

    def _on_reschedule_clicked(self) -> None:
        from ui.review.dialogs import ScheduleDialog

        entry = self.selected_entry()
        if entry is None or not self._movable(entry):
            return
        dialog = ScheduleDialog(entry.title, entry.when, self)
        dialog.setWindowTitle("Reschedule")
        dialog.ok.setText("Reschedule")
        dialog.ok.setAccessibleName("Reschedule at this time")
        dialog.accepted.connect(lambda: self.reschedule_requested.emit(entry, dialog.moment()))
        dialog.open()
        self.schedule_dialog = dialog

    def _on_open_piece_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is not None and entry.piece_id is not None:
            self.piece_requested.emit(entry.piece_id)
