"""The three fingerprints a push stores with a link (app/publishing/fingerprints.py)."""

from __future__ import annotations

from dataclasses import replace

from app.cms.base import RemotePost
from app.publishing.fingerprints import (
    intent_fingerprint,
    post_fingerprint,
    post_text_fingerprint,
    sent_text_fingerprint,
)

POST = RemotePost(
    id=1, title="Fish &amp; chips", content="<p>A  &amp; B</p>", excerpt="", status="draft",
    slug="fish", link="", date_gmt="", modified_gmt="2026-01-01T00:00:00", categories=(3, 1),
)  # fmt: skip

FIELDS = dict(
    title="T", content="<p>x</p>", excerpt="", slug="t", comment_status="open",
    categories=["News"], tags=[], images={"/a.png": "abc"}, featured="", status="draft", date="",
)  # fmt: skip


def test_sent_text_fingerprint_survives_entity_clean_up() -> None:
    assert post_text_fingerprint(POST) == sent_text_fingerprint("Fish & chips", "<p>A & B</p>", "")
    assert post_text_fingerprint(POST) != sent_text_fingerprint("Fish & chips", "<p>A & C</p>", "")


def test_post_fingerprint_ignores_the_workflow_but_not_the_text() -> None:
    workflow = replace(POST, status="publish", slug="other", date_gmt="x", modified_gmt="y")
    assert post_fingerprint(workflow) == post_fingerprint(POST)
    assert post_fingerprint(replace(POST, categories=(1, 3))) == post_fingerprint(POST)
    assert post_fingerprint(replace(POST, content="<p>A</p>")) != post_fingerprint(POST)
    assert post_fingerprint(replace(POST, featured_media=9)) != post_fingerprint(POST)


def test_the_fingerprints_match_the_ones_already_stored() -> None:
    # links stored before the fingerprints had one home hold these values: they must not change
    assert post_fingerprint(POST) == "d24478f546f7e0bc27283c15c19823d3ace7fd61bfed23c5ac6fef83f2b3a99e"
    assert post_text_fingerprint(POST) == (
        "d6f5b9c62fe5b6aa3fe50328c11e95b439882367de5af4dd9d40492643162305"
    )
    assert intent_fingerprint(**FIELDS) == (  # type: ignore[arg-type]
        "3ca2461defcf6a12c5d070bbf52e069216b24435a44a21436fafbf517e3082e5"
    )


def test_intent_fingerprint_changes_with_what_would_be_sent() -> None:
    fields = FIELDS
    base = intent_fingerprint(**fields)  # type: ignore[arg-type]
    assert intent_fingerprint(**fields) == base  # type: ignore[arg-type]
    for key, value in (("status", "publish"), ("images", {"/a.png": "abd"}), ("tags", ["x"])):
        assert intent_fingerprint(**{**fields, key: value}) != base  # type: ignore[arg-type]
