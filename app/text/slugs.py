"""URL slugs derived from a headline the way WordPress would accept them."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(title: str, *, max_length: int = MAX_LENGTH) -> str:
    """A headline as a slug.

    ``"Café society: why we’re all — still — talking"`` →
    ``"cafe-society-why-were-all-still-talking"``.
    """
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "").replace("'", "").replace("&", " and ")
    slug = _NOT_SLUG.sub("-", text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def piece_slug(title: str, slug: str, manual: bool) -> str:
    """The slug a piece goes by: its own when set by hand, else the one its headline gives.

    The one rule the library stores and the metadata panel shows.
    """
    return slug if manual else slugify(title)


def is_manual(title: str, slug: str) -> bool:
    """Whether *slug* was set by hand: it is not the one the headline gives."""
    return bool(slug) and slug != slugify(title)


def is_valid(slug: str) -> bool:
    return bool(slug) and slugify(slug) == slug
