"""Render the README screenshot: Copydesk on a sample column, as a columnist sees it.

    python scripts/screenshot.py docs/images/copydesk.png [--dark]

Runs offscreen (QT_QPA_PLATFORM=offscreen is set when no display is given) on a temporary library.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = Path(__file__).with_name("sample-column.md")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--size", default="1440x900")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEventLoop

    from app.core import open_core
    from ui.application import Startup, make_application

    app = make_application([sys.argv[0]])
    with tempfile.TemporaryDirectory() as folder:
        core = open_core(folder)
        core.settings.set("appearance.theme", "dark" if args.dark else "light")
        core.settings.save()
        source = Path(folder) / "night-bus.md"
        source.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
        piece = core.import_markdown(source)
        for title in (
            "Budget night: the numbers nobody read",
            "Why I stopped reviewing restaurants",
            "In praise of the public library",
            "Letters: the bridge, again",
        ):
            core.pieces.create(
                core.pieces.get(piece.id or 0).copy(
                    id=None, uid="", title=title, body="Draft.", slug_manual=False
                )
            )
        core.settings.set("library.last_piece", piece.id or 0)
        core.settings.save()
        core.close()
        startup = Startup(app)
        window = startup.open(Path(folder))
        assert window is not None
        width, height = (int(v) for v in args.size.split("x"))
        window.resize(width, height)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not window.ready_for_work:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        shown: list[int] = []
        window.preview.article_shown.connect(shown.append)
        window.preview_controller.render_now()
        while time.monotonic() < deadline and not (shown and window.spelling.ready):
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        settle = time.monotonic() + 2
        while time.monotonic() < settle:  # let the spelling underlines and the page paint
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(args.output))
        startup.close()
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
