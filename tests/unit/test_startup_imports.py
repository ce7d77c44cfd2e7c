"""The first window must not wait for the database layer, the network stack or the renderer.

They load after the window is on screen (docs/ARCHITECTURE.md, "Start-up"); an import at the top
of a ui module can silently pull one of them into the start-up path again.
"""

from __future__ import annotations

import os
import subprocess
import sys

DEFERRED = ("sqlalchemy", "alembic", "requests", "keyring", "markdown", "yaml", "spylls", "nh3")


def test_the_window_modules_load_without_the_deferred_libraries() -> None:
    probe = (
        "import sys\n"
        "import copydesk, app.cli.main, ui.application, ui.main_window\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({DEFERRED!r})))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "[]"
