"""Never lose a word: a killed Copydesk, a damaged library, a second window on the same library."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core import open_core
from app.pieces.data import PieceData
from app.store import backup
from tests.helpers.typing_session import SAVED_TEXT
from ui import application, recovery
from ui.main_window import MainWindow
from ui.recovery import Choice

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.expect_log("ui.application", "WARNING", "Unclean shutdown detected")
@pytest.mark.expect_log("ui.messages", "WARNING", "did not close properly last time")
def test_after_sigkill_the_autosaved_text_is_restored_and_announced(
    qtbot: QtBot, open_window: Callable[[Path], MainWindow], data_dir: Path
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.typing_session", str(data_dir)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line.strip())
            if line.startswith("TYPED"):
                break
        assert lines[0] == f"SAVED {SAVED_TEXT}", lines
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    assert (data_dir / "copydesk.lock").exists()  # it really died without cleaning up

    window = open_window(data_dir)
    qtbot.waitUntil(lambda: window.editor.toPlainText() == SAVED_TEXT, timeout=15_000)
    qtbot.waitUntil(window.messages.isVisible, timeout=15_000)
    assert "did not close properly" in window.messages.text
    assert "restored" in window.messages.text


def test_a_clean_quit_is_not_announced_as_a_crash(
    qtbot: QtBot, open_window: Callable[[Path], MainWindow], data_dir: Path, qapp: object
) -> None:
    first = application.Startup(qapp)  # type: ignore[arg-type]
    window = first.open(data_dir)
    assert window is not None
    qtbot.waitUntil(lambda: window.ready_for_work, timeout=15_000)
    qtbot.keyClicks(window.editor, "Closed properly")
    first.close()
    assert not (data_dir / "copydesk.lock").exists()
    again = open_window(data_dir)
    qtbot.waitUntil(lambda: again.editor.toPlainText() == "Closed properly", timeout=15_000)
    assert "did not close properly" not in again.messages.text


@pytest.mark.expect_log("ui.application", "ERROR", "The library is damaged")
@pytest.mark.expect_log("app.store.backup", "WARNING", "Kept the damaged library as")
@pytest.mark.expect_log("ui.application", "WARNING", "Restored the backup of")
def test_a_damaged_library_offers_the_latest_backup_and_keeps_the_damaged_file(
    qtbot: QtBot,
    open_window: Callable[[Path], MainWindow],
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    core = open_core(data_dir)
    core.pieces.create(PieceData(title="Safe in the backup", body="Backed up."))
    core.close()
    backup.make_daily_backup(data_dir / "library.sqlite", data_dir / "backups", today=date(2026, 11, 1))
    (data_dir / "library.sqlite").write_bytes(b"\x00garbage" * 4096)
    asked: list[str] = []

    def answer(problem: str, latest: backup.Backup | None, parent: object = None) -> Choice:
        asked.append(problem)
        assert latest is not None and latest.day == date(2026, 11, 1)
        return Choice.RESTORE

    monkeypatch.setattr(recovery, "ask_recovery", answer)
    window = open_window(data_dir)
    assert asked and "damaged" in asked[0]
    assert [s.title for s in window.core.pieces.summaries()] == ["Safe in the backup"]
    kept = [
        p
        for p in data_dir.iterdir()
        if p.name.startswith("library.sqlite.damaged-") and not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"\x00garbage")


def test_window_geometry_and_layout_are_remembered(qtbot: QtBot, data_dir: Path, qapp: object) -> None:
    first = application.Startup(qapp)  # type: ignore[arg-type]
    window = first.open(data_dir)
    assert window is not None
    qtbot.waitUntil(lambda: window.ready_for_work, timeout=15_000)
    window.resize(700, 500)  # the offscreen screen is 800 x 600
    window.action_table["view/metadata"].setChecked(False)
    first.close()
    second = application.Startup(qapp)  # type: ignore[arg-type]
    again = second.open(data_dir)
    assert again is not None
    try:
        assert (again.width(), again.height()) == (700, 500)
        assert not again.metadata_dock.isVisible()
    finally:
        second.close()


def test_sigterm_saves_and_quits_cleanly(data_dir: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys, copydesk; sys.exit(copydesk.main(sys.argv[1:]))",
         "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (data_dir / "library.sqlite").exists() or not list(
            (data_dir / "backups").glob("library-*.sqlite")
        ):  # the daily backup is made once the window is ready
            assert time.monotonic() < deadline, "Copydesk did not start"
            assert process.poll() is None, "Copydesk exited early"
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not (data_dir / "copydesk.lock").exists()
    assert "Received signal 15" in (data_dir / "logs" / "copydesk.log").read_text(encoding="utf-8")
