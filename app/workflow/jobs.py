"""The review actions as outbox jobs: asked for here, carried out when the site answers, once.

Kinds: ``review.submit`` (push the piece as ``pending``, then record the submission with the plugin),
``review.return`` (back to draft with a note), ``review.approve`` (approve; perhaps schedule at a time or
publish now). Each job carries a ``request_id``: the plugin carries out a request id once, so a job
whose answer was lost and that is sent again does not act twice. Each also carries the post's
``modified_gmt`` and the plugin's content hash as the user saw them; the plugin answers 409 when the
post changed since, and the job fails with a message saying so (nothing is applied). Without the plugin
the post is read first and compared by ``modified_gmt`` (a small race window remains).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.cms.wordpress.review import Expected, PostReview, ReviewApi, version_tuple
from app.errors import ConflictError, NotFoundError
from app.outbox.queue import Job, JobState, Outbox
from app.outbox.worker import JobContext, JobHandler
from app.pieces.library import PieceLibrary
from app.pieces.workflow import Status
from app.publishing.convert import parse_wp_date, wp_date
from app.publishing.links import LinkStore
from app.publishing.push import Publisher
from app.sites.registry import SiteData, SiteRegistry
from app.sites.statuses import DRAFT, FUTURE, PENDING, PUBLISH
from app.store.models import utcnow
from app.workflow.roles import check_schedule
from app.workflow.store import WorkflowStore, edited_here, fingerprint

log = logging.getLogger(__name__)

SUBMIT = "review.submit"
RETURN = "review.return"
APPROVE = "review.approve"
KINDS = (SUBMIT, RETURN, APPROVE)
PLUGIN_VERSION = (0, 3, 0)


def has_review_plugin(site: SiteData) -> bool:
    return bool(site.companion_version) and version_tuple(site.companion_version) >= PLUGIN_VERSION


@dataclass(frozen=True)
class WorkflowDeps:
    pieces: PieceLibrary
    store: WorkflowStore
    outbox: Outbox
    sites: SiteRegistry
    links: LinkStore
    publisher: Publisher
    machine: str
    clock: Callable[[], datetime] = utcnow


class WorkflowJobs:
    def __init__(self, deps: WorkflowDeps) -> None:
        self._d = deps

    def handlers(self) -> dict[str, JobHandler]:
        return {SUBMIT: self.run_submit, RETURN: self.run_return, APPROVE: self.run_approve}

    # -- asking --------------------------------------------------------------------------------

    def _request_id(self, kind: str, site_id: int, piece_id: int) -> str:
        """The request id of the same action still waiting (it may have landed), else a new one."""
        for job in self._d.outbox.jobs([JobState.QUEUED, JobState.FAILED]):
            if job.kind == kind and job.site_id == site_id and job.piece_id == piece_id:
                return str(job.payload.get("request_id") or uuid.uuid4())
        return str(uuid.uuid4())

    def enqueue(self, kind: str, piece_id: int, site_id: int, label: str, **payload: Any) -> Job:
        payload["request_id"] = self._request_id(kind, site_id, piece_id)
        payload["label"] = label
        job = self._d.outbox.enqueue(kind, site_id=site_id, piece_id=piece_id, payload=payload)
        self._d.store.add_event(
            piece_id=piece_id, site_id=site_id, post_id=payload.get("post_id"), action="queued",
            note=label, machine=self._d.machine, key=f"queued:{job.id}:{payload['request_id']}",
        )  # fmt: skip
        return job

    # -- carrying out ----------------------------------------------------------------------------

    def _api(self, site_id: int) -> ReviewApi:
        return ReviewApi(self._d.sites.client(site_id))

    def _post_id(self, job: Job) -> int:
        post_id = job.payload.get("post_id")
        if post_id:
            return int(post_id)
        link = self._d.links.get(job.piece_id or 0, job.site_id)
        if link is None or link.remote_id is None:
            raise NotFoundError("The piece is not on that site any more (it was unlinked).")
        return link.remote_id

    def _after(
        self, job: Job, post_id: int, review: PostReview, status: Status, *, note: str = ""
    ) -> None:
        """Bring the library up to date with what the site now holds after a review action."""
        d = self._d
        if job.piece_id is None or not d.pieces.exists(job.piece_id):
            return
        if review.modified_gmt:
            d.store.touch_link(
                job.piece_id, job.site_id, status=review.status, modified_gmt=review.modified_gmt
            )
        piece = d.pieces.get(job.piece_id)
        publish_at = parse_wp_date(review.date_gmt) if review.status == FUTURE else None
        if publish_at is not None and piece.publish_at != publish_at:
            piece = d.pieces.save(piece.copy(publish_at=publish_at, status=status), reason="status")
        else:
            piece = d.pieces.set_status(job.piece_id, status, note=note)
        d.store.save_state(
            job.piece_id, job.site_id, post_id, remote_status=review.status, state=review.state,
            note=review.note or note, modified_gmt=review.modified_gmt, date_gmt=review.date_gmt,
            content_hash=review.content_hash, fingerprint=fingerprint(piece),
        )  # fmt: skip
        if review.timeline:
            d.store.add_site_events(job.piece_id, job.site_id, post_id, review.timeline)

    def _local_event(self, job: Job, post_id: int, action: str, to: str, note: str = "") -> None:
        self._d.store.add_event(
            piece_id=job.piece_id, site_id=job.site_id, post_id=post_id, action=action,
            to_status=to, machine=self._d.machine, note=note, key=f"done:{job.id}",
        )  # fmt: skip
        self._d.store.drop_queued(job.id)

    def run_submit(self, job: Job, context: JobContext) -> dict[str, Any]:
        d = self._d
        if job.piece_id is None:
            raise NotFoundError("The piece of this submission no longer exists.")
        site = d.sites.get(job.site_id)
        pushed = d.publisher.push(
            job.piece_id, job.site_id, status=PENDING, progress=context.progress,
            on_step=context.step,
        )  # fmt: skip
        piece = d.pieces.get(job.piece_id)
        review = PostReview(id=pushed.post_id, status=pushed.status, modified_gmt="", date_gmt="",
                            author=0, state="submitted")  # fmt: skip
        if has_review_plugin(site):
            context.step("Recording the submission")
            review = self._api(job.site_id).submit(
                pushed.post_id, markdown=piece.body, machine=d.machine,
                request_id=str(job.payload.get("request_id", "")),
            )  # fmt: skip
        piece = d.pieces.set_status(job.piece_id, Status.SUBMITTED, note=f"Submitted to {site.name}")
        history = d.pieces.revisions.history(job.piece_id)
        link = d.links.get(job.piece_id, job.site_id)
        d.store.save_state(
            job.piece_id, job.site_id, pushed.post_id, remote_status=pushed.status,
            state=review.state, note=review.note,
            modified_gmt=review.modified_gmt or (link.modified_gmt if link else ""),
            date_gmt=review.date_gmt, content_hash=review.content_hash,
            fingerprint=fingerprint(piece),
            submitted_revision_id=history[0].id if history else None,
        )  # fmt: skip
        if review.timeline:
            d.store.add_site_events(job.piece_id, job.site_id, pushed.post_id, review.timeline)
        self._local_event(job, pushed.post_id, "submitted", pushed.status)
        return {
            "post_id": pushed.post_id,
            "status": pushed.status,
            "link": pushed.link,
            "notices": list(pushed.notices),
            "recorded_on_site": has_review_plugin(site),
        }

    def _check_plain(self, api: ReviewApi, post_id: int, expected: Expected, done_status: str) -> bool:
        """Without the plugin: whether the action is still to do (False: it landed already)."""
        states, missing = api.states([post_id])
        if post_id in missing:
            raise NotFoundError("The post no longer exists on the site, or is in its trash.")
        now = states[post_id]
        if now.status == done_status and done_status != PENDING:
            return False
        if expected.modified_gmt and now.modified_gmt != expected.modified_gmt:
            raise ConflictError(
                "Someone changed the post on the site since you looked at it, so nothing was done.",
                hint="Sync the pieces to see the new version, then act again.",
            )
        return True

    def _expected(self, job: Job) -> Expected:
        return Expected(
            modified_gmt=str(job.payload.get("expected_modified_gmt") or ""),
            content_hash=str(job.payload.get("expected_hash") or ""),
        )

    def _push_edits(self, job: Job, context: JobContext) -> Expected:
        """Before an approval: push the editor's own edits to the post (with the push's conflict
        check: a post changed on the site since is a conflict, and nothing is approved). Returns the
        version the approval then expects: the one pushed (also when an earlier try pushed it)."""
        d = self._d
        piece_id = job.piece_id
        link = d.links.get(piece_id, job.site_id) if piece_id is not None else None
        if piece_id is None or link is None or link.remote_id is None:
            return self._expected(job)
        key = f"pushed:{job.id}"
        state = d.store.state(piece_id, job.site_id)
        piece = d.pieces.get(piece_id)
        if edited_here(piece, state, link):
            context.step("Sending your edits first")
            pushed = d.publisher.push(
                piece_id, job.site_id, progress=context.progress, on_step=context.step
            )
            link = d.links.get(piece_id, job.site_id) or link
            state = d.store.save_state(
                piece_id, job.site_id, pushed.post_id, modified_gmt=link.modified_gmt,
                content_hash="", fingerprint=fingerprint(piece),
            )  # fmt: skip
            d.store.add_event(
                piece_id=piece_id, site_id=job.site_id, post_id=pushed.post_id, action="pushed",
                to_status=pushed.status, machine=d.machine, key=key,
            )  # fmt: skip
        elif not d.store.has_event(key):
            return self._expected(job)
        return Expected(modified_gmt=state.modified_gmt if state else link.modified_gmt)

    def run_return(self, job: Job, context: JobContext) -> dict[str, Any]:
        d = self._d
        site = d.sites.get(job.site_id)
        post_id = self._post_id(job)
        note = str(job.payload.get("note", ""))
        api = self._api(job.site_id)
        context.step("Returning the piece")
        if has_review_plugin(site):
            review = api.send_back(
                post_id, note=note, machine=d.machine,
                request_id=str(job.payload.get("request_id", "")), expected=self._expected(job),
            )  # fmt: skip
        else:
            if self._check_plain(api, post_id, self._expected(job), DRAFT):
                api.set_status(post_id, DRAFT)
            states, _ = api.states([post_id])
            plain = states[post_id]
            review = PostReview(
                id=post_id, status=plain.status, modified_gmt=plain.modified_gmt,
                date_gmt=plain.date_gmt, author=plain.author, state="changes_requested", note=note,
            )  # fmt: skip
        self._after(job, post_id, review, Status.CHANGES_REQUESTED, note=note)
        self._local_event(job, post_id, "returned", review.status, note)
        return {"post_id": post_id, "status": review.status, "repeated": review.repeated,
                "note_on_site": has_review_plugin(site)}  # fmt: skip

    def run_approve(self, job: Job, context: JobContext) -> dict[str, Any]:
        d = self._d
        site = d.sites.get(job.site_id)
        post_id = self._post_id(job)
        at_text = str(job.payload.get("at") or "")
        publish = bool(job.payload.get("publish"))
        at = datetime.fromisoformat(at_text) if at_text else None
        api = self._api(job.site_id)
        if at is not None:
            check_schedule(at, d.clock(), waited=True)
        expected = self._push_edits(job, context)
        context.step("Approving the piece")
        if has_review_plugin(site):
            review = api.approve(
                post_id, machine=d.machine, request_id=str(job.payload.get("request_id", "")),
                expected=expected, date_gmt=wp_date(at) if at else None, publish=publish,
            )  # fmt: skip
        else:
            target = FUTURE if at else PUBLISH if publish else PENDING
            if (at or publish) and self._check_plain(api, post_id, expected, target):
                api.set_status(post_id, target, date_gmt=wp_date(at or d.clock()))
            states, _ = api.states([post_id])
            plain = states[post_id]
            review = PostReview(
                id=post_id, status=plain.status, modified_gmt=plain.modified_gmt,
                date_gmt=plain.date_gmt, author=plain.author, state="approved",
            )  # fmt: skip
        done: dict[str, Status] = {PUBLISH: Status.PUBLISHED, FUTURE: Status.SCHEDULED}
        status = done.get(review.status, Status.APPROVED)
        self._after(job, post_id, review, status)
        action = "scheduled" if at else "published" if publish else "approved"
        self._local_event(job, post_id, action, review.status)
        notices = []
        if at and review.status == PUBLISH:
            notices.append("WordPress published it at once: the time was less than a minute away.")
        if not has_review_plugin(site) and not (at or publish):
            notices.append(
                f"{site.name} has no Copydesk plugin: the approval is kept in your library only."
            )
        return {"post_id": post_id, "status": review.status, "repeated": review.repeated,
                "date_gmt": review.date_gmt, "notices": notices}  # fmt: skip
