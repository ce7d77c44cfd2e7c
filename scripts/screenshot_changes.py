"""Render tracked changes offscreen to PNGs: the window with the Changes dock and the marks in the
editor, and the word merge dialog.

    python scripts/screenshot_changes.py docs/images [--dark] [--size 1440x900] [--suffix -dark]

Writes changes.png and changes-merge.png into the folder. Needs no network and no keyring: the
sample column (scripts/sample-column.md) is put in a temporary library as it is after a return and
a pieces sync (the version at the return, then the other side's text pulled). Run with
QT_SCALE_FACTOR=2 for a device pixel ratio of 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshot_common import open_window, run_window_script, settle  # noqa: E402

EDITS = {
    "is full. Not": "is packed. Not",
    "Two bakers on their way *in*.": "Two bakers on their way *in*, flour still on their sleeves.",
    "A student asleep against the window with a library book open on her knees.": "",
    "runs to 146 pages": "runs to 146 glossy pages",
    "it is getting smaller every year": "it shrinks every year",
}
MINE = {"is full. Not": "is crammed. Not", "the bread, staff": "the city's bread, staff"}


def edited(body: str, edits: dict[str, str]) -> str:
    for old, new in edits.items():
        body = body.replace(old, new)
    return body.replace("  ", " ").replace(" \n", "\n")


def render(app: Any, args: argparse.Namespace, folder: str) -> None:
    from app.changes.merge import merge
    from app.core import open_core
    from app.pieces.frontmatter import parse
    from app.pieces.workflow import Status
    from ui.changes.merge_view import WordMergeDialog

    core = open_core(folder)
    core.settings.set("appearance.theme", "dark" if args.dark else "light")
    text = (ROOT / "scripts" / "sample-column.md").read_text(encoding="utf-8")
    sample = parse(text).piece
    piece = core.pieces.create(sample.copy(status=Status.SUBMITTED))
    assert piece.id is not None
    core.pieces.set_status(piece.id, Status.CHANGES_REQUESTED, note="Returned")
    theirs = edited(piece.body, EDITS)
    core.pieces.save(core.pieces.get(piece.id).copy(body=theirs), reason="pulled")
    core.settings.set("library.last_piece", piece.id)
    core.settings.save()
    base = piece.body
    core.close()

    startup, window = open_window(app, folder, args.size, "changes")
    panel = window.changes.panel
    settle(app, 10, lambda: bool(panel.ids()))
    window.changes.show_panel()
    panel.select(panel.ids()[1])
    settle(app, 1.5)
    out, suffix = args.folder, args.suffix
    out.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out / f"changes{suffix}.png"))

    dialog = WordMergeDialog(merge(base, edited(base, MINE), theirs), sample.title, window)
    dialog.resize(1000, 560)
    dialog.show()
    settle(app, 1.0)
    dialog.grab().save(str(out / f"changes-merge{suffix}.png"))
    dialog.close()
    startup.close()


if __name__ == "__main__":
    sys.exit(run_window_script(render))
