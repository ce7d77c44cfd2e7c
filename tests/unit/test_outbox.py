"""The outbox's states, backoff, recovery and worker, on a real library file (no network)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.cms.base import LostResponseError, SiteBusyError
from app.core import Core
from app.errors import (
    AuthError,
    ConflictError,
    InvalidInputError,
    NetworkError,
    PermissionDenied,
    RemoteError,
    SecretsError,
)
from app.outbox.queue import Backoff, Job, JobState, Outbox
from app.outbox.worker import JobContext, OutboxWorker, classify
from app.pieces.data import PieceData
from app.store.models import Site


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def site_id(core: Core) -> int:
    with core.db.session() as session:
        row = Site(name="Gazette", url="https://gazette.example", username="ana", secret_key="k")
        session.add(row)
        session.flush()
        return row.id


@pytest.fixture
def outbox(core: Core, clock: Clock) -> Outbox:
    return Outbox(core.db, clock=clock, backoff=Backoff(base=10, jitter=0))


def piece(core: Core, title: str = "Tides") -> int:
    created = core.pieces.create(PieceData(title=title))
    assert created.id is not None
    return created.id


def test_backoff_doubles_up_to_a_cap_and_honours_retry_after() -> None:
    backoff = Backoff(base=15, factor=2, cap=100, jitter=0)
    assert [backoff.delay(n) for n in range(1, 6)] == [15, 30, 60, 100, 100]
    assert backoff.delay(1, retry_after=120) == 120
    assert backoff.delay(3, retry_after=5) == 60
    jittery = Backoff(base=100, jitter=0.1)
    assert all(90 <= jittery.delay(1) <= 110 for _ in range(50))


def test_enqueue_coalesces_pushes_of_one_piece(core: Core, outbox: Outbox, site_id: int) -> None:
    first = outbox.enqueue_push(piece(core), site_id, status="draft")
    assert (first.state, first.kind, first.payload) == (JobState.QUEUED, "push", {"status": "draft"})
    assert first.description == "Push “Tides” to Gazette"
    again = outbox.enqueue_push(first.piece_id or 0, site_id, status="publish", overwrite="2026")
    assert again.id == first.id and again.payload == {"status": "publish", "overwrite": "2026"}
    other = outbox.enqueue_push(piece(core, "Other"), site_id)
    assert other.id != first.id
    assert [j.id for j in outbox.active()] == [other.id, first.id]


def test_claim_takes_due_jobs_in_order(outbox: Outbox, core: Core, site_id: int, clock: Clock) -> None:
    a = outbox.enqueue_push(piece(core, "A"), site_id)
    clock.advance(1)
    b = outbox.enqueue_push(piece(core, "B"), site_id)
    claimed = outbox.claim("me:1")
    assert claimed is not None and claimed.id == a.id and claimed.state == JobState.IN_FLIGHT
    assert claimed.attempts == 1
    failed = outbox.fail(a.id, "Could not reach it.", kind="network", retry=True)
    assert failed.state == JobState.QUEUED and failed.next_attempt_at == clock() + timedelta(seconds=10)
    claimed = outbox.claim("me:1")
    assert claimed is not None and claimed.id == b.id
    assert outbox.claim("me:1") is None  # a is not due yet
    assert outbox.next_due() == clock() + timedelta(seconds=10)
    clock.advance(10)
    claimed = outbox.claim("me:1")
    assert claimed is not None and claimed.id == a.id and claimed.attempts == 2
    outbox.fail(a.id, "Still down.", kind="busy", retry=True, retry_after=300)
    assert outbox.get(a.id).next_attempt_at == clock() + timedelta(seconds=300)


def test_fail_for_good_cancel_retry_purge(
    outbox: Outbox, core: Core, site_id: int, clock: Clock
) -> None:
    job = outbox.enqueue_push(piece(core), site_id)
    outbox.claim("me:1")
    with pytest.raises(InvalidInputError, match="being sent right now"):
        outbox.cancel(job.id)
    failed = outbox.fail(job.id, "No.", kind="permission", retry=False)
    assert failed.state == JobState.FAILED and failed.finished_at == clock()
    assert outbox.claim("me:1") is None
    retried = outbox.retry(job.id)
    assert retried.state == JobState.QUEUED and retried.next_attempt_at == clock()
    cancelled = outbox.cancel(job.id)
    assert cancelled.state == JobState.CANCELLED
    with pytest.raises(InvalidInputError, match="nothing to cancel"):
        outbox.cancel(job.id)
    with pytest.raises(InvalidInputError, match="cannot be retried"):
        outbox.retry(job.id)
    assert outbox.counts()[JobState.CANCELLED] == 1
    clock.advance(31 * 24 * 3600)
    assert outbox.purge() == 1 and outbox.jobs() == []


def test_recover_only_jobs_whose_worker_is_gone(
    outbox: Outbox, core: Core, site_id: int, clock: Clock
) -> None:
    dead = outbox.enqueue_push(piece(core, "Dead"), site_id)
    alive = outbox.enqueue_push(piece(core, "Alive"), site_id)
    abroad = outbox.enqueue_push(piece(core, "Abroad"), site_id)
    host = socket.gethostname()
    outbox.claim(f"{host}:{2**22 + 7}", job_id=dead.id)
    outbox.claim(f"{host}:{os.getpid()}", job_id=alive.id)
    outbox.claim("elsewhere:1", job_id=abroad.id)
    assert outbox.recover() == 1
    assert outbox.get(dead.id).state == JobState.QUEUED
    assert outbox.get(alive.id).state == JobState.IN_FLIGHT
    assert outbox.get(abroad.id).state == JobState.IN_FLIGHT
    clock.advance(6 * 60)  # the lease ran out
    assert outbox.recover() == 2


@pytest.mark.parametrize(
    ("error", "kind", "retry"),
    [
        (SiteBusyError("busy", status=503, retry_after=60), "busy", True),
        (LostResponseError("lost"), "lost", True),
        (NetworkError("offline"), "network", True),
        (ConflictError("changed"), "conflict", False),
        (AuthError("wrong"), "auth", False),
        (PermissionDenied("role"), "permission", False),
        (SecretsError("locked"), "keyring", False),
        (InvalidInputError("bad"), "input", False),
        (RemoteError("no", status=400), "remote", False),
        (ZeroDivisionError(), "internal", False),
    ],
)
def test_classify(error: Exception, kind: str, retry: bool) -> None:
    assert classify(error)[:2] == (kind, retry)


@pytest.mark.expect_log("app.outbox.worker", "ERROR", r"Job \d+ \(push\) failed unexpectedly")
def test_worker_runs_handlers_and_records_outcomes(
    outbox: Outbox, core: Core, site_id: int, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def handler(job: Job, context: JobContext) -> dict[str, Any]:
        calls.append(job.id)
        context.step("Working")
        context.progress(5, 10)
        if job.payload.get("fail") == "network":
            raise NetworkError("Could not reach it.")
        if job.payload.get("fail") == "bug":
            raise KeyError("oops")
        return {"ok": True}

    worker = OutboxWorker(outbox, {"push": handler}, clock=clock)
    good = outbox.enqueue("push", site_id=site_id, piece_id=piece(core, "A"), payload={})
    offline = outbox.enqueue(
        "push", site_id=site_id, piece_id=piece(core, "B"), payload={"fail": "network"}
    )
    bug = outbox.enqueue("push", site_id=site_id, piece_id=piece(core, "C"), payload={"fail": "bug"})
    odd = outbox.enqueue("comment.approve", site_id=site_id, payload={})
    progress: list[tuple[int, int, int]] = []
    changes: list[tuple[int, JobState]] = []
    with caplog.at_level(logging.ERROR):
        outcomes = worker.run_due(
            on_progress=lambda *a: progress.append(a),
            on_change=lambda j: changes.append((j.id, j.state)),
        )
    by_id = {o.job.id: o for o in outcomes}
    assert by_id[good.id].done and by_id[good.id].job.result == {"ok": True}
    assert by_id[offline.id].job.waiting_to_retry and isinstance(by_id[offline.id].error, NetworkError)
    assert by_id[bug.id].job.state == JobState.FAILED and by_id[bug.id].job.error_kind == "internal"
    assert by_id[bug.id].job.last_error == "Unexpected error (KeyError); details are in the log."
    assert "Job 3 (push) failed unexpectedly" in caplog.text
    assert by_id[odd.id].job.error_kind == "input"
    assert (good.id, 5, 10) in progress
    assert changes[:2] == [(good.id, JobState.IN_FLIGHT), (good.id, JobState.DONE)]
    assert calls == [good.id, offline.id, bug.id]
    with pytest.raises(InvalidInputError, match="is done, not waiting"):
        worker.run_job(good.id)
    # run_job sends a waiting job at once, due or not
    assert worker.run_job(offline.id).job.attempts == 2


def test_serve_stops_when_told(outbox: Outbox, core: Core, site_id: int) -> None:
    ran = threading.Event()

    def handler(job: Job, context: JobContext) -> dict[str, Any]:
        ran.set()
        return {}

    worker = OutboxWorker(outbox, {"push": handler})
    stop, wake = threading.Event(), threading.Event()
    thread = threading.Thread(target=worker.serve, args=(stop, wake), kwargs={"idle_seconds": 30})
    thread.start()
    outbox.enqueue_push(piece(core), site_id)
    wake.set()
    assert ran.wait(timeout=10)
    stop.set()
    wake.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
