"""The one renderer: Markdown to the HTML that the preview shows, the export writes and a push sends.

The names below load on first use, so that importing a light submodule (``app.render.blocks``)
does not load Python-Markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.render.article import ArticleParts, RenderedArticle, render_article
    from app.render.markdown import render_markdown

__all__ = ["ArticleParts", "RenderedArticle", "render_article", "render_markdown"]
_HOMES = {
    "ArticleParts": "app.render.article",
    "RenderedArticle": "app.render.article",
    "render_article": "app.render.article",
    "render_markdown": "app.render.markdown",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
