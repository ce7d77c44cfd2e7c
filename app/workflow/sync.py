"""Pieces sync: each linked piece's status on its site comes back, and the editor's text as a revision.

Per site, the linked posts are read in batches of 100: with the companion plugin through
``/copydesk/v1/reviews`` (status, dates, review state, note and timeline in one answer, also for an
author whose post is published), without it through ``/wp/v2/posts?include=`` (status and dates). A
post whose ``modified_gmt`` and status (and review state) are as last seen costs nothing more: a sync
of N linked pieces where nothing changed makes ceil(N / 100) requests, plus one to count the posts
awaiting review for an editor. A changed post is read in full only when its text may have changed
(with the plugin: its content hash differs).

The editor's changes to the text become a new revision of the piece ("pulled"), unless the piece was
edited here since the last sync: then nothing is overwritten and the report carries a
:class:`~app.publishing.safety.ConflictInfo`, for the side-by-side view (keep mine, take theirs,
merge).
"""

from __future__ import annotations

import logging

from app.cms.base import CmsClient
from app.cms.wordpress.review import PostReview, ReviewApi
from app.errors import PermissionDenied
from app.pieces.data import PieceData
from app.publishing.convert import parse_wp_date, post_to_piece
from app.publishing.links import LinkData
from app.publishing.safety import ConflictInfo
from app.render.stored import ArticleRenderer
from app.sites.registry import SiteData
from app.sites.statuses import FUTURE
from app.workflow.data import MissedSchedule, PieceSyncReport, local_status
from app.workflow.jobs import WorkflowDeps, has_review_plugin
from app.workflow.queue import SiteStatuses
from app.workflow.roles import Role, is_missed, role_of
from app.workflow.store import StateData, edited_here, fingerprint

log = logging.getLogger(__name__)


def _text_changed(review: PostReview, state: StateData) -> bool:
    return bool(review.content_hash and state.content_hash) and (
        review.content_hash != state.content_hash
    )


class PieceSyncer:
    def __init__(self, deps: WorkflowDeps, articles: ArticleRenderer) -> None:
        self._d = deps
        self._articles = articles

    def sync_site(self, site_id: int) -> PieceSyncReport:
        d = self._d
        site = d.sites.get(site_id)
        client = d.sites.client(site_id)
        first = client.requests_made
        api = ReviewApi(client)
        report = PieceSyncReport(site_id, site.name)
        linked = d.links.remote_ids(site_id)
        plugin = has_review_plugin(site)
        if linked:
            found, missing = api.reviews(list(linked)) if plugin else api.states(list(linked))
            met = {review.status for review in found.values()}
            SiteStatuses(d.store, d.clock).labels(site_id, api, met=met)  # a custom one: its label
            seen = d.store.snapshot(site_id)
            for post_id, piece_id in sorted(linked.items()):
                report.checked += 1
                if post_id in missing:
                    title = d.pieces.get(piece_id).title or "Untitled"
                    report.problems.append(
                        f"“{title}” (post #{post_id}) is no longer on {site.name}, or is in its "
                        "trash, or your role may no longer see it. Nothing was changed here; unlink "
                        "the piece to push it as a new post."
                    )
                    continue
                if found[post_id].status == "trash":
                    title = d.pieces.get(piece_id).title or "Untitled"
                    report.problems.append(
                        f"“{title}” (post #{post_id}) is in the trash on {site.name}. Nothing was "
                        "changed here; restore it on the site, or unlink the piece to push it as a "
                        "new post."
                    )
                    continue
                if self._unchanged(found[post_id], seen.get(post_id), plugin=plugin):
                    continue  # as last seen: no more reading, not even of the library
                self._one(site, client, piece_id, post_id, found[post_id], report, plugin=plugin)
        if role_of(site.capabilities) is Role.EDITOR:
            report.awaiting_review = api.pending_count()
        report.requests = client.requests_made - first
        log.info("Synced %d pieces of %s in %d requests", report.checked, site.name, report.requests)
        return report

    def _unchanged(
        self, review: PostReview, seen: tuple[str, str, StateData | None] | None, *, plugin: bool
    ) -> bool:
        if seen is None:
            return False
        modified, status, state = seen
        if state is None:
            return False
        due = parse_wp_date(review.date_gmt)
        return (
            review.modified_gmt == modified
            and review.status == status
            and review.date_gmt == state.date_gmt
            and (not plugin or (review.state, review.note) == (state.state, state.note))
            and not (plugin and _text_changed(review, state))
            and not is_missed(review.status, due, self._d.clock())
        )

    def _text(  # noqa: PLR0917 - one step of _one, with its values
        self,
        site: SiteData,
        client: CmsClient,
        piece: PieceData,
        link: LinkData,
        review: PostReview,
        report: PieceSyncReport,
        *,
        dirty: bool,
    ) -> tuple[bool, bool]:
        """Bring the editor's text back when it changed: (in step with the site, conflict found)."""
        d = self._d
        assert piece.id is not None
        try:
            post = client.get_post(review.id)
        except PermissionDenied:  # a contributor's published post: no context=edit any more
            post = None
        if post is None:
            d.store.touch_link(piece.id, site.id, status=review.status, modified_gmt=review.modified_gmt)
            return not dirty, False
        if post.text_hash() == link.remote_hash:
            d.links.record_post(link.id, post)
            return not dirty, False
        theirs = post_to_piece(client, post, piece, link)
        if dirty:
            report.conflicts.append(
                ConflictInfo(
                    piece_id=piece.id, site_id=site.id, site_name=site.name, post_id=post.id,
                    last_synced_gmt=link.modified_gmt, theirs=post, theirs_piece=theirs, mine=piece,
                    mine_html=self._articles.render(piece).content_html,
                )
            )  # fmt: skip
            return False, True
        d.pieces.save(theirs.copy(status=piece.status), reason="pulled")
        d.links.record_post(link.id, post, pulled=True)
        report.text_updated.append(piece.id)
        return True, False

    def _one(  # noqa: PLR0917 - the one step of a sync, called from two places
        self,
        site: SiteData,
        client: CmsClient,
        piece_id: int,
        post_id: int,
        review: PostReview,
        report: PieceSyncReport,
        *,
        plugin: bool,
    ) -> None:
        d = self._d
        link = d.links.get(piece_id, site.id)
        if link is None:
            return
        state = d.store.state(piece_id, site.id)
        piece = d.pieces.get(piece_id)
        review_state = review.state if plugin else (state.state if state else "")
        due = parse_wp_date(review.date_gmt)
        if is_missed(review.status, due, d.clock()) and due is not None:
            report.missed.append(
                MissedSchedule(piece_id, site.id, site.name, post_id, piece.title or "Untitled", due)
            )
        remote_changed = (
            review.modified_gmt != link.modified_gmt
            or review.status != link.remote_status
            or (plugin and state is not None and _text_changed(review, state))
        )  # the plugin's content hash also tells an edit within the second of the last one
        state_changed = (
            state is None
            or review.date_gmt != state.date_gmt
            or (plugin and (review_state, review.note) != (state.state, state.note))
        )
        if not remote_changed and not state_changed:
            return
        dirty = edited_here(piece, state, link)
        text_may_differ = remote_changed and (
            not plugin or state is None or review.content_hash != state.content_hash
        )
        in_step, conflicted = not dirty, False
        if text_may_differ:
            in_step, conflicted = self._text(site, client, piece, link, review, report, dirty=dirty)
            piece = d.pieces.get(piece_id)
        elif remote_changed:
            d.store.touch_link(piece_id, site.id, status=review.status, modified_gmt=review.modified_gmt)
        new_status = local_status(review.status, review_state, piece.status)
        if new_status != piece.status:
            piece = d.pieces.set_status(piece_id, new_status, note=f"Status on {site.name}")
            report.status_changed.append(piece_id)
            if new_status.value == "changes_requested":
                report.returned.append(piece_id)
        if review.status == FUTURE and due is not None and piece.publish_at != due:
            piece = d.pieces.save(piece.copy(publish_at=due), reason="status")  # its time there
        d.store.save_state(
            piece_id, site.id, post_id, remote_status=review.status, state=review_state,
            note=review.note if plugin else (state.note if state else ""),
            modified_gmt=review.modified_gmt, date_gmt=review.date_gmt,
            content_hash=(state.content_hash if state else "")
            if conflicted or not review.content_hash
            else review.content_hash,
            fingerprint=fingerprint(piece) if in_step else (state.fingerprint if state else ""),
        )  # fmt: skip
        if review.timeline:
            d.store.add_site_events(piece_id, site.id, post_id, review.timeline)
