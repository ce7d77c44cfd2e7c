"""The main window: assembles the features and wires them together, nothing more.

Library on the left, metadata on the right (both docks the user can move), the editor and the live
preview in the middle, messages above them. All connections are made in :meth:`_connect_signals`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QActionGroup, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.errors import CopydeskError
from app.pieces.data import PieceData
from app.text.spelling import LANGUAGE_NAMES
from app.text.stats import TextStats
from ui.actions import ActionTable
from ui.editor.panel import EditorPanel
from ui.editor.spellcheck import SpellService
from ui.library.pane import LibraryPane
from ui.messages import Level, MessageBar
from ui.metadata.panel import MetadataPanel
from ui.runner import TaskRunner
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
        self.actions = ActionTable(self)
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
        # the preview (QtWebEngine) is made in attach(), after the window is on screen; its place
        # is kept, in the article's paper colour, so nothing moves when it arrives
        self.preview_host = QWidget()
        self.preview_host.setObjectName("previewHost")
        self.preview_host.setStyleSheet("#previewHost { background: #fdfcf9; }")
        QVBoxLayout(self.preview_host).setContentsMargins(0, 0, 0, 0)
        self.library = LibraryPane(runner)
        self.metadata = MetadataPanel(runner)
        self.status = StatusBar()
        self._loading_text = False
        self._starting = True
        self._restore_announcement: str | None = None
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
        from ui.comments.desk import CommentDesk
        from ui.editor.session import PieceSession
        from ui.library.controller import LibraryController
        from ui.preview.controller import PreviewController
        from ui.preview.view import PreviewView
        from ui.publish.controller import PublishController

        self.core = core
        self.session = PieceSession(core, self.runner, self.editor.toPlainText)
        self.preview = PreviewView()
        self.preview_host.layout().addWidget(self.preview)
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
        for action in self.comment_desk.actions.values():
            self._comment_menu.addAction(action)
        self.library.attach(core)
        self.metadata.attach(core, self.session)
        self.comment_desk.attach(core)
        self.preview_controller.set_scroll_sync(self.settings.get("preview.sync_scroll"))
        self._connect_signals()

    # -- construction --------------------------------------------------------------------------

    def _build(self) -> None:
        self.setWindowTitle(APP_NAME)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("editorSplitter")
        self.splitter.addWidget(self.editor_panel)
        self.splitter.addWidget(self.preview_host)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([600, 600])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.messages)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.library_dock = self._dock("libraryDock", "Library", self.library)
        self.metadata_dock = self._dock("metadataDock", "Metadata", self.metadata)
        self.outbox_dock = self._dock("outboxDock", "Outbox", QWidget())
        self.comments_dock = self._dock("commentsDock", "Comments", QWidget())
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.library_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.metadata_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.outbox_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.comments_dock)
        self.tabifyDockWidget(self.metadata_dock, self.comments_dock)
        self.metadata_dock.raise_()
        self.outbox_dock.hide()
        self.setStatusBar(self.status)
        self._build_menus()
        self._build_toolbar()
        self.library.set_context_actions(
            [self.actions[i] for i in ("piece/new", "piece/duplicate", "piece/trash", "piece/restore")]
        )

    def _dock(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        return dock

    def _build_menus(self) -> None:
        a = self.actions
        bar = self.menuBar()
        menus = {
            "&File": [
                "piece/new", "piece/import", None, "piece/save", "piece/duplicate",
                "piece/history", None, "piece/export-md", "piece/export-html", None,
                "piece/trash", "piece/restore", "library/empty-trash", None, "app/quit",
            ],
            "&Edit": [
                "edit/undo", "edit/redo", None, "edit/cut", "edit/copy", "edit/paste",
                "edit/select-all", None, "edit/find", "edit/find-next", "edit/find-previous",
                "edit/replace", None, "library/search", None, "app/preferences",
            ],
            "F&ormat": ["format/bold", "format/italic", None, "format/link", "format/image"],
            "&View": [
                "view/library", "view/metadata", "view/comments", "view/outbox",
                "view/preview", "view/sync-scroll", None, "view/full-screen",
            ],
            "&Publish": ["publish/push", "publish/pull", None, "publish/sites"],
            "&Comments": ["comments/sync", "comments/inbox", None, "COMMENT_ACTIONS"],
            "&Tools": ["spelling/toggle", "LANGUAGES", None, "library/boilerplate"],
            "&Help": ["app/about"],
        }  # fmt: skip
        for title, ids in menus.items():
            menu = bar.addMenu(title)
            for action_id in ids:
                if action_id is None:
                    menu.addSeparator()
                elif action_id == "COMMENT_ACTIONS":
                    self._comment_menu = menu  # filled in attach(), when the desk exists
                elif action_id == "LANGUAGES":
                    self._languages = menu.addMenu("Spelling &Language")
                    group = QActionGroup(self)
                    for code, name in LANGUAGE_NAMES.items():
                        action = self._languages.addAction(name)
                        action.setCheckable(True)
                        action.setData(code)
                        action.setChecked(code == self.spelling.language)
                        group.addAction(action)
                    group.triggered.connect(self._on_language_chosen)
                else:
                    menu.addAction(a[action_id])

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Tools", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for action_id in (
            "piece/new", "piece/save", "piece/history", None, "format/bold", "format/italic",
            "format/link", "format/image", None, "edit/find", "view/preview", "spelling/toggle",
            None, "library/boilerplate",
        ):  # fmt: skip
            if action_id is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(self.actions[action_id])
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    # -- wiring --------------------------------------------------------------------------------

    def _connect_signals(self) -> None:
        a = self.actions
        lib = self.library_controller
        a["piece/new"].triggered.connect(lib.new_piece)
        # triggered() passes `checked`; these slots take other optional arguments, so wrap them
        a["piece/import"].triggered.connect(lambda: lib.import_file())  # noqa: PLW0108
        a["piece/save"].triggered.connect(self._on_save_triggered)
        a["piece/duplicate"].triggered.connect(lib.duplicate)
        a["piece/trash"].triggered.connect(lib.trash)
        a["piece/restore"].triggered.connect(lambda: lib.restore())  # noqa: PLW0108
        a["library/empty-trash"].triggered.connect(lib.empty_trash)
        a["piece/export-md"].triggered.connect(lambda: lib.export("md"))
        a["piece/export-html"].triggered.connect(lambda: lib.export("html"))
        a["piece/history"].triggered.connect(self._on_history_triggered)
        a["library/search"].triggered.connect(self._on_search_triggered)
        a["library/boilerplate"].triggered.connect(self._on_boilerplate_triggered)
        a["app/quit"].triggered.connect(self.close)
        a["app/preferences"].triggered.connect(self._on_preferences_triggered)
        a["app/about"].triggered.connect(self._on_about_triggered)
        for name in ("undo", "redo", "cut", "copy", "paste", "select-all"):
            a[f"edit/{name}"].triggered.connect(lambda _=False, n=name: self._edit_command(n))
        a["edit/find"].triggered.connect(lambda: self.editor_panel.find_bar.open_find())  # noqa: PLW0108
        a["edit/replace"].triggered.connect(
            lambda: self.editor_panel.find_bar.open_find(with_replace=True)
        )
        a["edit/find-next"].triggered.connect(self.editor_panel.find_bar.find_next)
        a["edit/find-previous"].triggered.connect(self.editor_panel.find_bar.find_previous)
        a["format/bold"].triggered.connect(self.editor_panel.bold)
        a["format/italic"].triggered.connect(self.editor_panel.italic)
        a["format/link"].triggered.connect(self.editor_panel.link)
        a["format/image"].triggered.connect(self.editor_panel.image)
        a["spelling/toggle"].toggled.connect(self._on_spelling_toggled)
        a["view/preview"].toggled.connect(self._on_preview_toggled)
        a["view/sync-scroll"].toggled.connect(self._on_sync_scroll_toggled)
        a["view/library"].toggled.connect(self.library_dock.setVisible)
        a["view/metadata"].toggled.connect(self.metadata_dock.setVisible)
        a["view/full-screen"].toggled.connect(self._on_full_screen_toggled)
        self.library_dock.visibilityChanged.connect(lambda v: self._sync_check(a["view/library"], v))
        self.metadata_dock.visibilityChanged.connect(lambda v: self._sync_check(a["view/metadata"], v))

        a["publish/push"].triggered.connect(self.publishing.push)
        a["publish/pull"].triggered.connect(self.publishing.pull)
        a["publish/sites"].triggered.connect(self.publishing.manage_sites)
        a["view/outbox"].toggled.connect(self.outbox_dock.setVisible)
        self.outbox_dock.visibilityChanged.connect(lambda v: self._sync_check(a["view/outbox"], v))
        self.outbox.jobs_listed.connect(
            lambda _jobs: self.status.show_outbox(self.outbox_panel.counts_label())
        )
        self.status.outbox_clicked.connect(lambda: self.actions["view/outbox"].setChecked(True))
        a["view/comments"].toggled.connect(self._on_comments_toggled)
        self.comments_dock.visibilityChanged.connect(lambda v: self._sync_check(a["view/comments"], v))
        a["comments/sync"].triggered.connect(lambda: self.comment_desk.sync_now())  # noqa: PLW0108
        a["comments/inbox"].triggered.connect(self._on_comments_inbox_triggered)
        self.comment_desk.counts_changed.connect(self.library.set_comment_counts)
        self.comment_desk.piece_requested.connect(self.library.select_piece)
        self.library.piece_selected.connect(self.comment_desk.show_piece)

        self.library.piece_selected.connect(lib.open_piece)
        self.library.selection_changed.connect(self._on_library_selection_changed)
        self.library.list_loaded.connect(self._on_library_list_loaded)
        lib.piece_loaded.connect(self._on_piece_loaded)
        lib.piece_unloaded.connect(self._on_piece_unloaded)

        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.editor.focus_lost.connect(self.session.save)
        self.editor.scrolled.connect(self.preview_controller.sync_to_editor)
        self.session.content_changed.connect(self.preview_controller.request)
        self.session.content_changed.connect(self.status.show_editing)
        self.session.metadata_changed.connect(self._on_session_metadata_changed)
        self.session.draft_saved.connect(self._on_session_draft_saved)
        self.session.save_failed.connect(self._on_session_save_failed)
        self.preview_controller.stats_changed.connect(self._on_stats_changed)
        self.preview_controller.render_failed.connect(self._on_render_failed)
        self.metadata.manage_boilerplate_requested.connect(self._on_boilerplate_triggered)
        self.spelling.load_failed.connect(
            lambda m: self.messages.show_message(f"Spell checking is off: {m}", Level.WARNING)
        )
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

    def _on_session_draft_saved(self, piece: PieceData) -> None:
        if piece.id == self.session.piece_id:
            self.status.show_saved(piece.updated_at)
        self.library.update_piece(piece)
        if self.messages.level is Level.ERROR and "save" in self.messages.text.lower():
            self.messages.clear()

    def _on_session_save_failed(self, error: BaseException) -> None:
        reason = str(error)
        self.status.show_not_saved(reason)
        self.messages.show_message(
            f"Could not save: {reason} Your text is safe in the editor; Copydesk keeps trying.",
            Level.ERROR,
        )

    def _on_stats_changed(self, stats: TextStats) -> None:
        self.status.show_stats(stats)

    def _on_render_failed(self, error: BaseException) -> None:
        self.messages.show_message(f"The preview could not be updated: {error}", Level.WARNING)

    def _on_library_selection_changed(self, ids: list[int]) -> None:
        trash = self.library.showing_trash
        self.actions["piece/restore"].setVisible(trash)
        self.actions["piece/trash"].setVisible(not trash)
        self.actions["piece/restore"].setEnabled(bool(ids))

    def _set_piece_actions_enabled(self, enabled: bool) -> None:
        for action_id in (
            "piece/save", "piece/duplicate", "piece/history", "piece/export-md",
            "piece/export-html", "format/bold", "format/italic", "format/link", "format/image",
            "edit/find", "edit/replace", "edit/find-next", "edit/find-previous",
        ):  # fmt: skip
            self.actions[action_id].setEnabled(enabled)
        self.metadata.setEnabled(enabled)

    def _on_save_triggered(self) -> None:
        self.session.save(reason="saved")
        self.messages.show_message("Saved. This version is kept in the revision history.")

    def _on_history_triggered(self) -> None:
        if not self.session.is_open:
            return
        from ui.revisions.dialog import RevisionsDialog  # loaded when first needed

        self.session.save()
        dialog = RevisionsDialog(self.core, self.runner, self.session.snapshot(), self)
        dialog.restored.connect(self._on_revision_restored)
        dialog.open()

    def _on_revision_restored(self, piece: PieceData) -> None:
        self.library_controller.show_loaded(piece)
        self.messages.show_message(
            "Restored the earlier version. The version before it is kept in the history."
        )

    def _on_comments_toggled(self, visible: bool) -> None:
        self.comments_dock.setVisible(visible)
        if visible:
            self.comments_dock.raise_()

    def _on_comments_inbox_triggered(self) -> None:
        self.actions["view/comments"].setChecked(True)
        self.comments_dock.raise_()
        self.comment_desk.show_inbox()

    def _on_about_triggered(self) -> None:
        from ui.about import show_about

        show_about(self, str(self.paths.root))

    def _on_search_triggered(self) -> None:
        self.library_dock.show()
        self.library.search.setFocus()
        self.library.search.selectAll()

    def _on_boilerplate_triggered(self) -> None:
        from ui.boilerplate.dialog import BoilerplateDialog  # loaded when first needed

        dialog = BoilerplateDialog(self.core, self)
        dialog.library_changed.connect(self._on_boilerplate_changed)
        dialog.exec()

    def _on_boilerplate_changed(self) -> None:
        self.core.articles.invalidate()
        self.metadata.reload_choices()
        self.preview_controller.render_now()

    def _on_preferences_triggered(self) -> None:
        from ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, str(self.paths.root), self)
        if dialog.exec():
            try:
                dialog.apply()
            except CopydeskError as exc:
                self.messages.show_error(exc, context="Preferences not saved")
                return
            settings = self.settings
            self.theme.apply(settings.get("appearance.theme"))
            self.editor.set_font_size(settings.get("editor.font_size"))
            if settings.get("editor.spell_language") != self.spelling.language:
                self._switch_language(settings.get("editor.spell_language"))

    def _on_language_chosen(self, action: object) -> None:
        code = action.data()  # type: ignore[attr-defined]
        self.settings.set("editor.spell_language", code)
        self.settings.save()
        self._switch_language(code)

    def _switch_language(self, code: str) -> None:
        self.spelling.load(code)
        for action in self._languages.actions():
            action.setChecked(action.data() == code)
        self.status.show_language(code, self.spelling.enabled)

    def _on_spelling_toggled(self, enabled: bool) -> None:
        self.spelling.set_enabled(enabled)
        self.settings.set("editor.spell_check", enabled)
        self.status.show_language(self.spelling.language, enabled)

    def _on_preview_toggled(self, visible: bool) -> None:
        self.preview_host.setVisible(visible)
        self.settings.set("preview.visible", visible)
        if visible:
            self.preview_controller.render_now()

    def _on_sync_scroll_toggled(self, enabled: bool) -> None:
        self.preview_controller.set_scroll_sync(enabled)
        self.settings.set("preview.sync_scroll", enabled)

    def _on_full_screen_toggled(self, on: bool) -> None:
        self.showFullScreen() if on else self.showNormal()

    def _on_theme_changed(self, dark: bool) -> None:
        self.editor.set_dark(dark)
        self.actions.refresh_icons()

    def _on_application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.session.save()

    def _edit_command(self, name: str) -> None:
        widget = QApplication.focusWidget()
        method = {"select-all": "selectAll"}.get(name, name)
        if widget is not None and hasattr(widget, method):
            getattr(widget, method)()

    @staticmethod
    def _sync_check(action: object, visible: bool) -> None:
        action.blockSignals(True)  # type: ignore[attr-defined]
        action.setChecked(visible)  # type: ignore[attr-defined]
        action.blockSignals(False)  # type: ignore[attr-defined]

    # -- layout and quitting -------------------------------------------------------------------

    def _restore_layout(self) -> None:
        s = self.settings
        if s.get("window.geometry"):
            self.restoreGeometry(QByteArray.fromBase64(s.get("window.geometry").encode()))
        else:
            self.resize(1400, 860)
        if s.get("window.state"):
            self.restoreState(QByteArray.fromBase64(s.get("window.state").encode()))
        else:
            self.resizeDocks(
                [self.library_dock, self.metadata_dock], [340, 300], Qt.Orientation.Horizontal
            )
        if s.get("window.splitter"):
            self.splitter.restoreState(QByteArray.fromBase64(s.get("window.splitter").encode()))
        column, descending = s.get("library.sort_column"), s.get("library.sort_descending")
        self.library.set_sort_state(column, descending)
        self.actions["view/preview"].setChecked(s.get("preview.visible"))
        self.preview_host.setVisible(s.get("preview.visible"))
        self.actions["view/sync-scroll"].setChecked(s.get("preview.sync_scroll"))
        self.actions["spelling/toggle"].setChecked(s.get("editor.spell_check"))
        self._sync_check(self.actions["view/library"], not self.library_dock.isHidden())
        self._sync_check(self.actions["view/metadata"], not self.metadata_dock.isHidden())
        self._sync_check(self.actions["view/comments"], not self.comments_dock.isHidden())
        self.editor.set_font_size(s.get("editor.font_size"))
        self.status.show_language(self.spelling.language, self.spelling.enabled)

    def save_layout(self) -> None:
        s = self.settings
        s.set("window.geometry", bytes(self.saveGeometry().toBase64().data()).decode())
        s.set("window.state", bytes(self.saveState().toBase64().data()).decode())
        s.set("window.splitter", bytes(self.splitter.saveState().toBase64().data()).decode())
        column, descending = self.library.sort_state()
        s.set("library.sort_column", column)
        s.set("library.sort_descending", descending)
        s.save()

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
            answer = QMessageBox.warning(
                self,
                "Your latest changes are not saved",
                f"{exc}\n\nQuit anyway and lose the changes since {self._last_saved_label()}?",
                QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self.save_layout()
        self.stop_background_work()
        event.accept()

    def _last_saved_label(self) -> str:
        when = self.session.last_saved_at if self.core is not None else None
        return datetime.fromtimestamp(when).strftime("%H:%M") if when else "you opened it"
