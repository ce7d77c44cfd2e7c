"""Render the comment desk on a sample thread, offscreen, to a PNG (to look at it as a columnist would).

    python scripts/screenshot_comments.py docs/images/comments.png [--dark] [--size 1280x800]
        [--inbox] [--unfold] [--reply]

Needs no network and no keyring: the sample comments are written straight into a temporary library,
as a sync would have stored them (threads, accents and macrons, right-to-left text, emoji, and a
hostile comment with a script, a tracking pixel and a deceptive link).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshot_common import settle  # noqa: E402


def render(app: Any, args: argparse.Namespace, folder: str) -> None:
    from app.core import open_core
    from tests.helpers.comments import seed_sample
    from ui.comments.controller import CommentController
    from ui.comments.desk import CommentDesk
    from ui.runner import TaskRunner

    core = open_core(folder)
    piece_id, _site = seed_sample(core)
    runner = TaskRunner(on_error=lambda e: print("error:", e, file=sys.stderr))
    desk = CommentDesk(runner)
    CommentController(core, runner, desk, auto_sync=False).start()
    width, height = (int(v) for v in args.size.split("x"))
    desk.resize(width, height)
    desk.show()
    shown: list[int] = []
    desk.thread_shown.connect(shown.append)
    if args.inbox:
        desk.show_inbox()
    else:
        desk.show_piece(piece_id)
    settle(app, 10, lambda: bool(shown))
    settle(app, 0.5)
    if args.unfold:
        desk.delegate.toggle(1, desk.model.index_of(1))
    hostile = desk.model.index_of(5)
    if hostile.isValid() and not args.inbox:
        desk.tree.setCurrentIndex(hostile)
    if args.reply:
        desk.tree.setCurrentIndex(desk.model.index_of(2))
        desk.action_table["comments/reply"].trigger()
        desk.reply.editor.setPlainText("Thank you, Aroha — *ka pai*. The 12 is next on my list.")
    settle(app, 0.8)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    desk.grab().save(str(args.output))
    desk.close()
    runner.shutdown()
    core.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--inbox", action="store_true", help="show the inbox, not the piece")
    parser.add_argument("--unfold", action="store_true", help="unfold the first long comment")
    parser.add_argument("--reply", action="store_true", help="open the reply editor")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from ui.theme import ThemeManager

    app = QApplication([sys.argv[0]])
    ThemeManager(app, "dark" if args.dark else "light")
    with tempfile.TemporaryDirectory() as folder:
        render(app, args, folder)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
