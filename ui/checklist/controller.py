"""The checklist in the window: the open piece's status in a dock (checked again, debounced, after
each save and each change of its notes), the per-site dialog, and the window's spell checker lent to
``core.checklist`` (the item "no spelling errors left", also at the gates before submit and publish).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.checklist.rules import ChecklistReport, SpellingCheck
from ui.checklist.report import ChecklistView, piece_site
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.pieces.data import PieceData
    from ui.actions import ActionTable
    from ui.checklist.dialog import ChecklistDialog
    from ui.editor.session import PieceSession
    from ui.editor.spellcheck import SpellService

log = logging.getLogger(__name__)

CHECK_DELAY_MS = 1500


def window_spelling(spelling: SpellService) -> SpellingCheck:
    """The misspelt words of a body, by the window's loaded dictionary (any thread)."""
    from app.render.markdown import html_to_text, render_markdown
    from app.text.spelling import WORD, should_check

    def misspelt(body: str) -> Sequence[str]:
        words = {w for w in WORD.findall(html_to_text(render_markdown(body))) if should_check(w)}
        return sorted(w for w in words if spelling.is_misspelt_now(w))

    return misspelt


class ChecklistPanel(QWidget):
    check_requested = Signal(bool)  # with the links

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistPanel")
        self.summary = QLabel("No piece open.")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Checklist summary")
        self.view = ChecklistView()
        self.check = QPushButton("Check Again")
        self.check.setAccessibleName("Check the piece again")
        self.links = QPushButton("Check Links")
        self.links.setAccessibleName("Check that the piece's links resolve")
        buttons = QHBoxLayout()
        buttons.addWidget(self.check)
        buttons.addWidget(self.links)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.check.clicked.connect(lambda: self.check_requested.emit(False))
        self.links.clicked.connect(lambda: self.check_requested.emit(True))

    def show_report(self, report: ChecklistReport | None) -> None:
        self.view.show_report(report)
        if report is None:
            self.summary.setText("No piece open.")
        elif report.missing:
            self.summary.setText(
                f"Blocked: {len(report.missing)} required item"
                f"{'s' if len(report.missing) > 1 else ''} missing. It cannot be submitted or "
                "published until they are met."
            )
        elif report.warnings:
            self.summary.setText(f"Ready, with {len(report.warnings)} recommendation(s) not met.")
        else:
            self.summary.setText("Ready: every item is met.")


class ChecklistController(QObject):
    report_shown = Signal(object)  # ChecklistReport

    def __init__(
        self,
        *,
        core: Core,
        runner: TaskRunner,
        session: PieceSession,
        spelling: SpellService,
        window: QMainWindow,
        beside: QDockWidget,
    ) -> None:
        super().__init__(window)
        from ui.layout import add_tabbed_dock

        self._core = core
        self._runner = runner
        self._session = session
        self._spelling = spelling
        self._window = window
        self._request = 0
        self.site_id: int | None = None
        self.dialog: ChecklistDialog | None = None
        self.panel = ChecklistPanel()
        self.dock = add_tabbed_dock(window, "checklistDock", "Checklist", self.panel, beside)
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        session.piece_opened.connect(self._on_piece_opened)
        session.piece_closed.connect(lambda: self.panel.show_report(None))
        session.draft_saved.connect(lambda _piece: self._timer.start())
        spelling.verdicts_reset.connect(self._lend_spelling)
        self.panel.check_requested.connect(lambda links: self.check(links=links))
        self._lend_spelling()

    def connect_actions(self, table: ActionTable) -> None:
        table["checklist/edit"].triggered.connect(self.edit)
        table["checklist/show"].triggered.connect(self.show_panel)

    def follow_notes(self, changed: SignalInstance) -> None:
        """Check again when the open piece's notes change (the item "no open notes")."""
        changed.connect(self._timer.start)

    def _lend_spelling(self) -> None:
        """The checklist's spelling item uses the window's dictionary once it is loaded."""
        ready = self._spelling.ready and self._spelling.enabled
        self._core.checklist.spelling = window_spelling(self._spelling) if ready else None
        if self._session.is_open:
            self._timer.start()

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.check()

    def edit(self) -> None:
        from ui.checklist.dialog import ChecklistDialog

        dialog = ChecklistDialog(self._core, self._runner, self.site_id, self._window)
        dialog.saved.connect(lambda _saved: self.check())
        dialog.open()
        self.dialog = dialog

    # -- the open piece --------------------------------------------------------------------------

    def _on_piece_opened(self, piece: PieceData) -> None:
        self.site_id = None
        self.panel.show_report(None)
        if piece.id is not None:
            self.check()

    def check(self, *, links: bool = False) -> None:
        piece_id = self._session.piece_id
        if piece_id is None:
            return
        self._request += 1
        request, core = self._request, self._core

        def run() -> tuple[int | None, ChecklistReport]:
            site = piece_site(core, piece_id)
            return site, core.checklist.check(piece_id, site, links=links)

        if links:
            self.panel.summary.setText("Checking the links…")
        lane = self._runner.network if links else self._runner.read
        lane(run, owner=self, on_done=lambda found: self._on_checked(request, piece_id, found),
             on_error=lambda error: self.panel.summary.setText(f"Not checked: {error}"))  # fmt: skip

    def _on_checked(
        self, request: int, piece_id: int, found: tuple[int | None, ChecklistReport]
    ) -> None:
        if request != self._request or piece_id != self._session.piece_id:
            return
        self.site_id, report = found
        self.panel.show_report(report)
        self.report_shown.emit(report)
