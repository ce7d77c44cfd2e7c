"""The thread as a tree model: one row per comment, replies under what they answer.

Built from the frozen :class:`~app.comments.ThreadNode` trees that the core hands over; the order is
the core's (it sorts), so the model never sorts and a view never asks rows to compare themselves.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from app.comments import CommentData, ThreadNode

COMMENT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
DEPTH_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class _Item:
    """A row. The model holds every item for as long as it shows them (indexes point at them)."""

    __slots__ = ("children", "comment", "depth", "parent", "row")

    def __init__(self, comment: CommentData, parent: _Item | None, row: int, depth: int) -> None:
        self.comment = comment
        self.parent = parent
        self.row = row
        self.depth = depth
        self.children: list[_Item] = []


class ThreadModel(QAbstractItemModel):
    def __init__(self) -> None:
        super().__init__()
        self._roots: list[_Item] = []
        self._by_id: dict[int, _Item] = {}
        self.with_post = False  # rows say which post they are on (the inbox, search results)

    # -- filling ---------------------------------------------------------------------------------

    def set_thread(self, roots: tuple[ThreadNode, ...], *, with_post: bool = False) -> None:
        self.beginResetModel()
        self.with_post = with_post
        self._roots, self._by_id = [], {}
        stack: list[tuple[ThreadNode, _Item | None]] = [(n, None) for n in reversed(roots)]
        while stack:
            node, parent = stack.pop()
            siblings = parent.children if parent is not None else self._roots
            item = _Item(node.comment, parent, len(siblings), parent.depth + 1 if parent else 0)
            siblings.append(item)
            self._by_id[node.comment.id] = item
            stack.extend((child, item) for child in reversed(node.children))
        self.endResetModel()

    def clear(self) -> None:
        self.set_thread(())

    def update_comment(self, comment: CommentData) -> bool:
        """Show a comment's new state in place (after an action); False when it is not shown."""
        item = self._by_id.get(comment.id)
        if item is None:
            return False
        item.comment = comment
        index = self.index_of(comment.id)
        self.dataChanged.emit(index, index)
        return True

    # -- finding ---------------------------------------------------------------------------------

    def index_of(self, comment_id: int) -> QModelIndex:
        item = self._by_id.get(comment_id)
        if item is None:
            return QModelIndex()
        return self.createIndex(item.row, 0, item)

    def comment(self, index: Index) -> CommentData | None:
        item = self._item(index)
        return item.comment if item is not None else None

    def comments(self) -> list[CommentData]:
        return [item.comment for item in self._by_id.values()]

    @property
    def count(self) -> int:
        return len(self._by_id)

    @staticmethod
    def _item(index: Index) -> _Item | None:
        if not index.isValid():
            return None
        item = index.internalPointer()
        return item if isinstance(item, _Item) else None

    # -- QAbstractItemModel ----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        owner = self._item(parent)
        siblings = owner.children if owner is not None else self._roots
        if row >= len(siblings):
            return QModelIndex()
        return self.createIndex(row, 0, siblings[row])

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        item = self._item(index)
        if item is None or item.parent is None:
            return QModelIndex()
        return self.createIndex(item.parent.row, 0, item.parent)

    def rowCount(self, parent: Index = ROOT) -> int:
        owner = self._item(parent)
        if parent.isValid() and owner is None:
            return 0
        return len(owner.children) if owner is not None else len(self._roots)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 1

    def hasChildren(self, parent: Index = ROOT) -> bool:
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._item(index)
        if item is None:
            return None
        comment = item.comment
        values: dict[int, Any] = {
            Qt.ItemDataRole.DisplayRole: comment.author_name or "Anonymous",
            COMMENT_ROLE: comment,
            ID_ROLE: comment.id,
            DEPTH_ROLE: item.depth,
            Qt.ItemDataRole.ToolTipRole: comment.problem or comment.pending_label or None,
        }
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{comment.author_name}, {comment.status_label}: {comment.text[:200]}"
        return values.get(role)
