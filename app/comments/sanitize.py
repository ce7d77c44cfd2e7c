"""Reader comments are hostile HTML: clean them before anything shows them.

Two steps. nh3 (the Rust ammonia library) keeps an allow-list of harmless tags and attributes and
only http, https and mailto links; it drops scripts, styles, event handlers, ``javascript:`` and
``data:`` URLs, comments and everything unknown, with their content where it is code. Then a rewrite
of what nh3 left (well-formed, attributes quoted) makes it safe *to look at*:

- every picture becomes a placeholder link ``[image: host]`` (``copydesk-image:N``), so nothing is
  fetched (no tracking pixels) until the user asks; asked, the pictures given in *images* are shown;
- every link keeps its real target in its title and, when its words do not already show the host,
  ``(host)`` after it, so "paypal.com" pointing elsewhere says where it goes;
- a link whose target nh3 removed (``javascript:`` and the like) is marked ``[unsafe link removed]``;
- the invisible characters that can disguise text (bidi overrides, embeddings, isolates and marks,
  zero-width spaces and joiners, the byte-order mark) are shown as a marker such as ``⟨U+202E⟩`` in a
  ``hidden-char`` span, so a name written backwards behind U+202E, or "Bob" + U+2066 + "gnp.exe" +
  U+2069, cannot pass for something else. :func:`reveal` does the same for plain text (author names,
  link targets, previews). A joiner or non-joiner is left alone where it does real work: inside an
  emoji sequence, or between letters of a script that spells with it (Persian, Devanagari...).

Text is passed through as it is otherwise: accents, macrons, right-to-left scripts and emoji stay
intact. Only what is shown is changed; the stored comment keeps its characters.
"""

from __future__ import annotations

import html
import re
import unicodedata
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

BIDI_CONTROLS = (
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
    "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
)
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u180e\u2061\u2062\u2063\u2064"
HIDDEN = BIDI_CONTROLS + ZERO_WIDTH
_HIDDEN = re.compile(f"[{HIDDEN}]")


def marker(char: str) -> str:
    """How a hidden character is shown: ``⟨U+202E⟩``."""
    return f"⟨U+{ord(char):04X}⟩"


def has_hidden(text: str) -> bool:
    return _HIDDEN.search(text) is not None


def _joins(char: str) -> bool:
    """Whether a joiner beside *char* may be doing its real work: in an emoji sequence, or in a
    script that spells with joiners (Arabic, Persian, Indic...), as opposed to Latin text or a URL."""
    if not char:
        return False
    kind = unicodedata.category(char)
    if kind in ("So", "Sk") or 0xFE00 <= ord(char) <= 0xFE0F or 0x1F3FB <= ord(char) <= 0x1F3FF:
        return True
    return ord(char) >= 0x0590 and kind[0] in "LM"


def _needs_marker(match: re.Match[str]) -> bool:
    char = match.group(0)
    if char not in "\u200c\u200d":
        return True
    text, at = match.string, match.start()
    before = text[at - 1] if at > 0 else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    return not (_joins(before) and _joins(after))


def reveal(text: str) -> str:
    """*text* with each hidden character replaced by its visible marker (for plain-text display)."""
    return _HIDDEN.sub(lambda m: marker(m.group(0)) if _needs_marker(m) else m.group(0), text)


def reveal_html(escaped: str) -> str:
    """Escaped HTML text with each hidden character shown as a marker in a ``hidden-char`` span."""

    def span(match: re.Match[str]) -> str:
        char = match.group(0)
        if not _needs_marker(match):
            return char
        name = unicodedata.name(char, "invisible character").title()
        return f'<span class="hidden-char" title="{name}">{marker(char)}</span>'

    return _HIDDEN.sub(span, escaped)


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


def _same(text: str) -> str:
    return text


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


class _Rewriter(HTMLParser):
    def __init__(self, images: Mapping[str, int] | None, *, show_hidden: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self._reveal = reveal if show_hidden else _same
        self._reveal_html = reveal_html if show_hidden else _same
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
                self.out.append(f'<a href="{_attr(href)}" title="{_attr(self._reveal(href))}">')
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
        if self._reveal is reveal and has_hidden(href):  # where it goes, hidden characters shown
            target = self._reveal_html(html.escape(host if has_hidden(host) else href))
            self.out.append(f' <span class="link-target">({target})</span>')
        elif host and host.casefold() not in words.casefold():
            self.out.append(f' <span class="link-target">({html.escape(host)})</span>')

    def handle_data(self, data: str) -> None:
        self.out.append(self._reveal_html(html.escape(data, quote=False)))

    def _image(self, src: str, alt: str) -> None:
        if not src:
            return
        number = len(self.images)
        self.images.append(src)
        width = self._show.get(src)
        if width is not None:
            size = f' width="{int(width)}"' if width > 0 else ""
            self.out.append(f'<img src="{_attr(src)}" alt="{_attr(self._reveal(alt))}"{size}>')
            return
        label = f"image: {host_of(src)}"
        if alt:
            label += f" — {alt}"
        self.out.append(
            f'<a class="image" href="{IMAGE_SCHEME}:{number}" title="{_attr(self._reveal(src))}">'
            f"[{self._reveal_html(html.escape(label))}]</a>"
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
        rewriter = _Rewriter(None, show_hidden=False)  # stored as it is; shown with reveal()
        rewriter.feed(clean(fragment))
        rewriter.close()
        fragment = "".join(rewriter.out)
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", fragment)
    text = html.unescape(nh3.clean(marked, tags=set(), strip_comments=True))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
