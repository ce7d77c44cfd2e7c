"""WordPress's REST errors, explained in words a columnist understands.

WordPress answers errors as ``{"code": "...", "message": "...", "data": {"status": N}}``. The code says
what happened; the message is English for developers. :func:`to_error` turns one into an exception of
:mod:`app.errors` whose message says what happened and, where it helps, what to do. WordPress's own code
and message stay on :class:`~app.errors.RemoteError` for the log and the details pane.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from app.cms.base import SiteBusyError
from app.cms.http import FailedReply
from app.errors import AuthError, CopydeskError, NotFoundError, PermissionDenied, RemoteError

AUTH_HINT = (
    "Check the user name, and create a new application password in WordPress (Users → Profile → "
    "Application Passwords), then enter it again."
)

_AUTH_CODES = {
    "rest_not_logged_in",
    "incorrect_password",
    "invalid_username",
    "invalid_email",
    "rest_forbidden",
    "rest_cannot_read",
    "rest_cookie_invalid_nonce",
    "application_passwords_disabled",
    "application_passwords_disabled_for_user",
}

# (code, action) or (code, "") for any action -> (message, hint)
_PERMISSION: dict[tuple[str, str], tuple[str, str]] = {
    ("rest_cannot_publish", ""): (
        "Your role on this site does not allow publishing or scheduling.",
        "Push it as “Pending review” so that an editor can publish it.",
    ),
    ("rest_cannot_create", "media"): (
        "Your role on this site does not allow uploading images.",
        "Ask an editor to upload them, or push the piece without images.",
    ),
    ("rest_cannot_create", "term"): (
        "Your role on this site does not allow creating categories.",
        "Ask an editor to create them, or choose categories the site already has.",
    ),
    ("rest_cannot_create", "post"): (
        "Your role on this site does not allow writing posts.",
        "Ask the site's administrator for the Contributor role or higher.",
    ),
    ("rest_cannot_edit", ""): (
        "You may not change this post on the site: it belongs to someone else, or your role "
        "cannot change it any more now that it is published.",
        "Ask an editor to make the change, or push it as a new piece.",
    ),
    ("rest_cannot_edit_others", ""): (
        "You may not edit other people's posts on this site.",
        "",
    ),
    ("rest_cannot_assign_term", ""): (
        "Your role on this site may not give posts these categories or tags.",
        "",
    ),
    ("rest_cannot_assign_sticky", ""): ("Your role may not pin posts to the front page.", ""),
    ("rest_cannot_edit_image", ""): ("Your role may not edit images on this site.", ""),
    ("rest_forbidden_context", ""): ("Your role on this site may not see this.", ""),
    ("rest_cannot_view", ""): ("Your role on this site may not see this.", ""),
    ("rest_forbidden_status", ""): ("Your role on this site may not see posts in that status.", ""),
}

_UPLOAD: dict[str, str] = {
    "rest_upload_sideload_error": "The site refused the image",
    "rest_upload_file_too_big": "The image is larger than the site accepts",
    "rest_upload_limited_space": "The site has no space left for uploads",
    "rest_upload_user_quota_exceeded": "You have used up your upload space on the site",
    "rest_upload_no_data": "The image arrived empty",
    "rest_upload_unknown_error": "The site could not store the image",
    "rest_upload_invalid_disposition": "The site could not read the image's file name",
}


def _host(reply: FailedReply) -> str:
    return urlsplit(reply.url).netloc or "The site"


def _wp_message(reply: FailedReply) -> str:
    return html.unescape(reply.message).strip().rstrip(".")


def _no_json(reply: FailedReply) -> CopydeskError:
    """An answer without JSON: a web page, PHP errors, a cut-off answer, or nothing."""
    host = _host(reply)
    status = reply.status
    if status == 429 or status >= 500:
        return _busy(reply)
    if status == 401:
        return AuthError(
            f"The web server of {host} asked for a login before WordPress could answer.",
            hint="The site may be protected by an extra password (common on test sites); ask its "
            "administrator.",
        )
    if status == 403:
        return PermissionDenied(
            f"The web server of {host} refused the request before WordPress saw it.",
            hint="A firewall or security plugin may be blocking Copydesk; ask the site's "
            "administrator to allow the REST API for logged-in users.",
        )
    if status == 413:
        return RemoteError(
            f"The web server of {host} refused the upload: it is larger than it accepts.",
            status=status,
            hint="Make the image smaller, or ask the administrator to raise the upload limit.",
        )
    if status == 404:
        return RemoteError(
            f"There is no WordPress REST API at this address on {host}.",
            status=status,
            hint="Check the site's address.",
        )
    explanations = {
        "html": (
            f"{host} answered with a web page instead of data.",
            "Check the site's address. A maintenance page, a login page or a security plugin may "
            "be in the way.",
        ),
        "truncated": (
            f"{host} sent an incomplete answer (its data was cut off).",
            "Try again; if it keeps happening the site's server may be running out of memory or time.",
        ),
        "php-noise": (
            f"{host} sent PHP error messages instead of data.",
            "The site has a problem of its own; ask its administrator to look at the PHP error log "
            "and to turn off display_errors.",
        ),
        "empty": (f"{host} sent an empty answer.", "Try again later."),
        "numbers": (
            f"{host} sent numbers Copydesk cannot read (infinite or not a number), so its answer "
            "cannot be trusted.",
            "WordPress does not send such numbers: a plugin or something between the site and "
            "Copydesk may be changing its answers. Ask the site's administrator.",
        ),
    }
    message, hint = explanations.get(
        reply.problem,
        (f"{host} sent an answer Copydesk cannot read.", "Check the site's address."),
    )
    return RemoteError(message, status=status, code=reply.problem, hint=hint)


def _busy(reply: FailedReply) -> SiteBusyError:
    host = _host(reply)
    if reply.status == 429:
        message = f"{host} asks Copydesk to slow down (too many requests)."
    elif reply.status == 503:
        message = f"{host} is temporarily unavailable (it may be in maintenance)."
    else:
        message = f"{host} had a problem of its own (HTTP {reply.status})."
    if reply.code and reply.message:
        message += f" WordPress said: “{_wp_message(reply)}”."
    return SiteBusyError(
        message,
        status=reply.status,
        retry_after=reply.retry_after,
        hint="Copydesk will try again by itself.",
    )


def _invalid_param(reply: FailedReply) -> RemoteError:
    params = reply.data.get("params")
    details = ""
    if isinstance(params, dict) and params:
        details = "; ".join(f"{name}: {html.unescape(str(text))}" for name, text in params.items())
    message = "The site refused a value Copydesk sent"
    message += f" ({details})." if details else f": “{_wp_message(reply)}”."
    return RemoteError(message, status=reply.status, code=reply.code)


def _auth_error(code: str) -> AuthError:
    if code in ("application_passwords_disabled", "application_passwords_disabled_for_user"):
        return AuthError(
            "Application passwords are switched off on this site.",
            hint="Ask the site's administrator to allow them (a security plugin may have switched "
            "them off).",
        )
    if code == "incorrect_password":
        return AuthError("The site says the application password is wrong.", hint=AUTH_HINT)
    if code in ("invalid_username", "invalid_email"):
        return AuthError("The site does not know this user name.", hint=AUTH_HINT)
    return AuthError("The site did not accept your user name and application password.", hint=AUTH_HINT)


class TermExistsError(RemoteError):
    """Creating a category or tag that exists already; WordPress says which one."""

    def __init__(self, message: str, *, term_id: int) -> None:
        super().__init__(message, status=400, code="term_exists")
        self.term_id = term_id


def _refusal(reply: FailedReply) -> CopydeskError:
    """A 4xx that is neither about credentials nor about the role."""
    status, code = reply.status, reply.code
    if code == "term_exists":
        term_id = reply.data.get("term_id")
        return TermExistsError(
            "The site has that category or tag already.",
            term_id=term_id if isinstance(term_id, int) else 0,
        )
    if code in ("rest_post_invalid_id", "rest_term_invalid", "rest_invalid_term_id") or status == 410:
        return NotFoundError("It no longer exists on the site (someone deleted it).")
    if code == "rest_no_route":
        return RemoteError(
            "The site's REST API does not offer this.",
            status=status,
            code=code,
            hint="A security plugin may have switched part of it off; ask the site's administrator.",
        )
    if code == "rest_invalid_param":
        return _invalid_param(reply)
    if code in _UPLOAD or status == 413:
        lead = _UPLOAD.get(code, "The image is larger than the site accepts")
        detail = f": “{_wp_message(reply)}”" if reply.message else ""
        return RemoteError(f"{lead}{detail}.", status=status, code=code)
    return RemoteError(
        f"The site refused the request: “{_wp_message(reply)}”.", status=status, code=code
    )


def to_error(reply: FailedReply) -> CopydeskError:
    """The exception for one error answer of WordPress's REST API."""
    if not reply.code:
        return _no_json(reply)
    if reply.status == 429 or reply.status >= 500:
        return _busy(reply)
    if reply.status == 401 or reply.code in _AUTH_CODES:
        return _auth_error(reply.code)
    for key in ((reply.code, reply.action), (reply.code, "")):
        if key in _PERMISSION:
            message, hint = _PERMISSION[key]
            return PermissionDenied(message, hint=hint)
    if reply.status == 403:
        return PermissionDenied(
            f"The site does not allow this: “{_wp_message(reply)}”.",
            hint="Your role on the site may not be enough; ask an editor or the administrator.",
        )
    return _refusal(reply)
