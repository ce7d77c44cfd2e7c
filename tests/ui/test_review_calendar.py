"""The calendar: scheduled and published pieces by week and by day; an editor drags a scheduled
piece to another day and it keeps its time of day (tests/integration/test_review_ui.py sends it to
the real site)."""

from __future__ import annotations

import json
from datetime import date, datetime

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from app.core import Core
from tests.helpers.review import ReviewParts, review_parts, seed_review
from tests.ui.conftest import WAIT_MS
from ui.review.calendar import MIME, CalendarDialog, DayList, week_start


def shown(dialog: CalendarDialog) -> dict[date, list[str]]:
    days: dict[date, list[str]] = {}
    for column in dialog.columns:
        for row in range(column.count()):
            item = column.item(row)
            assert item is not None
            days.setdefault(column.day, []).append(item.text().split("\n")[1])
    return days


def open_calendar(qtbot: QtBot, parts: ReviewParts) -> CalendarDialog:
    views = parts.controller.views
    parts.table["review/calendar"].trigger()
    qtbot.waitUntil(lambda: views.calendar_dialog is not None, timeout=WAIT_MS)
    dialog: CalendarDialog = views.calendar_dialog
    qtbot.waitUntil(lambda: bool(dialog.entries), timeout=WAIT_MS)
    return dialog


def drop_on(column: DayList, index: int) -> None:
    data = QMimeData()
    data.setData(MIME, json.dumps([index]).encode())
    event = QDropEvent(
        QPointF(5, 5), Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    column.dropEvent(event)  # as Qt calls it at the end of a drag (a real drag blocks in exec())


def test_the_week_shows_published_and_scheduled_pieces_by_day(qtbot: QtBot, core: Core) -> None:
    seed_review(core, "editor")
    with review_parts(qtbot, core) as parts:
        dialog = open_calendar(qtbot, parts)
        assert len(dialog.columns) == 7
        assert dialog.columns[0].day.weekday() == 0
        titles = [t for day in shown(dialog).values() for t in day]
        assert "Ferry timetables are fiction" in titles  # published on Monday
        assert shown(dialog)[dialog.columns[0].day][0] == "Ferry timetables are fiction"
        for entry in dialog.entries:  # each in the column of its local day
            assert entry.title in shown(dialog)[entry.when.astimezone().date()]
        for control in (dialog.previous, dialog.today, dialog.next, dialog.week, dialog.day,
                        dialog.reschedule, dialog.open_piece, dialog.close_button,
                        *dialog.columns):  # fmt: skip
            assert control.accessibleName()
            assert control.focusPolicy() & Qt.FocusPolicy.TabFocus
        dialog.day.click()
        qtbot.waitUntil(lambda: len(dialog.columns) == 1, timeout=WAIT_MS)
        assert dialog.previous.accessibleName() == "Previous day"
        dialog.close()


def test_an_editor_reschedules_by_dragging_to_another_day(qtbot: QtBot, core: Core) -> None:
    sample = seed_review(core, "editor")
    with review_parts(qtbot, core) as parts:
        dialog = open_calendar(qtbot, parts)
        scheduled = core.workflow.store.state(sample.scheduled_id, sample.site_id)
        assert scheduled is not None
        day = datetime.fromisoformat(scheduled.date_gmt + "+00:00").astimezone().date()
        dialog.show_days_of(day)  # the week of the scheduled piece (this week or the next)
        qtbot.waitUntil(
            lambda: any(e.piece_id == sample.scheduled_id for e in dialog.entries), timeout=WAIT_MS
        )
        [index] = [i for i, e in enumerate(dialog.entries) if e.piece_id == sample.scheduled_id]
        entry = dialog.entries[index]
        target = next(c for c in dialog.columns if c.day != day and c.day > date.today())
        dialog.reschedule_requested.disconnect()  # sending it to a site: tests/integration
        with qtbot.waitSignal(dialog.reschedule_requested, timeout=WAIT_MS) as moved:
            drop_on(target, index)
        piece_entry, at = moved.args
        assert piece_entry == entry
        assert at.date() == target.day
        assert (at.hour, at.minute) == (entry.when.astimezone().hour, entry.when.astimezone().minute)
        # a published piece cannot be dragged
        dialog.show_days_of(date.today())
        qtbot.waitUntil(lambda: dialog.columns[0].day == week_start(date.today()), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: any(e.status == "publish" for e in dialog.entries), timeout=WAIT_MS)
        published = next(i for i, e in enumerate(dialog.entries) if e.status == "publish")
        with qtbot.assertNotEmitted(dialog.reschedule_requested):
            drop_on(dialog.columns[6], published)
        dialog.close()


def test_a_contributor_sees_the_calendar_but_cannot_drag(qtbot: QtBot, core: Core) -> None:
    seed_review(core, "contributor")
    with review_parts(qtbot, core) as parts:
        dialog = open_calendar(qtbot, parts)
        assert not dialog.can_reschedule
        assert not dialog.reschedule.isVisibleTo(dialog)
        for column in dialog.columns:
            for row in range(column.count()):
                item = column.item(row)
                assert item is not None
                assert not item.flags() & Qt.ItemFlag.ItemIsDragEnabled
        with qtbot.assertNotEmitted(dialog.reschedule_requested):
            drop_on(dialog.columns[6], 0)
        dialog.close()
