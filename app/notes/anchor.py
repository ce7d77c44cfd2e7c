"""Where a note sits in a piece's text, and finding that place again after edits. Pure functions.

An anchor follows the W3C Web Annotation model: a ``TextQuoteSelector`` (the exact quote with up to
32 characters of context before and after it), a ``TextPositionSelector`` hint (start and end) and
the hash of the text it was made on (the base version). After edits:

1. the text is the base version: the position is right as it is;
2. the base version's text is known: positions are mapped through the diff from it (diff-match-patch);
   when the quote is still there, that is the place; when the passage itself was edited, the mapped
   passage is kept if it still resembles the quote;
3. otherwise a search for the quote, each candidate scored on the quote, its context and its distance
   from the position hint (weights as Hypothesis's client uses them: quote 50, prefix 20, suffix 20,
   position 2); an exact occurrence first, else a fuzzy one (rapidfuzz) near the hint;
4. below the threshold the note is **orphaned**: ``None``, and the note keeps its quote. A note is
   never attached to text that does not resemble its quote.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from diff_match_patch import diff_match_patch
from rapidfuzz import fuzz

CONTEXT = 32  # characters of prefix and suffix kept with the quote
MAX_QUOTE = 2_000  # longer selections keep their first and last characters only for matching
QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50.0, 20.0, 20.0, 2.0
FUZZY_QUOTE = 0.75  # a fuzzy candidate's quote must be at least this similar
FUZZY_CONTEXT = 0.5  # ... and its context (prefix and suffix together) at least this
FAR_QUOTE, FAR_CONTEXT = 0.9, 0.75  # far from the hint, the bar is higher
THRESHOLD = 0.7  # the weighted score a fuzzy candidate must reach

Method = Literal["exact", "mapped", "quote", "fuzzy"]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """A passage of one version of a text: quote, context, position hint and the version's hash."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    base_hash: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Anchor | None:
        """The anchor stored as JSON; None for a note on the whole piece (or unreadable JSON)."""
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, Mapping) or not isinstance(data.get("exact"), str):
            return None
        return cls(
            exact=str(data["exact"]),
            prefix=str(data.get("prefix", "")),
            suffix=str(data.get("suffix", "")),
            start=_int(data.get("start")),
            end=_int(data.get("end")),
            base_hash=str(data.get("base_hash", "")),
        )

    def to_selectors(self) -> list[dict[str, Any]]:
        """The W3C selectors, as an annotation would carry them."""
        return [
            {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix,
             "suffix": self.suffix},
            {"type": "TextPositionSelector", "start": self.start, "end": self.end},
        ]  # fmt: skip


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """The anchor of ``text[start:end]``. Raises ValueError for an empty or out-of-range passage."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"no passage at {start}:{end} in a text of {len(text)} characters")
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
        base_hash=text_hash(text),
    )


@dataclass(frozen=True)
class Placement:
    """Where an anchor was found in the current text."""

    start: int
    end: int
    method: Method
    score: float  # 1.0 for an exact or mapped place


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return fuzz.ratio(a, b) / 100.0


def _context_score(anchor: Anchor, text: str, start: int, end: int) -> tuple[float, float]:
    prefix = text[max(0, start - len(anchor.prefix)) : start] if anchor.prefix else ""
    suffix = text[end : end + len(anchor.suffix)] if anchor.suffix else ""
    return _similarity(anchor.prefix, prefix), _similarity(anchor.suffix, suffix)


def _score(anchor: Anchor, text: str, start: int, end: int, *, quote: float, hint: int) -> float:
    prefix, suffix = _context_score(anchor, text, start, end)
    position = 1.0 - min(1.0, abs(start - hint) / max(len(text), 1))
    total = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT
    weighted = (
        QUOTE_WEIGHT * quote
        + PREFIX_WEIGHT * prefix
        + SUFFIX_WEIGHT * suffix
        + POSITION_WEIGHT * position
    )
    return weighted / total


def _exact_candidates(anchor: Anchor, text: str, hint: int, *, strict: bool) -> Placement | None:
    """The best exact occurrence of the quote: by context, then by nearness to the hint. With
    *strict* (the diff showed the passage itself was edited), an occurrence must keep its context."""
    best: tuple[float, int, int] | None = None
    length = len(anchor.exact)
    found = text.find(anchor.exact)
    while found != -1:
        prefix, suffix = _context_score(anchor, text, found, found + length)
        key = (prefix + suffix, -abs(found - hint), found)
        if best is None or key[:2] > best[:2]:
            best = key
        found = text.find(anchor.exact, found + 1)
    if best is None or (strict and best[0] / 2 < FUZZY_CONTEXT):
        return None
    start = best[2]
    score = _score(anchor, text, start, start + length, quote=1.0, hint=hint)
    return Placement(start, start + length, "quote", score)


def _refine(anchor: Anchor, text: str, start: int, end: int) -> tuple[int, int, float]:
    """Move the ends of a fuzzy match to where the quote matches best (lengths may have changed)."""
    quote = anchor.exact
    slack = max(4, len(quote) // 3)
    best = (start, end, _similarity(quote, text[start:end]))
    for new_end in range(max(start + 1, end - slack), min(len(text), end + slack) + 1):
        score = _similarity(quote, text[best[0] : new_end])
        if score > best[2]:
            best = (best[0], new_end, score)
    for new_start in range(max(0, start - slack), min(best[1] - 1, start + slack) + 1):
        score = _similarity(quote, text[new_start : best[1]])
        if score > best[2]:
            best = (new_start, best[1], score)
    return best


def _fuzzy(anchor: Anchor, text: str, hint: int, *, far: bool) -> Placement | None:
    quote = anchor.exact
    if not quote.strip():
        return None
    if far:
        lo, hi = 0, len(text)
    else:
        margin = 2 * len(quote) + 256
        lo, hi = max(0, hint - margin), min(len(text), hint + len(quote) + margin)
    window = text[lo:hi]
    if not window:
        return None
    needle = quote if len(quote) <= MAX_QUOTE else quote[: MAX_QUOTE // 2] + quote[-MAX_QUOTE // 2 :]
    found = fuzz.partial_ratio_alignment(needle, window, score_cutoff=FUZZY_QUOTE * 100 * 0.9)
    if found is None or found.dest_end <= found.dest_start:
        return None
    start, end, quote_score = _refine(anchor, text, lo + found.dest_start, lo + found.dest_end)
    prefix, suffix = _context_score(anchor, text, start, end)
    context = (prefix + suffix) / 2
    need_quote, need_context = (FAR_QUOTE, FAR_CONTEXT) if far else (FUZZY_QUOTE, FUZZY_CONTEXT)
    if quote_score < need_quote or context < need_context:
        return None
    score = _score(anchor, text, start, end, quote=quote_score, hint=hint)
    return Placement(start, end, "fuzzy", score) if score >= THRESHOLD else None


def _search(anchor: Anchor, text: str, hint: int, *, strict: bool = False) -> Placement | None:
    return (
        _exact_candidates(anchor, text, hint, strict=strict)
        or _fuzzy(anchor, text, hint, far=False)
        or _fuzzy(anchor, text, hint, far=True)
    )


class Relocator:
    """Finds anchors again in one current text; the diff from each base version is made once."""

    def __init__(self, text: str, bases: Mapping[str, str] | None = None) -> None:
        self.text = text
        self.hash = text_hash(text)
        self._bases = dict(bases or {})
        self._diffs: dict[str, list[tuple[int, str]]] = {}
        self._dmp = diff_match_patch()
        self._dmp.Diff_Timeout = 0.5

    def _diff(self, base_hash: str) -> list[tuple[int, str]] | None:
        if base_hash not in self._diffs:
            base = self._bases.get(base_hash)
            if base is None or text_hash(base) != base_hash:
                return None
            diffs = self._dmp.diff_main(base, self.text, False)
            self._diffs[base_hash] = [(int(op), str(chunk)) for op, chunk in diffs]
        return self._diffs[base_hash]

    def locate(self, anchor: Anchor) -> Placement | None:
        text = self.text
        if anchor.base_hash == self.hash and text[anchor.start : anchor.end] == anchor.exact:
            return Placement(anchor.start, anchor.end, "exact", 1.0)
        hint = min(anchor.start, len(text))
        strict = False
        diffs = self._diff(anchor.base_hash)
        if diffs is not None:
            start = map_index(diffs, anchor.start, inserts_before=False)
            end = map_index(diffs, anchor.end, inserts_before=True)
            if text[start:end] == anchor.exact:
                return Placement(start, end, "mapped", 1.0)
            hint, strict = start, True
            found = _exact_candidates(anchor, text, hint, strict=True)  # the diff aligned it oddly
            if found is None and end > start:
                found = _fuzzy_mapped(anchor, text, start, end)
            if found is not None:
                return found
        return _search(anchor, text, hint, strict=strict)

    def locate_all(self, anchors: Sequence[Anchor | None]) -> list[Placement | None]:
        return [self.locate(a) if a is not None else None for a in anchors]


def map_index(diffs: Sequence[tuple[int, str]], loc: int, *, inserts_before: bool) -> int:
    """A position of the base text in the new one. Text inserted exactly at *loc* lands after the
    position (a passage's start) or, with *inserts_before*, before it (a passage's end): either way
    outside the passage. A position in deleted text goes to where the deletion was."""
    old = new = 0
    for op, chunk in diffs:
        size = len(chunk)
        if op == diff_match_patch.DIFF_INSERT:
            if inserts_before and old == loc:
                return new
            new += size
        elif op == diff_match_patch.DIFF_DELETE:
            if old <= loc < old + size:
                return new
            old += size
        else:
            if old <= loc < old + size or (inserts_before and loc == old + size):
                return new + loc - old
            old += size
            new += size
    return new + max(0, loc - old)


def _fuzzy_mapped(anchor: Anchor, text: str, start: int, end: int) -> Placement | None:
    """The passage the diff maps the anchor to, kept when it still resembles the quote."""
    quote = _similarity(anchor.exact, text[start:end])
    if quote < FUZZY_QUOTE:
        return None
    return Placement(start, end, "fuzzy", _score(anchor, text, start, end, quote=quote, hint=start))


def locate(anchor: Anchor, text: str, *, base_text: str | None = None) -> Placement | None:
    """Find *anchor* in *text* (see the module's notes); None when the note is orphaned."""
    bases = {anchor.base_hash: base_text} if base_text is not None else {}
    return Relocator(text, bases).locate(anchor)


def rebase(anchor: Anchor, text: str, placement: Placement) -> Anchor:
    """The anchor moved to where it was found in *text* (the new base version)."""
    return anchor_at(text, placement.start, placement.end)
