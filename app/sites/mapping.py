"""Per site: where a piece's byline and standfirst go on the site.

- The byline goes to the post's **author** (a user of the site, looked up by name), or to a **custom
  field** a theme or a co-authors plugin reads.
- The standfirst goes as a **lead** paragraph at the top of the post (the default: a stock theme such as
  Twenty Twenty-Three shows no excerpt on a post's page, but it shows the content), as the **excerpt**,
  or as a **custom field**.

Kept as JSON in the site's ``publishing`` column; an unknown or damaged value reads as the defaults.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from app.errors import InvalidInputError

BYLINE_AUTHOR = "author"
BYLINE_FIELD = "field"
BYLINE_MODES = (BYLINE_AUTHOR, BYLINE_FIELD)

STANDFIRST_LEAD = "lead"
STANDFIRST_EXCERPT = "excerpt"
STANDFIRST_FIELD = "field"
STANDFIRST_MODES = (STANDFIRST_LEAD, STANDFIRST_EXCERPT, STANDFIRST_FIELD)

# a meta key as themes name them; the ones WordPress and Copydesk keep for themselves are refused
_FIELD_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]{0,99}$")
_RESERVED = ("_wp_", "_edit_", "copydesk_")


def check_field_name(name: str, what: str) -> str:
    """*name* as a custom field's key, or :class:`InvalidInputError` saying what is wrong with it."""
    name = name.strip()
    if not name:
        raise InvalidInputError(f"Name the custom field the site reads the {what} from.")
    if not _FIELD_NAME.match(name):
        raise InvalidInputError(
            f"“{name}” cannot be a custom field's name: use letters, digits, “_” and “-” "
            "(at most 100), as the theme's documentation names it."
        )
    if name.startswith(_RESERVED):
        raise InvalidInputError(f"“{name}” is a field WordPress or Copydesk keeps for itself.")
    return name


@dataclass(frozen=True)
class SiteMapping:
    """Where the byline and the standfirst go on one site."""

    byline: str = BYLINE_AUTHOR
    byline_field: str = ""
    standfirst: str = STANDFIRST_LEAD
    standfirst_field: str = ""

    def checked(self) -> SiteMapping:
        """The same mapping, validated (field names trimmed); raises :class:`InvalidInputError`."""
        if self.byline not in BYLINE_MODES:
            raise InvalidInputError(f"“{self.byline}” is not a place for the byline.")
        if self.standfirst not in STANDFIRST_MODES:
            raise InvalidInputError(f"“{self.standfirst}” is not a place for the standfirst.")
        byline_field = (
            check_field_name(self.byline_field, "byline") if self.byline == BYLINE_FIELD else ""
        )
        standfirst_field = (
            check_field_name(self.standfirst_field, "standfirst")
            if self.standfirst == STANDFIRST_FIELD
            else ""
        )
        if byline_field and byline_field == standfirst_field:
            raise InvalidInputError("The byline and the standfirst cannot go to the same field.")
        return SiteMapping(self.byline, byline_field, self.standfirst, standfirst_field)

    def describe(self) -> str:
        """In words, for the Sites dialog and ``copydesk site list``."""
        byline = (
            "byline as the post's author"
            if self.byline == BYLINE_AUTHOR
            else f"byline in the field “{self.byline_field}”"
        )
        standfirst = {
            STANDFIRST_LEAD: "standfirst as the lead paragraph",
            STANDFIRST_EXCERPT: "standfirst as the excerpt",
        }.get(self.standfirst, f"standfirst in the field “{self.standfirst_field}”")
        return f"{byline}; {standfirst}"

    def to_json(self) -> str:
        data: dict[str, Any] = {"byline": self.byline, "standfirst": self.standfirst}
        if self.byline_field:
            data["byline_field"] = self.byline_field
        if self.standfirst_field:
            data["standfirst_field"] = self.standfirst_field
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SiteMapping:
        """The mapping stored as *text*; the defaults for whatever is missing or unreadable."""
        try:
            raw = json.loads(text or "{}")
        except ValueError:
            return cls()
        if not isinstance(raw, dict):
            return cls()
        mapping = cls(
            byline=str(raw.get("byline", BYLINE_AUTHOR)),
            byline_field=str(raw.get("byline_field", "")),
            standfirst=str(raw.get("standfirst", STANDFIRST_LEAD)),
            standfirst_field=str(raw.get("standfirst_field", "")),
        )
        try:
            return mapping.checked()
        except InvalidInputError:
            return cls()
