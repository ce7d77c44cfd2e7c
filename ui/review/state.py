"""What the window needs to know about the open piece's review, read off the GUI thread: the site it
is on, the user's role there and what that role may do, the local statuses it may take, and the
warning to give before it is edited (a missed schedule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.errors import CopydeskError, NetworkError
from app.pieces.workflow import Status
from app.workflow.data import QueueItem, status_label
from app.workflow.roles import Act, Role
from ui.review.queue import ALL_SITES

if TYPE_CHECKING:
    from app.core import Core

QueueResult = tuple[list[QueueItem], list[str], list[tuple[int, str]], bool]
"""The queue's items, the problems met, the sites (id, name), and whether it is the cached queue."""

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
    site_status: str = ""  # the post's status in the site's own words (a custom one by its label)

    @property
    def status_line(self) -> str:
        """“On Gazette: Story pitch.” ("" when the piece is on no site)."""
        return f"On {self.site_name}: {self.site_status}." if self.linked and self.site_status else ""

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
        site_status=status_label(link.remote_status, flow.statuses.kept(link.site_id))
        if link.remote_status
        else "",
    )


def read_queue(core: Core, site_id: int, category: str, *, online: bool) -> QueueResult:
    """The review queue of one site or all, fetched (*online*) or as cached; a site that does not
    answer gives its cached queue and a line saying why."""
    flow = core.workflow
    sites = core.remote.sites.list()
    chosen = [s for s in sites if site_id in (ALL_SITES, s.id)]
    items: list[QueueItem] = []
    problems: list[str] = []
    offline = not online
    for site in chosen:
        if not online:
            items.extend(flow.cached_queue(site.id))
            continue
        try:
            items.extend(flow.queue(site.id, category=category or None))
        except NetworkError as exc:
            offline = True
            problems.append(f"{site.name} did not answer ({exc.message.rstrip('.')}).")
            items.extend(flow.cached_queue(site.id))
        except CopydeskError as exc:
            problems.append(f"{site.name}: {exc}")
            items.extend(flow.cached_queue(site.id))
    if category and offline:
        problems.append("The category filter needs the site.")
    epoch = datetime.min.replace(tzinfo=UTC)
    items.sort(key=lambda i: (i.submitted_at or epoch, i.post_id), reverse=True)
    return items, problems, [(s.id, s.name) for s in sites], offline
