"""A real Copydesk in a subprocess that types as a columnist would, for the kill and disk-full tests.

    python -m tests.helpers.typing_app steady DATA_DIR
    python -m tests.helpers.typing_app commands DATA_DIR

Set up like ``copydesk`` itself (log file in the data folder, crash handler, SIGTERM and SIGINT close
the window). Prints ``READY`` once a piece is open, then:

- ``steady``: types one word every :data:`WORD_INTERVAL_MS` without a pause and prints
  ``TYPED <length of the text> <time.monotonic()>`` after each, until it is killed;
- ``commands``: reads lines from stdin. ``type TEXT`` types TEXT into the editor and prints
  ``TYPED <length>``; ``saved`` prints ``SAVED`` once everything typed is in the database; ``quit``
  closes the window like Quit does.

Every other line it prints starts with ``#`` (messages shown to the user, for the test's log).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

from PySide6.QtCore import QSocketNotifier, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from app.paths import DataPaths  # noqa: E402
from ui import crash, logs  # noqa: E402
from ui.application import Startup, make_application, quit_on_signals  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

WORD_INTERVAL_MS = 60
WORDS = "the harbour lights were out again and nobody in the newsroom knew why".split()


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def steady(window: MainWindow) -> None:
    count = [0]

    def type_word() -> None:
        word = WORDS[count[0] % len(WORDS)]
        count[0] += 1
        QTest.keyClicks(window.editor, f"{word}{count[0]} ")
        say(f"TYPED {len(window.editor.toPlainText())} {time.monotonic():.3f}")

    timer = QTimer(window, interval=WORD_INTERVAL_MS)
    timer.timeout.connect(type_word)
    timer.start()


def commands(window: MainWindow) -> None:
    waiting: list[str] = []

    def check_saved() -> None:
        if waiting and not window.session.dirty:
            waiting.clear()
            say("SAVED")

    poll = QTimer(window, interval=50)
    poll.timeout.connect(check_saved)
    poll.start()

    def on_line() -> None:
        line = sys.stdin.readline()
        if not line:
            notifier.setEnabled(False)
            return
        command, _, argument = line.rstrip("\n").partition(" ")
        if command == "type":
            QTest.keyClicks(window.editor, argument)
            say(f"TYPED {len(window.editor.toPlainText())}")
        elif command == "saved":
            waiting.append(command)
        elif command == "quit":
            window.close()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, window)
    notifier.activated.connect(on_line)


def main() -> int:
    mode, data_dir = sys.argv[1], Path(sys.argv[2])
    app = make_application([sys.argv[0]])
    crash.install(logs.setup(DataPaths(data_dir).ensure().logs))
    startup = Startup(app)
    window = startup.open(data_dir)
    if window is None:
        return 1
    app.aboutToQuit.connect(startup.close)
    quit_on_signals(app)

    def when_ready() -> None:
        if not window.ready_for_work:
            QTimer.singleShot(50, when_ready)
            return
        window.editor.setFocus()
        say("READY")
        (steady if mode == "steady" else commands)(window)

    def echo_message() -> None:
        text = window.messages.text
        if text and text != getattr(echo_message, "last", None):
            echo_message.last = text  # type: ignore[attr-defined]
            say(f"# {text}")

    echoes = QTimer(window, interval=100)
    echoes.timeout.connect(echo_message)
    echoes.start()
    when_ready()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
