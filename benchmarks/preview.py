"""Live preview: keystroke-to-preview latency and the longest stall of the GUI thread while typing.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/preview.py

For a 5,000-word and a 50,000-word piece, in the real main window with the real QtWebEngine preview
and spell checking on: type bursts of five characters at ten keystrokes a second into the middle of
the piece, pausing after each burst. Latency is from the last keystroke of a burst until the preview
has patched its DOM with the text including it (the JavaScript callback of the patch; the paint
follows within a frame). The GUI stall is the longest gap between ticks of a 2 ms timer on the GUI
thread during the whole typing session, less the 2 ms (key handling, highlighting and everything
else on that thread counts).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import seeded_library  # noqa: E402

BURSTS = 12
KEYS_PER_BURST = 5
KEY_INTERVAL_S = 0.1
PAUSE_S = 1.2


def measure(words: int) -> dict[str, float]:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    from ui.application import Startup, make_application

    app = make_application([sys.argv[0]])
    library = seeded_library(2, big_words=words)
    startup = Startup(app)
    window = startup.open(library)
    assert window is not None

    def pump(seconds: float, until: object = None) -> None:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)
            if until is not None and until():  # type: ignore[operator]
                return

    pump(60, lambda: window.ready_for_work)
    shown: list[tuple[int, float]] = []
    window.preview.article_shown.connect(lambda g: shown.append((g, time.perf_counter())))
    pump(60, lambda: window.spelling.ready and bool(shown))
    pump(1.0)

    editor = window.editor
    block = editor.document().findBlockByNumber(editor.document().blockCount() // 2)
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    editor.setFocus()

    ticks: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    probe = QTimer(interval=2)
    probe.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e9))
    probe.start()
    latencies: list[float] = []
    for burst in range(BURSTS):
        for key in range(KEYS_PER_BURST):
            QTest.keyClick(editor, Qt.Key.Key_A if (burst + key) % 2 else Qt.Key.Key_E)
            typed_at = time.perf_counter()
            if key < KEYS_PER_BURST - 1:
                pump(KEY_INTERVAL_S)
        wanted = window.preview_controller._requested  # the render that includes the last key
        pump(10, lambda wanted=wanted: any(g >= wanted for g, _ in shown))
        done = next(t for g, t in shown if g >= wanted)
        latencies.append(done - typed_at)
        pump(PAUSE_S)
    probe.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    startup.close()
    shutil.rmtree(library, ignore_errors=True)
    return {
        "latency_median": statistics.median(latencies),
        "latency_max": max(latencies),
        "stall_max": max(gaps) - 0.002,
        "stall_p99": sorted(gaps)[int(len(gaps) * 0.99)] - 0.002,
    }


def main() -> int:
    print("Live preview while typing (10 keys/s, bursts of 5), spell checking on")
    print(f"{'piece':<14} {'keystroke -> preview':<34} {'longest GUI stall':<20} {'99th pct gap'}")
    for words in (5000, 50000):
        r = measure(words)
        print(
            f"{words:>6} words   median {r['latency_median'] * 1000:5.0f} ms, max {r['latency_max'] * 1000:5.0f} ms"
            f"{'':6}{r['stall_max'] * 1000:6.1f} ms{'':11}{r['stall_p99'] * 1000:5.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
