"""What the screenshot scripts share: waiting on the event loop, opening the window on a sample
library with no sync, and the command line of the scripts that grab the window into a folder.

The scripts are run as files (``python scripts/screenshot_notes.py``), so each puts the repository
root on ``sys.path`` and imports this module as ``scripts.screenshot_common``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Render = Callable[[Any, argparse.Namespace, str], None]


def settle(app: Any, seconds: float, until: Callable[[], bool] | None = None) -> None:
    """Run the event loop for `seconds`, or until `until()` holds."""
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (until and until()):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def open_window(app: Any, folder: str, size: str, attached: str) -> tuple[Any, Any]:
    """Open the window on the library in `folder`, sized `size` ("1440x900"), once its `attached`
    part is there and it is ready for work. The sample site is not real, so it never syncs (the
    first sync would come a few seconds after opening). Returns the startup and the window."""
    from ui.application import Startup

    startup = Startup(app)
    window = startup.open(Path(folder))
    assert window is not None
    settle(app, 60, lambda: hasattr(window, attached))  # the library is attached
    window.review.sync_now = lambda **_kw: False
    window.comments.sync_now = lambda **_kw: False
    width, height = (int(v) for v in size.split("x"))
    window.resize(width, height)
    settle(app, 60, lambda: window.ready_for_work)
    return startup, window


def run_window_script(render: Render) -> int:
    """The main of a script that grabs the window into a folder: parse the command line
    (folder, --dark, --size, --suffix), make the application offscreen and call `render` on a
    temporary library."""
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--size", default="1440x900")
    parser.add_argument("--suffix", default="", help="added to each file's name, e.g. -dark")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from ui.application import make_application

    app = make_application([sys.argv[0]])
    with tempfile.TemporaryDirectory() as folder:
        render(app, args, folder)
    print(f"wrote {args.folder}")
    return 0
