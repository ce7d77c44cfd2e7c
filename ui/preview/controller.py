"""Keeps the preview up to date without ever making typing wait.

Changes are debounced; at most one render runs at a time, and changes that arrive meanwhile are
coalesced into one more render when it finishes. Rendering happens on a worker thread through
``app.render.stored``; a result for a piece that is no longer open, or older than what is shown, is
dropped.
(The scheme of ReText's ``triggerPreviewUpdate`` and converter process, on a thread pool.)
"""

from __future__ import annotations

import bisect
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.pieces.data import PieceData
from app.render.blocks import block_starts
from app.text.stats import TextStats, count
from ui.editor.session import PieceSession
from ui.preview.view import PreviewView
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.render import RenderedArticle

log = logging.getLogger(__name__)

MIN_DELAY_MS = 40
MAX_DELAY_MS = 400


@dataclass(frozen=True)
class RenderResult:
    piece_id: int | None
    generation: int
    stats: TextStats
    article: RenderedArticle | None  # None when the preview is hidden: only the counts are made
    blocks: list[int]
    seconds: float


def _render(core: Core, piece: PieceData, generation: int, with_article: bool) -> RenderResult:
    started = time.perf_counter()
    article = core.articles.render(piece) if with_article else None
    stats = article.stats if article is not None else count(piece.body)
    return RenderResult(
        piece_id=piece.id,
        generation=generation,
        stats=stats,
        article=article,
        blocks=block_starts(piece.body) if with_article else [],
        seconds=time.perf_counter() - started,
    )


class PreviewController(QObject):
    stats_changed = Signal(object)  # TextStats
    rendered = Signal(object)  # RenderResult
    render_failed = Signal(object)

    def __init__(self, core: Core, runner: TaskRunner, session: PieceSession, view: PreviewView) -> None:
        super().__init__()
        self._core = core
        self._runner = runner
        self._session = session
        self._view = view
        self._requested = 0
        self._shown = 0
        self._in_flight = False
        self._delay_ms = MIN_DELAY_MS
        self._blocks: list[int] = []
        self._scroll_sync = True
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def view(self) -> PreviewView:
        return self._view

    def set_scroll_sync(self, enabled: bool) -> None:
        self._scroll_sync = enabled

    def request(self) -> None:
        """Something changed: render again soon."""
        if not self._session.is_open:
            return
        self._requested += 1
        self._timer.start(self._delay_ms)

    def render_now(self) -> None:
        self._requested += 1
        self._timer.start(0)

    def _on_timer_timeout(self) -> None:
        if not self._in_flight:
            self._start()

    def _start(self) -> None:
        if not self._session.is_open:
            return
        self._in_flight = True
        generation = self._requested
        visible = self._view.isVisible()
        self._runner.read(
            _render,
            self._core,
            self._session.snapshot(),
            generation,
            visible,
            owner=self,
            on_finished=self._on_render_finished,
            on_done=self._on_rendered,
            on_error=self._on_render_error,
        )

    def _on_render_finished(self) -> None:
        self._in_flight = False  # whatever came of it, even a bug: the next change renders again

    def _on_rendered(self, result: RenderResult) -> None:
        # adapt the debounce to how long rendering takes: long pieces wait a little longer
        self._delay_ms = int(min(MAX_DELAY_MS, max(MIN_DELAY_MS, result.seconds * 1000)))
        current = result.piece_id == self._session.piece_id
        if current and result.generation > self._shown:
            self._shown = result.generation
            self.stats_changed.emit(result.stats)
            if result.article is not None:
                self._blocks = result.blocks
                self._view.show_article(result.article, result.generation)
            self.rendered.emit(result)
        if self._requested > result.generation and self._session.is_open:
            self._start()

    def _on_render_error(self, error: BaseException) -> None:
        log.error("Rendering the preview failed: %r", error)
        self.render_failed.emit(error)

    def reset(self) -> None:
        """A different piece was opened: anything rendered before now is stale."""
        self._shown = self._requested
        self._blocks = []
        self.render_now()

    def sync_to_editor(self, first_line: int, fraction: float) -> None:
        if not self._scroll_sync or not self._blocks:
            return
        if first_line == 0 and fraction == 0.0:
            self._view.scroll_to_block(-1, 0.0)
            return
        index = bisect.bisect_right(self._blocks, first_line) - 1
        if index < 0:
            self._view.scroll_to_block(-1, 0.0)
            return
        start = self._blocks[index]
        end = self._blocks[index + 1] if index + 1 < len(self._blocks) else start + 1
        within = (first_line - start + fraction) / max(1, end - start)
        self._view.scroll_to_block(index, within)
