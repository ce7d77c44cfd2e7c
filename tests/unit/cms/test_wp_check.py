from __future__ import annotations

import pytest

from app.cms.base import RemoteUser
from app.cms.wordpress.check import _check_address, _Report, describe_role

ADMIN = {"edit_posts", "publish_posts", "upload_files", "manage_categories", "edit_published_posts",
         "edit_others_posts", "unfiltered_html"}  # fmt: skip
AUTHOR = {"edit_posts", "publish_posts", "upload_files", "edit_published_posts"}
CONTRIBUTOR = {"edit_posts"}


@pytest.mark.parametrize(
    ("role", "caps", "sentence"),
    [
        ("editor", ADMIN, "As Editor, Eve can write posts, publish or schedule, upload images, create "
         "categories, create tags and edit other people's posts."),
        ("author", AUTHOR, "As Author, Eve can write posts, publish or schedule, upload images and "
         "create tags; cannot create categories. New categories must be created by an editor "
         "first. WordPress removes some formatting"),
        ("contributor", CONTRIBUTOR, "As Contributor, Eve can write posts and create tags; cannot "
         "publish or schedule, upload images and create categories. Push pieces as “Pending "
         "review” and an editor publishes them."),
        ("subscriber", set(), "As Subscriber, Eve cannot write posts, publish or schedule, upload "
         "images and create categories."),
    ],
)  # fmt: skip
def test_describe_role(role: str, caps: set[str], sentence: str) -> None:
    user = RemoteUser(id=2, name="Eve", roles=(role,), capabilities=frozenset(caps))
    assert describe_role(user).startswith(sentence)


def test_plain_http_to_another_machine_is_an_error_without_consent() -> None:
    report = _Report()
    assert _check_address(report, "http://gazette.example", allow_insecure=False) is False
    assert report.items[0].level == "error" and report.items[0].cause == "input"
    report = _Report()
    assert _check_address(report, "http://gazette.example", allow_insecure=True) is True
    assert report.items[0].level == "warning"
    report = _Report()
    assert _check_address(report, "https://gazette.example", allow_insecure=False) is True
    assert report.items[0].title == "The connection to gazette.example is encrypted (https)."
    report = _Report()
    assert _check_address(report, "http://127.0.0.1:8080", allow_insecure=False) is True
    assert report.items[0].level == "ok"
