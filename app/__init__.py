"""Copydesk core: everything that works without a display.

Nothing under ``app`` imports Qt; the import-linter contract in ``pyproject.toml`` enforces it.
"""

from __future__ import annotations

APP_NAME = "Copydesk"
APP_ID = "copydesk"


def version() -> str:
    """The installed package version, the single source of truth for every place that shows it."""
    from importlib import metadata  # imported here: it costs a fifth of the window's start-up

    try:
        return metadata.version(APP_ID)
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
