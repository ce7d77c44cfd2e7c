"""A line edit for a comma-separated list of names, completing the name being typed."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget


def split_names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def join_names(names: list[str]) -> str:
    return ", ".join(names)


class TermsEdit(QLineEdit):
    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self._choices = QStringListModel(self)
        self._completer = QCompleter(self._choices, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setWidget(self)
        self._completer.activated.connect(self._on_completer_activated)
        self.textEdited.connect(self._on_text_edited)

    def set_choices(self, names: list[str]) -> None:
        self._choices.setStringList(names)

    def names(self) -> list[str]:
        return split_names(self.text())

    def set_names(self, names: list[str]) -> None:
        self.setText(join_names(names))

    def _current_fragment(self) -> str:
        return self.text()[: self.cursorPosition()].rsplit(",", 1)[-1].strip()

    def _on_text_edited(self, _text: str) -> None:
        fragment = self._current_fragment()
        popup = self._completer.popup()
        if not fragment:
            if popup is not None:
                popup.hide()
            return
        self._completer.setCompletionPrefix(fragment)
        if self._completer.completionCount():
            self._completer.complete()
        elif popup is not None:
            popup.hide()

    def _on_completer_activated(self, choice: str) -> None:
        before = self.text()[: self.cursorPosition()]
        after = self.text()[self.cursorPosition() :]
        head = before.rsplit(",", 1)[0] + ", " if "," in before else ""
        self.setText(f"{head}{choice}, {after.lstrip(', ')}".rstrip())
        self.setCursorPosition(len(head) + len(choice) + 2)
        self.editingFinished.emit()
