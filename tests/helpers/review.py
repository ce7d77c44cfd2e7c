"""The review window's parts on a library, and a sample review as a pieces sync would have stored it
(for the widget tests and the screenshots; no network, no keyring).

The sample site's address is a loopback port nothing listens on, so nothing can leave the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from app.core import Core
from app.pieces.data import PieceData
from app.pieces.workflow import Status

CAPABILITIES = {
    "contributor": ["edit_posts"],
    "author": ["edit_posts", "publish_posts"],
    "editor": ["edit_posts", "edit_others_posts", "publish_posts"],
}
QUEUE = (
    # post, title, byline, words, minutes ago, categories
    (501, "The night bus is a parliament", "Mere Kingi", 812, 20, [3]),
    (502, "Letters: the bridge, again", "Ian Reid", 430, 190, [4]),
    (503, "Why the library stays open late", "Aroha Ngata", 1210, 2 * 24 * 60 + 30, [3]),
    (504, "Council budget, line by line — Tomás Ó Briain's long read", "Tomás Ó Briain", 2540,
     5 * 24 * 60, [5]),
)  # fmt: skip
LOCAL = {"pending": Status.SUBMITTED, "future": Status.SCHEDULED, "publish": Status.PUBLISHED}
NOTE = "Tighten the lede; who is on the bus at 00:40? Cut the second quote."


@dataclass(frozen=True)
class SampleReview:
    site_id: int
    pending_id: int  # "The night bus is a parliament", post 501, awaiting review
    scheduled_id: int  # scheduled later this week (or next)
    unlinked_id: int  # a piece on no site


def _wp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def seed_review(core: Core, role: str = "editor", *, missed: bool = False) -> SampleReview:
    """A site where the user has *role*, its cached review queue, a pending piece with a timeline,
    and scheduled and published pieces around today for the calendar (*missed*: one of them missed
    its time)."""
    from app.store.models import PieceLink, Site

    now = datetime.now(UTC)
    with core.db.session() as session:
        site = Site(
            name="The Evening Gazette", url="http://127.0.0.1:9", username="desk",
            api_root="http://127.0.0.1:9/wp-json/", secret_key="desk@http://127.0.0.1:9",
            allow_insecure_http=True, role=role, capabilities=json.dumps(CAPABILITIES[role]),
            companion_version="0.3.0", checked_at=now,
        )  # fmt: skip
        session.add(site)
        session.flush()
        site_id = site.id
    flow = core.workflow
    flow.store.replace_queue(
        site_id,
        [
            {
                "post_id": post,
                "title": title,
                "byline": byline,
                "submitted_by": byline,
                "submitted_at": now - timedelta(minutes=ago),
                "word_count": words,
                "categories": json.dumps(categories),
                "modified_gmt": _wp(now),
                "content_hash": "",
                "link": f"http://127.0.0.1:9/?p={post}",
            }  # fmt: skip
            for post, title, byline, words, ago, categories in QUEUE
        ],
    )
    body = "The 38 leaves at 00:40.\n\nNobody on it is going home; everybody on it is going to work.\n"
    pieces: list[tuple[str, int, str, datetime]] = [
        ("The night bus is a parliament", 501, "pending", now - timedelta(minutes=20)),
    ]
    monday = datetime.combine(now.astimezone().date(), time(9, 30)).astimezone()
    monday -= timedelta(days=monday.weekday())
    pieces += [
        ("Ferry timetables are fiction", 511, "publish", monday + timedelta(hours=1)),
        ("A week of rain, ranked", 512, "publish", monday + timedelta(days=1, hours=-2)),
        ("The harbour bridge at dawn", 513, "future", now + timedelta(days=1, hours=2)),
        ("Markets: the Saturday stalls", 514, "future", now + timedelta(days=2, hours=5)),
        ("Letters from the night shift", 515, "future", now + timedelta(days=3)),
    ]
    if missed:
        pieces.append(("Sunday crossword answers", 516, "future", now - timedelta(minutes=40)))
    ids: list[int] = []
    for title, post, status, when in pieces:
        piece = core.pieces.create(PieceData(title=title, body=body, byline="Mere Kingi"))
        assert piece.id is not None
        ids.append(piece.id)
        core.pieces.set_status(piece.id, LOCAL[status])
        with core.db.session() as session:
            session.add(
                PieceLink(
                    piece_id=piece.id, site_id=site_id, remote_id=post, remote_status=status,
                    link=f"http://127.0.0.1:9/?p={post}", modified_gmt=_wp(when),
                )
            )  # fmt: skip
        flow.store.save_state(
            piece.id, site_id, post, remote_status=status, date_gmt=_wp(when),
            modified_gmt=_wp(when), state="submitted" if status == "pending" else "approved",
        )  # fmt: skip
    pending = ids[0]
    steps = [
        (3 * 24 * 60, "site", "status", "draft", "pending", "Mere Kingi", "mere-laptop", ""),
        (3 * 24 * 60 - 1, "site", "submitted", "draft", "pending", "Mere Kingi", "mere-laptop", ""),
        (2 * 24 * 60, "site", "returned", "pending", "draft", "Ana Lopez", "desk-imac", NOTE),
        (25, "local", "submitted", "draft", "pending", "Mere Kingi", "mere-laptop", ""),
        (20, "site", "submitted", "draft", "pending", "Mere Kingi", "mere-laptop", ""),
        (1, "local", "queued", "pending", "future", "", "desk-imac", "Approve and schedule"),
    ]
    for number, (ago, source, action, old, new, who, machine, note) in enumerate(steps):
        flow.store.add_event(
            piece_id=pending, site_id=site_id, post_id=501, action=action, source=source,
            from_status=old, to_status=new, at=now - timedelta(minutes=ago), user_name=who,
            machine=machine, note=note, key=f"sample:{number}",
        )  # fmt: skip
    unlinked = core.pieces.create(PieceData(title="Notes for next week", body="Ideas.\n"))
    assert unlinked.id is not None
    return SampleReview(site_id, pending, ids[4], unlinked.id)


@dataclass
class ReviewParts:
    window: Any  # QMainWindow
    controller: Any  # ReviewController
    table: Any  # ActionTable
    library: Any  # LibraryController
    session: Any  # PieceSession
    metadata: Any  # MetadataPanel
    messages: Any  # MessageBar
    errors: list[BaseException]


@contextmanager
def review_parts(qtbot: Any, core: Core, *, start: bool = True) -> Iterator[ReviewParts]:
    """The review queue, its controller and the Review actions on *core*, with a session, a library
    pane and a metadata panel, on screen (offscreen), without the sync timer. Any error that
    reaches the task runner fails the test."""
    from PySide6.QtWidgets import QMainWindow, QPlainTextEdit, QSplitter

    from ui.actions import ActionTable
    from ui.editor.session import PieceSession
    from ui.library.controller import LibraryController
    from ui.library.pane import LibraryPane
    from ui.messages import MessageBar
    from ui.metadata.panel import MetadataPanel
    from ui.review.controller import ReviewController
    from ui.runner import TaskRunner

    errors: list[BaseException] = []
    runner = TaskRunner(on_error=errors.append)
    window = QMainWindow()
    editor = QPlainTextEdit()
    messages = MessageBar()
    session = PieceSession(core, runner, editor.toPlainText)
    session.setParent(window)
    pane = LibraryPane(runner)
    metadata = MetadataPanel(runner)
    library = LibraryController(
        core=core, runner=runner, session=session, pane=pane, messages=messages, window=window
    )
    library.setParent(window)
    library.piece_loaded.connect(lambda piece: editor.setPlainText(piece.body))
    controller = ReviewController(
        core=core, runner=runner, session=session, library=library, messages=messages,
        window=window, auto_sync=False,
    )  # fmt: skip
    table = ActionTable(window)
    controller.connect_actions(table)
    controller.statuses_allowed.connect(metadata.set_allowed_statuses)
    splitter = QSplitter()
    for part in (pane, editor, controller.panel, metadata):
        splitter.addWidget(part)
    window.setCentralWidget(splitter)
    window.setMenuWidget(messages)
    pane.attach(core)
    metadata.attach(core, session)
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    if start:
        controller.start()
    try:
        yield ReviewParts(window, controller, table, library, session, metadata, messages, errors)
    finally:
        runner.shutdown()
    assert errors == []
