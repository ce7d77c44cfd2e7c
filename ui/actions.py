"""Every user-visible action, declared once: a stable id, its text, icon and default shortcut.

Menus, toolbars and context menus take their actions from here by id, so a shortcut or a label is
changed in one place. Standard shortcuts come from ``QKeySequence.StandardKey`` where Qt has one, so
they follow each platform's convention. (After Spyder's shortcut table.)

:data:`ACTIONS` are the window's; :data:`COMMENT_ACTIONS` belong to the comment desk, whose keys work
only while the desk has the focus. :data:`MENUS` and :data:`TOOLBAR` lay them out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QToolBar, QWidget

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
    local: bool = False  # the shortcut works only in the widget the action is added to


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
    ActionSpec(
        "publish/unlink",
        "&Unlink from Site…",
        "Forget the post this piece was pushed to; its next push makes a new post",
    ),
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
    # review (the workflow through the site; enabled by the user's role on the piece's site)
    ActionSpec(
        "review/submit", "&Submit for Review", "Send this piece to the site's editors for review"
    ),
    ActionSpec("review/return", "&Return with a Note…", "Send it back to its writer with a note"),
    ActionSpec("review/approve", "&Approve", "Approve this piece on its site"),
    ActionSpec(
        "review/schedule", "Approve and S&chedule…", "Approve it and let the site publish it later"
    ),
    ActionSpec("review/publish-now", "&Publish Now", "Publish this piece on its site now"),
    ActionSpec(
        "review/queue",
        "Review &Queue",
        "The pieces awaiting review on your sites",
        shortcut="Ctrl+Shift+R",
    ),
    ActionSpec("review/timeline", "&Timeline…", "Who moved this piece through review, and when"),
    ActionSpec("review/calendar", "Publication Ca&lendar…", "Scheduled and published pieces by day"),
    ActionSpec("pieces/sync", "S&ync Pieces", "Bring each piece's status and the editor's changes back"),
    # notes on passages and the pre-publish checklist
    ActionSpec("notes/add", "Add &Note…", "A note on the selected passage", shortcut="Ctrl+Alt+M"),
    ActionSpec("notes/add-piece", "Note on the &Whole Piece…", "A note on the piece as a whole"),
    ActionSpec("notes/show", "N&otes Panel", "The notes on this piece", shortcut="Ctrl+Alt+N"),
    ActionSpec("notes/sync", "Sync Not&es", "Send your notes and bring the others' back"),
    ActionSpec("checklist/show", "Chec&klist", "What the site's checklist says of this piece"),
    ActionSpec("checklist/edit", "Pre-Publish C&hecklist…", "What each site requires before publishing"),
    # tracked changes: what the other side changed since the version submitted (or returned)
    ActionSpec(
        "changes/show",
        "Tracke&d Changes",
        "The changes that came back, to accept or reject",
        shortcut="Ctrl+Alt+C",
    ),
    ActionSpec("changes/accept", "Accept Chan&ge", "Keep the selected change", shortcut="Ctrl+Alt+Y"),
    ActionSpec("changes/reject", "Re&ject Change", "Undo the selected change", shortcut="Ctrl+Alt+X"),
    ActionSpec("changes/accept-all", "Accept All Changes", "Keep every change"),
    ActionSpec("changes/reject-all", "Reject All Changes", "Undo every change"),
    ActionSpec("changes/next", "Ne&xt Change", "Go to the next change", shortcut="Ctrl+Alt+."),
    ActionSpec(
        "changes/previous", "Pre&vious Change", "Go to the previous change", shortcut="Ctrl+Alt+,"
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
    ActionSpec("view/review", "&Review Queue", "The pieces awaiting review", checkable=True),
    ActionSpec("view/full-screen", "&Full Screen", "", Key.FullScreen, checkable=True),
    # application
    ActionSpec("app/preferences", "Pr&eferences…", "", Key.Preferences, shortcut="Ctrl+,"),
    ActionSpec("app/about", "&About Copydesk", ""),
    ActionSpec("app/quit", "&Quit", "", Key.Quit, shortcut="Ctrl+Q"),
)

# the comment desk's own: one-letter keys, so they work only while the desk has the focus
COMMENT_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("comments/approve", "Approve", "Approve the selected comments", shortcut="A", local=True),
    ActionSpec("comments/hold", "Hold", "Hold the selected comments", shortcut="H", local=True),
    ActionSpec(
        "comments/spam", "Mark as spam", "Mark as spam the selected comments", shortcut="S", local=True
    ),
    ActionSpec("comments/trash", "Trash", "Trash the selected comments", Key.Delete, local=True),
    ActionSpec("comments/restore", "Restore", "Restore the selected comments", shortcut="U", local=True),
    ActionSpec(
        "comments/reply", "Reply", "Answer the selected comment, in Markdown", shortcut="R", local=True
    ),
    ActionSpec(
        "comments/load-images",
        "Load images",
        "Fetch this comment's pictures from the web (nothing is fetched until you ask)",
    ),
)
COMMENT_TOOLBAR: tuple[str | None, ...] = (
    "comments/approve", "comments/hold", "comments/spam", "comments/trash", "comments/restore", None,
    "comments/reply", "comments/load-images",
)  # fmt: skip

# None is a separator; "@name" is a place the window fills (a submenu)
MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("&File", (
        "piece/new", "piece/import", None, "piece/save", "piece/duplicate", "piece/history", None,
        "piece/export-md", "piece/export-html", None, "piece/trash", "piece/restore",
        "library/empty-trash", None, "app/quit",
    )),
    ("&Edit", (
        "edit/undo", "edit/redo", None, "edit/cut", "edit/copy", "edit/paste", "edit/select-all", None,
        "edit/find", "edit/find-next", "edit/find-previous", "edit/replace", None, "library/search",
        None, "app/preferences",
    )),
    ("F&ormat", ("format/bold", "format/italic", None, "format/link", "format/image")),
    ("&View", (
        "view/library", "view/metadata", "view/comments", "view/review", "view/outbox",
        "view/preview", "view/sync-scroll", None, "view/full-screen",
    )),
    ("&Publish", ("publish/push", "publish/pull", "publish/unlink", None, "publish/sites")),
    ("&Review", (
        "review/submit", None, "review/return", "review/approve", "review/schedule",
        "review/publish-now", None, "review/queue", "review/timeline", "review/calendar", None,
        "pieces/sync", None, "notes/add", "notes/add-piece", "notes/show", "notes/sync", None,
        "checklist/show", "checklist/edit", None, "changes/show", "changes/accept", "changes/reject",
        "changes/accept-all", "changes/reject-all", "changes/next", "changes/previous",
    )),
    ("&Comments", ("comments/sync", "comments/inbox", None)),  # then the desk's COMMENT_ACTIONS
    ("&Tools", ("spelling/toggle", "@languages", None, "library/boilerplate")),
    ("&Help", ("app/about",)),
)  # fmt: skip
TOOLBAR: tuple[str | None, ...] = (
    "piece/new", "piece/save", "piece/history", None, "format/bold", "format/italic", "format/link",
    "format/image", None, "edit/find", "view/preview", "spelling/toggle", None, "library/boilerplate",
)  # fmt: skip
LIBRARY_CONTEXT = ("piece/new", "piece/duplicate", "piece/trash", "piece/restore")
# enabled only while a piece is open
PIECE_ACTIONS = (
    "piece/save", "piece/duplicate", "piece/history", "piece/export-md", "piece/export-html",
    "format/bold", "format/italic", "format/link", "format/image", "edit/find", "edit/replace",
    "edit/find-next", "edit/find-previous",
)  # fmt: skip
# the Edit menu's commands, sent to the widget that has the focus
FOCUS_COMMANDS = {
    "edit/undo": "undo", "edit/redo": "redo", "edit/cut": "cut", "edit/copy": "copy",
    "edit/paste": "paste", "edit/select-all": "selectAll",
}  # fmt: skip


class ActionTable(QObject):
    """The QActions of one window (or one part of it), created from :data:`ACTIONS` (or *specs*)."""

    def __init__(self, parent: QObject, specs: Sequence[ActionSpec] = ACTIONS) -> None:
        super().__init__(parent)
        self._specs = tuple(specs)
        self._actions_by_id: dict[str, QAction] = {}
        for spec in self._specs:
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
            if spec.local:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            if spec.icon:
                action.setIcon(icons.icon(spec.icon))
            self._actions_by_id[spec.id] = action

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions_by_id[action_id]

    def __iter__(self) -> Iterator[QAction]:
        """The actions in the order they are declared."""
        return iter(self._actions_by_id.values())

    def set_enabled(self, action_ids: Iterable[str], enabled: bool) -> None:
        for action_id in action_ids:
            self._actions_by_id[action_id].setEnabled(enabled)

    def fill(self, target: QMenu | QToolBar, action_ids: Iterable[str | None]) -> None:
        """Add the actions *action_ids* to a menu or a toolbar, None being a separator."""
        for action_id in action_ids:
            if action_id is None:
                target.addSeparator()
            else:
                target.addAction(self._actions_by_id[action_id])

    def make_toolbar(
        self, title: str, name: str, action_ids: Iterable[str | None], parent: QWidget | None = None
    ) -> QToolBar:
        toolbar = QToolBar(title, parent)
        toolbar.setObjectName(name)
        self.fill(toolbar, action_ids)
        return toolbar

    def build_menus(
        self, bar: QMenuBar, places: Mapping[str, Callable[[QMenu], object]]
    ) -> dict[str, QMenu]:
        """Fill the menu bar from :data:`MENUS`; ``places[name](menu)`` fills each "@name".

        Returns the menus by title."""
        menus: dict[str, QMenu] = {}
        for title, action_ids in MENUS:
            menu = menus[title] = bar.addMenu(title)
            for action_id in action_ids:
                if action_id is not None and action_id.startswith("@"):
                    places[action_id[1:]](menu)
                else:
                    self.fill(menu, [action_id])
        return menus

    def refresh_icons(self) -> None:
        icons.clear_cache()
        for spec in self._specs:
            if spec.icon:
                self._actions_by_id[spec.id].setIcon(icons.icon(spec.icon))


def set_checked_quietly(action: QAction, checked: bool) -> None:
    """Check or uncheck *action* without its ``toggled`` firing (it follows a change made elsewhere)."""
    action.blockSignals(True)
    action.setChecked(checked)
    action.blockSignals(False)


def send_to_focus(command: str) -> None:
    """Run an Edit menu command (``FOCUS_COMMANDS``) on the widget that has the focus, if it can."""
    widget = QApplication.focusWidget()
    if widget is not None and hasattr(widget, command):
        getattr(widget, command)()
