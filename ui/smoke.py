"""``copydesk --smoke-test``: prove an installed Copydesk works, then exit.

Opens the main window on a temporary library, waits for the preview to show a rendered piece, writes a
piece to the database and reads it back. Exit status 0 means all of that worked; otherwise the reason is
printed on standard error. Installers run it in their own tests.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

TIMEOUT_MS = 60_000


def _wait(app: QApplication, condition: object, timeout_ms: int) -> bool:
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if condition():  # type: ignore[operator]
            return True
    return False


class SmokeTestError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def _require(app: QApplication, status: int, reason: str, condition: object) -> None:
    if not _wait(app, condition, TIMEOUT_MS):
        raise SmokeTestError(status, reason)


def _check(app: QApplication, startup: object, folder: str) -> None:
    from app.pieces.data import PieceData

    window = startup.open(Path(folder))  # type: ignore[attr-defined]
    if window is None:
        raise SmokeTestError(2, "the window did not open")
    _require(app, 3, "no piece was opened", lambda: window.ready_for_work)
    shown: list[int] = []
    window.preview.article_shown.connect(shown.append)
    spelling_failed: list[str] = []
    window.spelling.load_failed.connect(spelling_failed.append)
    window.editor.setPlainText("Smoke test: *rendered* -- with typography...")
    _require(
        app,
        4,
        "the preview never showed the piece",
        lambda: bool(shown) and window.session.dirty is False,
    )
    html: list[str] = []
    window.preview.html(html.append)
    _require(app, 5, "the preview did not answer", lambda: bool(html))
    if "<em>rendered</em>" not in html[0]:
        raise SmokeTestError(5, "the preview does not show the rendered text")
    _require(
        app,
        7,
        "the spelling dictionary never loaded",
        lambda: window.spelling.ready or bool(spelling_failed),
    )
    if spelling_failed or not window.spelling.is_misspelt_now("recieve"):
        reason = spelling_failed[0] if spelling_failed else "it accepts “recieve”"
        raise SmokeTestError(7, f"spell checking does not work: {reason}")
    core = startup.core  # type: ignore[attr-defined]
    stored = core.pieces.create(PieceData(title="Smoke", body="Written and read back."))
    if core.pieces.get(stored.id or 0).body != "Written and read back.":
        raise SmokeTestError(6, "the database did not return what was written")


def run_smoke_test(app: QApplication) -> int:
    from ui.application import Startup

    with tempfile.TemporaryDirectory(prefix="copydesk-smoke-") as folder:
        startup = Startup(app)
        try:
            _check(app, startup, folder)
        except SmokeTestError as failure:
            print(f"smoke test: {failure}", file=sys.stderr)
            return failure.status
        finally:
            startup.close()
    print("smoke test passed: window, preview, spelling and database work")
    return 0
