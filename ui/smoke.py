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

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

TIMEOUT_MS = 60_000


def _wait(app: QApplication, condition: object, timeout_ms: int) -> bool:
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if condition():  # type: ignore[operator]
            return True
    return False


def run_smoke_test(app: QApplication) -> int:
    from app.piece import PieceData
    from ui.application import Startup

    with tempfile.TemporaryDirectory(prefix="copydesk-smoke-") as folder:
        startup = Startup(app)
        try:
            window = startup.open(Path(folder))
            if window is None:
                print("smoke test: the window did not open", file=sys.stderr)
                return 2
            shown: list[int] = []
            window.preview.article_shown.connect(shown.append)
            if not _wait(app, lambda: window.ready_for_work, TIMEOUT_MS):
                print("smoke test: no piece was opened", file=sys.stderr)
                return 3
            window.editor.setPlainText("Smoke test: *rendered* -- with typography...")
            if not _wait(app, lambda: bool(shown) and window.session.dirty is False, TIMEOUT_MS):
                print("smoke test: the preview never showed the piece", file=sys.stderr)
                return 4
            html: list[str] = []
            window.preview.html(html.append)
            if not _wait(app, lambda: bool(html), TIMEOUT_MS) or "<em>rendered</em>" not in html[0]:
                print("smoke test: the preview does not show the rendered text", file=sys.stderr)
                return 5
            core = startup.core
            assert core is not None
            stored = core.pieces.create(PieceData(title="Smoke", body="Written and read back."))
            if core.pieces.get(stored.id or 0).body != "Written and read back.":
                print("smoke test: the database did not return what was written", file=sys.stderr)
                return 6
            print(f"smoke test passed: window, preview and database work ({folder})")
            return 0
        finally:
            QTimer.singleShot(0, lambda: None)
            startup.close()
