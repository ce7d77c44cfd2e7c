"""Starting the window: Qt set-up, the library lock, damage recovery, crash recovery, shutdown.

Everything the first window does not need is loaded after it is on screen.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QLockFile, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_ID, APP_NAME, version
from app.errors import CopydeskError, CorruptLibraryError
from app.paths import DataPaths, resolve_data_dir
from app.settings import Settings
from ui import collector, crash
from ui.main_window import MainWindow
from ui.messages import Level
from ui.runner import TaskRunner
from ui.theme import ThemeManager

if TYPE_CHECKING:
    from app.core import Core

log = logging.getLogger(__name__)


def prepare_environment() -> None:
    """Settings Qt reads before the application object exists."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to run as root with its sandbox on; as root there is nothing to protect
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def make_application(argv: list[str]) -> QApplication:
    prepare_environment()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(version())
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    import resources

    icon = QIcon()
    folder = resources.files() / "app-icon"
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name.endswith(".png"):
                from PySide6.QtGui import QPixmap

                pixmap = QPixmap()
                pixmap.loadFromData(entry.read_bytes())
                icon.addPixmap(pixmap)
    return icon


class Startup:
    """Opens a library in a window and tears it down again; usable from tests.

    The window comes first, built from the settings alone; the library (and with it SQLAlchemy,
    the migrations, the renderer) is opened once the window is on screen.
    """

    def __init__(self, app: QApplication) -> None:
        self.app = app
        collector.install()
        self.core: Core | None = None
        self.window: MainWindow | None = None
        self.runner: TaskRunner | None = None
        self._lock: QLockFile | None = None
        self._unclean = False

    def open(self, data_dir: Path) -> MainWindow | None:
        paths = DataPaths(data_dir).ensure()
        self._unclean = paths.lock.exists()
        self._lock = QLockFile(str(paths.lock))
        self._lock.setStaleLockTime(0)
        if not self._lock.tryLock(200):
            QMessageBox.information(
                None,
                APP_NAME,
                f"{APP_NAME} is already open with this library ({paths.root}).\n\n"
                "Switch to that window, or close it first.",
            )
            self._lock = None
            return None
        settings = Settings(paths.settings)
        theme = ThemeManager(self.app, settings.get("appearance.theme"))
        self.runner = TaskRunner(on_error=self._on_background_error)
        window = MainWindow(settings, paths, self.runner, theme)
        self.window = window
        crash.add_save_hook(self._save_hook)
        window.show()
        if settings.problem:  # a bad settings file was set aside: say so, start with the defaults
            window.messages.show_message(settings.problem, Level.WARNING)
        # the window is the timer's context: closed before the loop runs, nothing fires
        QTimer.singleShot(0, window, lambda: self._open_library(window, paths, settings))
        return window

    def _open_library(self, window: MainWindow, paths: DataPaths, settings: Settings) -> None:
        core = self._open_core(paths, settings)
        if core is None:
            window.close()
            self.app.exit(1)
            return
        self.core = core
        announcement = None
        if self._unclean and not core.created:
            last = core.pieces.last_change()
            when = f" (last saved {last.astimezone():%d %B, %H:%M})" if last else ""
            announcement = (
                f"{APP_NAME} did not close properly last time. Everything autosaved was restored{when}."
            )
            log.warning("Unclean shutdown detected; reopening the last piece")
        window.attach(core)
        window.ready.connect(self._after_ready)
        window.start(announce_recovery=announcement)

    def _open_core(self, paths: DataPaths, settings: Settings) -> Core | None:
        from app.core import open_core
        from app.recovery import LibraryRecovery
        from ui.recovery import Choice, ask_recovery

        while True:
            try:
                return open_core(paths.root, settings=settings)
            except CorruptLibraryError as exc:
                log.error("The library is damaged: %s", exc)
                recovery = LibraryRecovery(paths)
                latest = recovery.latest_backup()
                choice = ask_recovery(str(exc), latest, self.window)
                if choice is Choice.QUIT:
                    return None
                if choice is Choice.RESTORE and latest is not None:
                    kept = recovery.restore(latest)
                    log.warning("Restored the backup of %s; kept %s", latest.label, kept)
                else:
                    recovery.set_aside_damaged()
            except CopydeskError as exc:
                QMessageBox.critical(
                    self.window, APP_NAME, f"Copydesk cannot open its library.\n\n{exc}"
                )
                return None

    def _after_ready(self) -> None:
        """Housekeeping once the user can work: today's backup, then a check of the file."""
        from app.recovery import LibraryRecovery

        if self.core is None or self.runner is None or self.window is None:
            return
        core, window = self.core, self.window
        try:
            self.window.ready.disconnect(self._after_ready)
        except RuntimeError:
            pass
        # a failure goes to the runner's handler, _on_background_error
        self.runner.write(LibraryRecovery(core.paths).make_daily_backup, owner=window)

        def report(problems: list[str]) -> None:
            if problems:
                window.messages.show_message(
                    "The library file has problems ("
                    + "; ".join(problems[:3])
                    + "). Your work is still being saved; restart Copydesk to restore the "
                    "latest backup if pieces look wrong.",
                )

        self.runner.read(core.db.integrity_problems, owner=window, on_done=report)

    def _save_hook(self) -> None:
        if self.window is not None:
            self.window.save_everything()

    def _on_background_error(self, error: BaseException) -> None:
        """The runner's handler: every bug (to the crash dialog), and the expected errors of calls
        that take none of their own (to the message bar)."""
        if isinstance(error, CopydeskError) and self.window is not None:
            self.window.messages.show_error(error)
            return
        crash.handle_exception(type(error), error, error.__traceback__)

    def close(self) -> None:
        crash.remove_save_hook(self._save_hook)
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            # delete it now: its web pages must go before the profiles the application owns
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            self.window = None
        if self.runner is not None:
            self.runner.shutdown()
            self.runner = None
        if self.core is not None:
            self.core.close()
            self.core = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


_signal_sockets: list[object] = []


def quit_on_signals(app: QApplication) -> None:
    """SIGTERM and SIGINT (a logout, ``kill``, Ctrl+C) close the window like Quit does.

    Python runs signal handlers only between bytecodes, and the Qt event loop runs none while it
    waits; a socket that the signal writes to wakes the loop (``signal.set_wakeup_fd``).
    """
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def on_wakeup() -> None:
        try:
            reader.recv(64)
        except OSError:
            pass

    notifier.activated.connect(on_wakeup)
    _signal_sockets[:] = [reader, writer, notifier]  # alive as long as the process

    def quit_now() -> None:
        for window in app.topLevelWidgets():
            if isinstance(window, MainWindow):
                window.closing_on_signal = True
                window.close()
        app.quit()

    def on_signal(number: int, _frame: object) -> None:
        # The handler may run in the middle of anything (a paint event, say): act from the event
        # loop's top level instead, where closing and deleting the window is safe.
        log.warning("Received signal %d: saving and quitting", number)
        QTimer.singleShot(0, quit_now)

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, on_signal)


def run(args: argparse.Namespace, qt_args: list[str]) -> int:
    app = make_application([sys.argv[0], *qt_args])
    if args.smoke_test:
        from ui.smoke import run_smoke_test

        return run_smoke_test(app)
    from ui import logs

    data_dir = resolve_data_dir(args.data_dir)
    log_file = logs.setup(DataPaths(data_dir).ensure().logs)
    crash.install(log_file)
    log.info("%s %s starting on %s", APP_NAME, version(), data_dir)
    startup = Startup(app)
    if startup.open(data_dir) is None:
        startup.close()
        return 1
    app.aboutToQuit.connect(startup.close)
    quit_on_signals(app)
    return app.exec()
