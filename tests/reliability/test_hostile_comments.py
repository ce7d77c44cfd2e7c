"""A corpus of hostile comments (``hostile_comments.json``) through the comment sanitizer.

Each payload goes through :func:`app.comments.sanitize.comment_html` (what the desk shows) and
:func:`~app.comments.sanitize.plain_text` (previews). What comes out is parsed again: only the
allow-listed tags and attributes, no event handler, no URL but http(s), mailto and the desk's own
``copydesk-image:`` placeholders, and no attribute that would load anything (``src`` only on pictures
the user asked for, and none here).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from app.comments import sanitize
from tests.reliability.conftest import FaultRecorder

CORPUS = Path(__file__).with_name("hostile_comments.json")
FAULT = "hostile comment payloads (sanitizer)"
SAFE_SCHEMES = ("http:", "https:", "mailto:", f"{sanitize.IMAGE_SCHEME}:")
SHOWN_TAGS = sanitize.TAGS | {"span"}
SHOWN_ATTRIBUTES = {"href", "title", "class", "start", "alt"}
# bidi embeddings, overrides and isolates; zero-width and invisible formatting characters
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def payloads() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(CORPUS.read_text(encoding="utf-8"))
    return found


def build(payload: dict[str, Any]) -> str:
    text = str(payload["html"])
    if "repeat" in payload:
        return text * int(payload["repeat"])
    if "wrap" in payload:
        opening, closing = payload["wrap"]
        depth = int(payload["depth"])
        return opening * depth + text + closing * depth
    return text


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SHOWN_TAGS:
            self.problems.append(f"tag <{tag}> survived")
        for name, raw in attrs:
            value = (raw or "").strip()
            if name.startswith("on") or name not in SHOWN_ATTRIBUTES:
                self.problems.append(f"attribute {name}= on <{tag}> survived")
            scheme = re.match(r"([a-z][a-z0-9+.\-]*):", re.sub(r"[\x00-\x20]", "", value.lower()))
            if name == "href" and scheme and f"{scheme.group(1)}:" not in SAFE_SCHEMES:
                self.problems.append(f"link to {value[:40]!r} survived")
        if tag == "img":
            self.problems.append("a picture is loaded without being asked for")

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.problems.append("an HTML comment survived")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"a declaration survived: {data[:30]!r}")


def problems_in(shown: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(shown)
    inspector.close()
    lowered = shown.lower()
    problems = inspector.problems
    for word in ("<script", "<style", "<iframe", "<svg", "<object", "<embed", "<form", "<meta", "<base"):
        if word in lowered:
            problems.append(f"{word}> markup is in the output")
    return problems


def test_the_corpus_is_large_and_varied() -> None:
    corpus = payloads()
    assert len(corpus) >= 60
    assert len({p["name"] for p in corpus}) == len(corpus)
    assert any(len(build(p)) >= 1_000_000 for p in corpus)


@pytest.mark.parametrize("payload", payloads(), ids=lambda p: str(p["name"]))
def test_no_script_handler_or_remote_load_survives(
    payload: dict[str, Any], ledger: FaultRecorder
) -> None:
    fragment = build(payload)
    ledger.injected(FAULT)
    shown = sanitize.comment_html(fragment)
    sanitize.plain_text(fragment)  # previews: must not raise on any of them
    problems = problems_in(shown)
    for problem in problems:
        ledger.lost(FAULT, f"{payload['name']}: {problem}")
    assert problems == []


BIDI_FAULT = "bidi and zero-width characters in comments"


@pytest.mark.parametrize(
    "payload",
    [p for p in payloads() if INVISIBLE.search(build(p))],
    ids=lambda p: str(p["name"]),
)
def test_bidi_and_invisible_characters_are_shown_visibly(
    payload: dict[str, Any], ledger: FaultRecorder
) -> None:
    """Issue 9, defect 9: U+202E "Trusted Editor" must not reorder what the reader sees."""
    ledger.injected(BIDI_FAULT)
    shown = sanitize.comment_html(build(payload))
    hidden = sorted({f"U+{ord(c):04X}" for c in INVISIBLE.findall(shown)})
    if hidden:
        ledger.lost(BIDI_FAULT, f"{payload['name']}: {', '.join(hidden)} shown as is")
    assert hidden == []
