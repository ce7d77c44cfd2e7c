"""The notes panel: the open piece's note threads, each with its quote, author, time and replies.

A thread is one row, its replies rows under it. Clicking a thread asks for its passage to be selected
in the editor; the buttons below reply, resolve or reopen, and (the author's own notes only, as the
core enforces) edit and delete. An orphaned note (its passage no longer found) is listed with its
quote and marked as such, never dropped. The line at the top says whether the notes are shared through
the site or stay on this computer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.notes.data import NoteData, NotesSharing, NoteThread
from ui.notes.delegate import NoteDelegate

NOTE_ROLE = Qt.ItemDataRole.UserRole


def when(moment: datetime) -> str:
    """A note's time in local time, short."""
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone()
    return local.strftime("%d %b %H:%M")


def thread_text(thread: NoteThread) -> str:
    note = thread.note
    lines = []
    resolved = "Resolved · " if note.resolved else ""
    if thread.orphaned:
        lines.append(f"{resolved}Orphaned: its passage is gone. It was on “{note.quote}”")
    elif note.anchor is None:
        lines.append(f"{resolved}On the whole piece")
    else:
        lines.append(f"{resolved}“{note.quote}”")
    state = f" · resolved by {note.resolved_by or 'someone'}" if note.resolved else ""
    pending = " · not sent yet" if note.pending and note.site_id is not None else ""
    lines.append(f"{note.author or 'You'} · {when(note.created_at)}{state}{pending}")
    lines.append(note.body)
    return "\n".join(lines)


def reply_text(reply: NoteData) -> str:
    return f"{reply.author or 'You'} · {when(reply.created_at)}\n{reply.body}"


class NoteDialog(QDialog):
    """Write (or change) one note; opened with ``open()``, read on ``accepted``."""

    def __init__(self, title: str, context: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(460, 260)
        about = QLabel(context)
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.PlainText)
        self.editor = QPlainTextEdit(text)
        self.editor.setAccessibleName("Note")
        self.editor.setPlaceholderText("Your note")
        self.editor.setTabChangesFocus(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Save Note")
        self.ok.setEnabled(bool(text.strip()))
        self.editor.textChanged.connect(
            lambda: self.ok.setEnabled(bool(self.editor.toPlainText().strip()))
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.editor.setFocus()

    def text(self) -> str:
        return self.editor.toPlainText().strip()


class NotesPanel(QWidget):
    thread_activated = Signal(object)  # NoteThread: select its passage
    reply_requested = Signal(int, str)  # note id, text
    resolve_requested = Signal(int, bool)  # note id, resolved (False: reopen)
    edit_requested = Signal(object)  # NoteData
    delete_requested = Signal(object)  # NoteData
    add_piece_requested = Signal()
    sync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self._threads: list[NoteThread] = []
        self.sharing = QLabel("No piece open.")
        self.sharing.setWordWrap(True)
        self.sharing.setTextFormat(Qt.TextFormat.PlainText)
        self.sharing.setAccessibleName("Where the notes are kept")
        self.add_piece = QPushButton("Note on Piece…")
        self.add_piece.setAccessibleName("Add a note on the whole piece")
        self.sync = QPushButton("Sync")
        self.sync.setAccessibleName("Sync notes with the site")
        self.show_resolved = QCheckBox("Show resolved")
        self.show_resolved.setAccessibleName("Show resolved notes")
        self.show_resolved.setChecked(True)
        top = QHBoxLayout()
        top.addWidget(self.add_piece)
        top.addWidget(self.sync)
        top.addStretch(1)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAccessibleName("Notes on this piece")
        self.tree.setAlternatingRowColors(True)
        self.tree.setItemDelegate(NoteDelegate(self.tree))
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = QLabel("No notes yet. Select a passage and press Ctrl+Alt+M to add one.")
        self.empty.setWordWrap(True)
        self.composer = QPlainTextEdit()
        self.composer.setAccessibleName("Reply")
        self.composer.setPlaceholderText("Write a reply…")
        self.composer.setTabChangesFocus(True)
        self.composer.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.reply = QPushButton("Reply")
        self.resolve = QPushButton("Resolve")
        self.reopen = QPushButton("Reopen")
        self.edit = QPushButton("Edit…")
        self.delete = QPushButton("Delete")
        buttons = QHBoxLayout()  # two rows, so the dock stays narrow
        own = QHBoxLayout()
        for button, name, row in (
            (self.reply, "Send the reply", buttons), (self.resolve, "Resolve the note", buttons),
            (self.reopen, "Reopen the note", buttons), (self.edit, "Edit your note", own),
            (self.delete, "Delete your note", own),
        ):  # fmt: skip
            button.setAccessibleName(name)
            row.addWidget(button)
        buttons.addStretch(1)
        own.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sharing)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.show_resolved)
        layout.addWidget(self.composer)
        layout.addLayout(buttons)
        layout.addLayout(own)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.tree.itemClicked.connect(self._on_tree_item_clicked)
        self.tree.itemActivated.connect(self._on_tree_item_clicked)
        self.composer.textChanged.connect(self._update_buttons)
        self.show_resolved.toggled.connect(lambda _on: self.show_threads(self._threads))
        self.reply.clicked.connect(self._on_reply_clicked)
        self.resolve.clicked.connect(lambda: self._resolve(True))
        self.reopen.clicked.connect(lambda: self._resolve(False))
        self.edit.clicked.connect(lambda: self._emit_selected(self.edit_requested))
        self.delete.clicked.connect(lambda: self._emit_selected(self.delete_requested))
        self.add_piece.clicked.connect(self.add_piece_requested)
        self.sync.clicked.connect(self.sync_requested)
        self._update_buttons()

    # -- showing -------------------------------------------------------------------------------

    def set_sharing(self, sharing: NotesSharing | None) -> None:
        if sharing is None:
            self.sharing.setText("No piece open.")
        elif sharing.shared:
            self.sharing.setText(sharing.message)
        elif "plugin" in sharing.message:
            self.sharing.setText(
                "Notes stay on this computer: the site has no Copydesk companion plugin (0.4.0 or "
                "later). Ask its administrator to install it to share notes with the desk."
            )
        else:
            self.sharing.setText("Notes stay on this computer until the piece is on a site.")
        self.sync.setEnabled(sharing is not None and sharing.shared)

    def show_threads(self, threads: Sequence[NoteThread]) -> None:
        """List *threads*, keeping the selection on the same note."""
        selected = self.selected_note()
        self._threads = list(threads)
        self.tree.clear()
        shown = [t for t in threads if self.show_resolved.isChecked() or t.is_open]
        for thread in shown:
            item = QTreeWidgetItem([thread_text(thread)])
            item.setData(0, NOTE_ROLE, thread.note.id)
            item.setToolTip(0, thread_text(thread))
            if thread.orphaned:
                font = QFont(item.font(0))
                font.setItalic(True)
                item.setFont(0, font)
            for reply in thread.replies:
                child = QTreeWidgetItem([reply_text(reply)])
                child.setData(0, NOTE_ROLE, reply.id)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
        self.empty.setVisible(not shown)
        if selected is not None:
            self.select_note(selected.id)
        self._update_buttons()

    def threads(self) -> list[NoteThread]:
        return list(self._threads)

    def select_note(self, note_id: int) -> None:
        """Make the row of *note_id* current without asking for its passage."""
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item is None:
                continue
            for row in (item, *(item.child(i) for i in range(item.childCount()))):
                if row is not None and row.data(0, NOTE_ROLE) == note_id:
                    self.tree.blockSignals(True)
                    self.tree.setCurrentItem(row)
                    self.tree.blockSignals(False)
                    self.tree.scrollToItem(row)
                    self._update_buttons()
                    return

    # -- the selection -------------------------------------------------------------------------

    def _note_of(self, item: QTreeWidgetItem | None) -> tuple[NoteThread, NoteData] | None:
        if item is None:
            return None
        note_id = item.data(0, NOTE_ROLE)
        for thread in self._threads:
            if thread.note.id == note_id:
                return thread, thread.note
            for reply in thread.replies:
                if reply.id == note_id:
                    return thread, reply
        return None

    def selected_thread(self) -> NoteThread | None:
        found = self._note_of(self.tree.currentItem())
        return found[0] if found else None

    def selected_note(self) -> NoteData | None:
        found = self._note_of(self.tree.currentItem())
        return found[1] if found else None

    def _update_buttons(self) -> None:
        thread, note = self.selected_thread(), self.selected_note()
        self.reply.setEnabled(thread is not None and bool(self.composer.toPlainText().strip()))
        self.composer.setEnabled(thread is not None)
        self.resolve.setEnabled(thread is not None and thread.is_open)
        self.reopen.setEnabled(thread is not None and not thread.is_open)
        # one of the two at a time, in the same place
        self.resolve.setVisible(not self.reopen.isEnabled())
        self.reopen.setVisible(self.reopen.isEnabled())
        mine = note is not None and note.mine
        self.edit.setEnabled(mine)
        self.delete.setEnabled(mine)
        tip = "" if mine or note is None else f"Only {note.author or 'its author'} may change it."
        self.edit.setToolTip(tip)
        self.delete.setToolTip(tip)

    def _on_tree_item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        found = self._note_of(item)
        if found is not None:
            self.thread_activated.emit(found[0])

    def _on_reply_clicked(self) -> None:
        thread, text = self.selected_thread(), self.composer.toPlainText().strip()
        if thread is not None and text:
            self.reply_requested.emit(thread.note.id, text)
            self.composer.clear()

    def _resolve(self, resolved: bool) -> None:
        thread = self.selected_thread()
        if thread is not None:
            self.resolve_requested.emit(thread.note.id, resolved)

    def _emit_selected(self, signal: SignalInstance) -> None:
        note = self.selected_note()
        if note is not None:
            signal.emit(note)
