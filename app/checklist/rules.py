"""The checklist evaluated on one piece: pure, given what the caller knows (the spelling errors from
the window's checker or the CLI's, the open notes, the links checked on demand)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.checklist.config import ITEMS, ChecklistConfig, Level
from app.pieces.data import PieceData
from app.text.stats import count

FEATURED_ALT = "featured_image_alt"  # the key in a piece's ``extra`` that holds the image's alt text
_LINK = re.compile(r"\]\((https?://[^)\s]+)")

SpellingCheck = Callable[[str], Sequence[str]]  # the body's text -> the misspelt words
LinkCheck = Callable[[Sequence[str]], Sequence[str]]  # addresses -> those that do not resolve


@dataclass(frozen=True)
class ItemResult:
    key: str
    label: str
    level: Level
    ok: bool | None  # None: not checked (links not asked for, no spelling checker)
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "level": self.level.value, "ok": self.ok,
                "detail": self.detail}  # fmt: skip


@dataclass(frozen=True)
class ChecklistReport:
    items: tuple[ItemResult, ...]

    @property
    def missing(self) -> tuple[ItemResult, ...]:
        """Required items unmet: they block submit, approve and publish."""
        return tuple(i for i in self.items if i.level is Level.REQUIRED and i.ok is False)

    @property
    def warnings(self) -> tuple[ItemResult, ...]:
        return tuple(i for i in self.items if i.level is Level.RECOMMENDED and i.ok is False)

    @property
    def passed(self) -> bool:
        return not self.missing

    def summary(self) -> str:
        return "; ".join(f"{i.label}: {i.detail}" for i in self.missing)

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "items": [i.to_json() for i in self.items],
                "missing": [i.key for i in self.missing],
                "warnings": [i.key for i in self.warnings]}  # fmt: skip


def links_of(body: str) -> list[str]:
    return list(dict.fromkeys(_LINK.findall(body)))


def _words(piece: PieceData, config: ChecklistConfig) -> tuple[bool, str]:
    words = count(piece.body).words
    if config.word_min and words < config.word_min:
        return False, f"{words} words, {config.word_min - words} short of {config.word_min}"
    if config.word_max and words > config.word_max:
        return False, f"{words} words, {words - config.word_max} over {config.word_max}"
    return True, f"{words} words"


def _standfirst(piece: PieceData, config: ChecklistConfig) -> tuple[bool, str]:
    size = len(piece.standfirst.strip())
    if not size:
        return False, "no standfirst"
    if config.standfirst_max and size > config.standfirst_max:
        return False, f"{size} characters, over {config.standfirst_max}"
    return True, f"{size} characters"


def _headline(piece: PieceData, config: ChecklistConfig) -> tuple[bool, str]:
    size = len(piece.title.strip())
    if not size:
        return False, "no headline"
    if config.headline_max and size > config.headline_max:
        return False, f"{size} characters, over {config.headline_max}"
    return True, f"{size} characters"


def _image(piece: PieceData) -> tuple[bool, str]:
    if not piece.featured_image:
        return False, "no featured image"
    if not str(piece.extra.get(FEATURED_ALT, "")).strip():
        return False, "the featured image has no alt text"
    return True, "with alt text"


def evaluate(
    piece: PieceData,
    config: ChecklistConfig,
    *,
    open_notes: int = 0,
    spelling: SpellingCheck | None = None,
    links: LinkCheck | None = None,
) -> ChecklistReport:
    """Each item of *config* that is not off, checked on *piece*."""
    checks: dict[str, Callable[[], tuple[bool | None, str]]] = {
        "disclaimer": lambda: (piece.disclaimer_id is not None,
                               "attached" if piece.disclaimer_id is not None else "none attached"),
        "word_count": lambda: _words(piece, config),
        "standfirst": lambda: _standfirst(piece, config),
        "headline": lambda: _headline(piece, config),
        "featured_image": lambda: _image(piece),
        "category": lambda: (bool(piece.categories),
                             ", ".join(piece.categories) if piece.categories else "no category"),
        "spelling": lambda: _spelling(piece, spelling),
        "open_notes": lambda: (open_notes == 0,
                               "none open" if not open_notes else f"{open_notes} open"),
        "links": lambda: _links(piece, links),
    }  # fmt: skip
    results = []
    for key, label in ITEMS.items():
        level = config.level(key)
        if level is Level.OFF:
            continue
        ok, detail = checks[key]()
        results.append(ItemResult(key, label, level, ok, detail))
    return ChecklistReport(tuple(results))


def _spelling(piece: PieceData, spelling: SpellingCheck | None) -> tuple[bool | None, str]:
    if spelling is None:
        return None, "not checked"
    wrong = sorted(set(spelling(piece.body)))
    if not wrong:
        return True, "no errors"
    shown = ", ".join(wrong[:8]) + (", …" if len(wrong) > 8 else "")
    return False, f"{len(wrong)} misspelt: {shown}"


def _links(piece: PieceData, links: LinkCheck | None) -> tuple[bool | None, str]:
    if links is None:
        return None, "not checked (on demand)"
    addresses = links_of(piece.body)
    broken = list(links(addresses))
    if not broken:
        return True, f"{len(addresses)} checked"
    return False, f"{len(broken)} do not resolve: {', '.join(broken[:5])}"
