"""What a push refuses or repairs before it can do harm.

- :func:`check_schedule`: WordPress publishes at once a post "scheduled" in the past or less than a
  minute ahead. The push refuses such a time before anything is sent (:class:`ScheduleTooSoonError`),
  so the user chooses: publish now, or pick a later time.
- A site that was reset (or restored from a backup) hands out post ids again. A piece linked to post
  #N before the reset holds a stale link: the new #N is another post.
  :func:`release_stale_holder` frees the number when a push makes or adopts a post with that id
  (one local piece per remote post) and says which piece lost its link;
  :func:`belongs_elsewhere` tells, before an update, that the linked post carries another piece's
  uid (the plugin's meta or the hidden marker), so the push never overwrites it.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from app.cms.base import RemotePost
from app.errors import InvalidInputError, NotFoundError
from app.pieces.data import PieceData
from app.pieces.library import PieceLibrary
from app.publishing.links import LinkData, LinkStore
from app.sites.registry import SiteData
from app.sites.statuses import FUTURE

log = logging.getLogger(__name__)

SCHEDULE_MARGIN = timedelta(seconds=60)
"""How far ahead a scheduled time must be: WordPress publishes at once anything sooner."""

_MARKER = re.compile(r"<!-- copydesk:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) -->")


class ScheduleTooSoonError(InvalidInputError):
    """The publication time has passed or is less than a minute away; nothing was sent."""

    def __init__(self, publish_at: datetime, *, passed: bool) -> None:
        when = publish_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if passed:
            message = f"The publication time ({when}) has passed"
        else:
            message = f"The publication time ({when}) is less than a minute away"
        super().__init__(
            f"{message}, so nothing was sent: WordPress would publish the piece at once.",
            hint="Publish it now, or pick a later publication time and schedule it again.",
        )
        self.publish_at = publish_at
        self.passed = passed


def check_schedule(status: str | None, piece: PieceData, now: datetime) -> None:
    """Refuse a schedule WordPress would turn into publishing at once."""
    if status != FUTURE or piece.publish_at is None:
        return
    if piece.publish_at - now < SCHEDULE_MARGIN:
        raise ScheduleTooSoonError(piece.publish_at, passed=piece.publish_at <= now)


def marked_uids(content: str) -> list[str]:
    """The piece uids a post's hidden markers name (sites without the plugin)."""
    return _MARKER.findall(content)


def belongs_elsewhere(post: RemotePost, uid: str, link: LinkData) -> bool:
    """Whether *post* was made from another piece than *uid* (by its plugin meta or marker).

    Judged only when the piece's own push wrote the post last: a post opened here (a pull, taking
    the site's version) may carry the uid of the piece that made it elsewhere until this piece's
    next push writes its own.
    """
    if link.pushed_at is None or (link.pulled_at is not None and link.pulled_at > link.pushed_at):
        return False
    if post.uid:
        return post.uid != uid
    markers = set(_MARKER.findall(post.content))
    return bool(markers) and uid not in markers


def stale_link_error(links: LinkStore, piece_id: int, site: SiteData, post: RemotePost) -> NotFoundError:
    """Unlink the piece from *post* (which is another piece's now) and explain it."""
    links.delete(piece_id, site.id)
    log.info("Piece %d was linked to post %d on %s, which is another piece's now", piece_id,
             post.id, site.name)  # fmt: skip
    return NotFoundError(
        f"Post #{post.id} on {site.name} is no longer this piece's: the site gave that number to "
        "another piece's post (it was probably reset or restored). Nothing was overwritten, and "
        "the piece is now unlinked from it.",
        hint="Push it again to make a new post.",
    )


def release_stale_holder(
    links: LinkStore, pieces: PieceLibrary, site: SiteData, piece_id: int, post_id: int
) -> list[str]:
    """Free post *post_id* of another piece's stale link; a notice naming that piece, if any."""
    holder = links.by_remote(site.id, post_id)
    if holder is None or holder.piece_id == piece_id:
        return []
    links.delete(holder.piece_id, site.id)
    try:
        title = pieces.get(holder.piece_id).title or "Untitled"
    except NotFoundError:
        title = f"piece {holder.piece_id}"
    log.info("Released the stale link of piece %d to post %d on %s", holder.piece_id, post_id,
             site.name)  # fmt: skip
    return [
        f"{site.name} gave this post the number #{post_id}, which “{title}” was linked to: that "
        f"post is gone (the site was probably reset or restored). “{title}” is no longer linked "
        "there; its next push makes a new post."
    ]
