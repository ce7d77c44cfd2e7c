"""A custom status the site registers, in the window: by the site's label in the queue, above the
queue for the open piece, and in its timeline; the metadata panel still offers only the piece's own
statuses."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from app.core import Core
from app.pieces.workflow import Status
from tests.helpers.review import review_parts, seed_review
from tests.ui.conftest import WAIT_MS
from tests.ui.test_review_actions import open_piece, statuses
from ui.review.timeline import TimelineDialog

LABEL = "Story pitch"


def test_a_custom_status_shows_by_the_sites_label(qtbot: QtBot, core: Core) -> None:
    sample = seed_review(core, "editor")
    flow = core.workflow
    flow.store.save_status_labels(
        sample.site_id, {"draft": "Draft", "pending": "Pending", "pitch": LABEL}
    )
    flow.store.replace_queue(
        sample.site_id,
        [{"post_id": 601, "title": "A pitch about ferries", "byline": "Ian Reid",
          "submitted_by": "Ian Reid", "submitted_at": datetime.now(UTC), "word_count": 90,
          "categories": json.dumps([]), "modified_gmt": "", "content_hash": "",
          "link": "http://127.0.0.1:9/?p=601", "status": "pitch"}],
    )  # fmt: skip
    with core.db.session() as session:
        from app.store.models import PieceLink

        link = session.query(PieceLink).filter_by(piece_id=sample.pending_id).one()
        link.remote_status = "pitch"
    flow.store.save_state(sample.pending_id, sample.site_id, 501, remote_status="pitch")
    flow.store.add_event(
        piece_id=sample.pending_id, site_id=sample.site_id, post_id=501, action="status",
        source="site", from_status="pending", to_status="pitch", key="pitched",
    )  # fmt: skip
    with review_parts(qtbot, core) as parts:
        panel = parts.controller.panel
        qtbot.waitUntil(lambda: len(panel.items()) == 1, timeout=WAIT_MS)
        row = panel.tree.topLevelItem(0)
        assert row is not None
        assert row.text(0) == f"A pitch about ferries\n{LABEL} · by Ian Reid"

        open_piece(qtbot, parts, sample.pending_id)
        assert panel.piece_status.text() == f"On The Evening Gazette: {LABEL}."
        assert panel.piece_status.isVisibleTo(panel)
        assert set(statuses(parts)) <= {s.label for s in Status}  # nothing of the site's to set

        parts.table["review/timeline"].trigger()
        views = parts.controller.views
        qtbot.waitUntil(lambda: views.timeline_dialog is not None, timeout=WAIT_MS)
        dialog: TimelineDialog = views.timeline_dialog
        assert f"Pending review → {LABEL}" in [what for _w, what, *_rest in dialog.rows()]
        assert f"On The Evening Gazette: {LABEL}." in dialog.intro.text()
        dialog.close()
