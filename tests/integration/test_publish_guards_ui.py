"""From the window, against the real WordPress: the schedule guard in the Push dialog, Publish ▸ Unlink
from Site, and the byline and standfirst mapping in the Sites dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.sites.mapping import SiteMapping
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.test_publish_ui import _add_site, _push, desk  # noqa: F401  (fixture)
from tests.ui.conftest import WAIT_MS, open_window  # noqa: F401  (the fixture)
from ui.main_window import MainWindow
from ui.metadata.fields import to_qdatetime

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

_ = (Callable, Path, SecretService)  # the fixtures' types, imported with them


def posts(wp: WordPressServer) -> list[dict[str, Any]]:
    found = wp.rest("GET", "/wp/v2/posts", params={"status": "any", "context": "edit"})
    assert isinstance(found, list)
    return found


def _write_piece(qtbot: QtBot, window: MainWindow, title: str) -> None:
    qtbot.keyClicks(window.metadata.title, title)
    qtbot.keyClicks(window.editor, "The last bus home is full.")


def _question(qtbot: QtBot, parent: Any) -> QMessageBox:
    qtbot.waitUntil(lambda: getattr(parent, "question", None) is not None, timeout=WAIT_MS)
    box: QMessageBox = parent.question
    return box


def _confirm() -> Any:
    from ui.checklist.report import ConfirmDialog

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ConfirmDialog)]
    return next((w for w in found if w.isVisible()), None)


def test_a_schedule_too_soon_asks_publish_now_or_pick_a_time(
    qtbot: QtBot,
    desk: MainWindow,  # noqa: F811
    wordpress: WordPressServer,
) -> None:
    _add_site(qtbot, desk, wordpress.url, wordpress.users["editor"])
    _write_piece(qtbot, desk, "Night buses")
    desk.metadata.schedule_on.setChecked(True)
    desk.metadata.schedule.setDateTime(to_qdatetime(datetime.now(UTC) - timedelta(hours=1)))
    dialog: Any = _push(qtbot, desk, "future")
    qtbot.waitUntil(lambda: dialog.schedule_question is not None, timeout=WAIT_MS)
    box: QMessageBox = dialog.schedule_question
    assert "has passed, so nothing was sent" in box.text()
    assert posts(wordpress) == []  # refused before anything was sent
    later = next(b for b in box.buttons() if b.text() == "&Pick a Time")
    with qtbot.waitSignal(desk.publishing.publish_time_wanted, timeout=WAIT_MS):
        later.click()
    assert not dialog.isVisible() and desk.metadata_dock.isVisible()
    assert posts(wordpress) == []
    # again, and this time publish now
    dialog = _push(qtbot, desk, "future")
    qtbot.waitUntil(lambda: dialog.schedule_question is not None, timeout=WAIT_MS)
    now = next(b for b in dialog.schedule_question.buttons() if b.text() == "Publish &Now")
    now.click()
    qtbot.waitUntil(lambda: _confirm() is not None, timeout=WAIT_MS)  # the checklist asks first
    confirm = _confirm()
    assert confirm is not None
    confirm.go.click()
    qtbot.waitUntil(lambda: "Pushed." in dialog.message.text(), timeout=WAIT_MS)
    [post] = posts(wordpress)
    assert post["status"] == "publish"


def test_unlink_from_the_publish_menu(
    qtbot: QtBot,
    desk: MainWindow,  # noqa: F811
    wordpress: WordPressServer,
) -> None:
    from ui.publish.unlink import UnlinkFlow

    _add_site(qtbot, desk, wordpress.url, wordpress.users["author"])
    _write_piece(qtbot, desk, "Ferries")
    dialog: Any = _push(qtbot, desk, "draft")
    qtbot.waitUntil(lambda: "Pushed." in dialog.message.text(), timeout=WAIT_MS)
    dialog.accept()
    piece_id = desk.session.piece_id or 0
    [link] = desk.core.remote.publisher.links_of(piece_id)
    assert "Unlink from Site" in desk.action_table["publish/unlink"].text().replace("&", "")
    desk.action_table["publish/unlink"].trigger()
    flow = desk.findChild(UnlinkFlow)
    assert flow is not None
    box = _question(qtbot, flow)
    assert box.text() == (
        f"Unlink “Ferries” from Gazette? The post #{link.remote_id} stays on the site; the next "
        "push to Gazette makes a new post."
    )
    next(b for b in box.buttons() if b.text() == "Unlink").click()
    qtbot.waitUntil(lambda: desk.core.remote.publisher.links_of(piece_id) == [], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "Unlinked “Ferries” from Gazette" in desk.messages.text, timeout=WAIT_MS)
    # the next push makes a new post; the first stays
    dialog = _push(qtbot, desk, "draft")
    qtbot.waitUntil(lambda: "Pushed." in dialog.message.text(), timeout=WAIT_MS)
    assert len(posts(wordpress)) == 2


def test_the_sites_dialog_sets_where_the_byline_and_standfirst_go(
    qtbot: QtBot,
    desk: MainWindow,  # noqa: F811
    wordpress: WordPressServer,
) -> None:
    from ui.publish.sites import SitesDialog

    _add_site(qtbot, desk, wordpress.url, wordpress.users["editor"])
    desk.action_table["publish/sites"].trigger()
    sites = [d for d in desk.findChildren(SitesDialog) if d.isVisible()][0]
    box = sites.mapping
    qtbot.waitUntil(box.isEnabled, timeout=WAIT_MS)
    assert box.chosen() == SiteMapping()  # a new site: the author, the lead paragraph
    assert not box.save.isEnabled() and not box.byline_field.isEnabled()
    box.byline.setCurrentIndex(box.byline.findData("field"))
    assert box.byline_field.isEnabled() and box.save.isEnabled()
    box.byline_field.setText("has space")
    box.save.click()
    qtbot.waitUntil(box.problem.isVisible, timeout=WAIT_MS)
    assert "cannot be a custom field's name" in box.problem.text()
    [site] = desk.core.remote.sites.list()
    assert site.mapping == SiteMapping()  # nothing saved
    box.byline_field.setText("byline_text")
    box.standfirst.setCurrentIndex(box.standfirst.findData("excerpt"))
    box.save.click()
    wanted = SiteMapping(byline="field", byline_field="byline_text", standfirst="excerpt")
    qtbot.waitUntil(lambda: desk.core.remote.sites.list()[0].mapping == wanted, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: sites.mapping.chosen() == wanted and not box.save.isEnabled(), timeout=WAIT_MS
    )
    assert box.problem.isHidden()
    assert box.byline.accessibleName() == "Byline goes to"
