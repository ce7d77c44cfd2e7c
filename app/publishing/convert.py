"""Between a piece and a post: the fields a push sends, and a post read back as a piece."""

from __future__ import annotations

import hashlib
import html
import json
import re
import uuid
from datetime import UTC, datetime

from app.cms.base import CmsClient, RemotePost
from app.pieces.data import PieceData
from app.pieces.workflow import Status
from app.publishing.links import LinkData
from app.publishing.to_markdown import html_to_markdown
from app.render.markdown import html_to_text, render_inline
from app.text import slugs

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TAG = re.compile(r"<[^>]+>")

REMOTE_TO_LOCAL_STATUS = {
    "publish": Status.PUBLISHED,
    "future": Status.SCHEDULED,
    "pending": Status.SUBMITTED,
    "draft": Status.DRAFT,
    "private": Status.DRAFT,
}


def marker_uid(uid: str) -> str:
    """The piece's uid as the marker a post carries (always a lower-case UUID)."""
    uid = uid.strip().lower()
    return uid if _UUID.match(uid) else str(uuid.uuid5(uuid.NAMESPACE_URL, f"copydesk:{uid}"))


def plain_standfirst(piece: PieceData) -> str:
    return html_to_text(render_inline(piece.standfirst)).strip()


def excerpt_of(piece: PieceData) -> str:
    """The excerpt a push sends: the piece's own, else its standfirst as plain text."""
    return piece.excerpt.strip() or plain_standfirst(piece)


def wp_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def parse_wp_date(text: str) -> datetime | None:
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.fromisoformat(text.rstrip("Z")).replace(tzinfo=UTC)
    except ValueError:
        return None


def sent_text_hash(title: str, content: str, excerpt: str) -> str:
    """A fingerprint of title, content and excerpt that survives WordPress's entity clean-up."""

    def norm(text: str) -> str:
        return " ".join(html.unescape(text).split())

    data = json.dumps([norm(title), norm(content), norm(excerpt)], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def post_text_hash(post: RemotePost) -> str:
    return sent_text_hash(post.title, post.content, post.excerpt)


def removed_tags(sent: str, stored: str) -> list[str]:
    """HTML elements that were in *sent* but that WordPress dropped when it stored the post."""

    def names(text: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for match in re.finditer(r"<([a-zA-Z][a-zA-Z0-9]*)\b", text):
            name = match.group(1).lower()
            counts[name] = counts.get(name, 0) + 1
        return counts

    before, after = names(sent), names(stored)
    return sorted(name for name, count in before.items() if after.get(name, 0) < count)


def _term_names(client: CmsClient, taxonomy: str, ids: tuple[int, ...]) -> list[str]:
    if not ids:
        return []
    by_id = {term.id: term.name for term in client.terms_by_id(taxonomy, list(ids))}
    return [by_id[i] for i in ids if i in by_id]


def post_to_piece(
    client: CmsClient, post: RemotePost, base: PieceData, link: LinkData | None = None
) -> PieceData:
    """*base* with the text and metadata of *post* (its HTML converted to Markdown)."""
    title = html.unescape(post.title).strip()
    excerpt = html.unescape(_TAG.sub("", post.excerpt)).strip()
    standfirst = base.standfirst
    if excerpt and excerpt == plain_standfirst(base):
        excerpt = ""  # it was made from the standfirst by an earlier push
    featured = ""
    if post.featured_media:
        known = [k for k, r in (link.media if link else {}).items() if r.id == post.featured_media]
        featured = known[0] if known else client.get_media(post.featured_media).url
    publish_at = parse_wp_date(post.date_gmt) if post.status == "future" else base.publish_at
    return base.copy(
        title=title,
        standfirst=standfirst,
        body=html_to_markdown(post.content),
        excerpt=excerpt,
        slug=post.slug or slugs.slugify(title),
        slug_manual=bool(post.slug) and post.slug != slugs.slugify(title),
        categories=_term_names(client, "category", post.categories),
        tags=_term_names(client, "tag", post.tags),
        featured_image=featured,
        comment_status=post.comment_status if post.comment_status in ("open", "closed") else "open",
        status=REMOTE_TO_LOCAL_STATUS.get(post.status, base.status),
        publish_at=publish_at,
    )
