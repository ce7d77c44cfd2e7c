"""Discovery against a hostile or broken site: one clear message, never a traceback.

The "site" is a :class:`FaultProxy` without WordPress behind it: it answers what each test says.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from app.cms.http import origin_of
from app.cms.wordpress.client import WordPressClient
from app.cms.wordpress.discovery import may_use_api_root, normalize_site_url
from app.errors import CopydeskError, InvalidInputError, RemoteError
from tests.helpers.fault_proxy import FaultProxy, Recorder, http_response


@pytest.fixture
def site() -> Iterator[FaultProxy]:
    with FaultProxy(None) as server:
        yield server


def client(url: str) -> WordPressClient:
    return WordPressClient(url, username="ana", password="secret pass", timeout=(2.0, 5.0))


def answer_index(site: FaultProxy, body: bytes | str, content_type: str = "application/json") -> None:
    response = http_response(200, body, {"Content-Type": content_type})
    site.add(lambda r: True, "respond", response, times=-1)


@pytest.mark.parametrize(
    "body",
    [
        "<!DOCTYPE html><html><body>Parked domain</body></html>",
        "",
        "null",
        "[1, 2, 3]",
        '"namespaces"',
        '{"namespaces": ',
        "\x00\xff\xfe garbage",
        '{"name": "x"}',
        "[" * 100_000 + "]" * 100_000,  # deeper than any JSON parser's recursion
    ],
    ids=["html", "empty", "null", "list", "string", "cut-off", "binary", "no-namespaces", "deep"],
)
def test_answers_that_are_no_wordpress_index(site: FaultProxy, body: str) -> None:
    answer_index(site, body)
    with pytest.raises(RemoteError) as failed:
        client(site.url).discover()
    assert failed.value.message == f"No WordPress REST API was found at {site.url}."
    assert failed.value.hint.startswith("Check the address.")


@pytest.mark.parametrize(
    "index",
    [
        {"namespaces": 7, "name": {"a": 1}, "description": ["x"], "home": None},
        {"namespaces": "wp/v2", "authentication": "application-passwords"},
        {"namespaces": [1, None, {"x": 1}, "wp/v2"], "name": "N" * 100_000},
    ],
    ids=["numbers-and-objects", "strings-for-lists", "mixed-list-and-huge-name"],
)
def test_fields_of_the_wrong_type_are_read_as_empty(site: FaultProxy, index: object) -> None:
    answer_index(site, json.dumps(index))
    info = client(site.url).discover()
    assert info.api_root == f"{site.url}/wp-json/"
    assert info.namespaces in ((), ("wp/v2",))
    assert not info.application_passwords and info.home == "" and len(info.name) <= 200


def test_a_huge_index_is_refused_without_reading_it_all(site: FaultProxy) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 900000000\r\n\r\n"
    site.add(lambda r: True, "respond", head + b'{"namespaces": [', times=-1)
    with pytest.raises(CopydeskError) as failed:
        client(site.url).discover()
    assert "No WordPress REST API was found" in failed.value.message


def test_the_api_address_of_another_origin_is_never_kept() -> None:
    assert may_use_api_root("http://127.0.0.1:8000", "http://127.0.0.1:8000/wp-json/")
    assert may_use_api_root("http://example.com", "https://example.com:8443/wp-json/")
    assert not may_use_api_root("http://127.0.0.1:8000", "http://127.0.0.1:8001/wp-json/")
    assert not may_use_api_root("https://example.com", "https://www.example.com/wp-json/")
    assert not may_use_api_root("https://example.com", "http://example.com/wp-json/")


@pytest.mark.expect_log(
    "app.cms.wordpress.client", "WARNING", r"Ignoring a stored API address at another origin"
)
def test_a_stored_api_address_elsewhere_is_replaced_by_discovery(site: FaultProxy) -> None:
    answer_index(site, json.dumps({"namespaces": ["wp/v2"]}))
    with Recorder() as other:
        wp = WordPressClient(site.url, username="ana", password="pw", api_root=f"{other.url}/wp-json/")
        assert wp.api_root == f"{site.url}/wp-json/"
        assert other.requests == []


def test_a_site_address_with_a_bad_port_is_explained() -> None:
    with pytest.raises(InvalidInputError, match="its port is not a number"):
        normalize_site_url("https://example.com:http/")
    assert origin_of(normalize_site_url("Example.com/wp-admin/")) == "https://example.com:443"
