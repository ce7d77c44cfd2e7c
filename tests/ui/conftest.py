"""Fixtures for the widget tests: the real main window on a temporary library, offscreen."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

from ui.application import Startup, prepare_environment  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

prepare_environment()  # before pytest-qt creates the QApplication

WAIT_MS = 15_000


@pytest.fixture
def open_window(qtbot: object, qapp: object) -> Iterator[Callable[[Path], MainWindow]]:
    """Open Copydesk on a data folder and wait until it is ready; closed after the test."""
    startups: list[Startup] = []

    def opener(data_dir: Path) -> MainWindow:
        startup = Startup(qapp)  # type: ignore[arg-type]
        startups.append(startup)
        window = startup.open(data_dir)
        assert window is not None
        qtbot.waitUntil(lambda: window.ready_for_work, timeout=WAIT_MS)  # type: ignore[attr-defined]
        return window

    yield opener
    for startup in startups:
        startup.close()


@pytest.fixture
def window(open_window: Callable[[Path], MainWindow], data_dir: Path) -> MainWindow:
    return open_window(data_dir)


def preview_html(qtbot: object, window: MainWindow) -> str:
    """The preview's current DOM."""
    result: list[str] = []
    window.preview.html(result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=WAIT_MS)  # type: ignore[attr-defined]
    return result[0]


def wait_for_preview(qtbot: object, window: MainWindow, needle: str) -> str:
    """Wait until the preview's DOM contains *needle*; return the DOM."""
    seen: list[str] = [""]

    def check() -> bool:
        seen[0] = preview_html(qtbot, window)
        return needle in seen[0]

    qtbot.waitUntil(check, timeout=WAIT_MS)  # type: ignore[attr-defined]
    return seen[0]
