"""Never lose a word: a crash while typing costs at most two seconds; a full disk costs nothing.

The kill and disk tests drive a real Copydesk in a subprocess (``tests/helpers/typing_app.py``), set
up like ``copydesk`` itself; the quit tests run the window here and answer its question.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.core import open_core
from tests.helpers.small_disk import fill, small_filesystem
from tests.ui.conftest import WAIT_MS
from ui.application import Startup
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
MAX_LOST_SECONDS = 2.0


class TypingApp:
    """``tests.helpers.typing_app`` in a subprocess, line by line."""

    def __init__(self, mode: str, data_dir: Path) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.typing_app", mode, str(data_dir)],
            cwd=ROOT,
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def read_until(self, prefix: str) -> str:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith(prefix):
                return line.rstrip("\n")
        raise AssertionError(f"the app ended before {prefix!r}: {self.lines[-10:]}")

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def type(self, text: str) -> None:
        self.send(f"type {text}")
        self.read_until("TYPED")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def typing_app() -> Iterator[Callable[[str, Path], TypingApp]]:
    started: list[TypingApp] = []

    def start(mode: str, data_dir: Path) -> TypingApp:
        started.append(TypingApp(mode, data_dir))
        return started[-1]

    yield start
    for app in started:
        app.stop()


def _stored_bodies(data_dir: Path) -> list[str]:
    core = open_core(data_dir)
    try:
        return [core.pieces.get(s.id).body for s in core.pieces.summaries()]
    finally:
        core.close()


# -- a crash while typing ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.expect_log("ui.application", "WARNING", "Unclean shutdown detected")
@pytest.mark.expect_log("ui.messages", "WARNING", "did not close properly last time")
@pytest.mark.parametrize("typing_seconds", [2.7, 4.3, 6.1])
def test_sigkill_while_typing_steadily_loses_at_most_two_seconds(
    typing_seconds: float,
    typing_app: Callable[[str, Path], TypingApp],
    data_dir: Path,
    qtbot: QtBot,
    open_window: Callable[[Path], MainWindow],
) -> None:
    app = typing_app("steady", data_dir)
    app.read_until("READY")
    typed: list[tuple[int, float]] = []  # (length of the text, when)
    first = app.read_until("TYPED")
    while True:
        _, length, when = app.read_until("TYPED").split()
        typed.append((int(length), float(when)))
        if float(when) - float(first.split()[2]) >= typing_seconds:
            break
    app.process.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    assert app.process.wait(timeout=30) == -signal.SIGKILL
    assert (data_dir / "copydesk.lock").exists()  # it died without cleaning up

    [restored] = _stored_bodies(data_dir)
    saved = [when for length, when in typed if length <= len(restored)]
    last_saved = saved[-1] if saved else float(first.split()[2])
    lost = killed_at - last_saved
    print(f"typed {typed[-1][0]} characters, restored {len(restored)}; lost {lost:.2f} s")
    assert lost <= MAX_LOST_SECONDS, f"{lost:.2f} s of typing lost"

    window = open_window(data_dir)  # the crash recovery brings back that text, and says so
    qtbot.waitUntil(lambda: window.editor.toPlainText() == restored, timeout=WAIT_MS)
    qtbot.waitUntil(window.messages.isVisible, timeout=WAIT_MS)
    assert "did not close properly" in window.messages.text


@contextmanager
def _window_on(qtbot: QtBot, qapp: object, data_dir: Path) -> Iterator[MainWindow]:
    """The window on *data_dir*, closed again before the test's filesystem goes."""
    startup = Startup(qapp)  # type: ignore[arg-type]
    window = startup.open(data_dir)
    assert window is not None
    try:
        qtbot.waitUntil(lambda: window.ready_for_work, timeout=WAIT_MS)
        yield window
    finally:
        startup.close()


# -- a full disk -------------------------------------------------------------------------------

WORDS_BEFORE = "The council met at nine"
WORDS_WHILE_FULL = [" and argued about the harbour", " until the lights went out", " at noon"]
WORDS_AFTER = [" Then the mayor spoke.", " Nobody listened."]


def test_typing_while_the_disk_is_full_is_all_saved_once_space_returns(
    typing_app: Callable[[str, Path], TypingApp], tmp_path: Path
) -> None:
    with small_filesystem(tmp_path / "disk") as disk:
        data_dir = disk / "data"
        app = typing_app("commands", data_dir)
        app.read_until("READY")
        app.type(WORDS_BEFORE)
        app.send("saved")
        app.read_until("SAVED")
        filler = fill(disk)
        for words in WORDS_WHILE_FULL:
            app.type(words)
        assert "full" in app.read_until("# Could not save")
        filler.unlink()
        for words in WORDS_AFTER:
            app.type(words)
        app.process.send_signal(signal.SIGTERM)
        assert app.process.wait(timeout=30) == 0
        assert _stored_bodies(data_dir) == [
            WORDS_BEFORE + "".join(WORDS_WHILE_FULL) + "".join(WORDS_AFTER)
        ]


@pytest.mark.expect_log("ui.editor.session", "ERROR", "Saving the piece failed")
@pytest.mark.expect_log("ui.messages", "WARNING", "Could not save")
def test_a_failed_save_is_tried_again_without_more_typing(
    qtbot: QtBot, qapp: object, tmp_path: Path
) -> None:
    with small_filesystem(tmp_path / "disk") as disk, _window_on(qtbot, qapp, disk / "data") as window:
        window.editor.setFocus()
        qtbot.keyClicks(window.editor, WORDS_BEFORE)
        qtbot.waitUntil(lambda: not window.session.dirty, timeout=WAIT_MS)
        filler = fill(disk)
        with qtbot.waitSignal(window.session.save_failed, timeout=WAIT_MS):
            qtbot.keyClicks(window.editor, WORDS_WHILE_FULL[0])
        assert "full" in window.messages.text
        filler.unlink()
        # nothing typed since: the retry timer alone must save it
        qtbot.waitUntil(lambda: not window.session.dirty, timeout=WAIT_MS)
        stored = window.core.pieces.get(window.session.piece_id or 0).body
        assert stored == WORDS_BEFORE + WORDS_WHILE_FULL[0]


def _answer_quit_question(
    answer: QMessageBox.StandardButton, before: Callable[[], object] = lambda: None
) -> list[str]:
    """Click *answer* in the question the window asks when it closes (after calling *before*);
    what it said."""
    asked: list[str] = []
    tries = [0]

    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            before()
            box.button(answer).click()
        elif tries[0] < 500:
            tries[0] += 1
            QTimer.singleShot(20, click)

    QTimer.singleShot(0, click)
    return asked


@pytest.mark.expect_log("ui.editor.session", "ERROR", "Saving the piece failed", optional=True)
@pytest.mark.expect_log("ui.messages", "WARNING", "Could not save", optional=True)
@pytest.mark.expect_log("ui.editor.session", "ERROR", "failed at quit")
@pytest.mark.expect_log("ui.editor.emergency", "WARNING", "Kept an emergency copy")
@pytest.mark.expect_log("app.settings", "WARNING", "could not be written")
def test_quitting_when_nothing_can_be_saved_keeps_an_emergency_copy_and_names_it(
    qtbot: QtBot,
    qapp: object,
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "disk" / "data"
    with (
        small_filesystem(tmp_path / "disk") as disk,
        _window_on(qtbot, qapp, data_dir) as window,
        # the emergency folder has room of its own; the library's disk is full
        small_filesystem(data_dir / "emergency", "1m"),
    ):
        window.editor.setFocus()
        qtbot.keyClicks(window.editor, WORDS_BEFORE)
        qtbot.waitUntil(lambda: not window.session.dirty, timeout=WAIT_MS)
        filler = fill(disk)
        qtbot.keyClicks(window.editor, WORDS_WHILE_FULL[0])
        asked = _answer_quit_question(QMessageBox.StandardButton.Close)
        window.close()
        assert not window.isVisible()
        filler.unlink()
        [copy] = list((data_dir / "emergency").glob("*.md"))
        assert str(copy) in asked[0]
        assert "Nothing is lost" in asked[0]
        assert copy.name.startswith(window.session.snapshot().uid)
        assert copy.read_text(encoding="utf-8").endswith(WORDS_BEFORE + WORDS_WHILE_FULL[0] + "\n")


@pytest.mark.expect_log("ui.editor.session", "ERROR", "Saving the piece failed", optional=True)
@pytest.mark.expect_log("ui.messages", "WARNING", "Could not save", optional=True)
@pytest.mark.expect_log("ui.editor.session", "ERROR", "failed at quit")
@pytest.mark.expect_log("ui.editor.session", "ERROR", "No emergency copy")
def test_when_not_even_an_emergency_copy_can_be_written_the_quit_says_so_and_waits(
    qtbot: QtBot,
    qapp: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with small_filesystem(tmp_path / "disk") as disk, _window_on(qtbot, qapp, disk / "data") as window:
        (disk / "tmp").mkdir()
        monkeypatch.setattr(tempfile, "tempdir", str(disk / "tmp"))  # full as well
        window.editor.setFocus()
        qtbot.keyClicks(window.editor, WORDS_BEFORE)
        qtbot.waitUntil(lambda: not window.session.dirty, timeout=WAIT_MS)
        filler = fill(disk)
        qtbot.keyClicks(window.editor, WORDS_WHILE_FULL[0])
        asked = _answer_quit_question(QMessageBox.StandardButton.Cancel)
        window.close()
        assert window.isVisible()  # not quit: the text is still in the editor
        assert "could not keep an emergency copy" in asked[0]
        assert window.editor.toPlainText() == WORDS_BEFORE + WORDS_WHILE_FULL[0]
        filler.unlink()
        window.session.save_blocking()  # space again: it all goes in, nothing was lost
        assert window.core.pieces.get(window.session.piece_id or 0).body == (
            WORDS_BEFORE + WORDS_WHILE_FULL[0]
        )
