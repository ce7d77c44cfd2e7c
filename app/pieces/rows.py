"""Pieces between the ORM rows and the plain :class:`PieceData` that crosses threads and layers."""

from __future__ import annotations

import json
from collections.abc import Iterable

from app.pieces.data import PieceData
from app.pieces.workflow import Status
from app.store.models import Piece, PieceSnippet, PieceTerm
from app.text import slugs
from app.text import stats as textstats


def to_data(row: Piece) -> PieceData:
    return PieceData(
        id=row.id,
        uid=row.uid,
        title=row.title,
        standfirst=row.standfirst,
        slug=row.slug,
        slug_manual=row.slug_manual,
        byline=row.byline,
        body=row.body,
        tags=[t.name for t in row.terms if t.taxonomy == "tag"],
        categories=[t.name for t in row.terms if t.taxonomy == "category"],
        excerpt=row.excerpt,
        featured_image=row.featured_image,
        publish_at=row.publish_at,
        comment_status=row.comment_status,
        status=Status(row.status),
        disclaimer_id=row.disclaimer_id,
        snippet_ids=[link.snippet_id for link in row.snippet_links],
        extra=json.loads(row.extra or "{}"),
        created_at=row.created_at,
        updated_at=row.updated_at,
        trashed_at=row.trashed_at,
        word_count=row.word_count,
    )


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        cleaned = " ".join(name.split())
        if cleaned and cleaned.casefold() not in {n.casefold() for n in seen}:
            seen[cleaned] = None
    return list(seen)


def apply_data(row: Piece, data: PieceData) -> None:
    """Copy the editable fields of *data* onto *row* (terms and snippets included)."""
    row.title = data.title
    row.standfirst = data.standfirst
    row.slug_manual = data.slug_manual
    row.slug = slugs.piece_slug(data.title, data.slug, data.slug_manual)
    row.byline = data.byline
    row.body = data.body
    row.excerpt = data.excerpt
    row.featured_image = data.featured_image
    row.publish_at = data.publish_at
    row.comment_status = data.comment_status
    row.status = Status(data.status).value
    row.disclaimer_id = data.disclaimer_id
    row.extra = json.dumps(data.extra, ensure_ascii=False, sort_keys=True, default=str)
    row.word_count = textstats.count(data.body).words
    wanted = [("tag", n) for n in _unique(data.tags)] + [
        ("category", n) for n in _unique(data.categories)
    ]
    existing = {(t.taxonomy, t.name): t for t in row.terms}
    row.terms = []
    for position, key in enumerate(wanted):
        term = existing.get(key) or PieceTerm(taxonomy=key[0], name=key[1])
        term.position = position
        row.terms.append(term)
    links = {link.snippet_id: link for link in row.snippet_links}
    row.snippet_links = []
    for position, snippet_id in enumerate(dict.fromkeys(data.snippet_ids)):
        link = links.get(snippet_id) or PieceSnippet(snippet_id=snippet_id)
        link.position = position
        row.snippet_links.append(link)
