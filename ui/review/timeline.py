"""A piece's timeline: each step of its review, who took it, when and from which machine, merged
from the site (the companion plugin's record) and this library (what was done or queued here)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.workflow.data import TimelineEntry

COLUMNS = ("When", "What", "Who", "Machine", "Where", "Note")


def where_text(entry: TimelineEntry) -> str:
    if entry.source == "site":
        return entry.site_name or "the site"
    return f"this library ({entry.site_name})" if entry.site_name else "this library"


class TimelineDialog(QDialog):
    def __init__(
        self,
        title: str,
        entries: Sequence[TimelineEntry],
        missing: Sequence[str] = (),
        parent: QWidget | None = None,
        *,
        status: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Timeline — {title or 'Untitled'}")
        self.setObjectName("reviewTimeline")
        self.setAccessibleName("Timeline of the piece")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        intro = QLabel(
            f"Every step of “{title or 'Untitled'}” through review, oldest first: read from the "
            "site and done in this library." + (f" {status}" if status else "")
        )
        self.intro = intro
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("reviewTimelineList")
        self.tree.setAccessibleName("Timeline steps")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        for entry in entries:
            who = entry.user_name or ("you" if entry.source == "local" else "—")
            row = QTreeWidgetItem(
                [
                    f"{entry.at.astimezone():%a %d %b %Y %H:%M}",
                    entry.text,
                    who,
                    entry.machine or "—",
                    where_text(entry),
                    entry.note,
                ]
            )
            if entry.note:
                row.setToolTip(5, entry.note)
            self.tree.addTopLevelItem(row)
        self.empty = QLabel(
            "Nothing yet: the timeline starts when the piece is submitted or pushed to a site."
        )
        self.empty.setWordWrap(True)
        self.empty.setVisible(not entries)
        self.tree.setVisible(bool(entries))
        self.note = QLabel()
        self.note.setObjectName("reviewTimelineNote")
        self.note.setAccessibleName("Note of the selected step")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.missing = QLabel("\n\n".join(missing))
        self.missing.setObjectName("reviewTimelineMissing")
        self.missing.setWordWrap(True)
        self.missing.setVisible(bool(missing))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close the timeline")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.missing)
        layout.addWidget(buttons)
        self.resize(960, 420)
        # the editor's last note, shown in full (or the last note of any kind)
        returned = [i for i, e in enumerate(entries) if e.note and e.action == "returned"]
        with_note = returned or [i for i, e in enumerate(entries) if e.note]
        chosen = self.tree.topLevelItem(with_note[-1]) if with_note else None
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self.tree.setFocus()

    def _on_tree_current_item_changed(self, row: QTreeWidgetItem | None, _old: object) -> None:
        note = row.text(len(COLUMNS) - 1) if row is not None else ""
        self.note.setText(f"Note: {note}" if note else "")
        self.note.setVisible(bool(note))

    def rows(self) -> list[list[str]]:
        """The text of each row, as shown (for tests)."""
        rows = []
        for index in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(index)
            assert row is not None
            rows.append([row.text(column) for column in range(len(COLUMNS))])
        return rows
