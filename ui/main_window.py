"""The main window: assembles the features and wires them together, nothing more.

Library on the left, metadata on the right (both docks the user can move), the editor and the live
preview in the middle, messages above them. All connections are made in :meth:`_connect_signals`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow

from app import APP_NAME
from app.errors import CopydeskError
from app.pieces.data import PieceData
from ui import actions
from ui.actions import ActionTable
from ui.editor.language_menu import LanguageMenu
from ui.editor.panel import EditorPanel
from ui.editor.spellcheck import SpellService
from ui.layout import CentralArea, add_docks, restore_layout, save_layout, show_dock
from ui.library.pane import LibraryPane
from ui.messages import Level, MessageBar
from ui.metadata.panel import MetadataPanel
from ui.notices import Notices
from ui.runner import TaskRunner
from ui.settings_bridge import SettingsBridge, follow_settings
from ui.statusbar import StatusBar
from ui.theme import ThemeManager, is_dark

if TYPE_CHECKING:
    from app.core import Core
    from app.paths import DataPaths
    from app.settings import Settings

log = logging.getLogger(__name__)

SPELLING_DELAY_MS = 500
OUTBOX_DELAY_MS = 1500


class MainWindow(QMainWindow):
    ready = Signal()  # the library list is loaded and the last piece (if any) is open

    def __init__(
        self, settings: Settings, paths: DataPaths, runner: TaskRunner, theme: ThemeManager
    ) -> None:
        """Build the window from the settings alone, so it can be on screen before the library
        (and the database code) is loaded; :meth:`attach` brings the library in."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.paths = paths
        self.runner = runner
        self.theme = theme
        self.core: Core | None = None
        self.action_table = ActionTable(self)
        self.settings_bridge = SettingsBridge(settings, self)
        self.messages = MessageBar()
        self.spelling = SpellService(
            runner,
            paths.personal_dictionary,
            settings.get("editor.spell_language"),
            enabled=settings.get("editor.spell_check"),
        )
        self.spelling.setParent(self)
        self.editor_panel = EditorPanel(self.spelling)
        self.editor = self.editor_panel.editor
        self.editor.setEnabled(False)
        self.library = LibraryPane(runner)
        self.metadata = MetadataPanel(runner)
        self.status = StatusBar()
        self._loading_text = False
        self._starting = True
        self._restore_announcement: str | None = None
        self.closing_on_signal = False  # set by a SIGTERM/SIGINT: no question when nothing is lost
        self._build()
        self._restore_layout()
        self._set_piece_actions_enabled(False)

    @property
    def ready_for_work(self) -> bool:
        """The library is open and a piece is in the editor."""
        return self.core is not None and self.session.is_open

    def attach(self, core: Core) -> None:
        """Open the library in this window: the parts that work on pieces, and their wiring."""
        # the parts that work on pieces load here, after the window is on screen
        from ui.boilerplate.controller import BoilerplateController
        from ui.changes.parts import attach_changes
        from ui.comments.controller import CommentController
        from ui.comments.desk import CommentDesk
        from ui.editor.session import PieceSession
        from ui.library.controller import LibraryController
        from ui.notes.parts import attach_notes
        from ui.preview.controller import PreviewController
        from ui.preview.view import PreviewView
        from ui.publish.controller import PublishController
        from ui.review.controller import ReviewController

        self.core = core
        self.session = PieceSession(core, self.runner, self.editor.toPlainText)
        self.preview = PreviewView()
        self.central.set_preview(self.preview)
        self.preview_controller = PreviewController(core, self.runner, self.session, self.preview)
        self.library_controller = LibraryController(
            core=core,
            runner=self.runner,
            session=self.session,
            pane=self.library,
            messages=self.messages,
            window=self,
        )
        # the window owns its controllers: their timers die with it
        for part in (self.session, self.preview_controller, self.library_controller):
            part.setParent(self)
        self.publishing = PublishController(
            core=core,
            runner=self.runner,
            session=self.session,
            library=self.library_controller,
            messages=self.messages,
            window=self,
        )
        self.outbox = self.publishing.outbox
        self.outbox_panel = self.publishing.panel
        self.outbox_dock.setWidget(self.outbox_panel)
        self.comment_desk = CommentDesk(self.runner)
        self.comments_dock.setWidget(self.comment_desk)
        self.comments = CommentController(core, self.runner, self.comment_desk)
        self.review = ReviewController(
            core=core, runner=self.runner, session=self.session, library=self.library_controller,
            messages=self.messages, window=self,
        )  # fmt: skip
        self.review_dock.setWidget(self.review.panel)
        self.notes, self.checklist = attach_notes(self)
        self.changes, self.merging = attach_changes(self)
        for action in self.comment_desk.action_table:
            self._comment_menu.addAction(action)
        self.boilerplate = BoilerplateController(core, self)
        self.notices = Notices(self.status, self.messages, self.library, self)
        self.library.attach(core)
        self.metadata.attach(core, self.session)
        self.comments.start()
        self.review.start()
        self.preview_controller.set_scroll_sync(self.settings.get("preview.sync_scroll"))
        self._connect_signals()

    # -- construction --------------------------------------------------------------------------

    def _build(self) -> None:
        self.setWindowTitle(APP_NAME)
        self.central = CentralArea(self.messages, self.editor_panel)
        self.splitter, self.preview_host = self.central.splitter, self.central.preview_host
        self.setCentralWidget(self.central)
        self.docks = add_docks(self, self.library, self.metadata)
        self.library_dock, self.metadata_dock = self.docks.library, self.docks.metadata
        self.outbox_dock, self.comments_dock = self.docks.outbox, self.docks.comments
        self.review_dock = self.docks.review
        self.setStatusBar(self.status)
        self._build_bars()
        self.library.set_context_actions([self.action_table[i] for i in actions.LIBRARY_CONTEXT])

    def _build_bars(self) -> None:
        self.language_menu = LanguageMenu(self.settings, self)
        menus = self.action_table.build_menus(
            self.menuBar(), {"languages": lambda menu: menu.addMenu(self.language_menu)}
        )
        self._comment_menu = menus["&Comments"]  # the desk's actions join it in attach()
        toolbar = self.action_table.make_toolbar("Tools", "mainToolbar", actions.TOOLBAR, self)
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    # -- wiring --------------------------------------------------------------------------------

    def _connect_signals(self) -> None:
        a, lib = self.action_table, self.library_controller
        lib.connect_actions(a)
        self.editor_panel.connect_actions(a)
        self.publishing.connect_actions(a)
        a["library/search"].triggered.connect(self._on_search_triggered)
        a["library/boilerplate"].triggered.connect(self.boilerplate.manage)
        self.metadata.manage_boilerplate_requested.connect(self.boilerplate.manage)
        self.boilerplate.library_changed.connect(self.metadata.reload_choices)
        self.boilerplate.library_changed.connect(self.preview_controller.render_now)
        a["app/quit"].triggered.connect(self.close)
        a["app/preferences"].triggered.connect(self._on_preferences_triggered)
        a["app/about"].triggered.connect(self._on_about_triggered)

        follow_settings(self)  # each part follows the settings it cares about

        self.docks.connect_view_actions(a)
        a["view/full-screen"].toggled.connect(self._on_full_screen_toggled)

        self.publishing.publish_time_wanted.connect(self.metadata_dock.show)
        self.publishing.publish_time_wanted.connect(self.metadata.schedule.setFocus)
        self.outbox.jobs_listed.connect(
            lambda _jobs: self.status.show_outbox(self.outbox_panel.counts_label())
        )
        self.status.outbox_clicked.connect(lambda: a["view/outbox"].setChecked(True))
        a["comments/sync"].triggered.connect(lambda: self.comments.sync_now())  # noqa: PLW0108
        a["comments/inbox"].triggered.connect(self._on_comments_inbox_triggered)
        self.review.connect_actions(a)
        self.notes.connect_actions(a)
        self.checklist.connect_actions(a)
        self.changes.connect_actions(a)
        self.review.statuses_allowed.connect(self.metadata.set_allowed_statuses)
        # a word merge from the version submitted when there is one, else the side-by-side view
        self.review.conflict_found.connect(self.merging.on_conflict)
        self.outbox.job_changed.connect(self.review.on_job_changed)
        self.comments.counts_changed.connect(self.library.set_comment_counts)
        self.comment_desk.piece_requested.connect(self.library.select_piece)
        self.library.piece_selected.connect(self.comment_desk.show_piece)

        self.library.piece_selected.connect(lib.open_piece)
        self.library.selection_changed.connect(self._on_library_selection_changed)
        self.library.list_loaded.connect(self._on_library_list_loaded)
        lib.piece_loaded.connect(self._on_piece_loaded)
        lib.piece_unloaded.connect(self._on_piece_unloaded)

        self.editor.text_edited.connect(self._on_editor_text_changed)
        self.editor.focus_lost.connect(self.session.save)
        self.editor.scrolled.connect(self.preview_controller.sync_to_editor)
        self.session.content_changed.connect(self.preview_controller.request)
        self.session.metadata_changed.connect(self._on_session_metadata_changed)
        self.notices.follow(self.session, self.preview_controller, self.spelling)
        self.theme.theme_changed.connect(self._on_theme_changed)
        app = QApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_application_state_changed)

    # -- start ---------------------------------------------------------------------------------

    def start(self, *, announce_recovery: str | None = None) -> None:
        """Load the library and reopen the last piece; called once the window is on screen."""
        self._restore_announcement = announce_recovery
        self.metadata.reload_choices()
        last = int(self.settings.get("library.last_piece") or 0)
        self.library.refresh(select=last or None)
        self._on_theme_changed(self.theme_dark())

    def theme_dark(self) -> bool:
        return is_dark(QApplication.palette())

    def _on_library_list_loaded(self, count: int) -> None:
        if self._starting:
            self._starting = False
            if self._restore_announcement is not None:
                self.messages.show_message(self._restore_announcement, Level.WARNING)
                self._restore_announcement = None
            if count == 0:
                self.library_controller.new_piece()  # an empty library opens on a blank page
            elif not self.session.is_open and not self.library.selected_ids():
                self.library.select_first()  # the last piece is gone: open the newest
            QTimer.singleShot(0, self.ready.emit)
            # the dictionary takes most of a second of CPU: load it once the piece is on screen
            QTimer.singleShot(SPELLING_DELAY_MS, self, self.spelling.load)
            # the outbox sender starts only where there are sites (it loads requests, the keyring)
            QTimer.singleShot(OUTBOX_DELAY_MS, self, self.publishing.start_if_needed)

    # -- reactions -----------------------------------------------------------------------------

    def _on_piece_loaded(self, piece: PieceData) -> None:
        self._loading_text = True
        try:
            self.editor.load_text(piece.body)
        finally:
            self._loading_text = False
        self.editor.setEnabled(True)
        self.setWindowTitle(f"{piece.title or 'Untitled'} — {APP_NAME}")
        self._set_piece_actions_enabled(True)
        self.preview_controller.reset()
        if piece.updated_at is not None:
            self.status.show_saved(piece.updated_at)

    def _on_piece_unloaded(self) -> None:
        self._loading_text = True
        try:
            self.editor.load_text("")
        finally:
            self._loading_text = False
        self.editor.setEnabled(False)
        self.status.clear_piece()
        self.setWindowTitle(APP_NAME)
        self._set_piece_actions_enabled(False)

    def _on_editor_text_changed(self) -> None:
        if not self._loading_text:
            self.session.note_body_edited()

    def _on_session_metadata_changed(self, piece: PieceData) -> None:
        self.setWindowTitle(f"{piece.title or 'Untitled'} — {APP_NAME}")

    def _on_library_selection_changed(self, ids: list[int]) -> None:
        trash = self.library.showing_trash
        self.action_table["piece/restore"].setVisible(trash)
        self.action_table["piece/trash"].setVisible(not trash)
        self.action_table["piece/restore"].setEnabled(bool(ids))

    def _set_piece_actions_enabled(self, enabled: bool) -> None:
        self.action_table.set_enabled(actions.PIECE_ACTIONS, enabled)
        self.metadata.setEnabled(enabled)

    def _on_comments_inbox_triggered(self) -> None:
        show_dock(self.comments_dock)
        self.comment_desk.show_inbox()

    def _on_about_triggered(self) -> None:
        from ui.about import show_about

        show_about(self, str(self.paths.root))

    def _on_search_triggered(self) -> None:
        self.library_dock.show()
        self.library.search.setFocus()
        self.library.search.selectAll()

    def _on_preferences_triggered(self) -> None:
        from ui.preferences import edit_preferences  # loaded when first needed

        edit_preferences(self.settings, str(self.paths.root), self, self.messages)

    def show_preview(self, visible: bool) -> None:
        self.preview_host.setVisible(visible)
        if visible:
            self.preview_controller.render_now()

    def _on_full_screen_toggled(self, on: bool) -> None:
        self.showFullScreen() if on else self.showNormal()

    def _on_theme_changed(self, dark: bool) -> None:
        self.editor.set_dark(dark)
        self.action_table.refresh_icons()

    def _on_application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.session.save()

    # -- layout and quitting -------------------------------------------------------------------

    def _restore_layout(self) -> None:
        s, a = self.settings, self.action_table
        restore_layout(self, s, self.splitter, self.library, [self.library_dock, self.metadata_dock])
        a["view/preview"].setChecked(s.get("preview.visible"))
        self.preview_host.setVisible(s.get("preview.visible"))
        a["view/sync-scroll"].setChecked(s.get("preview.sync_scroll"))
        a["spelling/toggle"].setChecked(s.get("editor.spell_check"))
        self.docks.show_checks(a)
        self.editor.set_font_size(s.get("editor.font_size"))
        self.status.show_language(self.spelling.language, self.spelling.enabled)

    def save_everything(self) -> None:
        """Save the piece on this thread, now (quitting, or a crash being reported)."""
        if self.core is not None:
            self.session.save_blocking()

    def stop_background_work(self) -> None:
        if self.core is not None:
            self.publishing.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            self.save_everything()
        except CopydeskError as exc:
            from ui.editor.emergency import TextKeptError
            from ui.recovery import ask_quit_unsaved

            last_saved_at = self.session.last_saved_at if self.core is not None else None
            kept = isinstance(exc, TextKeptError)
            if kept and self.closing_on_signal:
                # a logout or kill: nobody is there to answer, and every word is in the copy
                log.warning("Quitting on a signal; the unsaved text is kept: %s", exc)
            elif not ask_quit_unsaved(str(exc), last_saved_at, self, kept=kept):
                event.ignore()
                return
        save_layout(self, self.settings, self.splitter, self.library)
        self.stop_background_work()
        event.accept()
