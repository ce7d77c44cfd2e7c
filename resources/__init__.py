"""Files that ship with Copydesk: the article template and stylesheet, icons, default boilerplate.

Always read through :func:`read_text` / :func:`path` (``importlib.resources``), never relative to the
working directory, so they are found in a source tree, an installed wheel and a frozen bundle alike.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable


def files() -> Traversable:
    return resources.files(__name__)


def read_text(*parts: str) -> str:
    node = files()
    for part in parts:
        node = node / part
    return node.read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    node = files()
    for part in parts:
        node = node / part
    return node.read_bytes()
