"""Word count and reading time of a Markdown text, counted as a reader would count them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Average silent reading speed of adults for non-fiction (Brysbaert, 2019: 238 words a minute).
WORDS_PER_MINUTE = 238

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>\n]+>")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_URL = re.compile(r"https?://\S+")
# A word: letters or digits, with inner apostrophes, hyphens and periods (don't, well-known, 3.5).
_WORD = re.compile(r"[^\W_](?:[\w’']*[^\W_])?(?:[-.][^\W_]+)*")


@dataclass(frozen=True)
class TextStats:
    words: int
    characters: int

    @property
    def reading_minutes(self) -> int:
        if self.words == 0:
            return 0
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    @property
    def reading_label(self) -> str:
        return f"{self.reading_minutes} min read"


def plain_words(markdown: str) -> list[str]:
    """The words a reader sees in *markdown*: no code blocks, tags, URLs or link targets."""
    text = _FENCE.sub(" ", markdown)
    text = _REF_DEF.sub(" ", text)
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = _URL.sub(" ", text)
    return _WORD.findall(text)


def count(markdown: str) -> TextStats:
    return TextStats(words=len(plain_words(markdown)), characters=len(markdown))
