"""Rendering stored pieces: resolves a piece's disclaimer and snippets and the newsroom stylesheet.

Thread-safe for reads; the preview calls :meth:`ArticleRenderer.render` from a worker thread on every
pause in typing, so the boilerplate is cached and refreshed only when the library changes it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from app.pieces.boilerplate import BoilerplateLibrary
from app.pieces.data import Boilerplate, PieceData
from app.render import RenderedArticle, render_article
from app.render.article import default_stylesheet

log = logging.getLogger(__name__)


class ArticleRenderer:
    def __init__(self, boilerplate: BoilerplateLibrary, stylesheet_override: Path | None) -> None:
        self._boilerplate = boilerplate
        self._override = stylesheet_override
        self._lock = threading.Lock()
        self._disclaimers: dict[int, Boilerplate] | None = None
        self._snippets: dict[int, Boilerplate] | None = None

    def invalidate(self) -> None:
        """Forget cached disclaimers and snippets (call after the library changed them)."""
        with self._lock:
            self._disclaimers = self._snippets = None

    def _caches(self) -> tuple[dict[int, Boilerplate], dict[int, Boilerplate]]:
        with self._lock:
            if self._disclaimers is None or self._snippets is None:
                self._disclaimers = {b.id: b for b in self._boilerplate.entries("disclaimer")}
                self._snippets = {b.id: b for b in self._boilerplate.entries("snippet")}
            return self._disclaimers, self._snippets

    def stylesheet(self) -> str:
        if self._override is not None and self._override.is_file():
            try:
                return self._override.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                log.warning("Could not read the newsroom stylesheet %s: %s", self._override, exc)
        return default_stylesheet()

    def render(self, piece: PieceData) -> RenderedArticle:
        disclaimers, snippets = self._caches()
        disclaimer = disclaimers.get(piece.disclaimer_id) if piece.disclaimer_id else None
        attached = [snippets[i] for i in piece.snippet_ids if i in snippets]
        return render_article(
            piece, disclaimer=disclaimer, snippets=attached, stylesheet=self.stylesheet()
        )
