"""What the window needs to know about the open piece's review, read off the GUI thread: the site it
is on, the user's role there and what that role may do, the local statuses it may take, and the
warning to give before it is edited (a missed schedule)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.errors import CopydeskError
from app.pieces.workflow import Status
from app.workflow.roles import Act, Role

if TYPE_CHECKING:
    from app.core import Core

REVIEW_ACTS: dict[str, frozenset[Act]] = {
    # action id: the acts any one of which enables it (on a piece linked to a site)
    "review/return": frozenset({Act.RETURN}),
    "review/approve": frozenset({Act.APPROVE}),
    "review/schedule": frozenset({Act.SCHEDULE}),
    "review/publish-now": frozenset({Act.PUBLISH, Act.PUBLISH_OWN}),
}


@dataclass(frozen=True)
class PieceReview:
    piece_id: int
    title: str
    status: Status
    site_id: int | None = None  # the site the piece is on (None: on no site yet)
    site_name: str = ""
    remote_status: str = ""  # the post's status there, as last seen
    role: Role = Role.NONE
    acts: frozenset[Act] = frozenset()
    allowed: frozenset[Status] | None = None  # the local statuses it may take (None: any)
    edit_warning: str = ""  # it missed its schedule: any edit on the site publishes it
    missing: tuple[str, ...] = ()  # what the site lacks of the review, in words

    @property
    def linked(self) -> bool:
        return self.site_id is not None

    def enabled(self, action_id: str) -> bool:
        """Whether the review action *action_id* is offered for this piece."""
        if action_id == "review/timeline":
            return True
        if action_id == "review/submit":
            return not self.linked or (
                Act.SUBMIT in self.acts and self.remote_status not in ("future", "publish")
            )
        acts = REVIEW_ACTS.get(action_id)
        if acts is None or not self.linked or self.remote_status == "publish":
            return False
        return bool(acts & self.acts)


def read_review(core: Core, piece_id: int) -> PieceReview:
    """The open piece's review as the library knows it (needs no network)."""
    flow = core.workflow
    piece = core.pieces.get(piece_id)
    plain = PieceReview(piece_id, piece.title, piece.status)
    if not flow.store.has_links():
        return plain  # no piece is on any site: personal labels, and nothing to load
    links = [link for link in core.remote.links.for_piece(piece_id) if link.remote_id is not None]
    if not links:
        return plain
    link = links[0]
    site = flow.site(link.site_id)
    try:
        allowed = flow.allowed_statuses(piece_id)
    except CopydeskError:  # the role is not known yet (never checked): only what it is now
        allowed = frozenset({piece.status})
    return PieceReview(
        piece_id=piece_id,
        title=piece.title,
        status=piece.status,
        site_id=link.site_id,
        site_name=site.site_name,
        remote_status=link.remote_status,
        role=site.role,
        acts=site.acts,
        allowed=allowed,
        edit_warning=flow.edit_warning(piece_id) or "",
        missing=site.missing,
    )
