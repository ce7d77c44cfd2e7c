"""Python string indices versus Qt text positions.

Qt counts positions in UTF-16 code units; Python counts code points. They differ after any character
outside the Basic Multilingual Plane (most emoji), so every position found with ``re`` must be mapped
before it is given to Qt, and back.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    """Maps indices of one string between code points and UTF-16 units."""

    def __init__(self, text: str) -> None:
        # indices (in code points) of the astral characters; each adds one extra UTF-16 unit
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral16 = [i + n for n, i in enumerate(self._astral)]

    def to_qt(self, index: int) -> int:
        if not self._astral:
            return index
        return index + bisect_right(self._astral, index - 1)

    def to_py(self, position: int) -> int:
        if not self._astral:
            return position
        return position - bisect_right(self._astral16, position - 1)
