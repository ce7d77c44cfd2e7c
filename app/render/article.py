"""A piece as a published article: the header, the content and the whole HTML document.

``content_html`` (body, call-to-action snippets, disclaimer) is exactly what a push sends as the post's
content and exactly what the preview shows under the header; ``document_html`` wraps it in the article
template and stylesheet from ``resources/article`` for the preview and the HTML export.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from string import Template

from app import version
from app.blocks.body import render_body
from app.blocks.markup import group, to_blocks
from app.pieces.data import Boilerplate, PieceData
from app.render.markdown import html_to_text, local_image_uri, render_inline, render_markdown
from app.text import stats as textstats

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@functools.cache
def default_stylesheet() -> str:
    import resources

    return resources.read_text("article", "article.css")


@functools.cache
def _template() -> Template:
    import resources

    return Template(resources.read_text("article", "template.html"))


def date_label(moment: datetime) -> str:
    """``26 November 2026`` in every locale: a column's dateline does not follow the desktop's."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


@dataclass(frozen=True)
class ArticleParts:
    header_html: str
    content_html: str
    content_markup: str = ""  # the same content as WordPress block markup (app.blocks.markup)
    kept_blocks: tuple[tuple[str, str], ...] = ()  # the site's blocks kept as they are: (label, source)
    html_blocks: int = 0  # parts of the body with no core block, sent as HTML blocks


@dataclass(frozen=True)
class RenderedArticle:
    parts: ArticleParts
    document_html: str
    title_text: str
    stats: textstats.TextStats
    shell_html: str  # the document with an empty header and content, for patching in place
    stylesheet: str  # the one in the document (the preview reloads its shell when it changes)

    @property
    def content_html(self) -> str:
        return self.parts.content_html

    @property
    def header_html(self) -> str:
        return self.parts.header_html

    @property
    def content_markup(self) -> str:
        """What a push sends to a block-editor site: :attr:`content_html` as block markup."""
        return self.parts.content_markup


def _header(piece: PieceData, headline: str, moment: datetime) -> str:
    lines = [f'<h1 class="cd-headline">{headline}</h1>']
    if piece.standfirst.strip():
        lines.append(f'<p class="cd-standfirst">{render_inline(piece.standfirst)}</p>')
    byline = ""
    if piece.byline.strip():
        byline = f'<span class="cd-author">{html.escape(piece.byline.strip())}</span>'
    stamp = moment.isoformat(timespec="minutes")
    lines.append(
        f'<p class="cd-byline">{byline}'
        f'<time class="cd-date" datetime="{stamp}">{date_label(moment)}</time></p>'
    )
    if piece.featured_image.strip():
        src = local_image_uri(html.escape(piece.featured_image.strip(), quote=True))
        lines.append(f'<figure class="cd-featured"><img src="{src}" alt=""></figure>')
    return "\n".join(lines)


def _content(body_html: str, disclaimer: Boilerplate | None, snippets: Sequence[Boilerplate]) -> str:
    blocks = [body_html] if body_html else []
    blocks.extend(f'<aside class="cd-cta">\n{render_markdown(s.body)}\n</aside>' for s in snippets)
    if disclaimer is not None:
        blocks.append(f'<footer class="cd-disclaimer">\n{render_markdown(disclaimer.body)}\n</footer>')
    return "\n".join(blocks)


def _markup(body_markup: str, disclaimer: Boilerplate | None, snippets: Sequence[Boilerplate]) -> str:
    """:func:`_content` as block markup: the boilerplate as group blocks with its classes."""
    blocks = [body_markup] if body_markup else []
    for snippet in snippets:
        blocks.append(group("cd-cta", "aside", to_blocks(render_markdown(snippet.body))))
    if disclaimer is not None:
        blocks.append(group("cd-disclaimer", "footer", to_blocks(render_markdown(disclaimer.body))))
    return "\n\n".join(blocks)


def render_article(
    piece: PieceData,
    *,
    disclaimer: Boilerplate | None = None,
    snippets: Sequence[Boilerplate] = (),
    stylesheet: str | None = None,
    now: datetime | None = None,
    zone: tzinfo | None = None,
    lang: str = "en",
) -> RenderedArticle:
    """Render *piece* as it will be published.

    The dateline is the scheduled publication time when there is one, otherwise *now*; both are shown
    in *zone* (the user's local zone by default).
    """
    moment = piece.publish_at or now or datetime.now().astimezone()
    moment = moment.astimezone(zone) if zone is not None else moment.astimezone()
    body = render_body(piece.body)  # Markdown, and the site's blocks kept as they are
    headline = render_inline(piece.title)
    parts = ArticleParts(
        header_html=_header(piece, headline, moment),
        content_html=_content(body.html, disclaimer, snippets),
        content_markup=_markup(body.markup, disclaimer, snippets),
        kept_blocks=body.kept,
        html_blocks=body.html_blocks,
    )
    title_text = html_to_text(headline)
    css = stylesheet if stylesheet is not None else default_stylesheet()
    page = {
        "lang": html.escape(lang),
        "version": html.escape(version()),
        "title_text": html.escape(title_text or "Untitled"),
        "stylesheet": css,
    }
    template = _template()
    return RenderedArticle(
        parts=parts,
        document_html=template.substitute(page, header=parts.header_html, content=parts.content_html),
        title_text=title_text,
        stats=textstats.count(piece.body),
        shell_html=template.substitute(page, header="", content=""),
        stylesheet=css,
    )
