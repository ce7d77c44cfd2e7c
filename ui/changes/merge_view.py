"""The word merge of my text and the editor's, both from the version submitted: the passages only
one side changed are merged already; each passage both changed is shown side by side (submitted,
mine, the editor's), to keep mine, take theirs or keep both. Nothing is saved or sent until every
such passage has a choice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.changes.merge import Choice, Conflict, MergeResult

CONTEXT = 70  # characters of the merged text shown on each side of a passage
CHOICES: tuple[tuple[Choice, str], ...] = (
    ("mine", "Keep &mine"),
    ("theirs", "Take the &editor's"),
    ("both", "Keep &both"),
)


def _side(title: str, text: str) -> QLabel:
    label = QLabel(f"<b>{title}</b><br>{_escape(text) or '<i>(nothing)</i>'}")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(f"{title}: {text or 'nothing'}")
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


class WordMergeDialog(QDialog):
    def __init__(self, result: MergeResult, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wordMergeDialog")
        self.setWindowTitle("Merge your changes and the editor's")
        self.setAccessibleName("Merge your changes and the editor's")
        self.resize(900, 420)
        self.merge_result = result
        self.groups: dict[int, QButtonGroup] = {}
        conflicts = result.conflicts
        intro = QLabel(
            f"You and the editor both changed “{title}” since you submitted it. The passages only "
            "one of you changed are merged already."
            + (
                " Choose a version of the passage you both changed."
                if len(conflicts) == 1
                else f" Choose a version of each of the {len(conflicts)} passages you both changed."
                if conflicts
                else " Nothing overlaps."
            )
            + " The merged text becomes the piece and is sent to the site."
        )
        intro.setWordWrap(True)
        body = QWidget()
        rows = QVBoxLayout(body)
        for conflict in conflicts:
            rows.addWidget(self._conflict_box(conflict))
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Merge and Send")
        ok.setAccessibleName("Merge and send")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self._update()

    def _context(self, conflict: Conflict) -> QLabel:
        """The passage in its sentence: the merged words around it, the passage in bold."""
        parts = self.merge_result.parts
        at = parts.index(conflict)
        before = parts[at - 1] if at > 0 and isinstance(parts[at - 1], str) else ""
        after = parts[at + 1] if at + 1 < len(parts) and isinstance(parts[at + 1], str) else ""
        head = " ".join(str(before)[-CONTEXT:].split("\n")[-1:])
        tail = str(after)[:CONTEXT].split("\n")[0]
        label = QLabel(f"…{_escape(head)}<b>[{_escape(conflict.base) or '…'}]</b>{_escape(tail)}…")
        label.setWordWrap(True)
        label.setAccessibleName(f"In context: {head}{conflict.base}{tail}")
        return label

    def _conflict_box(self, conflict: Conflict) -> QGroupBox:
        box = QGroupBox(f"Passage {conflict.index + 1}, changed by both of you")
        layout = QVBoxLayout(box)
        layout.addWidget(self._context(conflict))
        grid = QGridLayout()
        grid.addWidget(_side("Submitted", conflict.base), 0, 0)
        grid.addWidget(_side("Yours", conflict.mine), 0, 1)
        grid.addWidget(_side("The editor's", conflict.theirs), 0, 2)
        layout.addLayout(grid)
        row = QHBoxLayout()
        group = QButtonGroup(box)
        for column, (choice, text) in enumerate(CHOICES):
            button = QRadioButton(text)
            button.setObjectName(f"merge-{conflict.index}-{choice}")
            button.setAccessibleName(f"Passage {conflict.index + 1}: {text.replace('&', '')}")
            group.addButton(button, column)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        group.idToggled.connect(lambda _id, _on: self._update())
        self.groups[conflict.index] = group
        return box

    def choices(self) -> dict[int, Choice]:
        found: dict[int, Choice] = {}
        for index, group in self.groups.items():
            checked = group.checkedId()
            if checked >= 0:
                found[index] = CHOICES[checked][0]
        return found

    def choose(self, index: int, choice: Choice) -> None:
        column = [c for c, _ in CHOICES].index(choice)
        button = self.groups[index].button(column)
        button.setChecked(True)

    def merged_text(self) -> str:
        return self.merge_result.text(self.choices())

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(len(self.choices()) == len(self.groups))
