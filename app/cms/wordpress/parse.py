"""WordPress's REST answers read into the plain values of :mod:`app.cms.base`, and a post's body.

Every reader takes whatever the site sent: a field of the wrong type becomes an empty value, an answer
that is not an object at all a :class:`~app.errors.RemoteError`, never a crash.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

from app.cms.base import PostFields, RemoteMedia, RemotePost, RemotePostSummary, RemoteTerm
from app.errors import RemoteError

UID_META = "copydesk_uid"
FIELDS_KEY = "copydesk_fields"  # the companion plugin's custom fields (0.5.0 and later)


def obj(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise RemoteError(f"The site's answer about {what} is not what WordPress sends.")
    return data


def text(value: Any, key: str = "raw") -> str:
    """A field that is either a string or WordPress's {"raw": ..., "rendered": ...}."""
    if isinstance(value, Mapping):
        found = value.get(key)
        if found is None:
            found = value.get("rendered", "")
        return str(found)
    return "" if value is None else str(value)


def as_str(value: Any) -> str:
    """A text field the site sent: "" for a missing one (null)."""
    return "" if value is None else str(value)


# WordPress's ids and counts are MySQL BIGINTs; anything larger did not come from WordPress
MAX_INT = 2**63 - 1


def as_int(value: Any) -> int:
    """A whole number the site sent (an id, a count): 0 when it is of another type or unreadable text.

    A number that no WordPress sends (infinite, not a number, beyond 64 bits) is a
    :class:`~app.errors.RemoteError`: the answer cannot be trusted.
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise unreadable_number(value)
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 0
    if abs(number) > MAX_INT:
        raise unreadable_number(value)
    return number


def unreadable_number(value: Any) -> RemoteError:
    shown = str(value)
    shown = shown if len(shown) <= 24 else shown[:20] + "…"
    return RemoteError(
        f"The site sent a number Copydesk cannot read ({shown}), so its answer cannot be trusted.",
        code="bad-number",
        hint="WordPress does not send such numbers: a plugin or something between the site and "
        "Copydesk may be changing its answers. Ask the site's administrator.",
    )


def _ints(value: Any) -> tuple[int, ...]:
    return tuple(as_int(v) for v in value) if isinstance(value, list) else ()


def parse_post(data: Any) -> RemotePost:
    post = obj(data, "a post")
    meta = post.get("meta")
    return RemotePost(
        id=as_int(post.get("id")),
        title=text(post.get("title")),
        content=text(post.get("content")),
        excerpt=text(post.get("excerpt")),
        status=str(post.get("status", "")),
        slug=str(post.get("slug", "")),
        link=str(post.get("link", "")),
        date_gmt=str(post.get("date_gmt") or ""),
        modified_gmt=str(post.get("modified_gmt") or ""),
        author=as_int(post.get("author")),
        categories=_ints(post.get("categories")),
        tags=_ints(post.get("tags")),
        featured_media=as_int(post.get("featured_media")),
        comment_status=str(post.get("comment_status", "open")),
        uid=str(meta.get(UID_META, "")) if isinstance(meta, Mapping) else "",
        custom_fields=_custom_fields(meta, post.get(FIELDS_KEY)),
    )


def _custom_fields(meta: Any, plugin: Any) -> tuple[tuple[str, str], ...]:
    """The custom fields an answer shows: registered meta, then the plugin's (which win)."""
    found: dict[str, str] = {}
    for source in (meta, plugin):
        if isinstance(source, Mapping):
            for key, value in source.items():
                if (
                    key != UID_META
                    and isinstance(value, str | int | float)
                    and not isinstance(value, bool)
                ):
                    found[str(key)] = str(value)
    return tuple(sorted(found.items()))


def parse_summary(data: Any) -> RemotePostSummary:
    post = obj(data, "a post")
    return RemotePostSummary(
        id=as_int(post.get("id")),
        title=html.unescape(text(post.get("title"), "rendered")),
        status=str(post.get("status", "")),
        date_gmt=str(post.get("date_gmt") or ""),
        modified_gmt=str(post.get("modified_gmt") or ""),
        link=str(post.get("link", "")),
        slug=str(post.get("slug", "")),
    )


def parse_term(data: Any, taxonomy: str) -> RemoteTerm:
    term = obj(data, "a category or tag")
    return RemoteTerm(
        id=as_int(term.get("id")),
        name=html.unescape(str(term.get("name", ""))),
        slug=str(term.get("slug", "")),
        taxonomy=taxonomy,
    )


def parse_media(data: Any) -> RemoteMedia:
    media = obj(data, "an image")
    return RemoteMedia(
        id=as_int(media.get("id")),
        url=str(media.get("source_url", "")),
        slug=str(media.get("slug", "")),
    )


def fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def post_body(fields: PostFields) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": fields.title,
        "content": fields.content,
        "excerpt": fields.excerpt,
        "comment_status": fields.comment_status,
        "tags": list(fields.tags),
        "featured_media": fields.featured_media,
    }
    if fields.categories:
        # none given: WordPress puts the post in its default category, as its editor would
        body["categories"] = list(fields.categories)
    if fields.slug:
        body["slug"] = fields.slug
    if fields.status is not None:
        body["status"] = fields.status
    if fields.date_gmt is not None:
        body["date_gmt"] = fields.date_gmt
    meta: dict[str, Any] = {}
    if fields.uid is not None:
        meta[UID_META] = fields.uid
    if fields.author is not None:
        body["author"] = fields.author
    if fields.custom_fields and fields.fields_by_plugin:
        body[FIELDS_KEY] = dict(fields.custom_fields)
    elif fields.custom_fields:
        meta.update(fields.custom_fields)  # written only when the site registered them for REST
    meta.update(fields.meta_fields)  # likewise: ignored by a site that did not register them
    if meta:
        body["meta"] = meta
    return body
