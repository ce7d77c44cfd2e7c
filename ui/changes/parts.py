"""Tracked changes, made for a window: the changes dock beside the metadata, its actions, the pieces
sync it follows, and the word merge offered when a sync finds the piece edited on both sides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.changes.controller import ChangesController
from ui.changes.merging import MergeController

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def attach_changes(window: MainWindow) -> tuple[ChangesController, MergeController]:
    """Called from ``MainWindow.attach`` once the library, publishing and review parts exist."""
    assert window.core is not None
    changes = ChangesController(
        core=window.core, runner=window.runner, session=window.session, editor=window.editor,
        messages=window.messages, window=window, beside=window.metadata_dock,
    )  # fmt: skip
    merging = MergeController(
        core=window.core, runner=window.runner, library=window.library_controller,
        messages=window.messages, window=window, fallback=window.publishing.show_conflict,
    )  # fmt: skip
    changes.connect_pieces_sync(window.review.sync_finished)
    return changes, merging
