"""Pull: list a site's posts and open one as a piece, linked to it so that it can be pushed back.

A pulled piece is recorded as pulled (:mod:`app.pieces.origin`): a local file its text names (a post
may say ``<img src="file:///home/…">``) stays visible in the text, and a push refuses to send it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from app.cms.base import Progress, RemotePage, RemotePostSummary
from app.errors import InvalidInputError, NotFoundError, PermissionDenied
from app.pieces import origin
from app.pieces.data import PieceData
from app.pieces.library import PieceLibrary
from app.publishing.convert import post_to_piece
from app.publishing.guards import marked_uids
from app.publishing.links import LinkStore, MediaRecord
from app.sites.registry import SiteRegistry
from app.sites.statuses import LIST_STATUSES

log = logging.getLogger(__name__)

PAGE_SIZE = 100  # WordPress's maximum


@dataclass(frozen=True)
class RemoteListing:
    """Posts of one site, with the local piece each one is linked to (if any)."""

    posts: tuple[RemotePostSummary, ...]
    total: int
    linked: dict[int, int]  # remote post id -> local piece id

    def piece_of(self, post_id: int) -> int | None:
        return self.linked.get(post_id)


class Puller:
    def __init__(
        self,
        *,
        pieces: PieceLibrary,
        sites: SiteRegistry,
        links: LinkStore,
        new_piece: Callable[[], PieceData] | None = None,
    ) -> None:
        self._pieces = pieces
        self._sites = sites
        self._links = links
        self._new_piece = new_piece or PieceData

    @staticmethod
    def _check_status(status: str | None) -> None:
        if status is not None and status not in LIST_STATUSES:
            raise InvalidInputError(
                f"“{status}” is not a post status; use one of {', '.join(LIST_STATUSES)}."
            )

    def page(
        self, site_id: int, *, status: str | None = None, search: str = "", page: int = 1
    ) -> RemotePage:
        """One page of the site's posts, newest first (by id, so that pages never overlap)."""
        self._check_status(status)
        return self._sites.client(site_id).list_posts(
            status=status, search=search, page=page, per_page=PAGE_SIZE
        )

    def list_posts(
        self,
        site_id: int,
        *,
        status: str | None = None,
        search: str = "",
        limit: int | None = None,
        progress: Progress | None = None,
    ) -> RemoteListing:
        """All the site's posts (or the newest *limit*), most recently changed first.

        Fetched page after page (100 a page, WordPress's maximum); *progress* counts posts.
        """
        self._check_status(status)
        client = self._sites.client(site_id)
        posts: list[RemotePostSummary] = []
        page, total = 1, 0
        while True:
            found = client.list_posts(status=status, search=search, page=page, per_page=PAGE_SIZE)
            posts.extend(found.posts)
            total = found.total or len(posts)
            if progress is not None:
                progress(len(posts), total)
            if page >= found.total_pages or not found.posts or (limit and len(posts) >= limit):
                break
            page += 1
        if limit is not None:
            posts = posts[:limit]
        posts.sort(key=lambda p: (p.modified_gmt, p.id), reverse=True)
        return RemoteListing(tuple(posts), total, self._links.remote_ids(site_id))

    def import_post(self, site_id: int, post_id: int) -> PieceData:
        """Open the post as a new piece of the library, linked to it.

        A post that is already linked to a piece is not imported twice: the error names the piece
        (“take theirs” on that piece brings the site's changes in).
        """
        existing = self._links.by_remote(site_id, post_id)
        if existing is not None:
            raise InvalidInputError(
                f"That post is already in your library as piece {existing.piece_id}.",
                hint="Open that piece; to bring in changes made on the site, take the site's version.",
            )
        client = self._sites.client(site_id)
        try:
            post = client.get_post(post_id)
        except NotFoundError:
            raise NotFoundError(f"The site has no post with id {post_id}.") from None
        except PermissionDenied:
            raise PermissionDenied(
                f"You may not edit post {post_id} on this site (it belongs to someone else), so "
                "Copydesk cannot open it to push it back.",
                hint="Ask an editor to open it, or copy its text by hand.",
            ) from None
        # text from a site: a local file it names is the site's choice, never sent (app.pieces.origin)
        # the same piece as in the library that made the post (two people's libraries, one piece):
        # its uid, so that a push from here is recognised as this piece's and not a stale link's
        uid = post.uid or next(iter(marked_uids(post.content)), "")
        base = self._new_piece()
        if uid and not self._pieces.uid_in_use(uid):
            base = base.copy(uid=uid)
        piece = origin.mark_pulled(post_to_piece(client, post, base))
        refused = origin.Origin.of(piece.extra)
        if refused is not None and refused.from_site:
            log.warning(
                "Post %d names files on this computer as images; they stay in the text, but a push "
                "will not send them (a site cannot choose your files): %s",
                post_id,
                ", ".join(sorted(refused.from_site)),
            )
        created = self._pieces.create(piece, reason="pulled")
        assert created.id is not None
        link = self._links.ensure(created.id, site_id)
        if post.featured_media and piece.featured_image:
            self._links.set_media(
                link.id,
                piece.featured_image,
                MediaRecord(sha256="", id=post.featured_media, url=piece.featured_image),
            )
        self._links.record_post(link.id, post, pulled=True)
        log.info("Pulled post %d of site %d as piece %d", post_id, site_id, created.id)
        return created
