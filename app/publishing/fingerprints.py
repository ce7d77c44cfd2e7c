"""The three fingerprints a push keeps, in one place (each is stored with the piece's link).

- :func:`post_fingerprint`: a post's text and metadata as the site holds it (``remote_hash``), to
  notice someone else's edit there.
- :func:`sent_text_fingerprint` / :func:`post_text_fingerprint`: the title, content and excerpt a write
  sent (the pending write's hash), to recognise an update whose answer was lost.
- :func:`intent_fingerprint`: everything a push would send (``content_hash``), to skip a push that
  would change nothing.

Changing how one is computed makes every stored one look different once (a conflict check or a push
that is not skipped), so they change only with a migration in mind.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Mapping, Sequence

from app.cms.base import RemotePost


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def post_fingerprint(post: RemotePost) -> str:
    """What a writer would call the post's text and metadata.

    The status, the date and the slug are left out: an editor publishing or rescheduling a piece is
    the workflow going on, not an edit that a push could overwrite.
    """
    fields = {
        "title": post.title,
        "content": post.content,
        "excerpt": post.excerpt,
        "categories": sorted(post.categories),
        "tags": sorted(post.tags),
        "featured_media": post.featured_media,
        "comment_status": post.comment_status,
    }
    return _sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False))


def sent_text_fingerprint(title: str, content: str, excerpt: str) -> str:
    """Title, content and excerpt, in a form that survives WordPress's entity clean-up."""

    def norm(text: str) -> str:
        return " ".join(html.unescape(text).split())

    return _sha256(json.dumps([norm(title), norm(content), norm(excerpt)], ensure_ascii=False))


def post_text_fingerprint(post: RemotePost) -> str:
    """:func:`sent_text_fingerprint` of what the site holds."""
    return sent_text_fingerprint(post.title, post.content, post.excerpt)


def intent_fingerprint(
    *,
    title: str,
    content: str,
    excerpt: str,
    slug: str,
    comment_status: str,
    categories: Sequence[str],
    tags: Sequence[str],
    images: Mapping[str, str],
    featured: str,
    status: str,
    date: str,
    extra: Mapping[str, str] | None = None,
) -> str:
    """Everything a push would send, before anything is uploaded.

    *images* maps each image's key to the SHA-256 of its file; *featured* is the featured image's
    SHA-256 (or its address when it is not a file); *date* is the scheduled date, else ""; *extra*
    the rest the site's mapping sends (the byline, custom fields), left out when empty.
    """
    data = {
        "title": title,
        "content": content,
        "excerpt": excerpt,
        "slug": slug,
        "comments": comment_status,
        "categories": list(categories),
        "tags": list(tags),
        "images": dict(images),
        "featured": featured,
        "status": status,
        "date": date,
    }
    if extra:
        data["extra"] = dict(extra)
    return _sha256(json.dumps(data, sort_keys=True))
