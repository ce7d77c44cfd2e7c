"""The users a post may be credited to, for a byline that maps to the post's author.

WordPress's REST API lets only administrators list users by role (``/wp/v2/users?roles=`` needs
``list_users``), so an editor cannot look up the authors that way. The companion plugin (0.5.0 and
later) answers ``GET /copydesk/v1/authors``: the users the signed-in user may assign as a post's author
(every user who may write posts for an editor, only themselves for anyone else). Without the plugin,
``/wp/v2/users?who=authors`` (allowed to whoever may edit posts) gives the same list.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.cms.wordpress.client import COMPANION_NAMESPACE, WordPressClient
from app.cms.wordpress.parse import as_int, fold, obj

AUTHORS_VERSION = (0, 5, 0)


def version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split("."):
        digits = "".join(c for c in part if c.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def has_authors_route(companion_version: str) -> bool:
    """Whether a site's companion plugin lists assignable authors and writes custom fields."""
    return bool(companion_version) and version_tuple(companion_version) >= AUTHORS_VERSION


@dataclass(frozen=True)
class SiteAuthor:
    id: int
    name: str  # the display name, as a byline shows it
    slug: str  # the "nicename" in the author's address


@dataclass(frozen=True)
class Authors:
    me: SiteAuthor  # the signed-in user
    may_choose: bool  # may credit a post to someone else (an editor or an administrator)
    users: tuple[SiteAuthor, ...]  # whom the post may be credited to

    def find(self, byline: str) -> SiteAuthor | None:
        """The user a byline names: by display name, else by the slug or login-like name."""
        wanted = fold(strip_by(byline))
        for user in self.users:
            if fold(user.name) == wanted:
                return user
        for user in self.users:
            if fold(user.slug) == wanted:
                return user
        return None


def strip_by(byline: str) -> str:
    """A byline without a leading "By " (as some columnists write it)."""
    text = " ".join(byline.split())
    return text[3:].strip() if text.lower().startswith("by ") else text


def _author(data: Any) -> SiteAuthor:
    row: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
    return SiteAuthor(
        id=as_int(row.get("id")),
        name=html.unescape(str(row.get("name", ""))),
        slug=str(row.get("slug", "")),
    )


def site_authors(client: WordPressClient, *, companion_version: str, may_choose: bool) -> Authors:
    """Whom a post may be credited to on the site, as the signed-in user sees it.

    *may_choose* is what the last connection check found (``edit_others_posts``); the plugin's own
    answer wins when the site has it.
    """
    if has_authors_route(companion_version):
        data = obj(client.call("GET", f"{COMPANION_NAMESPACE}/authors", action="user").data, "authors")
        rows = data.get("authors")
        listed = tuple(_author(r) for r in rows) if isinstance(rows, list) else ()
        me = _author(data.get("me"))
        return Authors(me=me, may_choose=bool(data.get("may_choose")), users=listed or (me,))
    me_data = obj(client.call("GET", "wp/v2/users/me", action="user").data, "your user")
    me = _author(me_data)
    if not may_choose:
        return Authors(me=me, may_choose=False, users=(me,))
    users: list[SiteAuthor] = []
    page = 1
    while True:
        reply = client.call(
            "GET",
            "wp/v2/users",
            action="user",
            params={"who": "authors", "per_page": 100, "page": page, "_fields": "id,name,slug"},
        )
        rows = reply.data if isinstance(reply.data, list) else []
        users.extend(_author(r) for r in rows)
        if len(rows) < 100 or page >= 20:
            break
        page += 1
    return Authors(me=me, may_choose=True, users=tuple(users) or (me,))
