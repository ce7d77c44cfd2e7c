"""The checklist on one piece, as the window shows it: each item met, missing, a warning or not
checked; and the question asked before publishing (or when a required item blocks an action), with
the checklist and, for editors, an override with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.checklist.config import Level
from app.checklist.rules import ChecklistReport, ItemResult
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core

# (mark, words): the state is said in words, not by colour alone
MET, MISSING, WARNING, UNCHECKED = ("✓", "Met"), ("✗", "Missing"), ("!", "Warning"), ("–", "Not checked")


def state_of(item: ItemResult) -> tuple[str, str]:
    if item.ok is None:
        return UNCHECKED
    if item.ok:
        return MET
    return MISSING if item.level is Level.REQUIRED else WARNING


class ChecklistView(QTreeWidget):
    """One row per item: its state, what it is, what was found."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(3)
        self.setHeaderLabels(["State", "Item", "Found"])
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setAccessibleName("Checklist")
        self.header().setStretchLastSection(True)

    def show_report(self, report: ChecklistReport | None) -> None:
        self.clear()
        if report is None:
            return
        order = (MISSING, WARNING, UNCHECKED, MET)  # what blocks first
        for item in sorted(report.items, key=lambda i: order.index(state_of(i))):
            mark, words = state_of(item)
            level = "Required" if item.level is Level.REQUIRED else "Recommended"
            row = QTreeWidgetItem([f"{mark} {words}", item.label, item.detail])
            row.setData(0, Qt.ItemDataRole.UserRole, item.key)
            row.setToolTip(1, f"{level} by the site's checklist")
            row.setToolTip(2, item.detail)
            if (mark, words) in (MISSING, WARNING):
                font = row.font(0)
                font.setBold(True)
                row.setFont(0, font)
            self.addTopLevelItem(row)
        for column in range(2):
            self.resizeColumnToContents(column)

    def states(self) -> dict[str, str]:
        """Each item's state in words, by key (what a test or a screen reader reads)."""
        rows = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        return {
            str(row.data(0, Qt.ItemDataRole.UserRole)): row.text(0)[2:]
            for row in rows
            if row is not None
        }


class ConfirmDialog(QDialog):
    """Publish (or do *verb*) with the checklist shown: missing required items block, unless an
    editor gives a reason; recommended ones only warn. ``accepted``: go ahead, :meth:`reason` is the
    override ("" when none was needed)."""

    def __init__(
        self, title: str, verb: str, report: ChecklistReport, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{verb.capitalize()} “{title}”?")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(760, 440)
        self.report = report
        missing, warnings = report.missing, report.warnings
        if missing:
            names = ", ".join(item.label.lower() for item in missing)
            text = (f"<b>It cannot be {_past(verb)} yet.</b> The checklist requires: "
                    f"{names}. Fix them, or (editors) go ahead anyway with a reason, which the "
                    "timeline records.")  # fmt: skip
        elif warnings:
            text = (f"<b>{verb.capitalize()} it now?</b> {len(warnings)} recommended "
                    f"item{'s' if len(warnings) > 1 else ''} not met (see below).")  # fmt: skip
        else:
            text = f"<b>{verb.capitalize()} it now?</b> Every item of the checklist is met."
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.view = ChecklistView()
        self.view.show_report(report)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for the override")
        self.reason.setPlaceholderText("Why it may go ahead without them")
        reason_label = QLabel("&Reason (editors only):")
        reason_label.setBuddy(self.reason)
        reason_row = QHBoxLayout()
        reason_row.addWidget(reason_label)
        reason_row.addWidget(self.reason, 1)
        reason_label.setVisible(bool(missing))
        self.reason.setVisible(bool(missing))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton(
            f"Override and {verb.capitalize()}" if missing else verb.capitalize(),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.go.setAccessibleName(self.go.text())
        self.go.setEnabled(not missing)
        self.reason.textChanged.connect(lambda text: self.go.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(bool(missing))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(reason_row)
        layout.addWidget(buttons)

    def override(self) -> str:
        return self.reason.text().strip() if self.report.missing else ""


def _past(verb: str) -> str:
    return {"submit": "submitted", "approve": "approved", "schedule": "scheduled"}.get(verb, "published")


def piece_site(core: Core, piece_id: int) -> int | None:
    """The site whose checklist applies to the piece: the one it was pushed to last, if any."""
    links = core.remote.publisher.links_of(piece_id)
    linked = [link for link in links if link.remote_id is not None] or links
    return linked[0].site_id if linked else None


def confirm(
    core: Core,
    runner: TaskRunner,
    *,
    owner: QObject,
    window: QWidget,
    piece_id: int,
    site_id: int | None,
    proceed: Callable[[str], None],
    verb: str = "publish",
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Check the piece (off the GUI thread), ask with the checklist shown, then ``proceed(override)``."""

    def check() -> tuple[str, ChecklistReport]:
        site = site_id if site_id is not None else piece_site(core, piece_id)
        return core.pieces.get(piece_id).title, core.checklist.check(piece_id, site)

    def ask(found: tuple[str, ChecklistReport]) -> None:
        title, report = found
        dialog = ConfirmDialog(title or "Untitled", verb, report, window)
        dialog.setObjectName("checklistConfirm")
        dialog.accepted.connect(lambda: proceed(dialog.override()))
        dialog.open()

    # after the piece's last save (queued on the writer before this) has landed
    runner.write(
        lambda: None,
        owner=owner,
        on_done=lambda _r: runner.read(check, owner=owner, on_done=ask, on_error=on_error),
    )


def ask_override(
    error: BaseException, title: str, verb: str, window: QWidget, retry: Callable[[str], None]
) -> None:
    """A required item blocked *verb*: show what is missing; an editor may go ahead with a reason."""
    report: ChecklistReport = error.report  # type: ignore[attr-defined]
    dialog = ConfirmDialog(title, verb, report, window)
    dialog.setObjectName("checklistBlocked")
    dialog.accepted.connect(lambda: retry(dialog.override()))
    dialog.open()
