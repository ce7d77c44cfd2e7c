"""The editor pane: the Markdown editor with its find bar, and the formatting commands."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QVBoxLayout, QWidget

from ui.actions import FOCUS_COMMANDS, ActionTable, send_to_focus
from ui.editor.find_bar import FindBar
from ui.editor.markdown_editor import MarkdownEditor
from ui.editor.spellcheck import SpellService
from ui.metadata.fields import IMAGE_FILTER


class EditorPanel(QWidget):
    def __init__(self, spelling: SpellService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = MarkdownEditor(spelling)
        self.find_bar = FindBar(self.editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.find_bar)

    def connect_actions(self, table: ActionTable) -> None:
        """Connect the Edit and Format menus' actions (``ui/actions.py``) to the editor."""
        for action_id, command in FOCUS_COMMANDS.items():
            table[action_id].triggered.connect(lambda _=False, c=command: send_to_focus(c))
        find = self.find_bar
        table["edit/find"].triggered.connect(lambda: find.open_find())  # noqa: PLW0108
        table["edit/replace"].triggered.connect(lambda: find.open_find(with_replace=True))
        table["edit/find-next"].triggered.connect(find.find_next)
        table["edit/find-previous"].triggered.connect(find.find_previous)
        table["format/bold"].triggered.connect(self.bold)
        table["format/italic"].triggered.connect(self.italic)
        table["format/link"].triggered.connect(self.link)
        table["format/image"].triggered.connect(self.image)

    def bold(self) -> None:
        self.editor.wrap_selection("**")

    def italic(self) -> None:
        self.editor.wrap_selection("*")

    def link(self) -> None:
        url, ok = QInputDialog.getText(self, "Insert link", "Web address (URL):", text="https://")
        if ok and url.strip() and url.strip() != "https://":
            self.editor.insert_link(url.strip())

    def image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Insert picture", "", IMAGE_FILTER)
        if path:
            self.editor.insert_image(Path(path))
