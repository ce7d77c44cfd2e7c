"""What a site's checklist asks for: each item required, recommended or off, and its limits.

Stored in the library per site (table ``checklists``) as the JSON of :meth:`ChecklistConfig.to_json`,
which is also what is exported, imported and sent to the companion plugin. Unknown keys and levels are
refused, never ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from app.errors import InvalidInputError

FORMAT = 1
OVERRIDE = "checklist.override"
"""The outbox job kind that records an editor's override of the checklist on the site."""


class Level(StrEnum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"
    OFF = "off"


# key -> label (the order is the order shown)
ITEMS: dict[str, str] = {
    "disclaimer": "A disclaimer is attached",
    "word_count": "Word count within the slot",
    "standfirst": "Standfirst present and within its length",
    "headline": "Headline within its length",
    "featured_image": "Featured image with alt text",
    "category": "At least one category",
    "spelling": "No spelling errors left",
    "open_notes": "No open notes",
    "links": "Links resolve (checked on demand)",
}
# what the companion plugin can check on the site itself (the others are the app's alone)
SERVER_ITEMS = frozenset({"disclaimer", "word_count", "headline", "featured_image", "category"})
LIMITS = ("word_min", "word_max", "standfirst_max", "headline_max")


def _default_levels() -> dict[str, Level]:
    levels = dict.fromkeys(ITEMS, Level.RECOMMENDED)
    levels["links"] = Level.OFF
    return levels


@dataclass(frozen=True)
class ChecklistConfig:
    levels: Mapping[str, Level] = field(default_factory=_default_levels)
    word_min: int = 0  # 0: no minimum
    word_max: int = 0  # 0: no maximum
    standfirst_max: int = 300
    headline_max: int = 90

    def level(self, key: str) -> Level:
        return self.levels.get(key, Level.OFF)

    def with_level(self, key: str, level: Level | str) -> ChecklistConfig:
        if key not in ITEMS:
            raise InvalidInputError(f"The checklist has no item “{key}”.")
        levels = dict(self.levels)
        levels[key] = _level(level)
        return replace(self, levels=levels)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "levels": {key: self.level(key).value for key in ITEMS},
            **{name: getattr(self, name) for name in LIMITS},
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, data: Any) -> ChecklistConfig:
        """Read a checklist exported as JSON (a string or the parsed object); bad input is refused."""
        if isinstance(data, str | bytes):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise InvalidInputError(f"The checklist is not JSON: {exc}.") from None
        if not isinstance(data, Mapping):
            raise InvalidInputError("The checklist must be a JSON object.")
        unknown = set(data) - {"format", "levels", *LIMITS}
        if unknown:
            raise InvalidInputError(f"The checklist has unknown keys: {', '.join(sorted(unknown))}.")
        levels = data.get("levels", {})
        if not isinstance(levels, Mapping):
            raise InvalidInputError("The checklist's “levels” must be an object.")
        wrong = set(levels) - set(ITEMS)
        if wrong:
            raise InvalidInputError(f"The checklist has no items {', '.join(sorted(wrong))}.")
        merged = _default_levels()
        merged.update({str(k): _level(v) for k, v in levels.items()})
        limits = {name: _limit(name, data.get(name, getattr(cls(), name))) for name in LIMITS}
        config = cls(levels=merged, **limits)
        if config.word_max and config.word_min > config.word_max:
            raise InvalidInputError("The checklist's minimum word count is above its maximum.")
        return config


def _level(value: Any) -> Level:
    try:
        return Level(str(value))
    except ValueError:
        raise InvalidInputError(
            f"“{value}” is not a checklist level (required, recommended or off)."
        ) from None


def _limit(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise InvalidInputError(f"The checklist's “{name}” must be a whole number, 0 or more.")
    return value
