"""A Copydesk that restores what it finds, then types steadily until it is killed.

    python -m tests.reliability.typing_child DATA_DIR FIRST_WORD

Prints ``RESTORED <json text>`` once the window is ready (the text the editor opened with: what the
last run left), then types the words ``wNNNNN`` from FIRST_WORD on, one every 0.1 s, printing
``W <n> <unix time>`` after each one is in the editor. The test kills it with SIGKILL at a moment of
its choosing and measures, at the next start, how many seconds of typing did not come back.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from ui.application import Startup, make_application  # noqa: E402

WORD_EVERY = 0.1  # seconds: about 600 words a minute, a fast and steady typist


def word(n: int) -> str:
    return f"w{n:05d}"


def main() -> None:
    app = make_application([sys.argv[0]])
    startup = Startup(app)
    window = startup.open(Path(sys.argv[1]))
    assert window is not None
    first = int(sys.argv[2])

    def pump(until: object, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not until():  # type: ignore[operator]
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)

    pump(lambda: window.ready_for_work)
    if not window.ready_for_work:
        sys.exit("the window did not become ready")
    print("RESTORED " + json.dumps(window.editor.toPlainText()), flush=True)
    window.editor.setFocus()
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    n = first
    while True:
        QTest.keyClicks(window.editor, word(n) + " ")
        print(f"W {n} {time.time():.3f}", flush=True)
        n += 1
        pump(lambda: False, seconds=WORD_EVERY)


if __name__ == "__main__":
    main()
