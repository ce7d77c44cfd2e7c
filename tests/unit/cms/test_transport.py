"""The HTTP transport against loopback servers that misbehave: slow drips, huge answers, redirects.

No WordPress here: :class:`~tests.helpers.fault_proxy.FaultProxy` without an upstream answers what the
rules say, and :class:`~tests.helpers.fault_proxy.Recorder` is the other origin that must never see a
password.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from app.cms.base import LostResponseError
from app.cms.http import MAX_REDIRECTS, JsonTransport, ProgressBody, RedirectRefusedError, origin_of
from app.cms.wordpress.errors import to_error
from app.errors import InvalidInputError, NetworkError, RemoteError
from tests.helpers.fault_proxy import FaultProxy, Recorder, closed_port, http_response

INDEX = json.dumps({"name": "Site", "namespaces": ["wp/v2"]})


@pytest.fixture
def site() -> Iterator[FaultProxy]:
    with FaultProxy(None) as server:
        yield server


@pytest.fixture
def other() -> Iterator[Recorder]:
    with Recorder() as server:
        yield server


def transport(url: str, *, deadline: float | None = None) -> JsonTransport:
    return JsonTransport(
        error_mapper=to_error, origin=url, auth=("ana", "secret pass"), timeout=(2.0, 20.0),
        deadline=deadline,
    )  # fmt: skip


def test_origins() -> None:
    assert origin_of("https://Example.com/blog") == "https://example.com:443"
    assert origin_of("http://example.com:80/") == "http://example.com:80"
    assert origin_of("http://[::1]:8080/x") == "http://[::1]:8080"
    assert origin_of("http://example.com:8080") != origin_of("http://example.com")


@pytest.mark.parametrize("head_too", [False, True])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_slow_drip_ends_at_the_deadline(site: FaultProxy, method: str, head_too: bool) -> None:
    # one byte a second: far under the 20 s read timeout, so only the deadline can end it; the
    # server hangs up after 8 bytes, so without a deadline the test fails instead of hanging
    site.add(lambda r: True, "drip", http_response(200, INDEX), interval=1.0, limit=8, head_too=head_too)
    http = transport(site.url, deadline=2.0)
    expected = LostResponseError if method == "POST" else NetworkError
    with pytest.raises(expected) as failed:
        http.request(method, f"{site.url}/wp-json/", action="index")
    assert failed.value.message.startswith(
        f"127.0.0.1:{site.port} did not finish answering within 2 seconds, so Copydesk stopped waiting."
    )
    assert failed.value.hint
    assert len(site.requests) == 1  # no retry after the deadline


def test_the_deadline_can_be_given_per_request(site: FaultProxy) -> None:
    site.add(lambda r: True, "drip", http_response(200, INDEX), interval=1.0, limit=8)
    with pytest.raises(NetworkError, match="within 1.5 seconds"):
        transport(site.url).request("GET", f"{site.url}/", action="index", deadline=1.5)


def test_answers_over_the_size_cap_are_refused(site: FaultProxy) -> None:
    big = json.dumps({"name": "x" * 5000, "namespaces": []})
    site.add(lambda r: True, "respond", http_response(200, big), times=-1)
    http = transport(site.url)
    assert http.request("GET", f"{site.url}/", action="index").data["namespaces"] == []
    with pytest.raises(RemoteError) as refused:
        http.request("GET", f"{site.url}/", action="index", max_bytes=4096)
    assert "sent an answer larger than" in refused.value.message
    # a length announced in the headers is refused before anything is read
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{"
    site.rules.clear()
    site.add(lambda r: True, "respond", head)
    with pytest.raises(RemoteError, match=r"larger than 32 MB"):
        http.request("GET", f"{site.url}/", action="index")


def test_a_chunked_answer_without_length_is_capped_too(site: FaultProxy) -> None:
    chunk = b"1000\r\n" + b"[" * 4096 + b"\r\n"
    answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunk * 4
    site.add(lambda r: True, "respond", answer + b"0\r\n\r\n")
    with pytest.raises(RemoteError, match="larger than"):
        transport(site.url).request("GET", f"{site.url}/", action="index", max_bytes=10_000)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_to_another_origin_are_never_followed(
    site: FaultProxy, other: Recorder, status: int
) -> None:
    target = f"{other.url}/wp-json/wp/v2/users/me"
    site.add(lambda r: True, "respond", http_response(status, "", {"Location": target}), times=-1)
    http = transport(site.url)
    for authenticated in (True, False):
        with pytest.raises(RedirectRefusedError) as refused:
            http.request("GET", f"{site.url}/wp-json/wp/v2/users/me", action="user",
                         authenticated=authenticated)  # fmt: skip
        assert refused.value.target == target
        assert target in refused.value.message and f"127.0.0.1:{site.port}" in refused.value.message
    assert other.requests == []


def test_redirects_to_another_port_of_the_same_host_are_refused(site: FaultProxy) -> None:
    with Recorder(host="127.0.0.1") as same_host:
        target = f"{same_host.url}/wp-json/"
        site.add(lambda r: True, "respond", http_response(302, "", {"Location": target}))
        with pytest.raises(RedirectRefusedError):
            transport(site.url).request("GET", f"{site.url}/wp-json/", action="index")
        assert same_host.requests == []


def test_redirects_within_the_origin_are_followed_with_the_password(site: FaultProxy) -> None:
    site.add(lambda r: r.path == "/old", "respond", http_response(301, "", {"Location": "/new"}))
    site.add(lambda r: r.path == "/new", "respond", http_response(200, INDEX))
    reply = transport(site.url).request("GET", f"{site.url}/old", action="index")
    assert reply.url == f"{site.url}/new" and reply.data["name"] == "Site"
    assert [r.path for r in site.requests] == ["/old", "/new"]
    assert all("authorization" in r.headers for r in site.requests)


def post(http: JsonTransport, url: str) -> object:
    return http.request("POST", url, action="post", json_body={"title": "Über"}).data


@pytest.mark.parametrize("status", [307, 308])
def test_a_write_is_sent_again_with_its_body_on_307_and_308_within_the_origin(
    site: FaultProxy, status: int
) -> None:
    """307/308 ask for the same request there (the server did nothing); it was refused before."""
    moved = http_response(status, "", {"Location": "/?rest_route=/wp/v2/posts"})
    site.add(lambda r: r.path == "/wp-json/wp/v2/posts", "respond", moved)
    site.add(lambda r: r.path.startswith("/?rest_route="), "respond", http_response(201, '{"id": 5}'))
    assert post(transport(site.url), f"{site.url}/wp-json/wp/v2/posts") == {"id": 5}
    assert [(r.method, r.path) for r in site.requests] == [
        ("POST", "/wp-json/wp/v2/posts"), ("POST", "/?rest_route=/wp/v2/posts"),
    ]  # fmt: skip
    assert [json.loads(r.body) for r in site.requests] == [{"title": "Über"}] * 2
    assert all("authorization" in r.headers for r in site.requests)


def test_an_upload_redirected_by_307_is_sent_again_whole(site: FaultProxy) -> None:
    moved = http_response(307, "", {"Location": "/media-2"})
    site.add(lambda r: r.path == "/media", "respond", moved)
    site.add(lambda r: r.path == "/media-2", "respond", http_response(201, '{"id": 9}'))
    data = b"\x89PNG" + bytes(range(256)) * 600
    reply = transport(site.url).request(
        "POST", f"{site.url}/media", action="media", body=ProgressBody(data),
        headers={"Content-Type": "image/png"},
    )  # fmt: skip
    assert reply.data == {"id": 9}
    assert [r.body for r in site.requests] == [data, data]


@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_write_is_never_turned_into_a_read_by_a_redirect(site: FaultProxy, status: int) -> None:
    site.add(lambda r: True, "respond", http_response(status, "", {"Location": "/elsewhere"}))
    with pytest.raises(RemoteError) as refused:
        post(transport(site.url), f"{site.url}/wp-json/wp/v2/posts")
    assert refused.value.message == (
        f"127.0.0.1:{site.port} answered with a redirect to {site.url}/elsewhere (HTTP {status}), "
        "which would have dropped what Copydesk was sending, so Copydesk did not follow it."
    )
    assert refused.value.status == status and refused.value.hint
    assert len(site.requests) == 1


@pytest.mark.parametrize("status", [301, 303, 307, 308])
def test_a_write_is_never_redirected_to_another_origin(
    site: FaultProxy, other: Recorder, status: int
) -> None:
    target = f"{other.url}/wp-json/wp/v2/posts"
    site.add(lambda r: True, "respond", http_response(status, "", {"Location": target}))
    with pytest.raises(RedirectRefusedError, match="another address") as refused:
        post(transport(site.url), f"{site.url}/wp-json/wp/v2/posts")
    assert refused.value.target == target
    assert other.requests == []


def test_a_write_redirected_round_in_circles_stops(site: FaultProxy) -> None:
    site.add(lambda r: True, "respond", http_response(308, "", {"Location": "/again"}), times=-1)
    with pytest.raises(RemoteError, match="round in circles"):
        post(transport(site.url), f"{site.url}/wp-json/wp/v2/posts")
    assert len(site.requests) == MAX_REDIRECTS + 1


def test_a_redirect_without_an_address_is_explained(site: FaultProxy) -> None:
    site.add(lambda r: True, "respond", http_response(307, ""))
    with pytest.raises(RemoteError, match=r"redirect \(HTTP 307\) that names no address"):
        post(transport(site.url), f"{site.url}/wp-json/wp/v2/posts")


CUT_OFF = '{"id": 7, "title": {"raw": "Half of the ans'


def test_a_write_answered_with_cut_off_data_is_a_lost_answer(site: FaultProxy) -> None:
    """The site acted (it answered 2xx) but its data stops halfway: the same as a lost answer,
    so the outbox waits and the push looks up what the site did; it used to fail for good."""
    site.add(lambda r: True, "respond", http_response(201, CUT_OFF), times=-1)
    with pytest.raises(LostResponseError) as lost:
        post(transport(site.url), f"{site.url}/wp-json/wp/v2/posts")
    assert lost.value.message == (
        f"The answer from 127.0.0.1:{site.port} was cut off halfway. The site may have done what "
        "was asked anyway."
    )
    assert len(site.requests) == 1  # never sent again from here
    # a read cut off is only an unreadable answer; it changed nothing
    with pytest.raises(RemoteError, match="sent an incomplete answer") as incomplete:
        transport(site.url).request("GET", f"{site.url}/wp-json/wp/v2/posts/7", action="post")
    assert not isinstance(incomplete.value, NetworkError)


def test_a_refusal_cut_off_is_still_a_refusal(site: FaultProxy) -> None:
    site.add(lambda r: True, "respond", http_response(400, CUT_OFF))
    with pytest.raises(RemoteError, match="sent an incomplete answer"):
        post(transport(site.url), f"{site.url}/wp-json/wp/v2/posts")


def test_no_password_to_an_address_that_is_not_the_site(other: Recorder) -> None:
    http = transport("http://127.0.0.1:9")
    with pytest.raises(InvalidInputError, match="it is not the site you added"):
        http.request("GET", f"{other.url}/wp-json/", action="index")
    assert other.requests == []
    http.request("GET", f"{other.url}/wp-json/", action="index", authenticated=False)
    assert other.saw_authorization() == []


def test_busy_answers_of_reads_are_retried_and_writes_are_not(site: FaultProxy) -> None:
    busy = http_response(503, "<html>busy</html>", {"Content-Type": "text/html"})
    site.add(lambda r: True, "respond", busy, times=2)
    site.add(lambda r: r.method == "GET", "respond", http_response(200, INDEX))
    assert transport(site.url).request("GET", f"{site.url}/", action="index").data["name"] == "Site"
    assert len(site.requests) == 3
    site.requests.clear()
    site.add(lambda r: True, "respond", busy)
    with pytest.raises(NetworkError, match="temporarily unavailable"):
        transport(site.url).request("POST", f"{site.url}/", action="post", json_body={})
    assert len(site.requests) == 1


def test_retries_say_nothing_on_the_log(caplog: pytest.LogCaptureFixture) -> None:
    """urllib3's own "Retrying (Retry(total=2 ...))" warnings came out before the real message."""
    caplog.set_level(logging.WARNING)
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(NetworkError) as failed:
        transport(url).request("GET", f"{url}/wp-json/", action="index")
    assert failed.value.message == f"Could not reach {url.removeprefix('http://')}."
    assert caplog.records == []
