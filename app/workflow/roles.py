"""Who may do what in the editorial workflow, and WordPress's rule for scheduled times.

The role comes from the user's capabilities on the site (``users/me?context=edit``, read by Check
connection), never from the list of statuses (WordPress shows the same list to every role):

- a **contributor** (``edit_posts``) writes and submits for review;
- an **author** (``publish_posts``) submits too, and may publish or schedule their own pieces;
- an **editor** or administrator (``edit_others_posts`` and ``publish_posts``) reviews: returns with a
  note, approves, schedules and publishes anyone's piece.

A piece linked to a site can only be given a local status its user's role could reach on that site; a
piece linked to no site keeps personal labels (every status, as :mod:`app.pieces.workflow` allows).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from app.errors import InvalidInputError, PermissionDenied
from app.pieces.workflow import Status, can_move

SCHEDULE_LEAD = timedelta(seconds=60)
"""WordPress publishes at once a post scheduled less than this ahead (or in the past)."""

MISSED_AFTER = timedelta(minutes=5)
"""A scheduled post still unpublished this long after its time has missed its schedule."""


class Role(StrEnum):
    NONE = "none"
    CONTRIBUTOR = "contributor"
    AUTHOR = "author"
    EDITOR = "editor"

    @property
    def label(self) -> str:
        return {
            "none": "no writing role",
            "contributor": "Contributor",
            "author": "Author",
            "editor": "Editor",
        }[self.value]


class Act(StrEnum):
    SUBMIT = "submit"
    PUBLISH_OWN = "publish_own"  # publish or schedule one's own piece
    RETURN = "return"
    APPROVE = "approve"
    SCHEDULE = "schedule"
    PUBLISH = "publish"  # publish anyone's piece now

    @property
    def label(self) -> str:
        return {
            "submit": "submit pieces for review",
            "publish_own": "publish your own pieces",
            "return": "return pieces with a note",
            "approve": "approve pieces",
            "schedule": "schedule pieces",
            "publish": "publish pieces",
        }[self.value]


_ACTS: dict[Role, frozenset[Act]] = {
    Role.NONE: frozenset(),
    Role.CONTRIBUTOR: frozenset({Act.SUBMIT}),
    Role.AUTHOR: frozenset({Act.SUBMIT, Act.PUBLISH_OWN}),
    Role.EDITOR: frozenset(Act),
}

_LOCAL: dict[Role, frozenset[Status]] = {
    Role.NONE: frozenset({Status.DRAFT}),
    Role.CONTRIBUTOR: frozenset({Status.DRAFT, Status.SUBMITTED}),
    Role.AUTHOR: frozenset({Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.PUBLISHED}),
    Role.EDITOR: frozenset(Status),
}


def role_of(capabilities: Iterable[str]) -> Role:
    caps = frozenset(capabilities)
    if "edit_others_posts" in caps and "publish_posts" in caps:
        return Role.EDITOR
    if "publish_posts" in caps:
        return Role.AUTHOR
    if "edit_posts" in caps:
        return Role.CONTRIBUTOR
    return Role.NONE


def allowed_acts(role: Role) -> frozenset[Act]:
    return _ACTS[role]


def require(role: Role, act: Act, site_name: str) -> None:
    """Raise :class:`PermissionDenied`, in words, when *role* may not *act* on the site."""
    if act in _ACTS[role]:
        return
    hint = {
        Role.CONTRIBUTOR: "Submit it for review; an editor of the site approves and publishes it.",
        Role.AUTHOR: "An editor of the site can do it; you can publish your own pieces.",
        Role.NONE: "Ask the site's administrator for the Contributor role or higher.",
        Role.EDITOR: "",
    }[role]
    raise PermissionDenied(
        f"Your role on {site_name} ({role.label}) does not allow you to {act.label}.", hint=hint
    )


def allowed_local(roles: Iterable[Role]) -> frozenset[Status]:
    """The statuses a piece may be given here, given the user's role on each site it is linked to.

    No site: every status (personal labels). Several sites: what every one of them allows.
    """
    allowed = frozenset(Status)
    for role in roles:
        allowed &= _LOCAL[role]
    return allowed


def check_local_status(current: Status, new: Status, roles: Iterable[Role]) -> None:
    """Raise when the move from *current* to *new* is not one the user could make on the sites."""
    roles = list(roles)
    if new == current:
        return
    if new not in allowed_local(roles):
        worst = min(roles, key=lambda r: len(_LOCAL[r]))
        raise PermissionDenied(
            f"“{new.label}” is decided on the site, and your role there ({worst.label}) cannot set it.",
            hint="Submit the piece for review; its status then follows the site.",
        )
    if not can_move(current, new):
        raise InvalidInputError(f"A piece cannot go from {current.label} to {new.label}.")


def check_schedule(at: datetime, now: datetime, *, waited: bool = False) -> datetime:
    """*at* if WordPress will schedule it, else :class:`InvalidInputError` saying what to do.

    WordPress publishes at once a post whose time is less than a minute ahead or already past; the
    user asked for a schedule, so that is refused before anything is sent. *waited*: the action
    waited in the outbox and its time passed meanwhile.
    """
    if at.tzinfo is None:
        raise InvalidInputError("Give the publication time with its time zone.")
    if at <= now:
        if waited:
            raise InvalidInputError(
                f"The time it was to be published ({at:%Y-%m-%d %H:%M} UTC) passed while the "
                "approval waited to be sent, so it was not scheduled.",
                hint="Choose a new time, or publish it now.",
            )
        raise InvalidInputError(
            f"{at:%Y-%m-%d %H:%M} UTC has passed.", hint="Choose a later time, or publish it now."
        )
    if at - now < SCHEDULE_LEAD:
        raise InvalidInputError(
            "That time is less than a minute away: WordPress would publish the piece at once.",
            hint="Choose a time at least a minute ahead, or publish it now.",
        )
    return at


def is_missed(status: str, date_gmt: datetime | None, now: datetime) -> bool:
    """Whether a post on the site has missed its schedule (WordPress's cron did not publish it)."""
    return status == "future" and date_gmt is not None and now - date_gmt > MISSED_AFTER
