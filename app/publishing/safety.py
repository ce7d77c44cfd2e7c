"""What keeps a push from duplicating a post or overwriting someone else's edit.

- A create whose answer was lost is found again: by the companion plugin's ``copydesk_uid`` meta when
  the site has the plugin, else by the hidden ``<!-- copydesk:UID -->`` comment at the end of the
  content (:func:`recover_lost_create`).
- Before an update, the post on the site is compared with what was last synced (:func:`check_conflict`):
  ``modified_gmt`` first, then a fingerprint of its text and metadata. A change of only the status or
  the date (an editor publishing, rescheduling or sending back) is the workflow, not an edit: the push
  goes on and says so. Any other change stops the push with :class:`PushConflictError`, which carries
  both versions, unless the user chose to overwrite exactly the version they saw.
- An update whose answer was lost is recognised because the post then holds exactly what was sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.cms.base import CmsClient, RemotePost
from app.errors import ConflictError, NotFoundError, RemoteError
from app.pieces.data import PieceData
from app.publishing.convert import post_to_piece
from app.publishing.fingerprints import post_fingerprint, post_text_fingerprint
from app.publishing.links import LinkData, LinkStore
from app.render import RenderedArticle
from app.sites import statuses
from app.sites.registry import SiteData

log = logging.getLogger(__name__)

OVERWRITE_ANY = "*"
"""``overwrite=`` value that replaces whatever version the site holds (the command line's choice)."""


@dataclass(frozen=True)
class ConflictInfo:
    """Both versions, for the side-by-side view: keep mine, take theirs, or a merge."""

    piece_id: int
    site_id: int
    site_name: str
    post_id: int
    last_synced_gmt: str
    theirs: RemotePost  # as the site holds it now
    theirs_piece: PieceData  # the same, as a piece (Markdown body), for comparing field by field
    mine: PieceData
    mine_html: str

    @property
    def theirs_modified_gmt(self) -> str:
        return self.theirs.modified_gmt


class PushConflictError(ConflictError):
    def __init__(self, info: ConflictInfo) -> None:
        title = info.mine.title or "the piece"
        super().__init__(
            f"Someone changed “{title}” on {info.site_name} since your last push, so nothing was "
            "overwritten.",
            hint="Compare the two versions and choose: keep yours, take theirs, or merge them.",
        )
        self.info = info


def recover_lost_create(
    links: LinkStore,
    client: CmsClient,
    link: LinkData,
    *,
    uid: str,
    companion: bool,
    notices: list[str],
) -> LinkData:
    """Adopt the post a create made when its answer was lost; clear the pending create if none."""
    found: list[RemotePost] = []
    if companion:
        found = client.find_posts_by_uid(uid, companion=True)
    if not found:
        found = client.find_posts_by_uid(uid, companion=False)
    if not found:
        log.info("The lost create of piece %d never arrived; creating it now", link.piece_id)
        return links.set_pending(link.id, None)
    post = min(found, key=lambda p: p.id)
    if len(found) > 1:
        ids = ", ".join(f"#{p.id}" for p in sorted(found, key=lambda p: p.id))
        notices.append(
            f"The site holds {len(found)} posts made from this piece ({ids}); Copydesk keeps "
            f"#{post.id}. Delete the others on the site."
        )
    notices.append(
        "The last push had arrived after all (only its answer was lost); this push updates "
        "that post instead of making a second one."
    )
    log.info("Adopted post %d made by a push whose answer was lost", post.id)
    return links.record_post(link.id, post)


def check_conflict(
    *,
    client: CmsClient,
    link: LinkData,
    remote: RemotePost,
    piece: PieceData,
    rendered: RenderedArticle,
    site: SiteData,
    overwrite: str | None,
    notices: list[str],
) -> None:
    if post_fingerprint(remote) == link.remote_hash:
        if remote.modified_gmt == link.modified_gmt and remote.status == link.remote_status:
            return
        label = statuses.label(remote.status)
        notices.append(
            f"Someone changed the post's status or date on the site (it is {label} now); "
            "its text was not touched, so your push goes on top."
        )
        return
    pending = link.pending
    if (
        pending is not None
        and pending.op == "update"
        and post_text_fingerprint(remote) == pending.text_hash
    ):
        return  # the last update arrived, only its answer was lost
    if overwrite is not None and overwrite in (OVERWRITE_ANY, remote.modified_gmt):
        notices.append(
            "Your version replaced the one on the site, as you chose (WordPress keeps the "
            "other one in the post's revisions)."
        )
        return
    theirs = post_to_piece(client, remote, piece, link)
    raise PushConflictError(
        ConflictInfo(
            piece_id=link.piece_id,
            site_id=link.site_id,
            site_name=site.name,
            post_id=remote.id,
            last_synced_gmt=link.modified_gmt,
            theirs=remote,
            theirs_piece=theirs,
            mine=piece,
            mine_html=rendered.content_html,
        )
    )


def linked_post(client: CmsClient, post_id: int, site: SiteData) -> RemotePost:
    """The post a piece was pushed to, as the site holds it; says so when it is gone or trashed."""
    try:
        post = client.get_post(post_id)
    except NotFoundError:
        raise NotFoundError(
            f"The post this piece was pushed to on {site.name} (#{post_id}) no longer exists.",
            hint="Push it as a new post: Publish ▸ Unlink from Site, or on the command line "
            f'copydesk push ID --site "{site.name}" --as-new.',
        ) from None
    if post.status == statuses.TRASH:
        raise RemoteError(
            f"The post this piece was pushed to on {site.name} (#{post_id}) is in the site's trash.",
            hint="Restore it on the site, or push it as a new post (Publish ▸ Unlink from Site, "
            "or copydesk push --as-new).",
        )
    return post
