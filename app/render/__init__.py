"""The one renderer: Markdown to the HTML that the preview shows, the export writes and a push sends."""

from app.render.article import ArticleParts, RenderedArticle, render_article
from app.render.markdown import render_markdown

__all__ = ["ArticleParts", "RenderedArticle", "render_article", "render_markdown"]
