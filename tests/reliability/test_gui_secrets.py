"""After a session in the window, the application password is nowhere but in the keyring.

The real window, against the real WordPress: add a site, push a piece, pull a post, sync comments,
export, and an unexpected exception handled by the crash path of ``ui/crash.py`` (its dialog's details
copied and saved, as a user sends them). The log goes to the data folder as ``copydesk`` sets it up, at
DEBUG. Then the data folder, the logs, the crash report, the exports, the test's temporary folders and
the clipboard are searched for the password in every form it travels in.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.paths import DataPaths
from tests.helpers.comments import seed_comments
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer, WordPressUser
from tests.integration.conftest import make_remote
from tests.reliability.conftest import FaultRecorder
from tests.reliability.test_secrets import forms_of
from tests.ui.conftest import WAIT_MS, open_window  # noqa: F401  (the fixture)
from ui import crash, logs
from ui.main_window import MainWindow

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The session's temporary folder: one of the test's own, to search afterwards."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


@pytest.fixture
def logged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The log file ``copydesk`` keeps in the data folder, at DEBUG; taken down after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    previous = qInstallMessageHandler(None)
    qInstallMessageHandler(previous)
    path = logs.setup(DataPaths(tmp_path / "data").ensure().logs)
    qInstallMessageHandler(previous)  # Qt's own messages stay with pytest-qt
    root.setLevel(logging.DEBUG)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # crash.install replaces it
    crash.install(path)
    try:
        yield path
    finally:
        crash.install(None)
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)


def add_site(qtbot: QtBot, window: MainWindow, url: str, user: WordPressUser) -> None:
    from ui.publish.sites import AddSiteDialog, SitesDialog

    window.action_table["publish/sites"].trigger()
    sites = window.findChild(SitesDialog)
    assert sites is not None
    sites.add.click()
    add = sites.findChild(AddSiteDialog)
    assert add is not None
    add.name.setText("Gazette")
    add.url.setText(url)
    add.user.setText(user["user"])
    add.password.setText(user["app_password"])
    add.buttons.accepted.emit()
    qtbot.waitUntil(lambda: sites.sites.count() == 1, timeout=WAIT_MS)
    sites.accept()


def push(qtbot: QtBot, window: MainWindow) -> None:
    from ui.publish.push import PushDialog

    window.action_table["publish/push"].trigger()
    [dialog] = [d for d in window.findChildren(PushDialog) if d.isVisible()]
    qtbot.waitUntil(dialog.push_button.isEnabled, timeout=WAIT_MS)
    dialog._status_buttons["draft"].setChecked(True)
    dialog.push_button.click()
    qtbot.waitUntil(lambda: "Pushed." in dialog.message.text(), timeout=WAIT_MS)
    dialog.reject()


def pull(qtbot: QtBot, window: MainWindow, title: str) -> None:
    from ui.publish.pull import PullDialog

    window.action_table["publish/pull"].trigger()
    [dialog] = [d for d in window.findChildren(PullDialog) if d.isVisible()]
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 1, timeout=WAIT_MS)
    titles = [dialog.table.item(r, 0) for r in range(dialog.table.rowCount())]
    [row] = [r for r, item in enumerate(titles) if item is not None and item.text() == title]
    dialog.table.selectRow(row)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: window.metadata.title.text() == title, timeout=WAIT_MS)


def crash_report(window: MainWindow, folder: Path) -> tuple[Path, str]:
    """An unexpected exception through the crash path: the dialog's details saved as a report, and
    copied with its "Copy details" button; (the report, the clipboard's text)."""
    details: list[str] = []

    def answer() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, crash.CrashDialog)]
        shown = [w for w in shown if w.isVisible()]
        if not shown:
            QTimer.singleShot(20, answer)
            return
        dialog = shown[0]
        details.append(dialog.details.toPlainText())
        [copy] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Copy details"]
        copy.click()
        dialog.reject()

    QTimer.singleShot(0, answer)
    try:
        raise LookupError("an unexpected state while the site is open")
    except LookupError:
        kind, value, tb = sys.exc_info()
        assert kind is not None and value is not None
        crash.handle_exception(kind, value, tb)
    assert details, "the crash dialog was not shown"
    report = folder / "crash-report.txt"
    report.write_text(details[0], encoding="utf-8")
    return report, QGuiApplication.clipboard().text()


@pytest.mark.expect_log("ui.crash", "CRITICAL", "Unexpected error")
def test_no_password_on_disk_after_a_session_in_the_window(  # noqa: PLR0917  (fixtures)
    qtbot: QtBot,
    open_window: Callable[[Path], MainWindow],  # noqa: F811
    wordpress: WordPressServer,
    secret_service: SecretService,
    tmp_path: Path,
    temp_folder: Path,
    logged: Path,
    ledger: FaultRecorder,
) -> None:
    fault = "secrets on disk after a session in the window"
    data, exports = tmp_path / "data", tmp_path / "exports"
    exports.mkdir()
    user = wordpress.users["admin"]
    seeded = seed_comments(wordpress, posts=1, per_post=5, statuses=False)
    window = open_window(data)
    make_remote(window.core, lambda: datetime.now(UTC))  # type: ignore[arg-type]
    add_site(qtbot, window, wordpress.url, user)
    QTest.keyClicks(window.metadata.title, "Harbour lights")
    QTest.keyClicks(window.editor, "The lights on the quay went out at nine.")
    push(qtbot, window)
    pull(qtbot, window, "Column 0")
    assert seeded
    with qtbot.waitSignal(window.comments.sync_finished, timeout=WAIT_MS):
        window.comments.sync_now()
    for fmt in ("md", "html"):
        window.library_controller.export(fmt, exports / f"piece.{fmt}")
        qtbot.waitUntil((exports / f"piece.{fmt}").exists, timeout=WAIT_MS)
    report, clipboard = crash_report(window, tmp_path)
    window.save_everything()
    forms = forms_of(user["user"], user["app_password"])
    scanned = 0
    for path in [p for p in tmp_path.rglob("*") if p.is_file()]:
        scanned += 1
        content = path.read_bytes()
        for what, needle in forms.items():
            if needle in content:
                ledger.lost(fault, f"{what} in {path.relative_to(tmp_path)}")
    for what, needle in forms.items():
        if needle.decode() in clipboard:
            ledger.lost(fault, f"{what} in the copied crash details")
    ledger.injected(fault)
    ledger.figure(fault, f"{scanned} files and the clipboard searched for {len(forms)} forms")
    assert logged.stat().st_size > 0 and report.stat().st_size > 0 and clipboard
    assert ledger.losses(fault) == []
