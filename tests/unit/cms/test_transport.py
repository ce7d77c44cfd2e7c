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
from app.cms.http import JsonTransport, RedirectRefusedError, origin_of
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


def test_a_write_is_never_redirected(site: FaultProxy) -> None:
    site.add(lambda r: True, "respond", http_response(307, "", {"Location": "/elsewhere"}))
    with pytest.raises(RemoteError, match="was not carried out"):
        transport(site.url).request("POST", f"{site.url}/wp-json/wp/v2/posts", action="post",
                                    json_body={"title": "x"})  # fmt: skip
    assert len(site.requests) == 1


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
