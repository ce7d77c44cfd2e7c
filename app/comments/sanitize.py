"""Reader comments are hostile HTML: clean them before anything shows them.

Two steps. nh3 (the Rust ammonia library) keeps an allow-list of harmless tags and attributes and
only http, https and mailto links; it drops scripts, styles, event handlers, ``javascript:`` and
``data:`` URLs, comments and everything unknown, with their content where it is code. Then a rewrite
of what nh3 left (well-formed, attributes quoted) makes it safe *to look at*:

- every picture becomes a placeholder link ``[image: host]`` (``copydesk-image:N``), so nothing is
  fetched (no tracking pixels) until the user asks; asked, the pictures given in *images* are shown;
- every link keeps its real target in its title and, when its words do not already show the host,
  ``(host)`` after it, so "paypal.com" pointing elsewhere says where it goes;
- a link whose target nh3 removed (``javascript:`` and the like) is marked ``[unsafe link removed]``.

Text is passed through as it is: accents, macrons, right-to-left scripts and emoji stay intact.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

TAGS = {
    "p", "br", "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "blockquote", "q", "cite",
    "code", "pre", "ul", "ol", "li", "sub", "sup", "abbr", "img",
}  # fmt: skip
ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
IMAGE_SCHEME = "copydesk-image"
_VOID = {"br", "img"}
_BLOCK_END = re.compile(r"</(?:p|blockquote|li|pre)>|<br\s*/?>", re.IGNORECASE)


def clean(fragment: str) -> str:
    """The allow-listed HTML of a comment (nh3 only; see :func:`comment_html` for display)."""
    return nh3.clean(
        fragment,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def host_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return parts.path
    return parts.hostname or url


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


class _Rewriter(HTMLParser):
    def __init__(self, images: Mapping[str, int] | None) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.images: list[str] = []
        self._show = images or {}
        self._links: list[tuple[str, int]] = []  # (href, position in out where its text starts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "img":
            self._image(values.get("src", ""), values.get("alt", ""))
            return
        if tag == "a":
            href = values.get("href", "")
            self._links.append((href, len(self.out) + 1))
            if href:
                self.out.append(f'<a href="{_attr(href)}" title="{_attr(href)}">')
            else:
                self.out.append('<span class="link-removed">')
            return
        kept = "".join(f' {n}="{_attr(v)}"' for n, v in values.items() if n in ATTRIBUTES.get(tag, ()))
        self.out.append(f"<{tag}{kept}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag != "a":
            self.out.append(f"</{tag}>")
            return
        if not self._links:
            return
        href, start = self._links.pop()
        if not href:
            self.out.append('</span> <span class="link-target">[unsafe link removed]</span>')
            return
        self.out.append("</a>")
        words = html.unescape("".join(re.sub(r"<[^>]+>", "", part) for part in self.out[start:]))
        host = host_of(href)
        if host and host.casefold() not in words.casefold():
            self.out.append(f' <span class="link-target">({html.escape(host)})</span>')

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def _image(self, src: str, alt: str) -> None:
        if not src:
            return
        number = len(self.images)
        self.images.append(src)
        width = self._show.get(src)
        if width is not None:
            size = f' width="{int(width)}"' if width > 0 else ""
            self.out.append(f'<img src="{_attr(src)}" alt="{_attr(alt)}"{size}>')
            return
        label = f"image: {host_of(src)}"
        if alt:
            label += f" — {alt}"
        self.out.append(
            f'<a class="image" href="{IMAGE_SCHEME}:{number}" title="{_attr(src)}">'
            f"[{html.escape(label)}]</a>"
        )


def comment_html(fragment: str, *, images: Mapping[str, int] | None = None) -> str:
    """A comment's HTML, safe to show. Pictures stay placeholders except those in *images*
    (URL → width in pixels to show them at, 0 for their own), which the caller has fetched."""
    rewriter = _Rewriter(images)
    rewriter.feed(clean(fragment))
    rewriter.close()
    return "".join(rewriter.out)


def image_urls(fragment: str) -> list[str]:
    """The pictures a comment would show, in order (after cleaning: only http and https)."""
    rewriter = _Rewriter(None)
    rewriter.feed(clean(fragment))
    rewriter.close()
    return [url for url in rewriter.images if urlsplit(url).scheme in ("http", "https")]


def plain_text(fragment: str) -> str:
    """The words of a comment, paragraphs on lines of their own, without any markup.

    Links keep their real host after their words and pictures become ``[image: host]``, as in
    :func:`comment_html`, so a preview never shows "paypal.com" alone for a link that goes elsewhere.
    """
    if "<a" in fragment or "<img" in fragment or "<A" in fragment or "<IMG" in fragment:
        fragment = comment_html(fragment)
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", fragment)
    text = html.unescape(nh3.clean(marked, tags=set(), strip_comments=True))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
