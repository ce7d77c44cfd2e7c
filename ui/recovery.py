"""Starting on a damaged library: say so, keep the damaged file, offer the latest backup. Quitting
when the piece cannot be saved: say so, and quit only if told to."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

from app.recovery import Backup


class Choice(Enum):
    RESTORE = "restore"
    START_EMPTY = "empty"
    QUIT = "quit"


def ask_recovery(problem: str, backup: Backup | None, parent: QWidget | None = None) -> Choice:
    """Ask what to do about a damaged library. Nothing is deleted whatever the answer."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("The library is damaged")
    box.setText("<b>Copydesk cannot read your library.</b>")
    detail = f"{problem}\n\nThe damaged file will be kept, renamed, in the same folder."
    restore = None
    if backup is not None:
        detail += f"\n\nThe latest good backup is from {backup.label}."
        restore = box.addButton(
            f"Restore the Backup of {backup.label}", QMessageBox.ButtonRole.AcceptRole
        )
    else:
        detail += "\n\nThere is no backup to restore."
    empty = box.addButton("Start an Empty Library", QMessageBox.ButtonRole.DestructiveRole)
    quit_ = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setInformativeText(detail)
    box.setDefaultButton(restore or quit_)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return Choice.RESTORE
    if clicked is empty:
        return Choice.START_EMPTY
    return Choice.QUIT


def ask_quit_unsaved(
    problem: str, last_saved_at: float | None, parent: QWidget | None = None, *, kept: bool = False
) -> bool:
    """The piece could not be saved on quitting: True to quit anyway.

    *kept* says the text is safe in an emergency copy (the *problem* names it): quitting then loses
    nothing, and the question says so; otherwise quitting loses the changes since the last save.
    """
    if kept:
        answer = QMessageBox.warning(
            parent,
            "Your latest changes are in an emergency copy",
            f"{problem}\n\nQuit now? Nothing is lost: the copy keeps every word.",
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Close,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Close
    since = datetime.fromtimestamp(last_saved_at).strftime("%H:%M") if last_saved_at else "you opened it"
    answer = QMessageBox.warning(
        parent,
        "Your latest changes are not saved",
        f"{problem}\n\nQuit anyway and lose the changes since {since}?",
        QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard
