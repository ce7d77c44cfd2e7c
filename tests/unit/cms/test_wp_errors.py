from __future__ import annotations

from typing import Any

import pytest

from app.cms.base import SiteBusyError
from app.cms.http import FailedReply
from app.cms.wordpress.errors import TermExistsError, to_error
from app.errors import AuthError, NotFoundError, PermissionDenied, RemoteError


def reply(
    status: int,
    code: str = "",
    message: str = "",
    *,
    action: str = "post",
    problem: str = "",
    data: dict[str, Any] | None = None,
    retry_after: float | None = None,
) -> FailedReply:
    return FailedReply(
        status=status, code=code, message=message, data=data or {}, headers={},
        url="https://gazette.example/wp-json/wp/v2/posts", problem=problem, action=action,
        retry_after=retry_after,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("failed", "kind", "message"),
    [
        (reply(401, "rest_not_logged_in"), AuthError,
         "The site did not accept your user name and application password."),
        (reply(401, "incorrect_password"), AuthError,
         "The site says the application password is wrong."),
        (reply(401, "invalid_username"), AuthError, "The site does not know this user name."),
        (reply(401, "application_passwords_disabled"), AuthError,
         "Application passwords are switched off on this site."),
        (reply(403, "rest_cannot_publish"), PermissionDenied,
         "Your role on this site does not allow publishing or scheduling."),
        (reply(403, "rest_cannot_create", action="media"), PermissionDenied,
         "Your role on this site does not allow uploading images."),
        (reply(403, "rest_cannot_create", action="term"), PermissionDenied,
         "Your role on this site does not allow creating categories."),
        (reply(403, "rest_cannot_edit"), PermissionDenied,
         "You may not change this post on the site: it belongs to someone else, or your role "
         "cannot change it any more now that it is published."),
        (reply(403, "some_plugin_code", "Sorry, no &amp; never."), PermissionDenied,
         "The site does not allow this: “Sorry, no & never”."),
        (reply(404, "rest_post_invalid_id", "Invalid post ID."), NotFoundError,
         "It no longer exists on the site (someone deleted it)."),
        (reply(404, "rest_no_route"), RemoteError, "The site's REST API does not offer this."),
        (reply(400, "rest_invalid_param", "Invalid parameter(s): status",
               data={"params": {"status": "status is not one of draft, pending."}}), RemoteError,
         "The site refused a value Copydesk sent (status: status is not one of draft, pending.)."),
        (reply(400, "rest_upload_file_too_big", "This file is too big."), RemoteError,
         "The image is larger than the site accepts: “This file is too big”."),
        (reply(413, "", problem="html"), RemoteError,
         "The web server of gazette.example refused the upload: it is larger than it accepts."),
        (reply(200, problem="garbage"), RemoteError,
         "gazette.example sent an answer Copydesk cannot read."),
        (reply(409, "odd_code", "Something odd."), RemoteError,
         "The site refused the request: “Something odd”."),
        (reply(200, problem="html"), RemoteError,
         "gazette.example answered with a web page instead of data."),
        (reply(201, problem="truncated"), RemoteError,
         "gazette.example sent an incomplete answer (its data was cut off)."),
        (reply(200, problem="php-noise"), RemoteError,
         "gazette.example sent PHP error messages instead of data."),
        (reply(200, problem="numbers"), RemoteError,
         "gazette.example sent numbers Copydesk cannot read (infinite or not a number), so its "
         "answer cannot be trusted."),
        (reply(401, problem="html"), AuthError,
         "The web server of gazette.example asked for a login before WordPress could answer."),
        (reply(403, problem="html"), PermissionDenied,
         "The web server of gazette.example refused the request before WordPress saw it."),
        (reply(404, problem="html"), RemoteError,
         "There is no WordPress REST API at this address on gazette.example."),
    ],
)  # fmt: skip
def test_to_error(failed: FailedReply, kind: type[Exception], message: str) -> None:
    error = to_error(failed)
    assert type(error) is kind
    assert error.message == message  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "words"), [(503, "temporarily unavailable"), (429, "slow down"), (500, "HTTP 500")]
)
def test_busy_answers_are_retryable_and_carry_retry_after(status: int, words: str) -> None:
    error = to_error(reply(status, problem="html", retry_after=90.0))
    assert isinstance(error, SiteBusyError) and error.status == status and error.retry_after == 90.0
    assert words in error.message and error.hint == "Copydesk will try again by itself."


def test_wordpress_code_and_message_are_kept_for_the_details() -> None:
    error = to_error(reply(400, "odd_code", "Something odd."))
    assert isinstance(error, RemoteError) and (error.status, error.code) == (400, "odd_code")
    busy = to_error(reply(500, "db_error", "Error establishing a database connection"))
    assert "WordPress said: “Error establishing a database connection”." in busy.message


def test_term_exists_carries_the_term() -> None:
    error = to_error(reply(400, "term_exists", "A term exists.", data={"term_id": 12}))
    assert isinstance(error, TermExistsError) and error.term_id == 12
