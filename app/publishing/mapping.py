"""A piece's byline and standfirst as a site takes them (:mod:`app.sites.mapping`).

- :func:`mapped_fields`: without the network, the excerpt, the lead paragraph and the custom fields a
  push sends (also what the push's fingerprint covers).
- :func:`byline_author`: the user a byline names, looked up among the site's users; refused, with what
  to do, when the byline names nobody there or someone the user's role may not credit.
- :func:`push_intent`: the fingerprint of everything a push would send (a push of the same is skipped).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.cms.base import RemotePost
from app.cms.wordpress.authors import has_authors_route, site_authors, strip_by
from app.cms.wordpress.client import WordPressClient
from app.errors import InvalidInputError, PermissionDenied
from app.pieces.data import PieceData
from app.publishing.convert import lead_block, plain_standfirst, wp_date
from app.publishing.fingerprints import intent_fingerprint
from app.publishing.images import ImageSet
from app.sites.mapping import (
    BYLINE_AUTHOR,
    BYLINE_FIELD,
    STANDFIRST_EXCERPT,
    STANDFIRST_FIELD,
    STANDFIRST_LEAD,
)
from app.sites.registry import SiteData
from app.sites.statuses import FUTURE

__all__ = [
    "MappedFields",
    "byline_author",
    "arrival_notices",
    "check_fields_arrived",
    "check_seo_arrived",
    "has_authors_route",
    "mapped_fields",
    "push_intent",
]


@dataclass(frozen=True)
class MappedFields:
    """What the site's mapping makes of the byline and the standfirst, before the network."""

    excerpt: str
    lead: str  # the lead paragraph (block markup) to put before the content, or ""
    custom_fields: tuple[tuple[str, str], ...]
    notices: tuple[str, ...]
    byline: str  # the byline to credit as the post's author, or ""
    seo: tuple[tuple[str, str], ...] = ()  # SEO plugins' fields, from the front matter

    def fingerprint_extra(self) -> dict[str, str]:
        """What the push's fingerprint must cover besides the content and the excerpt."""
        extra = {f"field:{key}": value for key, value in (*self.custom_fields, *self.seo)}
        if self.byline:
            extra["author"] = self.byline
        return extra


def mapped_fields(piece: PieceData, site: SiteData) -> MappedFields:
    mapping = site.mapping
    standfirst = plain_standfirst(piece)
    own_excerpt = piece.excerpt.strip()
    fields: list[tuple[str, str]] = []
    notices: list[str] = []
    lead = ""
    excerpt = own_excerpt
    if mapping.standfirst == STANDFIRST_EXCERPT:
        excerpt = own_excerpt or standfirst
        if own_excerpt and standfirst:
            notices.append(
                f"The standfirst was not sent: {site.name} takes it as the excerpt, and the piece "
                "has an excerpt of its own."
            )
    elif mapping.standfirst == STANDFIRST_FIELD:
        fields.append((mapping.standfirst_field, standfirst))
        excerpt = own_excerpt or standfirst
    elif mapping.standfirst == STANDFIRST_LEAD and piece.standfirst.strip():
        lead = lead_block(piece)
    byline = " ".join(piece.byline.split())
    if mapping.byline == BYLINE_FIELD:
        fields.append((mapping.byline_field, byline))
        byline = ""
    return MappedFields(
        excerpt=excerpt,
        lead=lead,
        custom_fields=tuple(fields),
        notices=tuple(notices),
        byline=byline if mapping.byline == BYLINE_AUTHOR else "",
        seo=seo_fields(piece),
    )


# front-matter key (and its other names) -> the fields of Yoast SEO and Rank Math
SEO_FIELDS = (
    (("seo_title", "meta_title"), ("_yoast_wpseo_title", "rank_math_title")),
    (("meta_description", "seo_description"), ("_yoast_wpseo_metadesc", "rank_math_description")),
    (("focus_keyword", "focus_keyphrase"), ("_yoast_wpseo_focuskw", "rank_math_focus_keyword")),
)


def seo_fields(piece: PieceData) -> tuple[tuple[str, str], ...]:
    """The meta title, description and focus keyword of the piece's front matter, as the fields
    Yoast SEO and Rank Math keep (the companion plugin opens them to REST when either is active)."""
    found: list[tuple[str, str]] = []
    for names, keys in SEO_FIELDS:
        values = [str(piece.extra.get(name, "")).strip() for name in names]
        value = next((v for v in values if v), "")
        if value:
            found.extend((key, value) for key in keys)
    return tuple(found)


def check_seo_arrived(sent: tuple[tuple[str, str], ...], post_fields: dict[str, str]) -> list[str]:
    """A notice when the site stored none of the SEO fields (no SEO plugin, or no companion)."""
    if not sent or any(post_fields.get(key) == value for key, value in sent):
        return []
    return [
        "The SEO title, description or focus keyword were not stored: the site needs Yoast SEO or "
        "Rank Math, and the Copydesk companion plugin 0.5.0 to open their fields to Copydesk."
    ]


def byline_author(client: WordPressClient, site: SiteData, byline: str) -> int | None:
    """The id of the user *byline* names on the site; None for an empty byline.

    Refuses, before anything is sent, a byline that names nobody there, and one that names someone
    else when the user's role may credit only themselves (an author or a contributor).
    """
    if not byline:
        return None
    may_choose = site.checked_at is None or "edit_others_posts" in site.capabilities
    authors = site_authors(client, companion_version=site.companion_version, may_choose=may_choose)
    found = authors.find(byline)
    if found is not None:
        return found.id
    shown = strip_by(byline)
    if not authors.may_choose:
        raise PermissionDenied(
            f"The byline is “{shown}”, but your role on {site.name} lets you publish only under "
            f"your own name ({authors.me.name}).",
            hint="Ask an editor to push it, correct the byline, or choose in Sites to send the "
            "byline as a custom field the theme shows.",
        )
    names = ", ".join(sorted(u.name for u in authors.users)[:12])
    route = "" if has_authors_route(site.companion_version) else " who may write posts"
    raise InvalidInputError(
        f"No one{route} on {site.name} is called “{shown}”, so the post cannot be credited to them.",
        hint=f"Correct the byline (the site's authors: {names}), ask the site's administrator to "
        "add the author, or choose in Sites to send the byline as a custom field.",
    )


def check_fields_arrived(fields: tuple[tuple[str, str], ...], post_fields: dict[str, str]) -> list[str]:
    """Notices for custom fields the site did not store (it did not open them to REST)."""
    missing = [key for key, value in fields if (post_fields.get(key) or "") != value]
    if not missing:
        return []
    names = ", ".join(f"“{key}”" for key in missing)
    return [
        f"The site did not store the custom field {names}: it lets Copydesk write only the fields "
        "it registered. Install the Copydesk companion plugin 0.5.0 on the site, or ask its "
        "administrator to register the field for the REST API."
    ]


def push_intent(
    piece: PieceData, content_html: str, images: ImageSet, status: str, mapped: MappedFields
) -> str:
    """Everything a push would send, as one fingerprint: equal means nothing to send again."""
    return intent_fingerprint(
        title=piece.title,
        content=mapped.lead + content_html,
        excerpt=mapped.excerpt,
        slug=piece.slug,
        comment_status=piece.comment_status,
        categories=piece.categories,
        tags=piece.tags,
        images={image.key: image.sha256 for image in images.all},
        featured=images.featured.sha256 if images.featured else images.featured_url,
        status=status,
        date=wp_date(piece.publish_at) if status == FUTURE and piece.publish_at else "",
        extra=mapped.fingerprint_extra(),
    )


def arrival_notices(mapped: MappedFields, post: RemotePost) -> list[str]:
    """What the site's answer shows it did not store of the custom and SEO fields sent."""
    stored = dict(post.custom_fields)
    return check_fields_arrived(mapped.custom_fields, stored) + check_seo_arrived(mapped.seo, stored)
