"""The outbox against the real WordPress: offline, restarts, 5xx and 429, refusals, the worker."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import requests

from app.core import Core, open_core
from app.outbox.queue import JobState
from app.pieces.data import PieceData
from app.publishing import PushConflictError
from app.remote import RemoteServices
from tests.helpers.fault_proxy import FaultProxy, creates_post, http_response
from tests.helpers.pictures import write_png
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite, Clock, make_remote

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def post_count(wp: WordPressServer) -> int:
    with requests.Session() as session:
        session.trust_env = False
        found = session.get(
            wp.rest_url("/wp/v2/posts"), params={"status": "any"}, auth=wp.auth("admin"), timeout=30
        )
    return len(found.json())


@pytest.fixture
def proxy(wordpress: WordPressServer) -> Iterator[FaultProxy]:
    with FaultProxy(wordpress.url) as running:
        yield running


def new_piece(core: Core, title: str = "Tides") -> PieceData:
    return core.pieces.create(PieceData(title=title, body="Low water.\n"))


def test_offline_push_waits_retries_with_backoff_and_survives_a_restart(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    proxy: FaultProxy,
    wordpress: WordPressServer,
    clock: Clock,
    data_dir: Path,
) -> None:
    site = add_site("author", url=proxy.url)
    piece = new_piece(core)
    proxy.stop()  # the network is gone: connection refused
    job = remote.outbox.enqueue_push(piece.id, site.id, status="draft")
    outcome = remote.worker().run_job(job.id)
    waiting = outcome.job
    assert waiting.state == JobState.QUEUED and waiting.waiting_to_retry
    assert (waiting.attempts, waiting.error_kind) == (1, "network")
    assert waiting.last_error.startswith(f"Could not reach 127.0.0.1:{proxy.port}.")
    assert timedelta(seconds=29) < waiting.next_attempt_at - clock() <= timedelta(seconds=30)
    assert remote.worker().run_due() == []  # not due yet
    clock.advance(31)
    [again] = remote.worker().run_due()
    assert again.job.attempts == 2
    assert timedelta(seconds=59) < again.job.next_attempt_at - clock() <= timedelta(seconds=60)

    # the application is closed, the network comes back, the application starts again
    core.close()
    proxy.start()
    reopened = open_core(data_dir)
    try:
        after = make_remote(reopened, clock)
        [waiting_job] = after.outbox.active()
        assert waiting_job.id == job.id and waiting_job.state == JobState.QUEUED
        clock.advance(61)
        [done] = after.worker().run_due()
        assert done.done and done.job.result["post_id"] > 0 and done.job.attempts == 3
        assert done.job.result["status"] == "draft"
        assert post_count(wordpress) == 1
        assert after.outbox.active() == []
    finally:
        reopened.close()


@pytest.mark.parametrize("status", [503, 429])
def test_busy_site_retry_after_is_honoured(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    proxy: FaultProxy,
    wordpress: WordPressServer,
    clock: Clock,
    status: int,
) -> None:
    site = add_site("editor", url=proxy.url)
    retry_after = (
        "120" if status == 503 else format_datetime(clock() + timedelta(seconds=300), usegmt=True)
    )
    body = "<html><body>Down for maintenance</body></html>" if status == 503 else '{"code":"too_many"}'
    proxy.add(creates_post, "respond", http_response(status, body, {"Retry-After": retry_after}))
    piece = new_piece(core)
    job = remote.outbox.enqueue_push(piece.id, site.id)
    outcome = remote.worker().run_job(job.id)
    assert outcome.job.state == JobState.QUEUED and outcome.job.error_kind == "busy"
    wait = outcome.job.next_attempt_at - clock()
    if status == 503:
        assert outcome.job.last_error.startswith(f"127.0.0.1:{proxy.port} is temporarily unavailable")
        assert timedelta(seconds=119) < wait <= timedelta(seconds=120)
    else:
        assert "asks Copydesk to slow down" in outcome.job.last_error
        assert timedelta(seconds=290) < wait <= timedelta(seconds=301)
    clock.advance(wait.total_seconds() + 1)
    [done] = remote.worker().run_due()
    assert done.done and post_count(wordpress) == 1


def test_a_refusal_fails_at_once_with_wordpress_explained(
    core: Core, remote: RemoteServices, wordpress: WordPressServer
) -> None:
    site, _ = remote.sites.add(
        "Unchecked", wordpress.url, "contributor", wordpress.users["contributor"]["app_password"],
        check=False,
    )  # fmt: skip
    piece = new_piece(core)
    job = remote.outbox.enqueue_push(piece.id, site.id, status="publish")
    outcome = remote.worker().run_job(job.id)
    assert outcome.job.state == JobState.FAILED and outcome.job.attempts == 1
    assert outcome.job.error_kind == "permission"
    assert outcome.job.last_error == (
        "Your role on this site does not allow publishing or scheduling. Push it as “Pending "
        "review” so that an editor can publish it."
    )
    assert remote.worker().run_due() == []
    # the user changes the status and pushes again: the same job, brought up to date
    again = remote.outbox.enqueue_push(piece.id, site.id, status="pending")
    assert again.id == job.id and again.state == JobState.QUEUED and again.attempts == 0
    assert remote.worker().run_job(again.id).done


def test_a_conflict_fails_with_both_versions(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    piece = new_piece(core)
    first = remote.worker().run_job(remote.outbox.enqueue_push(piece.id, site.id).id)
    post_id = first.job.result["post_id"]
    with requests.Session() as session:
        session.trust_env = False
        session.post(
            wordpress.rest_url(f"/wp/v2/posts/{post_id}"),
            json={"content": "<p>Edited on the site.</p>"},
            auth=wordpress.auth("editor"),
            timeout=30,
        ).raise_for_status()
    core.pieces.save(core.pieces.get(piece.id).copy(body="Edited here.\n"))
    outcome = remote.worker().run_job(remote.outbox.enqueue_push(piece.id, site.id).id)
    assert outcome.job.state == JobState.FAILED and outcome.job.error_kind == "conflict"
    assert isinstance(outcome.error, PushConflictError)
    assert outcome.error.info.theirs.content == "<p>Edited on the site.</p>"
    # keep mine through the outbox: the job carries the version the user saw
    job = remote.outbox.enqueue_push(piece.id, site.id, overwrite=outcome.error.info.theirs_modified_gmt)
    assert remote.worker().run_job(job.id).done


def test_cancel_retry_and_the_lists(
    core: Core, remote: RemoteServices, add_site: AddSite, proxy: FaultProxy, clock: Clock
) -> None:
    site = add_site("author", url=proxy.url)
    proxy.stop()
    first = remote.outbox.enqueue_push(new_piece(core, "One").id, site.id)
    second = remote.outbox.enqueue_push(new_piece(core, "Two").id, site.id)
    remote.worker().run_due()
    assert [j.id for j in remote.outbox.active()] == [second.id, first.id]
    assert all(j.waiting_to_retry for j in remote.outbox.active())
    assert remote.outbox.cancel(first.id).state == JobState.CANCELLED
    assert remote.outbox.counts()[JobState.CANCELLED] == 1
    proxy.start()
    retried = remote.outbox.retry(second.id)  # due now, without waiting for the backoff
    assert retried.next_attempt_at <= clock()
    [done] = remote.worker().run_due()
    assert done.job.id == second.id and done.done
    assert remote.outbox.active() == []
    assert {j.state for j in remote.outbox.jobs()} == {JobState.DONE, JobState.CANCELLED}


def test_a_job_left_in_flight_by_a_dead_process_is_run_again(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    job = remote.outbox.enqueue_push(new_piece(core).id, site.id)
    claimed = remote.outbox.claim(f"{socket.gethostname()}:{2**22 + 12345}")  # no such process
    assert claimed is not None and claimed.state == JobState.IN_FLIGHT
    # a live process's job is left alone
    other = remote.outbox.enqueue_push(new_piece(core, "Other").id, site.id)
    assert remote.outbox.claim(remote.worker().worker, job_id=other.id) is not None
    outcomes = remote.worker().run_due()
    assert [o.job.id for o in outcomes] == [job.id] and outcomes[0].done
    assert remote.outbox.get(other.id).state == JobState.IN_FLIGHT
    assert post_count(wordpress) == 1


def test_worker_reports_progress_steps_and_changes(
    core: Core, remote: RemoteServices, add_site: AddSite, tmp_path: Path
) -> None:
    site = add_site("editor")
    image = write_png(tmp_path / "tide.png", 200, 100)
    piece = core.pieces.create(PieceData(title="Tides", body=f"![Tide]({image})\n"))
    job = remote.outbox.enqueue_push(piece.id, site.id)
    progress: list[tuple[int, int, int]] = []
    steps: list[tuple[int, str]] = []
    changes: list[JobState] = []
    outcome = remote.worker().run_job(
        job.id,
        on_progress=lambda *a: progress.append(a),
        on_step=lambda *a: steps.append(a),
        on_change=lambda j: changes.append(j.state),
    )
    assert outcome.done
    size = image.stat().st_size
    assert progress[-1] == (job.id, size, size)
    assert (job.id, "Uploading tide.png (1 of 1)") in steps
    assert changes == [JobState.IN_FLIGHT, JobState.DONE]


def test_serve_runs_jobs_from_a_thread_until_stopped(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    stop, wake = threading.Event(), threading.Event()
    done = threading.Event()
    worker = remote.worker()
    thread = threading.Thread(
        target=worker.serve,
        args=(stop, wake),
        kwargs={"on_change": lambda j: done.set() if j.state == JobState.DONE else None},
    )
    thread.start()
    try:
        remote.outbox.enqueue_push(new_piece(core).id, site.id)
        wake.set()
        assert done.wait(timeout=30)
    finally:
        stop.set()
        wake.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert post_count(wordpress) == 1
