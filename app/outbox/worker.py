"""Runs the outbox's due jobs, one at a time, and reports through plain callables.

The UI drives an :class:`OutboxWorker` from one background thread (``serve()`` until told to stop, or
``run_due()`` from a timer); the command line calls ``run_due()`` or ``run_job()`` once. Handlers are
registered per job kind, so comment moderation can join without touching this module.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.cms.base import LostResponseError, SiteBusyError
from app.errors import (
    AuthError,
    ConflictError,
    CopydeskError,
    InvalidInputError,
    NetworkError,
    NotFoundError,
    PermissionDenied,
    SecretsError,
    StorageError,
)
from app.outbox.queue import Job, JobState, Outbox, worker_id
from app.store.models import utcnow

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 20.0


@dataclass(frozen=True)
class JobContext:
    """What a handler gets besides its job: where to report progress and steps."""

    progress: Callable[[int, int], None]  # (done, total), e.g. bytes uploaded
    step: Callable[[str], None]  # "Uploading photo.jpg (2 of 5)"


JobHandler = Callable[[Job, JobContext], dict[str, Any]]
"""Does the job; returns the JSON-ready result kept with it. Raises to fail or retry."""

ProgressCallback = Callable[[int, int, int], None]  # (job id, done, total)
StepCallback = Callable[[int, str], None]  # (job id, message)
ChangeCallback = Callable[[Job], None]  # a job changed state


@dataclass(frozen=True)
class JobOutcome:
    job: Job  # as it is after the attempt
    error: CopydeskError | None = None  # what failed (a PushConflictError carries both versions)

    @property
    def done(self) -> bool:
        return self.job.state == JobState.DONE


def classify(exc: BaseException) -> tuple[str, bool, float | None]:
    """(kind, retry, retry_after) of a failure: only what waiting can fix is retried."""
    if isinstance(exc, SiteBusyError):
        return "busy", True, exc.retry_after
    if isinstance(exc, LostResponseError):
        return "lost", True, None
    if isinstance(exc, NetworkError):
        return "network", True, None
    if isinstance(exc, StorageError):
        return "storage", True, None
    kinds: tuple[tuple[type[BaseException], str], ...] = (
        (ConflictError, "conflict"),
        (AuthError, "auth"),
        (PermissionDenied, "permission"),
        (SecretsError, "keyring"),
        (NotFoundError, "gone"),
        (InvalidInputError, "input"),
        (CopydeskError, "remote"),
    )
    for kind, name in kinds:
        if isinstance(exc, kind):
            return name, False, None
    return "internal", False, None


class OutboxWorker:
    def __init__(
        self,
        outbox: Outbox,
        handlers: Mapping[str, JobHandler],
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._outbox = outbox
        self._handlers = dict(handlers)
        self._clock = clock
        self.worker = worker_id()

    def register(self, kind: str, handler: JobHandler) -> None:
        self._handlers[kind] = handler

    def run_due(
        self,
        *,
        on_progress: ProgressCallback | None = None,
        on_step: StepCallback | None = None,
        on_change: ChangeCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
        limit: int | None = None,
    ) -> list[JobOutcome]:
        """Run every job that is due now (at most *limit*); returns what happened to each."""
        self._outbox.recover()
        outcomes: list[JobOutcome] = []
        while limit is None or len(outcomes) < limit:
            if should_stop is not None and should_stop():
                break
            job = self._outbox.claim(self.worker)
            if job is None:
                break
            outcomes.append(self._run(job, on_progress, on_step, on_change))
        return outcomes

    def run_job(
        self,
        job_id: int,
        *,
        on_progress: ProgressCallback | None = None,
        on_step: StepCallback | None = None,
        on_change: ChangeCallback | None = None,
    ) -> JobOutcome:
        """Run one waiting job now, whether or not it is due (the “Push” button, the CLI)."""
        self._outbox.recover()
        job = self._outbox.claim(self.worker, job_id=job_id, due_only=False)
        if job is None:
            current = self._outbox.get(job_id)
            raise InvalidInputError(f"Job {job_id} is {current.state.label.lower()}, not waiting.")
        return self._run(job, on_progress, on_step, on_change)

    def serve(
        self,
        stop: threading.Event,
        wake: threading.Event | None = None,
        *,
        idle_seconds: float = 60.0,
        on_progress: ProgressCallback | None = None,
        on_step: StepCallback | None = None,
        on_change: ChangeCallback | None = None,
    ) -> None:
        """Run due jobs until *stop* is set; sleep until the next is due or *wake* is set."""
        wake = wake or threading.Event()
        while not stop.is_set():
            wait = idle_seconds
            try:
                self.run_due(
                    on_progress=on_progress,
                    on_step=on_step,
                    on_change=on_change,
                    should_stop=stop.is_set,
                )
                due = self._outbox.next_due()
                if due is not None:
                    wait = min(idle_seconds, max((due - self._clock()).total_seconds(), 0.0))
            except Exception:  # the library is busy or damaged: keep serving, try again later
                log.exception("The outbox worker could not run the due jobs")
            wake.wait(timeout=max(wait, 0.05))
            wake.clear()

    @staticmethod
    def _record(job: Job, write: Callable[[], Job]) -> Job:
        """Store a job's outcome; a job removed meanwhile (its site was removed) is let go."""
        try:
            return write()
        except NotFoundError:
            log.info("Job %d was removed while it ran", job.id)
            return job

    def _context(
        self, job: Job, on_progress: ProgressCallback | None, on_step: StepCallback | None
    ) -> JobContext:
        """Callbacks for one job that also keep its lease alive while it runs."""
        last_beat = time.monotonic()

        def beat() -> None:
            nonlocal last_beat
            if time.monotonic() - last_beat > HEARTBEAT_SECONDS:
                last_beat = time.monotonic()
                self._outbox.heartbeat(job.id)

        def progress(done: int, total: int) -> None:
            beat()
            if on_progress is not None:
                on_progress(job.id, done, total)

        def step(message: str) -> None:
            beat()
            if on_step is not None:
                on_step(job.id, message)

        return JobContext(progress=progress, step=step)

    def _run(
        self,
        job: Job,
        on_progress: ProgressCallback | None,
        on_step: StepCallback | None,
        on_change: ChangeCallback | None,
    ) -> JobOutcome:
        if on_change is not None:
            on_change(job)
        handler = self._handlers.get(job.kind)
        error: CopydeskError | None = None
        try:
            if handler is None:
                raise InvalidInputError(f"This Copydesk cannot do “{job.kind}” jobs.")
            result = handler(job, self._context(job, on_progress, on_step))
        except Exception as exc:
            kind, retry, retry_after = classify(exc)
            if isinstance(exc, CopydeskError):
                error, message = exc, str(exc)
            else:
                log.exception("Job %d (%s) failed unexpectedly", job.id, job.kind)
                message = f"Unexpected error ({type(exc).__name__}); details are in the log."
                error = CopydeskError(message)
            finished = self._record(
                job,
                lambda: self._outbox.fail(
                    job.id, message, kind=kind, retry=retry, retry_after=retry_after
                ),
            )
            log.info("Job %d: %s (%s)", job.id, finished.state.value, kind)
        else:
            finished = self._record(job, lambda: self._outbox.finish(job.id, result))
        if on_change is not None:
            on_change(finished)
        return JobOutcome(finished, error)
