"""Push a piece to a site: exactly the HTML the preview shows, its metadata and its images.

One push, in order (each step is committed, so an interruption anywhere is safe to retry):

1. If a create was sent earlier and its answer never came back, look for the post it made (by the
   companion plugin's ``copydesk_uid`` meta, else by the hidden marker comment) and adopt it.
2. For a piece already on the site: read the post and compare it with what was last synced. When
   its text or metadata changed there, stop with :class:`PushConflictError` (nothing is overwritten)
   unless the user chose to overwrite exactly that version.
3. Skip everything when nothing changed since the last push.
4. Categories and tags by name (created when the role allows), then the images that the site does not
   have yet (progress in bytes), then one create or update of the post.

Lost answers: a write is recorded as *pending* before it is sent. A create whose answer is lost is
found again at step 1; an update whose answer is lost is recognised at step 2 because the post then
holds exactly what was sent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from app.blocks.send import content_to_send
from app.cms.base import CmsClient, PostFields, Progress, RemotePost
from app.cms.wordpress.client import uid_marker
from app.errors import (
    CopydeskError,
    InvalidInputError,
    NetworkError,
    PermissionDenied,
    RemoteError,
)
from app.pieces.data import PieceData
from app.pieces.library import PieceLibrary
from app.pieces.origin import keep_site_files, origin_of
from app.publishing.convert import answer_notices, marker_uid, post_to_piece, status_fields
from app.publishing.fingerprints import post_fingerprint, sent_text_fingerprint
from app.publishing.guards import (
    belongs_elsewhere,
    check_schedule,
    release_stale_holder,
    stale_link_error,
)
from app.publishing.images import find_images, rewrite_images, upload_images
from app.publishing.jobs import PushResult
from app.publishing.links import LinkData, LinkStore, PendingWrite
from app.publishing.mapping import (
    arrival_notices,
    byline_author,
    has_authors_route,
    mapped_fields,
    push_intent,
)
from app.publishing.safety import ConflictInfo, check_conflict, linked_post, recover_lost_create
from app.publishing.terms import resolve_terms
from app.render import RenderedArticle
from app.render.stored import ArticleRenderer
from app.sites.registry import SiteData, SiteRegistry
from app.sites.statuses import DRAFT, FUTURE, PUSH_STATUSES
from app.store import Database
from app.store.models import Piece, utcnow

log = logging.getLogger(__name__)

StepCallback = Callable[[str], None]


class Publisher:
    """Pushes pieces and resolves conflicts. Synchronous: the UI runs it on a worker thread."""

    def __init__(
        self,
        *,
        db: Database,
        pieces: PieceLibrary,
        articles: ArticleRenderer,
        sites: SiteRegistry,
        links: LinkStore,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._pieces = pieces
        self._articles = articles
        self._sites = sites
        self._links = links
        self._clock = clock
        self._validated: tuple[PieceData, RenderedArticle] | None = None
        self._validated_lock = threading.Lock()

    # -- before anything is sent ---------------------------------------------------------------

    def validate(
        self, piece_id: int, site_id: int, status: str | None = None
    ) -> tuple[PieceData, SiteData]:
        """Everything that can be checked without the network; raises what the user must fix.

        The rendering is kept for the push that follows: it reuses it while the piece is unchanged.
        """
        piece, site, rendered = self._prepare(piece_id, site_id, status)
        origin = origin_of(piece, self._pieces.revisions)
        find_images(rendered.content_html, piece.featured_image, origin)
        with self._validated_lock:
            self._validated = (piece, rendered)
        return piece, site

    def _prepare(
        self, piece_id: int, site_id: int, status: str | None
    ) -> tuple[PieceData, SiteData, RenderedArticle]:
        piece = self._pieces.get(piece_id)
        site = self._sites.get(site_id)
        if piece.trashed_at is not None:
            raise InvalidInputError("The piece is in the trash; restore it before pushing it.")
        if not piece.title.strip():
            raise InvalidInputError("Give the piece a headline before pushing it.")
        if status is not None and status not in PUSH_STATUSES:
            raise InvalidInputError(
                f"“{status}” is not a status to push with; use one of {', '.join(PUSH_STATUSES)}."
            )
        if status == FUTURE and piece.publish_at is None:
            raise InvalidInputError("Set the publication date and time before scheduling the piece.")
        check_schedule(status, piece, self._clock())  # WordPress would publish it at once
        if status is not None and status not in site.allowed_statuses():
            raise PermissionDenied(
                f"Your role on {site.name} ({site.role or 'unknown'}) does not allow publishing or "
                "scheduling.",
                hint="Push it as “Pending review” so that an editor can publish it.",
            )
        return piece, site, self._render(piece)

    def _render(self, piece: PieceData) -> RenderedArticle:
        """The article; the one :meth:`validate` made when the piece has not changed since."""
        with self._validated_lock:
            validated, self._validated = self._validated, None
        if validated is not None and validated[0] == piece:
            return validated[1]
        return self._articles.render(piece)

    # -- the push ----------------------------------------------------------------------------------

    def push(
        self,
        piece_id: int,
        site_id: int,
        *,
        status: str | None = None,
        overwrite: str | None = None,
        progress: Progress | None = None,
        on_step: StepCallback | None = None,
    ) -> PushResult:
        """Push the piece to the site; see the module's documentation for the steps.

        *status* None makes a new post a draft and leaves an existing post's status alone.
        *overwrite* is the ``modified_gmt`` of the site's version the user saw in a conflict and chose
        to replace (or :data:`OVERWRITE_ANY`).
        """
        piece, site, rendered = self._prepare(piece_id, site_id, status)
        origin = origin_of(piece, self._pieces.revisions)
        images = find_images(rendered.content_html, piece.featured_image, origin)
        client = self._sites.client(site_id)
        first_request = client.requests_made
        step = on_step or (lambda _message: None)
        link = self._links.ensure(piece_id, site_id)
        uid = marker_uid(piece.uid)
        companion = bool(site.companion_version)
        notices = list(images.warnings)

        if link.remote_id is None and link.pending is not None and link.pending.op == "create":
            step("Checking whether the last push arrived")
            link = recover_lost_create(
                self._links, client, link, uid=uid, companion=companion, notices=notices
            )
        remote: RemotePost | None = None
        if link.remote_id is not None:
            step("Checking the post on the site")
            remote = linked_post(client, link.remote_id, site)
            if belongs_elsewhere(remote, uid, link):  # the site reused the id after a reset
                raise stale_link_error(self._links, piece_id, site, remote)
            check_conflict(
                client=client, link=link, remote=remote, piece=piece, rendered=rendered,
                site=site, overwrite=overwrite, notices=notices,
            )  # fmt: skip
        effective = status or (remote.status if remote is not None else DRAFT)
        mapped = mapped_fields(piece, site)  # the byline and the standfirst as the site takes them
        body = content_to_send(rendered, remote.content if remote is not None else None)
        intent = push_intent(piece, body.text, images, effective, mapped)
        if (
            remote is not None
            and intent == link.content_hash
            and remote.status == effective  # an editor may have moved it since (returned it)
            and remote.modified_gmt == link.modified_gmt
            and post_fingerprint(remote) == link.remote_hash
        ):
            return self._result(
                piece_id=piece_id, site_id=site_id, post=remote, client=client,
                first_request=first_request, notices=notices, unchanged=True,
            )  # fmt: skip

        author = byline_author(client, site, mapped.byline)  # refused before anything is sent
        notices.extend(mapped.notices)
        step("Matching categories and tags")
        terms = resolve_terms(
            client,
            piece.categories,
            piece.tags,
            may_create_categories=(
                "manage_categories" in site.capabilities if site.checked_at else None
            ),
        )
        uploads = upload_images(
            client, self._links, link, images.all, progress=progress, on_step=on_step
        )
        link = self._links.get(piece_id, site_id) or link
        content = mapped.lead + body.finish(
            rewrite_images(body.text, uploads.urls),
            {uploads.urls[key]: media_id for key, media_id in uploads.ids.items()},
            None if companion else uid_marker(uid),
        )
        notices.extend(body.notices)
        featured = 0
        if images.featured is not None:
            featured = uploads.ids.get(images.featured.key, 0)
        elif images.featured_url:
            featured = link.media[images.featured_url].id if images.featured_url in link.media else 0
            if not featured:
                notices.append(
                    "The featured image is a web address, not a file, so it was not sent; set it "
                    "on the site."
                )
        send_status, date_gmt = status_fields(status, piece, remote, self._clock())
        fields = PostFields(
            title=rendered.title_text,
            content=content,
            excerpt=mapped.excerpt,
            slug=piece.slug,
            comment_status=piece.comment_status,
            categories=tuple(terms["category"][n] for n in piece.categories if n in terms["category"]),
            tags=tuple(terms["tag"][n] for n in piece.tags if n in terms["tag"]),
            featured_media=featured,
            status=send_status,
            date_gmt=date_gmt,
            uid=uid if companion else None,
            author=author,
            custom_fields=mapped.custom_fields,
            fields_by_plugin=has_authors_route(site.companion_version),
            meta_fields=mapped.seo,
        )
        post = self._write(client, link, remote, fields, step)
        notices.extend(release_stale_holder(self._links, self._pieces, site, piece_id, post.id))
        notices.extend(arrival_notices(mapped, post))  # fields the site did not store
        self._links.record_post(link.id, post, content_hash=intent, terms=terms, pushed=True)
        notices.extend(answer_notices(status, fields, post, self._clock()))
        result = self._result(
            piece_id=piece_id, site_id=site_id, post=post, client=client,
            first_request=first_request, notices=notices, created=remote is None,
        )  # fmt: skip
        log.info(
            "Pushed piece %d to %s as post %d (%s, %d requests)",
            piece_id, site.name, post.id, post.status, result.requests,
        )  # fmt: skip
        return replace(result, uploaded=uploads.uploaded, reused_images=uploads.reused)

    def _write(
        self,
        client: CmsClient,
        link: LinkData,
        remote: RemotePost | None,
        fields: PostFields,
        step: StepCallback,
    ) -> RemotePost:
        """One create or update, recorded as pending while its answer is awaited."""
        op = "create" if remote is None else "update"
        text_hash = sent_text_fingerprint(fields.title, fields.content, fields.excerpt)
        self._links.set_pending(link.id, PendingWrite(op, self._clock().isoformat(), text_hash))
        step("Sending the post" if remote is None else "Updating the post")
        try:
            if remote is None:
                return client.create_post(fields)
            return client.update_post(remote.id, fields)
        except NetworkError:
            raise  # the answer may be lost: keep the pending write for the next attempt
        except RemoteError as exc:
            if 400 <= exc.status < 500:
                self._links.set_pending(link.id, None)  # refused: nothing was written
            raise  # a 2xx that cannot be read, or a 5xx: it may have been written
        except CopydeskError:
            self._links.set_pending(link.id, None)  # refused: nothing was written
            raise

    def _result(
        self,
        *,
        piece_id: int,
        site_id: int,
        post: RemotePost,
        client: CmsClient,
        first_request: int,
        notices: list[str],
        created: bool = False,
        unchanged: bool = False,
    ) -> PushResult:
        return PushResult(
            piece_id=piece_id,
            site_id=site_id,
            post_id=post.id,
            link=post.link,
            status=post.status,
            created=created,
            unchanged=unchanged,
            uploaded=0,
            reused_images=0,
            notices=tuple(notices),
            requests=client.requests_made - first_request,
        )

    # -- resolving a conflict ----------------------------------------------------------------------

    def keep_mine(
        self,
        info: ConflictInfo,
        *,
        status: str | None = None,
        progress: Progress | None = None,
        on_step: StepCallback | None = None,
    ) -> PushResult:
        """Replace the site's version the user saw (and only that one) with the piece."""
        return self.push(
            info.piece_id,
            info.site_id,
            status=status,
            overwrite=info.theirs_modified_gmt,
            progress=progress,
            on_step=on_step,
        )

    def take_theirs(self, piece_id: int, site_id: int) -> PieceData:
        """Make the site's version the piece's text; the piece as it was stays in its revisions."""
        link = self._links.get(piece_id, site_id)
        if link is None or link.remote_id is None:
            raise InvalidInputError("This piece has not been pushed to that site.")
        site = self._sites.get(site_id)
        client = self._sites.client(site_id)
        post = linked_post(client, link.remote_id, site)
        piece = self._pieces.get(piece_id)
        theirs = post_to_piece(client, post, piece, link)
        self._keep_revision(piece_id, f"Before taking the version on {site.name}")
        saved = self._pieces.save(theirs, reason="pulled")
        self._links.record_post(link.id, post, content_hash="", pulled=True)
        return saved

    def push_merged(
        self,
        info: ConflictInfo,
        merged: PieceData,
        *,
        status: str | None = None,
        progress: Progress | None = None,
        on_step: StepCallback | None = None,
    ) -> PushResult:
        """Save the merge the user made as the piece, then push it over the version they saw."""
        if merged.id != info.piece_id:
            raise InvalidInputError("The merged text belongs to another piece.")
        self._keep_revision(info.piece_id, "Before merging with the site's version")
        # a local file named only by the site's text stays the site's in the merge: never sent
        self._pieces.save(keep_site_files(merged, info.theirs_piece), reason="saved")
        return self.keep_mine(info, status=status, progress=progress, on_step=on_step)

    def _keep_revision(self, piece_id: int, note: str) -> None:
        with self._db.session() as session:
            row = session.scalars(select(Piece).where(Piece.id == piece_id)).one()
            self._pieces.revisions.record(session, row, "saved", note=note)

    def unlink(self, piece_id: int, site_id: int) -> bool:
        """Forget where the piece was pushed on that site (its next push makes a new post)."""
        return self._links.delete(piece_id, site_id)

    def links_of(self, piece_id: int) -> list[LinkData]:
        return self._links.for_piece(piece_id)
