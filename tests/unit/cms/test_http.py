from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from app.cms.base import PostFields
from app.cms.http import (
    ProgressBody,
    is_insecure,
    is_loopback,
    parse_json,
    retry_after_seconds,
    user_agent,
)
from app.cms.wordpress.client import normalize_site_url, post_body, uid_marker
from app.cms.wordpress.comments import parse_comment
from app.cms.wordpress.parse import as_int, parse_post
from app.errors import InvalidInputError, RemoteError


def test_parse_json_plain() -> None:
    assert parse_json(b'{"id": 1}') == ({"id": 1}, "", False)
    assert parse_json(b"[]") == ([], "", False)


@pytest.mark.parametrize(
    "noise",
    [
        b"<br />\n<b>Deprecated</b>:  Creation of dynamic property A::$b is deprecated in "
        b"<b>/var/www/wp-content/plugins/x/x.php</b> on line <b>12</b><br />\n",
        b'\nWarning: Undefined array key "a" in /var/www/x.php on line 3\n'
        b"Notice: Something { odd } in /var/www/y.php on line 40\n",
        b"PHP Deprecated:  Function create_function() is deprecated in /x.php on line 1\n",
    ],
)
def test_parse_json_reads_past_php_notices(noise: bytes) -> None:
    assert parse_json(noise + b'{"id": 7, "t": "on line 5"}') == ({"id": 7, "t": "on line 5"}, "", True)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"<!DOCTYPE html><html><body>Maintenance</body></html>", "html"),
        (b"<html><head>", "html"),
        (b'{"id": 7, "title": {"raw": "Half', "truncated"),
        (b"[1, 2", "truncated"),
        (b"Fatal error: Allowed memory size exhausted in /x.php on line 9", "php-noise"),
        (b"Service temporarily unavailable", "garbage"),
        (b'{"id": 1e999}', "numbers"),
        (b'{"id": -1E400}', "numbers"),
        (b'{"id": NaN}', "numbers"),
        (b"[Infinity]", "numbers"),
        (b'Notice: x in /x.php on line 1\n{"id": -Infinity}', "numbers"),
    ],
)
def test_parse_json_problems(content: bytes, problem: str) -> None:
    data, found, _noise = parse_json(content)
    assert data is None and found == problem


def test_parse_json_keeps_ordinary_floats() -> None:
    assert parse_json(b'{"ratio": 1.5, "big": 1e300}') == ({"ratio": 1.5, "big": 1e300}, "", False)


@pytest.mark.parametrize(
    "number", [float("inf"), float("-inf"), float("nan"), 1e300, 2**63, -(2**70), str(2**64)]
)
def test_numbers_no_wordpress_sends_are_an_unreadable_answer(number: object) -> None:
    """They reached ``int()`` as ``inf`` and raised OverflowError from every parser."""
    for parse in (
        lambda: as_int(number),
        lambda: parse_post({"id": number}),
        lambda: parse_comment({"id": 1, "post": number}),
    ):
        with pytest.raises(RemoteError) as refused:
            parse()
        assert refused.value.message.startswith("The site sent a number Copydesk cannot read (")
        assert refused.value.hint


def test_readable_numbers() -> None:
    assert [as_int(v) for v in (7, 7.0, 7.9, "12", True, None, "x", [1], 2**63 - 1)] == [
        7, 7, 7, 12, 1, 0, 0, 0, 2**63 - 1,
    ]  # fmt: skip


def test_retry_after() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    later = format_datetime(datetime(2026, 11, 26, 12, 5, tzinfo=UTC), usegmt=True)
    assert retry_after_seconds(later, now=now) == 300.0
    past = format_datetime(datetime(2026, 11, 26, 11, 0, tzinfo=UTC), usegmt=True)
    assert retry_after_seconds(past, now=now) == 0.0
    assert retry_after_seconds("99999999") == 24 * 3600.0


@pytest.mark.parametrize(
    ("url", "loopback", "insecure"),
    [
        ("http://127.0.0.1:8080", True, False),
        ("http://127.1.2.3", True, False),
        ("http://localhost/blog", True, False),
        ("http://[::1]:9000", True, False),
        ("http://gazette.example", False, True),
        ("https://gazette.example", False, False),
        ("http://10.0.0.5", False, True),
    ],
)
def test_loopback_and_insecure(url: str, loopback: bool, insecure: bool) -> None:
    assert is_loopback(url) is loopback
    assert is_insecure(url) is insecure


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("gazette.example", "https://gazette.example"),
        ("https://Gazette.Example/", "https://gazette.example"),
        ("https://gazette.example/blog/wp-admin/post.php?post=3", "https://gazette.example/blog"),
        ("https://gazette.example/wp-json/wp/v2/posts", "https://gazette.example"),
        ("http://127.0.0.1:8080/wp-login.php", "http://127.0.0.1:8080"),
        (" https://gazette.example/news/ ", "https://gazette.example/news"),
    ],
)
def test_normalize_site_url(typed: str, normal: str) -> None:
    assert normalize_site_url(typed) == normal


@pytest.mark.parametrize("bad", ["", "ftp://gazette.example", "https://", "mailto:ana@example.org"])
def test_normalize_site_url_refuses(bad: str) -> None:
    with pytest.raises(InvalidInputError):
        normalize_site_url(bad)


def test_progress_body_reports_and_has_a_length() -> None:
    seen: list[tuple[int, int]] = []
    body = ProgressBody(b"x" * 150_000, lambda d, t: seen.append((d, t)))
    assert len(body) == 150_000
    chunks = []
    while chunk := body.read(100_000):
        chunks.append(chunk)
    assert b"".join(chunks) == b"x" * 150_000
    assert seen[-1] == (150_000, 150_000) and len(seen) == 3


def test_user_agent_names_the_app() -> None:
    assert user_agent().startswith("Copydesk/")


def test_post_body() -> None:
    fields = PostFields(title="T", content="<p>x</p>", excerpt="", slug="t", comment_status="open")
    body = post_body(fields)
    assert "categories" not in body and body["tags"] == [] and "status" not in body
    assert "meta" not in body and "date_gmt" not in body
    full = post_body(
        PostFields(
            title="T", content="", excerpt="", slug="", comment_status="closed", categories=(3,),
            status="future", date_gmt="2026-12-01T10:00:00", uid="u",
        )
    )  # fmt: skip
    assert full["categories"] == [3] and full["meta"] == {"copydesk_uid": "u"}
    assert full["status"] == "future" and "slug" not in full
    assert uid_marker("abc") == "<!-- copydesk:abc -->"
