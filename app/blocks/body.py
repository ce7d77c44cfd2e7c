"""A piece's Markdown body as HTML (preview, export) and as block markup (push), in one pass.

A body may hold *kept blocks*: parts of a post that Markdown cannot express without losing something
(embeds, columns, galleries, reusable blocks, HTML blocks, third-party blocks, anything whose Markdown
would not give back the same bytes). A pull writes each one as a clearly marked region holding its
exact source::

    <!-- copydesk:block core/embed -->
    <!-- wp:embed {"url":"https://…"} -->
    …
    <!-- /wp:embed -->
    <!-- /copydesk:block -->

A push sends the source between the two marker lines byte for byte (a blank line separates it from
its neighbours, unless it starts or ends with whitespace of its own: classic HTML between blocks keeps
the line breaks it had); the preview shows its HTML
(cleaned like any other) in a ``cd-block-kept`` box, and the label names the block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.blocks.markup import to_blocks
from app.render.markdown import render_markdown, sanitize

KEPT_OPEN = "<!-- copydesk:block"
KEPT_CLOSE = "<!-- /copydesk:block -->"
_KEPT = re.compile(
    r"^<!-- copydesk:block(?P<label>[^\n]*?) -->\n(?P<source>.*?)\n<!-- /copydesk:block -->[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_DELIMITER = re.compile(r"<!--\s+/?wp:[^>]*?-->")
_PLACEHOLDER = "copydeskkept{}z"


@dataclass(frozen=True)
class RenderedBody:
    html: str  # what the preview shows and the export writes
    markup: str  # the same content as block markup, what a push sends
    kept: tuple[tuple[str, str], ...]  # the kept blocks, in order: (label, source)
    html_blocks: int  # parts of the Markdown with no core block, sent as HTML blocks


def kept_region(source: str, label: str) -> str:
    """The Markdown that keeps *source* as it is (see the module's documentation)."""
    return f"{KEPT_OPEN} {label} -->\n{source}\n{KEPT_CLOSE}"


def _preview(source: str, label: str) -> str:
    inner = sanitize(_DELIMITER.sub("", source)).strip()
    if not inner:
        inner = f'<p class="cd-block-label">{label or "A block"}, kept as it is on the site</p>'
    return f'<div class="cd-block-kept">\n{inner}\n</div>'


def render_body(text: str) -> RenderedBody:
    """*text* (Markdown with kept blocks) as HTML and as block markup."""
    kept: list[tuple[str, str]] = []

    def hold(match: re.Match[str]) -> str:
        kept.append((match["label"].strip(), match["source"]))
        return "\n\n" + _PLACEHOLDER.format(len(kept) - 1) + "\n\n"

    markdown = _KEPT.sub(hold, text)
    body_html = render_markdown(markdown) if markdown.strip() else ""
    blocks = [(b, False) for b in to_blocks(body_html)]
    for index, (label, source) in enumerate(kept):
        placeholder = f"<p>{_PLACEHOLDER.format(index)}</p>"
        body_html = body_html.replace(placeholder, _preview(source, label), 1)
        blocks = [(source, True) if placeholder in b and not k else (b, k) for b, k in blocks]
    html_blocks = sum(1 for b, k in blocks if not k and b.startswith("<!-- wp:html -->"))
    return RenderedBody(body_html, _join(blocks), tuple(kept), html_blocks)


def _join(blocks: list[tuple[str, bool]]) -> str:
    """Blocks with a blank line between them; a kept part that starts or ends with whitespace (classic
    HTML between blocks) brings its own on that side."""
    out, previous = "", None
    for markup, kept in blocks:
        if previous is not None:
            own = (kept and markup[:1].isspace()) or (previous[1] and previous[0][-1:].isspace())
            out += "" if own else "\n\n"
        out += markup
        previous = (markup, kept)
    return out
