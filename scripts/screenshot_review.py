"""Render the review window offscreen to PNGs: the queue (in the window, with the missed-schedule
alert), a piece's timeline, the calendar and the schedule dialog.

    python scripts/screenshot_review.py docs/images [--dark] [--size 1440x900] [--suffix -dark]

Writes review-queue.png, review-timeline.png, review-calendar.png and review-schedule.png into the
folder. Needs no network and no keyring: the sample review is written straight into a temporary
library, as a pieces sync would have stored it (tests/helpers/review.py). Run with QT_SCALE_FACTOR=2
for a device pixel ratio of 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshot_common import open_window, run_window_script, settle  # noqa: E402


def grab_dialogs(app: Any, review: Any, out: Path, suffix: str, size: tuple[int, int]) -> None:
    """The timeline of the open piece and the calendar of this week."""
    width, height = size
    review.show_timeline()
    settle(app, 10, lambda: review.views.timeline_dialog is not None)
    timeline = review.views.timeline_dialog
    assert timeline is not None
    timeline.resize(1100, 440)
    settle(app, 0.5)
    timeline.grab().save(str(out / f"review-timeline{suffix}.png"))
    timeline.close()

    review.show_calendar()
    settle(app, 10, lambda: review.views.calendar_dialog is not None)
    calendar = review.views.calendar_dialog
    assert calendar is not None
    calendar.resize(width, height)
    settle(app, 10, lambda: bool(calendar.entries))
    calendar.columns[1].setCurrentRow(0)
    settle(app, 0.5)
    calendar.grab().save(str(out / f"review-calendar{suffix}.png"))
    calendar.close()


def render(app: Any, args: argparse.Namespace, folder: str) -> None:
    from datetime import UTC, datetime, timedelta

    from app.core import open_core
    from tests.helpers.review import seed_review
    from ui.layout import show_dock
    from ui.metadata.fields import to_qdatetime

    core = open_core(folder)
    core.settings.set("appearance.theme", "dark" if args.dark else "light")
    sample = seed_review(core, "editor", missed=True)
    core.settings.set("library.last_piece", sample.pending_id)
    core.settings.save()
    core.close()
    startup, window = open_window(app, folder, args.size, "review")
    show_dock(window.review_dock)
    review = window.review
    settle(app, 10, lambda: bool(review.panel.items()) and review.review is not None)
    settle(app, 1.5)
    out, suffix = args.folder, args.suffix
    out.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out / f"review-queue{suffix}.png"))

    width, height = (int(v) for v in args.size.split("x"))
    grab_dialogs(app, review, out, suffix, (width, height))
    review.schedule()
    dialog = review.schedule_dialog
    assert dialog is not None
    dialog.when.setDateTime(to_qdatetime(datetime.now(UTC) + timedelta(seconds=40)))
    settle(app, 0.5)
    dialog.grab().save(str(out / f"review-schedule{suffix}.png"))
    dialog.reject()
    startup.close()


if __name__ == "__main__":
    sys.exit(run_window_script(render))
