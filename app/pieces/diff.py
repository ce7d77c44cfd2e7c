"""Word-level differences between two versions of a piece (paragraphs first, then words)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from app.pieces.data import PieceData

# -- word-level differences ------------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)

DiffOp = Literal["equal", "insert", "delete"]
_Adder = Callable[[DiffOp, str], None]


@dataclass(frozen=True)
class DiffChunk:
    op: DiffOp
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _word_level(old: str, new: str, add: _Adder) -> None:
    a, b = tokens(old), tokens(new)
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    removed, inserted = "", ""
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag != "equal":
            removed += "".join(a[i1:i2])
            inserted += "".join(b[j1:j2])
            continue
        same = "".join(a[i1:i2])
        between_changes = bool(removed or inserted) and index + 1 < len(opcodes)
        if between_changes and not same.strip():
            # a lone space between two changes reads better as part of one change
            removed += same
            inserted += same
            continue
        add("delete", removed)
        add("insert", inserted)
        removed, inserted = "", ""
        add("equal", same)
    add("delete", removed)
    add("insert", inserted)


def word_diff(old: str, new: str) -> list[DiffChunk]:
    """The changes from *old* to *new*, word by word.

    Paragraphs are matched first and words only inside the paragraphs that changed, so two versions of
    a long piece compare in milliseconds instead of quadratic time.
    """
    chunks: list[DiffChunk] = []

    def add(op: DiffOp, text: str) -> None:
        if not text:
            return
        if chunks and chunks[-1].op == op:
            chunks[-1] = DiffChunk(op, chunks[-1].text + text)
        else:
            chunks.append(DiffChunk(op, text))

    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        elif tag == "replace":
            _word_level("".join(a[i1:i2]), "".join(b[j1:j2]), add)
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return chunks


@dataclass(frozen=True)
class DiffSummary:
    words_added: int
    words_removed: int


def summarize(chunks: list[DiffChunk]) -> DiffSummary:
    def words(op: DiffOp) -> int:
        return sum(len(re.findall(r"\w+", c.text)) for c in chunks if c.op == op)

    return DiffSummary(words_added=words("insert"), words_removed=words("delete"))


# The fields shown when two revisions are compared, in reading order, with their labels.
COMPARED_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Headline"),
    ("standfirst", "Standfirst"),
    ("byline", "Byline"),
    ("body", "Body"),
    ("excerpt", "Excerpt"),
    ("slug", "Slug"),
    ("tags", "Tags"),
    ("categories", "Categories"),
    ("featured_image", "Featured image"),
    ("publish_at", "Publish at"),
    ("comment_status", "Comments"),
    ("status", "Status"),
)


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    chunks: list[DiffChunk]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def compare(old: PieceData, new: PieceData, fields: tuple[str, ...] | None = None) -> list[FieldDiff]:
    """Word-level differences of every compared field (or of *fields*) from *old* to *new*."""
    diffs = []
    for name, label in COMPARED_FIELDS:
        if fields is not None and name not in fields:
            continue
        before, after = _as_text(getattr(old, name)), _as_text(getattr(new, name))
        if before != after:
            diffs.append(FieldDiff(name, label, word_diff(before, after)))
    return diffs
