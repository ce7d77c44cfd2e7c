"""A Copydesk that types, autosaves, keeps typing, and waits to be killed (the kill-and-restore test).

    python -m tests.helpers.typing_session DATA_DIR

Prints ``SAVED <text>`` once the first text is in the database, then types more (which has not
reached the database when the test kills the process with SIGKILL a moment later).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from ui.application import Startup, make_application  # noqa: E402

SAVED_TEXT = "Everything up to here was autosaved."
UNSAVED_TEXT = " This was typed a moment before the crash."


def main() -> None:
    app = make_application([sys.argv[0]])
    startup = Startup(app)
    window = startup.open(Path(sys.argv[1]))
    assert window is not None

    def pump(until: object, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not until():  # type: ignore[operator]
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    pump(lambda: window.ready_for_work)
    window.editor.setFocus()
    QTest.keyClicks(window.editor, SAVED_TEXT)
    pump(lambda: not window.session.dirty and window.session.last_saved_at is not None)
    print(f"SAVED {SAVED_TEXT}", flush=True)
    QTest.keyClicks(window.editor, UNSAVED_TEXT)
    print("TYPED", flush=True)
    pump(lambda: False, seconds=120)  # the test kills us long before this


if __name__ == "__main__":
    main()
