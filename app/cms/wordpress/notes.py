"""Editorial notes and the site's pre-publish checklist over REST: the companion plugin's routes.

Notes are private editorial comments (comment type and status ``copydesk_note``: WordPress neither
counts, lists, feeds nor shows them), created, changed and read only through ``/copydesk/v1/notes``:
core's ``/wp/v2/comments`` would make public, approved comments of them. Built on a signed-in
:class:`~app.cms.wordpress.client.WordPressClient`; everything returned is a frozen dataclass.

- ``GET notes?posts=1,2`` (≤ 100): the notes of posts the user may read (editors of the post, and its
  author at any time), and the ids it will not show (``missing``).
- ``POST notes`` ``{post, uid, text, anchor, parent, resolved}``: create; a ``uid`` seen before answers
  the note it made (``repeated``), so a create whose answer was lost lands once.
- ``POST notes/<id>`` ``{text?, anchor?, resolved?}``: the text and anchor by the note's author only;
  resolving and reopening by whoever may read it. ``DELETE notes/<id>``: its author only.
- ``GET checklist`` / ``POST checklist`` (editors): the site's checklist; ``POST
  checklist/override/<post>`` ``{reason}`` (editors): let the post be published with items unmet.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.cms.wordpress.client import COMPANION_NAMESPACE, WordPressClient
from app.cms.wordpress.parse import as_int, as_str
from app.cms.wordpress.review import version_tuple
from app.errors import InvalidInputError, NotFoundError, PermissionDenied, RemoteError

NOTES_VERSION = (0, 4, 0)
FEATURE_NOTES = "notes"
FEATURE_CHECKLIST = "checklist"
BATCH = 100


def has_notes(companion_version: str) -> bool:
    """Whether a site's companion plugin keeps notes and the checklist (0.4.0 and later)."""
    return bool(companion_version) and version_tuple(companion_version) >= NOTES_VERSION


@dataclass(frozen=True)
class RemoteNote:
    id: int
    post: int
    parent: int  # the note it answers (0: a note of its own)
    uid: str
    author: int
    author_name: str
    mine: bool  # written by the signed-in user (who alone may change its text or delete it)
    text: str
    anchor: str  # JSON, as the app sent it ("": the whole piece)
    resolved: bool
    resolved_by_name: str
    resolved_at: str
    created_gmt: str
    modified_gmt: str
    repeated: bool = False  # a create the site had made already (its answer had been lost)


def parse_note(data: Any) -> RemoteNote:
    row = data if isinstance(data, Mapping) else {}
    return RemoteNote(
        id=as_int(row.get("id")),
        post=as_int(row.get("post")),
        parent=as_int(row.get("parent")),
        uid=as_str(row.get("uid")),
        author=as_int(row.get("author")),
        author_name=html.unescape(as_str(row.get("author_name"))),
        mine=bool(row.get("mine")),
        text=as_str(row.get("text")),
        anchor=as_str(row.get("anchor")),
        resolved=bool(row.get("resolved")),
        resolved_by_name=html.unescape(as_str(row.get("resolved_by_name"))),
        resolved_at=as_str(row.get("resolved_at")),
        created_gmt=as_str(row.get("created_gmt")),
        modified_gmt=as_str(row.get("modified_gmt")),
        repeated=bool(row.get("repeated")),
    )


class NotesApi:
    """The notes and checklist routes of one site, for one signed-in user."""

    def __init__(self, client: WordPressClient) -> None:
        self._client = client

    def _call(
        self, method: str, route: str, *, params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> Any:  # fmt: skip
        try:
            reply = self._client.call(
                method, f"{COMPANION_NAMESPACE}/{route}", action="post", params=params,
                json_body=body,
            )  # fmt: skip
        except RemoteError as exc:
            if exc.code in ("copydesk_no_note", "copydesk_no_post"):
                raise NotFoundError(exc.message) from None
            if exc.code in ("copydesk_not_yours", "copydesk_cannot_read", "copydesk_cannot_review"):
                raise PermissionDenied(exc.message) from None
            if exc.code in ("copydesk_has_replies", "copydesk_bad_checklist", "copydesk_bad_note"):
                raise InvalidInputError(exc.message) from None
            raise
        return reply.data

    # -- notes -----------------------------------------------------------------------------------

    def notes(self, post_ids: Sequence[int]) -> tuple[dict[int, list[RemoteNote]], set[int]]:
        """The notes of each post (100 posts a request), and the posts it will not show."""
        found: dict[int, list[RemoteNote]] = {}
        missing: set[int] = set()
        wanted = sorted(set(post_ids))
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            data = self._call("GET", "notes", params={"posts": ",".join(str(i) for i in chunk)})
            data = data if isinstance(data, Mapping) else {}
            for post_id in chunk:
                found.setdefault(post_id, [])
            rows = data.get("notes")
            for row in rows if isinstance(rows, list) else ():
                note = parse_note(row)
                found.setdefault(note.post, []).append(note)
            gone = data.get("missing")
            missing |= {as_int(i) for i in gone} if isinstance(gone, list) else set()
        for post_id in missing:
            found.pop(post_id, None)
        return found, missing

    def create(
        self, post_id: int, *, uid: str, text: str, anchor: str, parent: int = 0,
        resolved: bool = False,
    ) -> RemoteNote:  # fmt: skip
        body = {"post": post_id, "uid": uid, "text": text, "anchor": anchor, "parent": parent,
                "resolved": resolved}  # fmt: skip
        return parse_note(self._call("POST", "notes", body=body))

    def update(
        self, note_id: int, *, text: str | None = None, anchor: str | None = None,
        resolved: bool | None = None,
    ) -> RemoteNote:  # fmt: skip
        body: dict[str, Any] = {}
        if text is not None:
            body["text"] = text
        if anchor is not None:
            body["anchor"] = anchor
        if resolved is not None:
            body["resolved"] = resolved
        return parse_note(self._call("POST", f"notes/{note_id}", body=body))

    def delete(self, note_id: int) -> None:
        """Delete a note; one the site no longer has counts as deleted."""
        try:
            self._call("DELETE", f"notes/{note_id}")
        except NotFoundError:
            return

    # -- the checklist ---------------------------------------------------------------------------

    def checklist(self) -> dict[str, Any]:
        data = self._call("GET", "checklist")
        return dict(data) if isinstance(data, Mapping) else {}

    def set_checklist(self, config: Mapping[str, Any]) -> dict[str, Any]:
        data = self._call("POST", "checklist", body=dict(config))
        return dict(data) if isinstance(data, Mapping) else {}

    def override(self, post_id: int, *, reason: str, machine: str) -> None:
        """Record an editor's override of the checklist for one post (publishing it is allowed then)."""
        self._call("POST", f"checklist/override/{post_id}", body={"reason": reason, "machine": machine})
