"""Network faults between Copydesk and the real WordPress, injected by a proxy, many times over.

Each campaign pushes three pieces (each with a picture of its own folder) round after round, with the
fault armed for the next matching request; then the faults stop, the outbox runs until it is empty, and
the site must hold exactly one post per piece with the latest text, every job done once, and no
password sent anywhere but the site.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from app.core import Core
from app.outbox.queue import Backoff
from app.pieces.data import PieceData
from app.remote import RemoteServices
from app.sites.secrets import SecretStore
from tests.helpers.fault_proxy import (
    Request,
    creates_post,
    http_response,
    route,
    uploads_media,
    writes_post,
)
from tests.helpers.pictures import write_png
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.reliability.conftest import FaultRecorder
from tests.reliability.faults import Recorder, ReliabilityProxy
from tests.reliability.kills import SCALE
from tests.reliability.test_kills import admin_get

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

ROUNDS = 4 * SCALE


def any_request(_request: Request) -> bool:
    return True


def writes(request: Request) -> bool:
    return writes_post(request) or uploads_media(request)


@dataclass(frozen=True)
class Fault:
    name: str
    match: Callable[[Request], bool]
    action: str
    response: bytes = b""
    times: int = 1


BUSY = http_response(503, "<html>Busy</html>", {"Retry-After": "5", "Content-Type": "text/html"})
LIMITED = http_response(429, '{"code":"too_many"}', {"Retry-After": "2"})
BROKEN = http_response(
    500, "<b>Fatal error</b>: Allowed memory size exhausted", {"Content-Type": "text/html"}
)
FAULTS = [
    Fault("latency (0.4 s on every request)", any_request, "delay", times=8),
    Fault("connection reset before a post write", writes_post, "reset"),
    Fault("connection reset mid-upload", uploads_media, "reset_upload"),
    Fault("answer lost after the post was created", creates_post, "drop"),
    Fault("answer lost after the post was updated", writes_post, "drop"),
    Fault("answer lost after the upload", uploads_media, "drop"),
    Fault("server stalls (no answer)", writes_post, "stall"),
    Fault("503 burst with Retry-After", writes, "respond", BUSY, times=3),
    Fault("429 burst with Retry-After", any_request, "respond", LIMITED, times=3),
    Fault("500 with an HTML error page", writes_post, "respond", BROKEN),
    Fault("answer cut off halfway", writes_post, "truncate"),
]


@pytest.fixture
def proxy(wordpress: WordPressServer) -> Iterator[ReliabilityProxy]:
    with ReliabilityProxy(wordpress.url) as running:
        yield running


@pytest.fixture
def fast_remote(core: Core, secret_service: SecretService, clock: Clock) -> RemoteServices:
    """Remote services whose read timeout (3 s) is shorter than the proxy's stall (4 s)."""
    return core.connect_remote(
        secrets=SecretStore(),
        timeout=(2.0, 3.0),
        upload_timeout=(2.0, 10.0),
        backoff=Backoff(base=30.0, jitter=0.0),
        clock=clock,
    )


def make_pieces(core: Core, folder: Path, count: int = 3) -> list[PieceData]:
    pieces = []
    for i in range(count):
        home = folder / f"piece-{i}"
        write_png(home / "pic.png", color=(40 * i, 90, 160))
        source = home / "piece.md"
        source.write_text(
            f"---\ntitle: Piece {i}\n---\nVersion 0 of piece {i}.\n\n![A picture](pic.png)\n",
            encoding="utf-8",
        )
        pieces.append(core.import_markdown(source))
    return pieces


def drain(remote: RemoteServices, clock: Clock, limit: int = 12) -> None:
    for _ in range(limit):
        if not remote.outbox.active():
            return
        clock.advance(2 * 3600)
        remote.worker().run_due()


def posts_by_title(wp: WordPressServer) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for post in admin_get(wp, "/wp/v2/posts", status="any", context="edit"):
        found.setdefault(str(post["title"]["raw"]), []).append(post)  # type: ignore[index]
    return found


def losses_after_faults(
    core: Core, remote: RemoteServices, wp: WordPressServer, pieces: list[PieceData]
) -> list[str]:
    lost = []
    posts = posts_by_title(wp)
    for piece in pieces:
        mine = posts.get(piece.title, [])
        if len(mine) != 1:
            lost.append(f"“{piece.title}” has {len(mine)} posts")
            continue
        latest = core.pieces.get(piece.id).body.split("\n")[0]
        if latest not in str(mine[0]["content"]["raw"]):  # type: ignore[index]
            lost.append(f"“{piece.title}” is not the latest text on the site")
    if set(posts) - {p.title for p in pieces}:
        lost.append(f"unexpected posts: {sorted(set(posts) - {p.title for p in pieces})}")
    active = remote.outbox.active()
    if active:
        lost.append(f"{len(active)} jobs still in the outbox ({active[0].last_error[:80]})")
    failed = [j for j in remote.outbox.jobs() if j.state.value == "failed"]
    if failed:
        lost.append(f"{len(failed)} jobs failed: {failed[0].last_error[:100]}")
    return lost


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_after_network_faults_each_piece_is_one_post_with_the_latest_text(
    *,
    fault: Fault,
    core: Core,
    fast_remote: RemoteServices,
    wordpress: WordPressServer,
    proxy: ReliabilityProxy,
    clock: Clock,
    tmp_path: Path,
    ledger: FaultRecorder,
) -> None:
    remote = fast_remote
    user = wordpress.users["admin"]
    site, _ = remote.sites.add("Faulty", proxy.url, user["user"], user["app_password"])
    pieces = make_pieces(core, tmp_path)
    rules = []
    for round_ in range(ROUNDS):
        piece = core.pieces.get(pieces[round_ % len(pieces)].id)
        home = tmp_path / f"piece-{round_ % len(pieces)}"
        write_png(home / "pic.png", color=(40 * round_ % 255, 20 * round_ % 255, 99))
        first, _, rest = piece.body.partition("\n")
        piece.body = f"Version {round_ + 1} of {piece.title.lower()}.\n{rest}"
        core.pieces.save(piece)
        rules.append(proxy.add(fault.match, fault.action, fault.response, times=fault.times))
        remote.outbox.enqueue_push(piece.id, site.id)
        remote.worker().run_due()
        clock.advance(3600)
    for rule in proxy.rules:
        rule.times = 0  # the faults stop
    drain(remote, clock)
    injected = sum(r.hits for r in rules)
    ledger.injected(fault.name, injected)
    for problem in losses_after_faults(core, remote, wordpress, pieces):
        ledger.lost(fault.name, problem)
    assert injected > 0, "the fault never matched a request"
    assert ledger.losses(fault.name) == []


class RedirectingProxy(ReliabilityProxy):
    """Rules with the action "redirect" send the request on to the same route at another address
    (``/wp-json/wp/v2/posts/5`` to ``/?rest_route=/wp/v2/posts/5``), as a site that moved its REST
    API would; on this proxy, or on the origin in :attr:`redirect_to`."""

    redirect_to = ""
    redirect_status = 307

    def _answer(self, conn: socket.socket, request: Request, rule: object) -> None:
        if getattr(rule, "action", None) != "redirect":
            super()._answer(conn, request, rule)
            return
        location = f"{self.redirect_to or self.url}/?rest_route={quote(route(request), safe='/')}"
        with conn, contextlib.suppress(OSError):
            conn.sendall(http_response(self.redirect_status, "", {"Location": location}))


@dataclass(frozen=True)
class Redirect:
    name: str
    status: int
    other_origin: bool
    followed: bool  # sent again there by Copydesk; otherwise refused with a message


REDIRECTS = [
    Redirect("redirect to the same origin (307)", 307, other_origin=False, followed=True),
    Redirect("redirect to the same origin (308)", 308, other_origin=False, followed=True),
    # a 302 would turn the write into a read: refused with a message, then retried by the user
    Redirect("redirect of a write to the same origin (302)", 302, other_origin=False, followed=False),
    Redirect("redirect to another origin (307)", 307, other_origin=True, followed=False),
]


@pytest.mark.parametrize("redirect", REDIRECTS, ids=lambda r: r.name)
def test_a_redirected_push_never_sends_the_password_to_another_origin(
    *,
    redirect: Redirect,
    core: Core,
    fast_remote: RemoteServices,
    wordpress: WordPressServer,
    clock: Clock,
    tmp_path: Path,
    ledger: FaultRecorder,
) -> None:
    """307/308 within the site's origin are followed (the write is sent again there, nothing to do
    by hand); a write is never turned into a read, and nothing goes to another origin."""
    name = redirect.name
    remote = fast_remote
    user = wordpress.users["admin"]
    recorder = Recorder()
    try:
        with RedirectingProxy(wordpress.url) as proxy:
            proxy.redirect_to = recorder.url if redirect.other_origin else ""
            proxy.redirect_status = redirect.status
            site, _ = remote.sites.add("Redirected", proxy.url, user["user"], user["app_password"])
            pieces = make_pieces(core, tmp_path)
            for round_, piece in enumerate(pieces * 2):  # creates, then updates
                proxy.rules.clear()
                rule = proxy.add(writes_post, "redirect", times=1)
                found = core.pieces.get(piece.id)
                _first, _, rest = found.body.partition("\n")
                found.body = f"Round {round_} of {found.title.lower()}.\n{rest}"
                core.pieces.save(found)
                remote.outbox.enqueue_push(piece.id, site.id)
                remote.worker().run_due()
                ledger.injected(name, rule.hits)
            proxy.rules.clear()
            drain(remote, clock)
            refused = [j for j in remote.outbox.jobs() if j.state.value == "failed"]
            expected = "another address" if redirect.other_origin else "did not follow it"
            for job in refused:  # refused with a message; the user retries
                if not redirect.followed:
                    assert expected in job.last_error, job.last_error
                remote.outbox.retry(job.id)
            drain(remote, clock)
        if redirect.followed:
            ledger.figure(name, f"followed; jobs that needed a retry by hand: {len(refused)}")
            if refused:
                ledger.lost(
                    name,
                    f"{len(refused)} jobs failed and needed a retry by hand "
                    f"({refused[0].last_error[:80]})",
                )
        else:
            ledger.figure(name, f"{len(refused)} refused with a message, then retried by hand")
            if not refused:
                ledger.lost(name, "the redirected writes were not refused")
        leaked = recorder.saw_credentials()
        if leaked:
            ledger.lost(name, f"the password went to another origin {len(leaked)} times")
        if recorder.requests:
            ledger.lost(name, f"{len(recorder.requests)} requests went to another origin")
        for problem in losses_after_faults(core, remote, wordpress, pieces):
            ledger.lost(name, problem)
    finally:
        recorder.close()
    assert ledger.losses(name) == []
