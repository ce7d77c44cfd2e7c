"""Every user-visible action, declared once: a stable id, its text, icon and default shortcut.

Menus, toolbars and context menus take their actions from here by id, so a shortcut or a label is
changed in one place. Standard shortcuts come from ``QKeySequence.StandardKey`` where Qt has one, so
they follow each platform's convention. (After Spyder's shortcut table.)
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from ui import icons

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    tip: str = ""
    standard: Key | None = None
    shortcut: str = ""
    icon: str = ""
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    # pieces
    ActionSpec("piece/new", "&New Piece", "Start a new piece", Key.New, icon="new"),
    ActionSpec("piece/import", "&Import Markdown…", "Import a Markdown file", Key.Open, icon="import"),
    ActionSpec(
        "piece/save",
        "&Save Revision",
        "Save now and keep a revision in the history",
        Key.Save,
        icon="save",
    ),
    ActionSpec("piece/duplicate", "D&uplicate", "Make a copy of this piece", icon="duplicate"),
    ActionSpec("piece/trash", "Move to &Trash", "Move the selected pieces to the trash", icon="trash"),
    ActionSpec("piece/restore", "&Restore from Trash", "Take the pieces out of the trash"),
    ActionSpec("piece/export-md", "Export as &Markdown…", "Markdown with front matter", icon="export"),
    ActionSpec("piece/export-html", "Export as &HTML…", "The page exactly as the preview shows it"),
    ActionSpec(
        "piece/history",
        "Revision &History…",
        "Compare and restore earlier versions",
        shortcut="Ctrl+Shift+H",
        icon="history",
    ),
    ActionSpec("library/empty-trash", "&Empty Trash…", "Delete the pieces in the trash for good"),
    ActionSpec(
        "library/search",
        "Search &Library",
        "Find pieces by their words",
        shortcut="Ctrl+Shift+F",
        icon="find",
    ),
    ActionSpec(
        "library/boilerplate",
        "&Disclaimers and Snippets…",
        "Manage the library of disclaimers and call-to-action snippets",
        icon="boilerplate",
    ),
    # publishing
    ActionSpec(
        "publish/push",
        "&Push to Site…",
        "Send this piece to a WordPress site",
        shortcut="Ctrl+Shift+U",
        icon="export",
    ),
    ActionSpec("publish/pull", "&Open Post from Site…", "Edit a post that is on a site"),
    ActionSpec("publish/sites", "&Sites…", "Add a WordPress site, check its connection"),
    ActionSpec(
        "comments/sync",
        "S&ync Comments",
        "Fetch new reader comments from your sites",
        standard=Key.Refresh,
        icon="history",
    ),
    ActionSpec(
        "comments/inbox",
        "Comments &Awaiting Moderation",
        "Every comment held for moderation, on every site",
        shortcut="Ctrl+Shift+M",
    ),
    # editing
    ActionSpec("edit/undo", "&Undo", "", Key.Undo),
    ActionSpec("edit/redo", "&Redo", "", Key.Redo),
    ActionSpec("edit/cut", "Cu&t", "", Key.Cut),
    ActionSpec("edit/copy", "&Copy", "", Key.Copy),
    ActionSpec("edit/paste", "&Paste", "", Key.Paste),
    ActionSpec("edit/select-all", "Select &All", "", Key.SelectAll),
    ActionSpec("edit/find", "&Find…", "Find in this piece", Key.Find, icon="find"),
    ActionSpec("edit/find-next", "Find &Next", "", Key.FindNext),
    ActionSpec("edit/find-previous", "Find Pre&vious", "", Key.FindPrevious),
    ActionSpec("edit/replace", "R&eplace…", "Find and replace", Key.Replace, shortcut="Ctrl+H"),
    ActionSpec("format/bold", "&Bold", "Strong emphasis", Key.Bold, icon="bold"),
    ActionSpec("format/italic", "&Italic", "Emphasis", Key.Italic, icon="italic"),
    ActionSpec(
        "format/link", "Insert &Link…", "Link the selected words", shortcut="Ctrl+K", icon="link"
    ),
    ActionSpec("format/image", "Insert I&mage…", "Insert a picture from a file", icon="image"),
    ActionSpec(
        "spelling/toggle",
        "Check &Spelling While Typing",
        "Underline misspelt words",
        shortcut="F7",
        icon="spelling",
        checkable=True,
    ),
    # view
    ActionSpec(
        "view/preview",
        "&Preview",
        "Show the piece as it will be published",
        shortcut="Ctrl+Shift+P",
        icon="preview",
        checkable=True,
    ),
    ActionSpec("view/sync-scroll", "&Scroll Preview with Editor", "", checkable=True),
    ActionSpec("view/library", "&Library", "Show the list of pieces", icon="library", checkable=True),
    ActionSpec(
        "view/metadata",
        "&Metadata",
        "Headline, tags, schedule, disclaimer",
        icon="metadata",
        checkable=True,
    ),
    ActionSpec("view/outbox", "&Outbox", "What waits to be sent to your sites", checkable=True),
    ActionSpec("view/comments", "&Comments", "Reader comments on your pieces", checkable=True),
    ActionSpec("view/full-screen", "&Full Screen", "", Key.FullScreen, checkable=True),
    # application
    ActionSpec("app/preferences", "Pr&eferences…", "", Key.Preferences, shortcut="Ctrl+,"),
    ActionSpec("app/about", "&About Copydesk", ""),
    ActionSpec("app/quit", "&Quit", "", Key.Quit, shortcut="Ctrl+Q"),
)


class ActionTable(QObject):
    """The QActions of one window, created from :data:`ACTIONS`."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._actions: dict[str, QAction] = {}
        for spec in ACTIONS:
            action = QAction(spec.text, parent)
            action.setObjectName(spec.id)
            keys: list[QKeySequence] = []
            if spec.standard is not None:
                keys.extend(QKeySequence.keyBindings(spec.standard))
            if spec.shortcut and QKeySequence(spec.shortcut) not in keys:
                keys.append(QKeySequence(spec.shortcut))
            action.setShortcuts(keys)
            tip = spec.tip or spec.text.replace("&", "").rstrip("…")
            if keys:
                tip = f"{tip} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})"
            action.setToolTip(tip)
            action.setStatusTip(spec.tip)
            action.setCheckable(spec.checkable)
            if spec.icon:
                action.setIcon(icons.icon(spec.icon))
            self._actions[spec.id] = action

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def refresh_icons(self) -> None:
        icons.clear_cache()
        for spec in ACTIONS:
            if spec.icon:
                self._actions[spec.id].setIcon(icons.icon(spec.icon))
