"""Moderation and replies: asked for here, queued in the outbox, carried out when the site answers.

Every action becomes an outbox job (kinds ``comment.moderate`` and ``comment.reply``), so it waits
offline and survives a restart like a push. The comment shows the action as pending meanwhile.

When the job runs, the comment is read from the site first. If its status is no longer the one the
user saw (another moderator acted, it was deleted), nothing is sent and the job fails with a message
that says what happened; the library takes the site's version. A comment already where the action
would take it is left alone. A reply whose answer was lost is looked for before it is sent again, so
it is never posted twice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from app.cms.wordpress.comments import CommentsApi, RemoteComment
from app.comments.data import REPLY, STATUS_LABELS, Action, CommentData
from app.comments.reading import WAITING
from app.comments.results import MODERATE, REPLY_KIND, ModerationResult, ReplyResult
from app.comments.sanitize import plain_text
from app.comments.store import CommentStore, content_hash, parse_gmt
from app.errors import ConflictError, InvalidInputError, NotFoundError
from app.outbox.queue import Job, JobState, Outbox
from app.outbox.worker import JobContext, JobHandler
from app.sites.registry import SiteRegistry
from app.store import Database
from app.store.models import Comment, OutboxJob, PieceLink, utcnow

log = logging.getLogger(__name__)

MAX_REPLY = 20_000  # characters of Markdown


def _who(comment: CommentData) -> str:
    return comment.author_name or "a reader"


def _label(action: str, comment: CommentData) -> str:
    if action == REPLY:
        return f"Reply to {_who(comment)}"
    return f"{Action(action).label}: the comment by {_who(comment)}"


class CommentJobs:
    def __init__(
        self,
        db: Database,
        store: CommentStore,
        outbox: Outbox,
        sites: SiteRegistry,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._store = store
        self._outbox = outbox
        self._sites = sites
        self._clock = clock

    def handlers(self) -> dict[str, JobHandler]:
        return {MODERATE: self.run_moderation, REPLY_KIND: self.run_reply}

    # -- asking ----------------------------------------------------------------------------------

    def _piece_of(self, site_id: int, post_id: int) -> int | None:
        with self._db.session() as session:
            return session.scalar(
                select(PieceLink.piece_id).where(
                    PieceLink.site_id == site_id, PieceLink.remote_id == post_id
                )
            )

    def _comments(self, comment_ids: Sequence[int]) -> list[CommentData]:
        if not comment_ids:
            raise InvalidInputError("Choose at least one comment.")
        found = {c.id: c for c in self._store.comments(ids=list(comment_ids))}
        missing = [i for i in comment_ids if i not in found]
        if missing:
            raise NotFoundError(f"There is no comment {missing[0]} in the library.")
        return [found[i] for i in dict.fromkeys(comment_ids)]

    @staticmethod
    def _check(comment: CommentData, action: Action) -> None:
        if comment.remote_id is None:
            raise InvalidInputError(
                "That is your reply, still waiting to be sent; it can be moderated once it is on "
                "the site."
            )
        if action is Action.RESTORE and comment.shown_status not in ("spam", "trash"):
            raise InvalidInputError(
                f"The comment by {_who(comment)} is not in the spam or the trash; there is nothing "
                "to restore."
            )

    def moderate(self, comment_ids: Sequence[int], action: Action) -> list[Job]:
        """Queue *action* for each comment (all are checked before any is queued).

        Comments already where the action takes them are left out; when that is all of them, the
        answer says so.
        """
        comments = self._comments(comment_ids)
        for comment in comments:
            self._check(comment, action)
        todo = [c for c in comments if action.target is None or c.shown_status != action.target]
        if not todo:
            status = STATUS_LABELS.get(action.target or "", action.target or "")
            noun = "That comment is" if len(comments) == 1 else "Those comments are"
            raise InvalidInputError(f"{noun} already marked “{status}”.")
        jobs = []
        for comment in todo:
            expected = [comment.status]
            with self._db.session() as session:
                row = session.get(Comment, comment.id)
                previous = session.get(OutboxJob, row.job_id) if row and row.job_id else None
                waiting = previous is not None and previous.state in WAITING
            if waiting and previous is not None:
                if previous.state == JobState.QUEUED.value:
                    self._outbox.cancel(previous.id)  # the new action replaces it
                else:  # being sent: the new one may find the site already changed by it
                    target = Action(comment.pending).target if comment.pending != REPLY else None
                    expected += [target] if target else ["spam", "trash", "approved", "hold"]
            job = self._outbox.enqueue(
                MODERATE,
                site_id=comment.site_id,
                piece_id=self._piece_of(comment.site_id, comment.post_id),
                payload={
                    "comment": comment.id,
                    "remote_id": comment.remote_id,
                    "action": action.value,
                    "expected": expected,
                    "content_hash": content_hash(comment.html),
                    "author": _who(comment),
                    "label": _label(action.value, comment),
                },
                coalesce=False,
            )
            self._attach(comment.id, action.value, job.id)
            jobs.append(job)
        log.info("Queued %s for %d comment(s)", action.value, len(jobs))
        return jobs

    def _attach(self, comment_id: int, action: str, job_id: int) -> None:
        with self._db.session() as session:
            row = session.get(Comment, comment_id)
            if row is not None:
                row.action, row.job_id, row.updated_at = action, job_id, self._clock()

    def reply(self, comment_id: int, markdown: str) -> tuple[CommentData, Job]:
        """Queue a reply in Markdown under a comment; it shows at once, as pending."""
        from app.render import render_markdown

        text = markdown.strip()
        if not text:
            raise InvalidInputError("Write the reply first: it is empty.")
        if len(text) > MAX_REPLY:
            raise InvalidInputError(f"A reply can be at most {MAX_REPLY:,} characters long.")
        [parent] = self._comments([comment_id])
        if parent.remote_id is None:
            raise InvalidInputError("Wait until your earlier reply has reached the site.")
        if parent.shown_status in ("spam", "trash"):
            raise InvalidInputError(
                f"The comment by {_who(parent)} is in the {parent.shown_status}; restore it first."
            )
        state = self._store.state(parent.site_id)
        if state is None:
            raise InvalidInputError("Sync the comments of this site first.")
        html = render_markdown(text)
        now = self._clock()
        with self._db.session() as session:
            row = Comment(
                site_id=parent.site_id,
                remote_id=None,
                post_id=parent.post_id,
                parent_id=parent.remote_id,
                author_name=state.user_name or "You",
                author_url="",
                author_id=state.user_id,
                date_gmt=now,
                status="approved",
                html=html,
                text=plain_text(html),
                content_hash=content_hash(html),
                votes=0,
                link="",
                action=REPLY,
                first_seen_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            local_id = row.id
        job = self._outbox.enqueue(
            REPLY_KIND,
            site_id=parent.site_id,
            piece_id=self._piece_of(parent.site_id, parent.post_id),
            payload={
                "comment": local_id,
                "post": parent.post_id,
                "parent": parent.remote_id,
                "content": for_wordpress(html),
                "label": _label(REPLY, parent),
            },
            coalesce=False,
        )
        self._attach(local_id, REPLY, job.id)
        created = self._store.get(local_id)
        assert created is not None
        return created, job

    def discard_reply(self, comment_id: int) -> None:
        """Drop a reply that has not reached the site (waiting or refused)."""
        [comment] = self._comments([comment_id])
        if comment.remote_id is not None:
            raise InvalidInputError("That reply is on the site already; trash it there instead.")
        with self._db.session() as session:
            row = session.get(Comment, comment_id)
            job = session.get(OutboxJob, row.job_id) if row and row.job_id else None
            if job is not None and job.state == JobState.IN_FLIGHT.value:
                raise InvalidInputError("The reply is being sent right now; it cannot be dropped.")
        if job is not None and job.state in (JobState.QUEUED.value, JobState.FAILED.value):
            self._outbox.cancel(job.id)
        with self._db.session() as session:
            session.execute(delete(Comment).where(Comment.id == comment_id))

    # -- doing (on the outbox worker's thread) ---------------------------------------------------

    def _api(self, site_id: int) -> CommentsApi:
        return CommentsApi(self._sites.client(site_id))

    def _votes(self, site_id: int) -> bool:
        state = self._store.state(site_id)
        return state is not None and "comment-votes" in state.features

    def run_moderation(self, job: Job, context: JobContext) -> dict[str, Any]:
        payload = job.payload
        action = Action(str(payload["action"]))
        remote_id = int(payload["remote_id"])
        who = str(payload.get("author") or "a reader")
        api = self._api(job.site_id)
        context.step(f"{action.label}: the comment by {who}")
        current = api.find(remote_id, votes=self._votes(job.site_id))
        if current is None:
            state = self._store.state(job.site_id)
            own = state is not None and state.scope == "own"
            raise NotFoundError(
                f"The comment by {who} no longer exists on the site (it was deleted"
                + (", or its post is no longer yours" if own else "")
                + f"), so “{action.label}” was not applied."
            )
        notices: list[str] = []
        if current.status not in payload.get("expected", []):
            self._store.store(job.site_id, [current])
            now = STATUS_LABELS.get(current.status, current.status)
            if action.target == current.status:
                return ModerationResult(current.status, True, tuple(notices)).to_json()
            raise ConflictError(
                f"The comment by {who} was changed on the site meanwhile: it is now “{now}”. "
                f"“{action.label}” was not applied.",
                hint="Look at it again and choose what to do.",
            )
        if content_hash(current.html) != payload.get("content_hash"):
            notices.append(f"The text of the comment by {who} was edited on the site meanwhile.")
        if action.target == current.status:
            self._store.store(job.site_id, [current])
            return ModerationResult(current.status, True, tuple(notices)).to_json()
        wanted = action.target or ("unspam" if current.status == "spam" else "untrash")
        if action is Action.RESTORE and current.status not in ("spam", "trash"):
            self._store.store(job.site_id, [current])
            return ModerationResult(current.status, True, tuple(notices)).to_json()
        updated = api.set_status(remote_id, wanted)
        self._store.store(job.site_id, [_with_votes(updated, current)])
        return ModerationResult(updated.status, notices=tuple(notices)).to_json()

    def run_reply(self, job: Job, context: JobContext) -> dict[str, Any]:
        payload = job.payload
        post, parent = int(payload["post"]), int(payload["parent"])
        html = str(payload["content"])
        local_id = int(payload["comment"])
        state = self._store.state(job.site_id)
        user = state.user_id if state else 0
        api = self._api(job.site_id)
        context.step("Sending the reply")
        created: RemoteComment | None = None
        if job.attempts > 1 and user:
            # the last attempt may have posted it with its answer lost: never post it twice
            wanted = plain_text(html)
            created = next(
                (c for c in api.find_replies(post, parent, user) if plain_text(c.html) == wanted), None
            )
        found_again = created is not None
        if created is None:
            created = api.create_reply(post, parent, html)
        self._settle_reply(job.site_id, local_id, created)
        return ReplyResult(created.id, created.status, found_again).to_json()

    def _settle_reply(self, site_id: int, local_id: int, remote: RemoteComment) -> None:
        """The local reply becomes the site's comment (or goes, when a sync brought that in)."""
        now = self._clock()
        with self._db.session() as session:
            twin = session.scalar(
                select(Comment.id).where(Comment.site_id == site_id, Comment.remote_id == remote.id)
            )
            if twin is not None and twin != local_id:
                session.execute(delete(Comment).where(Comment.id == local_id))
                return
            row = session.get(Comment, local_id)
            if row is None:
                return
            row.remote_id, row.status, row.link = remote.id, remote.status, remote.link
            row.date_gmt = parse_gmt(remote.date_gmt, row.date_gmt)
            row.author_name = remote.author_name or row.author_name
            row.html, row.text = remote.html, plain_text(remote.html)
            row.content_hash, row.updated_at = content_hash(remote.html), now


def _with_votes(updated: RemoteComment, current: RemoteComment) -> RemoteComment:
    """WordPress answers an update in the edit context, without meta: keep the votes just read."""
    if updated.votes is not None:
        return updated
    from dataclasses import replace

    return replace(updated, votes=current.votes)


_PARAGRAPH = re.compile(r"\s*<p>(.*?)</p>\s*", re.DOTALL)


def for_wordpress(html: str) -> str:
    """Rendered Markdown as WordPress keeps comments: paragraphs as blank lines, not ``<p>`` (its
    filter drops ``<p>`` from the comments of most users, and its display adds them back)."""
    text = _PARAGRAPH.sub(lambda m: m.group(1) + "\n\n", html)
    return re.sub(r"\s+(</(?:blockquote|li)>)", r"\1", text).strip()
