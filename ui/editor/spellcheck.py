"""Spell checking for the editor without ever blocking it.

The dictionary loads on a worker thread after the window is up. The highlighter asks
:meth:`SpellService.is_misspelt` for every word it paints; a word not seen before is answered "fine for
now", queued, checked in a batch on a worker thread, and :attr:`SpellService.words_checked` tells the
editor which words to underline.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.text.spelling import SpellChecker, should_check
from ui.runner import TaskRunner

log = logging.getLogger(__name__)


def _loaded(checker: SpellChecker) -> SpellChecker:
    """Load *checker*'s dictionary (on a worker) and hand the checker back."""
    checker.load()
    return checker


class SpellService(QObject):
    words_checked = Signal(set)  # words newly found misspelt
    verdicts_reset = Signal()  # language, dictionary or enabled state changed: re-highlight all
    load_failed = Signal(str)

    BATCH_DELAY_MS = 30

    def __init__(
        self, runner: TaskRunner, personal: Path, language: str, *, enabled: bool = True
    ) -> None:
        super().__init__()
        self._runner = runner
        self._personal = personal
        self._enabled = enabled
        self._checker: SpellChecker | None = None
        self._language = language
        self._verdicts: dict[str, bool] = {}  # word -> misspelt
        self._queued: set[str] = set()
        self._in_flight = False
        self._flush = QTimer(self, singleShot=True, interval=self.BATCH_DELAY_MS)
        self._flush.timeout.connect(self._check_queued)

    # -- set-up --------------------------------------------------------------------------------

    @property
    def language(self) -> str:
        return self._language

    @property
    def enabled(self) -> bool:
        return self._enabled

    @property
    def ready(self) -> bool:
        return self._checker is not None and self._checker.loaded

    def load(self, language: str | None = None) -> None:
        """Load (or switch to) a dictionary in the background."""
        self._language = language or self._language
        checker = SpellChecker(self._language, self._personal)
        self._runner.read(
            functools.partial(_loaded, checker),
            owner=self,
            on_done=self._on_loaded,
            on_error=self._on_load_error,
        )

    def _on_loaded(self, checker: SpellChecker) -> None:
        if checker.language != self._language:
            return  # the user switched language again meanwhile
        self._checker = checker
        self._reset()

    def _on_load_error(self, error: BaseException) -> None:
        message = str(error)
        log.warning("Spell checking is off: %s", message)
        self.load_failed.emit(message)

    def set_enabled(self, enabled: bool) -> None:
        if enabled != self._enabled:
            self._enabled = enabled
            self.verdicts_reset.emit()

    def _reset(self) -> None:
        self._verdicts.clear()
        self._queued.clear()
        self.verdicts_reset.emit()

    # -- checking ------------------------------------------------------------------------------

    def is_misspelt(self, word: str) -> bool:
        if not self._enabled or self._checker is None or not should_check(word):
            return False
        verdict = self._verdicts.get(word)
        if verdict is None:
            self._queued.add(word)
            if not self._flush.isActive() and not self._in_flight:
                self._flush.start()
            return False
        return verdict

    def _check_queued(self) -> None:
        if not self._queued or self._checker is None:
            return
        words, self._queued = self._queued, set()
        checker = self._checker
        self._in_flight = True
        self._runner.read(
            lambda: (words, checker.misspelt(words), checker),
            owner=self,
            on_finished=self._on_check_finished,
            on_done=self._on_checked,
            on_error=self._on_check_error,
        )

    def _on_check_finished(self) -> None:
        self._in_flight = False  # whatever came of it, even a bug: later words are still checked

    def _on_checked(self, result: tuple[set[str], set[str], SpellChecker]) -> None:
        words, misspelt, checker = result
        if checker is not self._checker:
            return
        for word in words:
            self._verdicts[word] = word in misspelt
        if misspelt:
            self.words_checked.emit(misspelt)
        if self._queued:
            self._flush.start()

    def _on_check_error(self, error: BaseException) -> None:
        log.warning("Spell check failed: %r", error)

    def is_misspelt_now(self, word: str) -> bool:
        """Check one word on the calling thread, bypassing the cache (the smoke test)."""
        return self._checker is not None and not self._checker.check(word)

    def suggestions(self, word: str) -> list[str]:
        """Suggestions for one word; runs on the calling thread (a right-click, ~0.2 s at worst)."""
        if self._checker is None:
            return []
        return self._checker.suggest(word)

    def add_to_dictionary(self, word: str) -> None:
        if self._checker is not None:
            self._checker.add_to_dictionary(word)
            self._reset()

    def ignore(self, word: str) -> None:
        if self._checker is not None:
            self._checker.ignore(word)
            self._reset()
