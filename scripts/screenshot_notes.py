"""Render the notes and the checklist offscreen to PNGs: the window with the notes panel and the
highlights in the editor, the checklist dialog, and the confirmation before publishing.

    python scripts/screenshot_notes.py docs/images [--dark] [--size 1440x900] [--suffix -dark]

Writes notes-panel.png, checklist-dialog.png and publish-confirm.png into the folder. Needs no
network: the sample notes (an editor's among them) are written straight into a temporary library.
Run with QT_SCALE_FACTOR=2 for a device pixel ratio of 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshot_common import open_window, run_window_script, settle  # noqa: E402

BODY = """The number 38 leaves the depot at ten past midnight, and it is never empty.

On a wet Tuesday in March I rode it end to end. A night nurse going home after a double shift. \
Two cleaners who start at one. A baker, already late. Nobody on it is going home to sleep.

The council's transport committee will vote next week on cutting the night service to one bus an \
hour. The saving, by the council's own figures, is £410,000 a year: less than a rounding error in \
a budget of £1.2 billion.

Those who ride the 38 at midnight are not out for fun. They keep the city running while the rest \
of us sleep, and they should not have to wait an hour in the rain for the privilege.
"""


def seed(core: Any) -> int:
    """A piece with notes as an editor and its columnist leave them."""
    from app.checklist.config import ChecklistConfig
    from app.pieces.data import PieceData

    piece = core.pieces.create(
        PieceData(title="The last bus home", body=BODY, byline="Sam Reyes",
                  standfirst="Cutting the night buses saves little.")
    )  # fmt: skip
    notes = core.notes
    assert piece.id is not None

    def on(quote: str, text: str, *, editor: bool = False) -> Any:
        note = notes.add_on_quote(piece.id, quote, text)
        if editor:
            note = notes.store.change(note.id, mine=False, author="Ada Okafor")
        return note

    first = on("Nobody on it is going home to sleep.", "Strong line. Can we name one of them?",
               editor=True)  # fmt: skip
    notes.reply(first.id, "Ana, the nurse, agreed to be named. Adding her.")
    on("£410,000 a year", "Source? Link the committee papers.", editor=True)
    done = on("A baker, already late.", "Cut: the list is long enough.", editor=True)
    notes.resolve(done.id)
    gone = on("On a wet Tuesday in March", "Which year? Say so.", editor=True)
    notes.add(piece.id, "Good length for the slot; the ending lands.")
    notes.store.change(gone.id, mine=False, author="Ada Okafor")
    # the columnist rewrites the passage the last note was on: it is orphaned, not dropped
    text = BODY.replace("On a wet Tuesday in March I rode it", "Last winter I rode it")
    core.pieces.save(core.pieces.get(piece.id).copy(body=text))
    config = ChecklistConfig(word_min=600, word_max=900)
    for key in ("category", "disclaimer", "open_notes"):
        config = config.with_level(key, "required")
    core.checklist.set_config(None, config.with_level("links", "recommended"))
    return int(piece.id)


def render(app: Any, args: argparse.Namespace, folder: str) -> None:
    from PySide6.QtWidgets import QApplication

    from app.core import open_core
    from ui.checklist.report import ConfirmDialog

    core = open_core(folder)
    core.settings.set("appearance.theme", "dark" if args.dark else "light")
    core.settings.set("author.byline", "Sam Reyes")
    piece_id = seed(core)
    core.settings.set("library.last_piece", piece_id)
    core.settings.save()
    core.close()
    startup, window = open_window(app, folder, args.size, "notes")
    window.notes.show_panel()
    panel = window.notes.panel
    settle(app, 10, lambda: len(panel.threads()) == 5)
    first = next(t for t in panel.threads() if t.is_open and t.placement is not None)
    window.notes.select_passage(first)
    panel.select_note(first.note.id)
    settle(app, 1.5)
    out, suffix = args.folder, args.suffix
    out.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out / f"notes-panel{suffix}.png"))

    window.checklist.edit()
    settle(app, 10, lambda: window.checklist.dialog is not None)
    dialog = window.checklist.dialog
    assert dialog is not None
    settle(app, 10, lambda: dialog.limits["word_min"].value() == 600)
    settle(app, 0.5)
    dialog.grab().save(str(out / f"checklist-dialog{suffix}.png"))
    dialog.reject()

    window.review.actions.publish_now(piece_id, None)

    def confirm() -> ConfirmDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ConfirmDialog)]
        return next((w for w in found if w.isVisible()), None)

    settle(app, 20, lambda: confirm() is not None)
    shown = confirm()
    assert shown is not None
    shown.reason.setText("Desk adds the category on the site")
    settle(app, 0.5)
    shown.grab().save(str(out / f"publish-confirm{suffix}.png"))
    shown.reject()
    startup.close()


if __name__ == "__main__":
    sys.exit(run_window_script(render))
