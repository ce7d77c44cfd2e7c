"""Between a piece and a post: what a push sends, what the site made of it, a post read back."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime, timedelta

from app.cms.base import CmsClient, PostFields, RemotePost
from app.pieces import origin
from app.pieces.data import PieceData
from app.publishing.links import LinkData
from app.publishing.to_markdown import html_to_markdown
from app.render.markdown import html_to_text, render_inline
from app.sites import statuses
from app.sites.statuses import DRAFT, FUTURE, PUBLISH, REMOTE_TO_LOCAL
from app.text import slugs

LEAD_CLASS = "copydesk-standfirst"

# the lead paragraph as a push writes it (a paragraph block), or as the block editor may have kept it
_LEAD = re.compile(
    r"\A\s*(?:<!-- wp:paragraph \{\"className\":\"" + LEAD_CLASS + r"\"\} -->\s*)?"
    r"<p class=\"" + LEAD_CLASS + r"\">(?P<inner>.*?)</p>"
    r"(?:\s*<!-- /wp:paragraph -->)?\s*",
    re.DOTALL,
)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TAG = re.compile(r"<[^>]+>")


def marker_uid(uid: str) -> str:
    """The piece's uid as the marker a post carries (always a lower-case UUID)."""
    uid = uid.strip().lower()
    return uid if _UUID.match(uid) else str(uuid.uuid5(uuid.NAMESPACE_URL, f"copydesk:{uid}"))


def plain_standfirst(piece: PieceData) -> str:
    return html_to_text(render_inline(piece.standfirst)).strip()


def excerpt_of(piece: PieceData) -> str:
    """The excerpt a push sends: the piece's own, else its standfirst as plain text."""
    return piece.excerpt.strip() or plain_standfirst(piece)


def lead_block(piece: PieceData) -> str:
    """The standfirst as a paragraph block with its own class, as the block editor writes one."""
    inner = render_inline(piece.standfirst).strip()
    return (
        f'<!-- wp:paragraph {{"className":"{LEAD_CLASS}"}} -->\n'
        f'<p class="{LEAD_CLASS}">{inner}</p>\n'
        "<!-- /wp:paragraph -->\n\n"
    )


def split_lead(content: str) -> tuple[str, str | None]:
    """*content* without the lead paragraph at its top, and that paragraph's inner HTML (or None)."""
    match = _LEAD.match(content)
    if match is None:
        return content, None
    return content[match.end() :], match.group("inner")


def wp_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def parse_wp_date(text: str) -> datetime | None:
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.fromisoformat(text.rstrip("Z")).replace(tzinfo=UTC)
    except ValueError:
        return None


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


def status_fields(
    status: str | None, piece: PieceData, remote: RemotePost | None, now: datetime
) -> tuple[str | None, str | None]:
    """(status, date_gmt) to send. None leaves the site's value as it is."""
    if status is None:
        return (DRAFT if remote is None else None), None
    if status == FUTURE and piece.publish_at is not None:
        return status, wp_date(piece.publish_at)
    if status == PUBLISH and remote is not None and remote.status != PUBLISH:
        return status, wp_date(now)  # "now", not a date kept from a schedule or a draft
    return status, None


def answer_notices(status: str | None, fields: PostFields, post: RemotePost, now: datetime) -> list[str]:
    """What the site did otherwise than asked: its status, the slug, formatting it dropped."""
    notices = []
    if status == FUTURE and post.status == PUBLISH:
        when = parse_wp_date(fields.date_gmt or "")
        if when is not None and when < now - timedelta(seconds=5):
            notices.append("WordPress published it at once: the scheduled time has passed.")
        else:
            notices.append(
                "WordPress published it at once: the scheduled time was less than a minute away."
            )
    elif status == PUBLISH and post.status == FUTURE:
        notices.append(
            f"WordPress scheduled it for {post.date_gmt} UTC, because its date is in the future."
        )
    elif status is not None and post.status != status:
        notices.append(f"The site set its status to {statuses.label(post.status)}.")
    if fields.slug and post.slug and post.slug != fields.slug:
        notices.append(
            f"The address “{fields.slug}” was taken on the site; WordPress used “{post.slug}”."
        )
    dropped = removed_tags(fields.content, post.content)
    if dropped:
        names = ", ".join(f"<{name}>" for name in dropped)
        notices.append(
            f"WordPress removed some formatting that your role may not use ({names}); the site "
            "shows the text without it."
        )
    return notices


def _term_names(client: CmsClient, taxonomy: str, ids: tuple[int, ...]) -> list[str]:
    if not ids:
        return []
    by_id = {term.id: term.name for term in client.terms_by_id(taxonomy, list(ids))}
    return [by_id[i] for i in ids if i in by_id]


def post_to_piece(
    client: CmsClient, post: RemotePost, base: PieceData, link: LinkData | None = None
) -> PieceData:
    """*base* with the text and metadata of *post* (its HTML converted to Markdown).

    The local files that only the post's text names are recorded as the site's
    (:mod:`app.pieces.origin`): a push never sends them.
    """
    title = html.unescape(post.title).strip()
    excerpt = html.unescape(_TAG.sub("", post.excerpt)).strip()
    content, lead = split_lead(post.content)  # the standfirst, when the site takes it as the lead
    standfirst = base.standfirst
    if lead is not None and lead.strip() != render_inline(base.standfirst).strip():
        standfirst = html_to_markdown(lead).strip()  # changed on the site
    if excerpt and excerpt == plain_standfirst(base):
        excerpt = ""  # it was made from the standfirst by an earlier push
    featured = ""
    if post.featured_media:
        known = [k for k, r in (link.media if link else {}).items() if r.id == post.featured_media]
        featured = known[0] if known else client.get_media(post.featured_media).url
    publish_at = parse_wp_date(post.date_gmt) if post.status == FUTURE else base.publish_at
    theirs = base.copy(
        title=title,
        standfirst=standfirst,
        body=html_to_markdown(content),
        excerpt=excerpt,
        slug=post.slug or slugs.slugify(title),
        slug_manual=slugs.is_manual(title, post.slug),
        categories=_term_names(client, "category", post.categories),
        tags=_term_names(client, "tag", post.tags),
        featured_image=featured,
        comment_status=post.comment_status if post.comment_status in ("open", "closed") else "open",
        status=REMOTE_TO_LOCAL.get(post.status, base.status),
        publish_at=publish_at,
    )
    return origin.take_site_text(base, theirs)  # a local file the site's text names never goes out
