"""Managing the library of disclaimers and call-to-action snippets, and their default rules."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import Core
from app.errors import CopydeskError
from app.pieces.boilerplate import Kind
from app.pieces.data import Boilerplate
from app.render import render_markdown

log = logging.getLogger(__name__)

_BLURB = {
    "disclaimer": "A disclaimer closes the piece, under a rule. A piece carries one.",
    "snippet": "Call-to-action snippets sit at the end of the body, before the disclaimer.",
}


class EntryEditor(QWidget):
    """The list of one kind of entry, and the editor for the selected one."""

    changed = Signal()

    def __init__(self, core: Core, kind: Kind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._core = core
        self._kind = kind
        self.entries = QListWidget()
        self.add_button = QPushButton("New")
        self.remove_button = QPushButton("Remove")
        self.name = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText("Markdown text")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setObjectName("boilerplatePreview")
        self.save_button = QPushButton("Save")
        self.defaults = QLabel()
        self.defaults.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(self.entries, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        left_widget = QWidget()
        left_widget.setLayout(left)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Text", self.body)
        form.addRow("Looks like", self.preview)
        form.addRow("Attached by default", self.defaults)
        form.addRow("", self.save_button)
        right_widget = QWidget()
        right_widget.setLayout(form)
        splitter = QSplitter()
        splitter.addWidget(left_widget)
        splitter.addWidget(right_widget)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        blurb = QLabel(_BLURB[kind])
        blurb.setWordWrap(True)
        layout.addWidget(blurb)
        layout.addWidget(splitter, 1)
        self.entries.currentItemChanged.connect(self._on_entries_current_changed)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.body.textChanged.connect(self._on_body_changed)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        current = select if select is not None else self._current_id()
        self.entries.clear()
        for entry in self._core.boilerplate.entries(self._kind):
            item = QListWidgetItem(entry.name)
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.entries.addItem(item)
            if entry.id == current:
                self.entries.setCurrentItem(item)
        if self.entries.currentItem() is None and self.entries.count():
            self.entries.setCurrentRow(0)
        self._on_entries_current_changed(self.entries.currentItem(), None)

    def _current(self) -> Boilerplate | None:
        item = self.entries.currentItem()
        entry: Boilerplate | None = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return entry

    def _current_id(self) -> int | None:
        entry = self._current()
        return entry.id if entry else None

    def _on_entries_current_changed(
        self, item: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        entry: Boilerplate | None = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.name.setText(entry.name if entry else "")
        self.body.setPlainText(entry.body if entry else "")
        self.remove_button.setEnabled(entry is not None)
        rules = [r for r in self._core.boilerplate.rules() if entry and r.target_id == entry.id]
        rules = [r for r in rules if r.kind == self._kind]
        if rules:
            self.defaults.setText("; ".join(f"{r.match_field} “{r.match_value}”" for r in rules))
        else:
            self.defaults.setText("Only where you attach it (see the Defaults tab)")

    def _on_body_changed(self) -> None:
        self.preview.setText(render_markdown(self.body.toPlainText()))

    def _on_add_clicked(self) -> None:
        self.entries.clearSelection()
        self.entries.setCurrentRow(-1)
        self.name.setText("")
        self.body.setPlainText("")
        self.name.setFocus()

    def _on_save_clicked(self) -> None:
        try:
            entry = self._current()
            if entry is None:
                saved = self._core.boilerplate.add(self._kind, self.name.text(), self.body.toPlainText())
            else:
                saved = self._core.boilerplate.update(
                    self._kind, entry.id, name=self.name.text(), body=self.body.toPlainText()
                )
        except CopydeskError as exc:
            QMessageBox.warning(self, "Not saved", str(exc))
            return
        self.reload(select=saved.id)
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        entry = self._current()
        if entry is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove",
            f"Remove “{entry.name}” from the library? Pieces that use it will no longer show it.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._core.boilerplate.remove(self._kind, entry.name)
        self.reload()
        self.changed.emit()


class DefaultsEditor(QWidget):
    """Rules that attach a disclaimer or a snippet to new pieces by category or byline."""

    changed = Signal()

    def __init__(self, core: Core, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._core = core
        self.rules = QListWidget()
        self.target = QComboBox()
        self.field = QComboBox()
        self.field.addItem("in the category", "category")
        self.field.addItem("under the byline", "byline")
        self.value = QLineEdit(placeholderText="e.g. Opinion")
        add = QPushButton("Add rule")
        remove = QPushButton("Remove rule")
        row = QHBoxLayout()
        row.addWidget(QLabel("Attach"))
        row.addWidget(self.target, 1)
        row.addWidget(QLabel("to every new piece"))
        row.addWidget(self.field)
        row.addWidget(self.value, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("A rule attaches its text when a piece gets that category or byline."))
        layout.addWidget(self.rules, 1)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(row)
        add.clicked.connect(self._on_add_clicked)
        remove.clicked.connect(self._on_remove_clicked)
        self.reload()

    def reload(self) -> None:
        self.rules.clear()
        for rule in self._core.boilerplate.rules():
            item = QListWidgetItem(rule.description)
            item.setData(Qt.ItemDataRole.UserRole, rule.id)
            self.rules.addItem(item)
        self.target.clear()
        for kind, label in (("disclaimer", "Disclaimer"), ("snippet", "Snippet")):
            for entry in self._core.boilerplate.entries(kind):  # type: ignore[arg-type]
                self.target.addItem(f"{label}: {entry.name}", (kind, entry.id))

    def _on_add_clicked(self) -> None:
        if self.target.currentIndex() < 0:
            return
        choice = self.target.currentData()
        kind, target_id = choice
        try:
            self._core.boilerplate.add_rule(kind, target_id, self.field.currentData(), self.value.text())
        except CopydeskError as exc:
            QMessageBox.warning(self, "Rule not added", str(exc))
            return
        self.value.clear()
        self.reload()
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        item = self.rules.currentItem()
        if item is not None:
            self._core.boilerplate.remove_rule(int(item.data(Qt.ItemDataRole.UserRole)))
            self.reload()
            self.changed.emit()


class BoilerplateDialog(QDialog):
    library_changed = Signal()

    def __init__(self, core: Core, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Disclaimers and Snippets")
        self.resize(820, 520)
        tabs = QTabWidget()
        self.disclaimers = EntryEditor(core, "disclaimer")
        self.snippets = EntryEditor(core, "snippet")
        self.defaults = DefaultsEditor(core)
        tabs.addTab(self.disclaimers, "Disclaimers")
        tabs.addTab(self.snippets, "Call-to-action snippets")
        tabs.addTab(self.defaults, "Defaults")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        for editor in (self.disclaimers, self.snippets, self.defaults):
            editor.changed.connect(self._on_changed)

    def _on_changed(self) -> None:
        self.defaults.reload()
        self.library_changed.emit()
