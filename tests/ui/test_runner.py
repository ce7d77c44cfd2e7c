"""The task runner: owners, the one error policy, shutdown, and the network lane beside the writer."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.errors import NetworkError, StorageError
from tests.ui.conftest import WAIT_MS
from ui.runner import TaskRunner

BLOCK_S = 30  # how long a blocked task waits at most, so that a wrong runner fails instead of hanging


class Recorder:
    """What reached the runner's own handler (the crash handler in the application)."""

    def __init__(self) -> None:
        self.crashes: list[BaseException] = []

    def __call__(self, error: BaseException) -> None:
        self.crashes.append(error)


@pytest.fixture
def crash_handler() -> Recorder:
    return Recorder()


@pytest.fixture
def runner(qapp: QApplication, crash_handler: Recorder) -> Iterator[TaskRunner]:
    runner = TaskRunner(on_error=crash_handler)
    yield runner
    runner.shutdown()


@pytest.fixture
def owner(qapp: QApplication) -> Iterator[QObject]:
    owner = QObject()
    yield owner
    if shiboken6.isValid(owner):
        shiboken6.delete(owner)


def test_a_result_for_a_deleted_owner_is_dropped(
    qtbot: QtBot, runner: TaskRunner, crash_handler: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    dialog = QWidget()
    label = QLabel(dialog)  # what the callback would touch: deleted with the dialog
    release = threading.Event()
    shown: list[str] = []
    failed: list[BaseException] = []

    def show(text: str) -> None:
        shown.append(text)
        label.setText(text)

    def fetch() -> str:
        release.wait(BLOCK_S)
        return "done"

    runner.read(fetch, owner=dialog, on_done=show, on_error=failed.append)
    assert runner.busy
    shiboken6.delete(dialog)  # the dialog is closed (and deleted) while its task still runs
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    assert shown == [] and failed == [] and crash_handler.crashes == []
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_an_owner_that_is_gone_when_asking_gets_nothing_run(
    runner: TaskRunner, crash_handler: Recorder
) -> None:
    gone = QObject()
    shiboken6.delete(gone)
    ran: list[bool] = []
    future = runner.write(lambda: ran.append(True), owner=gone)
    assert future.cancelled() and ran == [] and not runner.busy
    assert crash_handler.crashes == []


def test_an_expected_error_goes_to_the_caller_and_a_bug_to_the_crash_handler(
    qtbot: QtBot, runner: TaskRunner, owner: QObject, crash_handler: Recorder
) -> None:
    expected: list[BaseException] = []
    done: list[object] = []

    def fail_offline() -> None:
        raise NetworkError("The site does not answer.")

    def fail_with_a_bug() -> None:
        raise KeyError("status")

    runner.read(fail_offline, owner=owner, on_done=done.append, on_error=expected.append)
    runner.read(fail_with_a_bug, owner=owner, on_done=done.append, on_error=expected.append)
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    assert [type(e) for e in expected] == [NetworkError]
    assert [type(e) for e in crash_handler.crashes] == [KeyError]
    assert done == []


def test_a_call_can_name_more_expected_errors_and_without_a_handler_they_go_to_the_runners(
    qtbot: QtBot, runner: TaskRunner, owner: QObject, crash_handler: Recorder
) -> None:
    expected: list[BaseException] = []

    def disk_full() -> None:
        raise OSError(28, "No space left on device")

    def locked() -> None:
        raise StorageError("The library is busy.")

    runner.write(disk_full, owner=owner, on_error=expected.append, expected=(OSError,))
    runner.write(locked, owner=owner)  # no handler of its own
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    assert [type(e) for e in expected] == [OSError]
    assert [type(e) for e in crash_handler.crashes] == [StorageError]


def test_on_finished_runs_whatever_the_outcome_before_the_result_is_handed_over(
    qtbot: QtBot, runner: TaskRunner, owner: QObject, crash_handler: Recorder
) -> None:
    events: list[str] = []

    def bug() -> None:
        raise ValueError("a bug")

    runner.read(
        lambda: 1, owner=owner, on_done=lambda _r: events.append("done"),
        on_finished=lambda: events.append("finished"),
    )  # fmt: skip
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    runner.read(bug, owner=owner, on_finished=lambda: events.append("finished after a bug"))
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    assert events == ["finished", "done", "finished after a bug"]
    assert [type(e) for e in crash_handler.crashes] == [ValueError]


def test_work_after_shutdown_is_refused_cleanly(
    qapp: QApplication, owner: QObject, crash_handler: Recorder
) -> None:
    runner = TaskRunner(on_error=crash_handler)
    runner.shutdown()
    ran: list[str] = []
    delivered: list[object] = []
    futures = [
        runner.read(lambda: ran.append("read"), owner=owner, on_done=delivered.append),
        runner.write(lambda: ran.append("write"), owner=owner, on_done=delivered.append),
        runner.network(lambda: ran.append("network"), owner=owner, on_done=delivered.append),
    ]
    runner.drain_writes()  # quitting saves after the writes: nothing to wait for any more
    qapp.processEvents()
    assert runner.closed and all(f.cancelled() for f in futures)
    assert ran == [] and delivered == [] and crash_handler.crashes == []


def test_a_blocked_network_task_does_not_delay_a_write(
    qtbot: QtBot, runner: TaskRunner, owner: QObject
) -> None:
    started, release = threading.Event(), threading.Event()
    fetched: list[object] = []
    saved: list[str] = []

    def fetch() -> bool:
        started.set()
        return release.wait(BLOCK_S)

    try:
        runner.network(fetch, owner=owner, on_done=fetched.append)
        assert started.wait(BLOCK_S)
        runner.write(lambda: "saved", owner=owner, on_done=saved.append)
        qtbot.waitUntil(lambda: saved == ["saved"], timeout=WAIT_MS)
        assert fetched == [] and not release.is_set()  # the network task is still blocked
    finally:
        release.set()
    qtbot.waitUntil(lambda: fetched == [True], timeout=WAIT_MS)


def test_quitting_does_not_wait_for_the_network(
    qtbot: QtBot, qapp: QApplication, owner: QObject, crash_handler: Recorder
) -> None:
    runner = TaskRunner(on_error=crash_handler)
    started, release = threading.Event(), threading.Event()
    fetched: list[object] = []

    def fetch() -> bool:
        started.set()
        return release.wait(BLOCK_S)

    try:
        running = runner.network(fetch, owner=owner, on_done=fetched.append)
        assert started.wait(BLOCK_S)
        # more than the lane's other threads can take: some are still queued when quitting
        later = [runner.network(release.wait, BLOCK_S, owner=owner) for _ in range(4)]
        runner.shutdown()
        # shutdown returned while the site still has not answered: it did not wait for it
        assert running.running() and not release.is_set()
        assert sum(f.cancelled() for f in later) >= 2  # not started: never will be
    finally:
        release.set()
    qtbot.waitUntil(running.done, timeout=WAIT_MS)
    qapp.processEvents()
    assert fetched == [] and crash_handler.crashes == []  # abandoned: its result is dropped
