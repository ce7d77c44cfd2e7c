"""The outbox: the persistent queue that every remote action goes through.

A job is a *kind* (``"push"`` now; comment moderation later) with a JSON payload, for one site and
perhaps one piece. Its state is one of :class:`JobState`:

    queued ──claim──▶ in_flight ──▶ done
      ▲                  │
      └─ retry later ◀───┤ network error, 5xx, 429: attempts + 1, next_attempt_at after a backoff
                         └──▶ failed: a refusal that retrying cannot fix (the reason is kept)
    queued / failed ──cancel──▶ cancelled          failed ──retry──▶ queued

Backoff doubles from :attr:`Backoff.base` up to :attr:`Backoff.cap`, and never comes sooner than the
site's ``Retry-After``. Jobs live in the library database, so they survive a restart; a job left
``in_flight`` by a process that died goes back to ``queued`` (its lease ran out or its process is gone).
Running the jobs is :class:`app.outbox.worker.OutboxWorker`'s business.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.errors import InvalidInputError, NotFoundError
from app.outbox.data import ACTIVE_STATES, PUSH, Backoff, Job, JobState
from app.store import Database
from app.store.models import OutboxJob, Piece, Site, utcnow

__all__ = ["ACTIVE_STATES", "LEASE", "Backoff", "Job", "JobState", "Outbox", "worker_id"]

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _abandoned(claimed_by: str, lease_until: datetime | None, now: datetime) -> bool:
    if lease_until is None or lease_until < now:
        return True
    host, _, pid = claimed_by.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not _pid_alive(int(pid))


class Outbox:
    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] = utcnow,
        backoff: Backoff | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self.backoff = backoff or Backoff()

    # -- reading -----------------------------------------------------------------------------------

    def _select(self) -> Any:
        return (
            select(OutboxJob, Site.name, Piece.title)
            .join(Site, Site.id == OutboxJob.site_id)
            .outerjoin(Piece, Piece.id == OutboxJob.piece_id)
        )

    @staticmethod
    def _job(row: OutboxJob, site_name: str, piece_title: str | None) -> Job:
        return Job(
            id=row.id,
            kind=row.kind,
            site_id=row.site_id,
            site_name=site_name,
            piece_id=row.piece_id,
            piece_title=piece_title or "",
            payload=_json(row.payload),
            state=JobState(row.state),
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_error=row.last_error,
            error_kind=row.error_kind,
            result=_json(row.result),
            created_at=row.created_at,
            finished_at=row.finished_at,
        )

    def get(self, job_id: int) -> Job:
        with self._db.session() as session:
            found = session.execute(self._select().where(OutboxJob.id == job_id)).first()
            if found is None:
                raise NotFoundError(f"There is no job {job_id} in the outbox.")
            return self._job(*found)

    def jobs(self, states: Iterable[JobState] | None = None, *, limit: int = 500) -> list[Job]:
        """Jobs in *states* (all by default), the most recent first."""
        query = self._select().order_by(OutboxJob.id.desc()).limit(limit)
        if states is not None:
            query = query.where(OutboxJob.state.in_([JobState(s).value for s in states]))
        with self._db.session() as session:
            return [self._job(*found) for found in session.execute(query)]

    def active(self) -> list[Job]:
        """What the outbox view shows: waiting, sending, and failed jobs."""
        return self.jobs(ACTIVE_STATES)

    def counts(self) -> dict[JobState, int]:
        with self._db.session() as session:
            rows = session.execute(select(OutboxJob.state, func.count()).group_by(OutboxJob.state))
            found = {JobState(state): int(count) for state, count in rows}
        return {state: found.get(state, 0) for state in JobState}

    def next_due(self) -> datetime | None:
        """When the next waiting job is due (None when nothing waits)."""
        with self._db.session() as session:
            return session.scalar(
                select(func.min(OutboxJob.next_attempt_at)).where(
                    OutboxJob.state == JobState.QUEUED.value
                )
            )

    # -- adding and changing -------------------------------------------------------------------

    def enqueue(
        self,
        kind: str,
        *,
        site_id: int,
        piece_id: int | None = None,
        payload: dict[str, Any] | None = None,
        coalesce: bool = True,
    ) -> Job:
        """Add a job, due now. With *coalesce*, a waiting or failed job of the same kind for the same
        site and piece is brought up to date instead (never two pushes of one piece in the queue)."""
        now = self._clock()
        text = json.dumps(payload or {}, sort_keys=True)
        with self._db.session() as session:
            if session.get(Site, site_id) is None:
                raise NotFoundError(f"There is no site with id {site_id}.")
            row = None
            if coalesce:
                row = session.scalars(
                    select(OutboxJob)
                    .where(
                        OutboxJob.kind == kind,
                        OutboxJob.site_id == site_id,
                        OutboxJob.piece_id == piece_id
                        if piece_id is not None
                        else OutboxJob.piece_id.is_(None),
                        OutboxJob.state.in_((JobState.QUEUED.value, JobState.FAILED.value)),
                    )
                    .order_by(OutboxJob.id)
                    .limit(1)
                ).first()
            if row is None:
                row = OutboxJob(kind=kind, site_id=site_id, piece_id=piece_id, created_at=now)
                session.add(row)
            row.payload = text
            row.state = JobState.QUEUED.value
            row.attempts = 0
            row.next_attempt_at = now
            row.last_error = ""
            row.error_kind = ""
            row.updated_at = now
            session.flush()
            job_id = row.id
        log.info("Queued %s job %d for site %d", kind, job_id, site_id)
        return self.get(job_id)

    def enqueue_push(
        self, piece_id: int, site_id: int, *, status: str | None = None, overwrite: str | None = None
    ) -> Job:
        payload: dict[str, Any] = {"status": status}
        if overwrite is not None:
            payload["overwrite"] = overwrite
        return self.enqueue(PUSH, site_id=site_id, piece_id=piece_id, payload=payload)

    def _change(self, job_id: int, change: Callable[[OutboxJob, Session], None]) -> Job:
        with self._db.session() as session:
            row = session.get(OutboxJob, job_id)
            if row is None:
                raise NotFoundError(f"There is no job {job_id} in the outbox.")
            change(row, session)
            row.updated_at = self._clock()
        return self.get(job_id)

    def cancel(self, job_id: int) -> Job:
        """Cancel a waiting or failed job. A job being sent cannot be stopped halfway."""

        def change(row: OutboxJob, _session: Session) -> None:
            if row.state == JobState.IN_FLIGHT.value:
                raise InvalidInputError(
                    f"Job {job_id} is being sent right now; it cannot be cancelled halfway."
                )
            if row.state not in (JobState.QUEUED.value, JobState.FAILED.value):
                raise InvalidInputError(f"Job {job_id} is {row.state}; there is nothing to cancel.")
            row.state = JobState.CANCELLED.value
            row.finished_at = self._clock()

        return self._change(job_id, change)

    def retry(self, job_id: int) -> Job:
        """Make a waiting or failed job due now."""

        def change(row: OutboxJob, _session: Session) -> None:
            if row.state not in (JobState.QUEUED.value, JobState.FAILED.value):
                raise InvalidInputError(f"Job {job_id} is {row.state}; it cannot be retried.")
            row.state = JobState.QUEUED.value
            row.next_attempt_at = self._clock()
            row.finished_at = None

        return self._change(job_id, change)

    def purge(self, older_than: timedelta = timedelta(days=30)) -> int:
        """Delete done and cancelled jobs finished before *older_than* ago."""
        limit = self._clock() - older_than
        with self._db.session() as session:
            result = session.execute(
                delete(OutboxJob).where(
                    OutboxJob.state.in_((JobState.DONE.value, JobState.CANCELLED.value)),
                    OutboxJob.finished_at < limit,
                )
            )
            return int(getattr(result, "rowcount", 0) or 0)

    # -- used by the worker ------------------------------------------------------------------------

    def recover(self) -> int:
        """Put jobs left in flight by a process that is gone back in the queue."""
        now = self._clock()
        count = 0
        with self._db.session() as session:
            rows = session.scalars(
                select(OutboxJob).where(OutboxJob.state == JobState.IN_FLIGHT.value)
            ).all()
            for row in rows:
                if _abandoned(row.claimed_by, row.lease_until, now):
                    row.state = JobState.QUEUED.value
                    row.next_attempt_at = now
                    row.claimed_by = ""
                    row.lease_until = None
                    row.updated_at = now
                    count += 1
        if count:
            log.info("Put %d interrupted job(s) back in the queue", count)
        return count

    def claim(self, worker: str, *, job_id: int | None = None, due_only: bool = True) -> Job | None:
        """Take the next due job (or job *job_id*) for *worker*; None when there is none."""
        now = self._clock()
        with self._db.session() as session:
            query = select(OutboxJob.id).where(OutboxJob.state == JobState.QUEUED.value)
            if job_id is not None:
                query = query.where(OutboxJob.id == job_id)
            if due_only:
                query = query.where(OutboxJob.next_attempt_at <= now)
            candidate = session.scalar(query.order_by(OutboxJob.next_attempt_at, OutboxJob.id).limit(1))
            if candidate is None:
                return None
            result = session.execute(
                update(OutboxJob)
                .where(OutboxJob.id == candidate, OutboxJob.state == JobState.QUEUED.value)
                .values(
                    state=JobState.IN_FLIGHT.value,
                    claimed_by=worker,
                    lease_until=now + LEASE,
                    attempts=OutboxJob.attempts + 1,
                    updated_at=now,
                )
            )
            if not getattr(result, "rowcount", 0):
                return None  # another worker was faster
        return self.get(candidate)

    def heartbeat(self, job_id: int) -> None:
        now = self._clock()
        with self._db.session() as session:
            session.execute(
                update(OutboxJob)
                .where(OutboxJob.id == job_id, OutboxJob.state == JobState.IN_FLIGHT.value)
                .values(lease_until=now + LEASE)
            )

    def finish(self, job_id: int, result: dict[str, Any]) -> Job:
        def change(row: OutboxJob, _session: Session) -> None:
            row.state = JobState.DONE.value
            row.result = json.dumps(result, sort_keys=True, ensure_ascii=False, default=str)
            row.last_error = ""
            row.error_kind = ""
            row.finished_at = self._clock()
            row.claimed_by = ""
            row.lease_until = None

        return self._change(job_id, change)

    def fail(
        self,
        job_id: int,
        message: str,
        *,
        kind: str,
        retry: bool,
        retry_after: float | None = None,
    ) -> Job:
        """Record a failed attempt: back in the queue after a backoff, or failed for good."""

        def change(row: OutboxJob, _session: Session) -> None:
            now = self._clock()
            row.last_error = message
            row.error_kind = kind
            row.claimed_by = ""
            row.lease_until = None
            if retry:
                row.state = JobState.QUEUED.value
                delay = self.backoff.delay(max(row.attempts, 1), retry_after)
                row.next_attempt_at = now + timedelta(seconds=delay)
            else:
                row.state = JobState.FAILED.value
                row.finished_at = now

        return self._change(job_id, change)
