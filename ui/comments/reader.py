"""One comment in full, as safe HTML in a text browser that fetches nothing and runs nothing.

:class:`QTextBrowser` has no script engine at all; this one also loads no resource by itself
(:meth:`CommentReader.loadResource` answers only with pictures the user asked for, fetched by the core)
and never follows a link: a click on a web link is reported (the desk opens it in the user's browser),
a click on an ``[image: host]`` placeholder asks for the comment's pictures.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QImage, QPalette, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from app.comments import CommentData
from app.comments.sanitize import IMAGE_SCHEME, comment_html, host_of, reveal, reveal_html
from ui.library.model import relative_time

log = logging.getLogger(__name__)

MAX_IMAGE_WIDTH = 560
QUOTE_CHARS = 220


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _shown(text: str) -> str:
    """Text for the page: escaped, hidden characters (bidi overrides...) shown as markers."""
    return reveal_html(_escape(text))


class CommentReader(QTextBrowser):
    link_activated = Signal(QUrl)  # a web link in the comment was clicked
    images_requested = Signal(int)  # comment id: the user asked for its pictures

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentReader")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.document().setDocumentMargin(14)
        self.comment: CommentData | None = None
        self._images: dict[str, QImage] = {}  # url -> picture the user asked for
        self._shown: dict[int, dict[str, int]] = {}  # comment id -> url -> width to show it at
        self.refused: list[str] = []  # what the document asked for and did not get (for tests)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.show_comment(None)

    # -- resources: nothing from anywhere unless asked -------------------------------------------

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        address = QUrl(url).toString()
        image = self._images.get(address)
        wanted = QTextDocument.ResourceType.ImageResource
        if image is not None and kind in (wanted, wanted.value):
            return image
        self.refused.append(address)
        del self.refused[:-50]
        return None

    def add_image(self, comment_id: int, url: str, data: bytes) -> bool:
        """A picture the core fetched for a comment; shown at once. False when it is not a picture."""
        image = QImage.fromData(data)
        if image.isNull():
            return False
        self._images[url] = image
        width = min(image.width(), MAX_IMAGE_WIDTH, max(self.viewport().width() - 60, 120))
        self._shown.setdefault(comment_id, {})[url] = width
        if self.comment is not None and self.comment.id == comment_id:
            self.show_comment(self.comment)
        return True

    def images_shown(self, comment_id: int) -> dict[str, int]:
        return dict(self._shown.get(comment_id, {}))

    # -- showing ---------------------------------------------------------------------------------

    def show_comment(self, comment: CommentData | None, parent_text: str = "") -> None:
        self.comment = comment
        self._parent_text = parent_text if comment is not None else ""
        self.document().setDefaultStyleSheet(self._style())
        if comment is None:
            self.setHtml("<p class='empty'>Choose a comment to read it in full.</p>")
            return
        self.setHtml(self._page(comment))

    def _style(self) -> str:
        palette = self.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        link = palette.color(QPalette.ColorRole.Link).name()
        return (
            f"a {{ color: {link}; }} "
            f".meta, .link-target, .empty {{ color: {muted}; }} "
            f".link-removed {{ color: {muted}; text-decoration: line-through; }} "
            f"blockquote {{ margin-left: 12px; color: {muted}; }} "
            f".problem {{ color: #c0392b; }} .pending {{ color: #2f6fb5; }} "
            f".quote {{ color: {muted}; }} "
            f".hidden-char {{ color: #c0392b; background-color: #fde4e1; font-family: monospace; }}"
        )

    def _page(self, comment: CommentData) -> str:
        parts = [f"<p><b>{_shown(comment.author_name or 'Anonymous')}</b>"]
        if comment.author_url.startswith(("http://", "https://")):
            url = _escape(comment.author_url)
            parts.append(
                f" <span class='meta'>· <a href='{url}' title='{_escape(reveal(comment.author_url))}'>"
                f"{_shown(host_of(comment.author_url))}</a></span>"
            )
        local = comment.date.astimezone()
        when = f"{local.day} {local:%B %Y, %H:%M}"
        meta = [when, comment.status_label]
        if comment.votes:
            meta.append(f"{comment.votes} votes")
        parts.append(f"<br><span class='meta'>{_escape(' · '.join(meta))}</span></p>")
        if comment.parent_author:
            quote = " ".join(self._parent_text.split())
            if len(quote) > QUOTE_CHARS:
                quote = quote[: QUOTE_CHARS - 1].rstrip() + "…"
            parts.append(
                f"<p class='quote'>Reply to <b>{_shown(comment.parent_author)}</b>"
                + (f": “{_shown(quote)}”" if quote else "")
                + "</p>"
            )
        if comment.pending:
            parts.append(f"<p class='pending'>{_escape(comment.pending_label)}.</p>")
        if comment.problem:
            parts.append(f"<p class='problem'>{_escape(comment.problem)}</p>")
        body = comment_html(comment.html, images=self._shown.get(comment.id))
        parts.append(f"<div>{body}</div>")
        footer = [f"on “{_shown(comment.post_title)}”"] if comment.post_title else []
        if comment.link:
            link = _escape(comment.link)
            footer.append(
                f"<a href='{link}' title='{_escape(reveal(comment.link))}'>open on the site</a>"
            )
        footer.append(f"first seen {relative_time(comment.first_seen_at)}")
        parts.append(f"<p class='meta'>{' · '.join(footer)}</p>")
        return "".join(parts)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == IMAGE_SCHEME:
            if self.comment is not None:
                self.images_requested.emit(self.comment.id)
            return
        if url.scheme() in ("http", "https", "mailto"):
            self.link_activated.emit(url)
