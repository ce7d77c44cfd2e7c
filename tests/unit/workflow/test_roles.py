"""Who may do what, the local statuses a linked piece may take, and WordPress's 60-second rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.errors import InvalidInputError, PermissionDenied
from app.pieces.workflow import Status
from app.workflow.data import local_status
from app.workflow.roles import (
    Act,
    Role,
    allowed_acts,
    allowed_local,
    check_local_status,
    check_schedule,
    is_missed,
    require,
    role_of,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

CONTRIBUTOR = {"read", "edit_posts", "delete_posts"}
AUTHOR = CONTRIBUTOR | {"publish_posts", "upload_files", "edit_published_posts"}
EDITOR = AUTHOR | {"edit_others_posts", "moderate_comments", "manage_categories"}


@pytest.mark.parametrize(
    ("caps", "role"),
    [
        (set(), Role.NONE),
        ({"read"}, Role.NONE),
        (CONTRIBUTOR, Role.CONTRIBUTOR),
        (AUTHOR, Role.AUTHOR),
        (EDITOR, Role.EDITOR),
        (EDITOR | {"manage_options"}, Role.EDITOR),  # an administrator reviews like an editor
        ({"edit_posts", "edit_others_posts"}, Role.CONTRIBUTOR),  # may not publish: no review
    ],
)
def test_the_role_comes_from_capabilities(caps: set[str], role: Role) -> None:
    assert role_of(caps) is role


def test_what_each_role_may_do() -> None:
    assert allowed_acts(Role.CONTRIBUTOR) == {Act.SUBMIT}
    assert allowed_acts(Role.AUTHOR) == {Act.SUBMIT, Act.PUBLISH_OWN}
    assert allowed_acts(Role.EDITOR) == set(Act)
    assert allowed_acts(Role.NONE) == set()


def test_a_refusal_names_the_role_and_what_to_do_instead() -> None:
    require(Role.EDITOR, Act.APPROVE, "Gazette")
    with pytest.raises(PermissionDenied) as caught:
        require(Role.CONTRIBUTOR, Act.PUBLISH, "Gazette")
    assert str(caught.value) == (
        "Your role on Gazette (Contributor) does not allow you to publish pieces. Submit it for "
        "review; an editor of the site approves and publishes it."
    )
    with pytest.raises(PermissionDenied, match=r"\(Author\) does not allow you to return"):
        require(Role.AUTHOR, Act.RETURN, "Gazette")


def test_a_piece_on_no_site_keeps_personal_labels() -> None:
    assert allowed_local([]) == set(Status)
    check_local_status(Status.DRAFT, Status.PUBLISHED, [])


def test_a_linked_piece_takes_only_statuses_the_role_could_reach() -> None:
    assert allowed_local([Role.CONTRIBUTOR]) == {Status.DRAFT, Status.SUBMITTED}
    assert Status.APPROVED not in allowed_local([Role.AUTHOR])
    assert Status.PUBLISHED in allowed_local([Role.AUTHOR])
    assert allowed_local([Role.EDITOR]) == set(Status)
    # on two sites: what both allow
    assert allowed_local([Role.EDITOR, Role.CONTRIBUTOR]) == {Status.DRAFT, Status.SUBMITTED}
    check_local_status(Status.DRAFT, Status.SUBMITTED, [Role.CONTRIBUTOR])
    with pytest.raises(PermissionDenied, match="your role there \\(Contributor\\) cannot set it"):
        check_local_status(Status.DRAFT, Status.APPROVED, [Role.CONTRIBUTOR])
    with pytest.raises(PermissionDenied):
        check_local_status(Status.SUBMITTED, Status.CHANGES_REQUESTED, [Role.AUTHOR])
    with pytest.raises(InvalidInputError, match="cannot go from Changes requested to Published"):
        check_local_status(Status.CHANGES_REQUESTED, Status.PUBLISHED, [Role.EDITOR])


@pytest.mark.parametrize(
    ("ahead", "ok"),
    [
        (timedelta(hours=1), True),
        (timedelta(seconds=61), True),
        (timedelta(seconds=60), True),
        (timedelta(seconds=59), False),
        (timedelta(seconds=1), False),
        (timedelta(0), False),
        (timedelta(minutes=-5), False),
    ],
)
def test_the_sixty_second_rule_is_checked_before_sending(ahead: timedelta, ok: bool) -> None:
    at = NOW + ahead
    if ok:
        assert check_schedule(at, NOW) == at
    else:
        with pytest.raises(InvalidInputError):
            check_schedule(at, NOW)


def test_the_sixty_second_rule_says_what_happened() -> None:
    with pytest.raises(InvalidInputError, match="less than a minute away: WordPress would publish"):
        check_schedule(NOW + timedelta(seconds=30), NOW)
    with pytest.raises(InvalidInputError, match="has passed"):
        check_schedule(NOW - timedelta(minutes=1), NOW)
    with pytest.raises(InvalidInputError, match="passed while the approval waited to be sent"):
        check_schedule(NOW - timedelta(minutes=1), NOW, waited=True)
    with pytest.raises(InvalidInputError, match="time zone"):
        check_schedule(datetime(2026, 12, 2, 9, 0), NOW)  # noqa: DTZ001 - the point of the test


def test_a_schedule_is_missed_five_minutes_after_its_time() -> None:
    assert not is_missed("future", NOW - timedelta(minutes=5), NOW)
    assert is_missed("future", NOW - timedelta(minutes=5, seconds=1), NOW)
    assert not is_missed("publish", NOW - timedelta(hours=1), NOW)
    assert not is_missed("future", None, NOW)


@pytest.mark.parametrize(
    ("remote", "state", "expected"),
    [
        ("pending", "submitted", Status.SUBMITTED),
        ("pending", "", Status.SUBMITTED),
        ("pending", "approved", Status.APPROVED),
        ("draft", "changes_requested", Status.CHANGES_REQUESTED),
        ("draft", "", Status.DRAFT),
        ("future", "approved", Status.SCHEDULED),
        ("publish", "", Status.PUBLISHED),
        ("some-custom-status", "", Status.SUBMITTED),  # unknown to Copydesk: left as it was
    ],
)
def test_the_local_status_follows_the_site(remote: str, state: str, expected: Status) -> None:
    assert local_status(remote, state, Status.SUBMITTED) is expected
