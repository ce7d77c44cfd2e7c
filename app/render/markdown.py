"""Markdown to safe HTML, with the typography a reader will see.

Python-Markdown with ``extra`` (tables, footnotes, fenced code, attribute lists, abbreviations,
definition lists), ``smarty`` (curly quotes, en and em dashes, ellipses) and ``sane_lists``. The result
is cleaned with nh3, so raw HTML in a draft can format text but can never run a script or an event
handler, wherever the HTML ends up.
"""

from __future__ import annotations

import html
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import nh3

EXTENSIONS = ["extra", "smarty", "sane_lists"]
EXTENSION_CONFIGS = {"smarty": {"smart_angled_quotes": False}}

ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang", "rel"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "style", "align"},
    "th": {"colspan", "rowspan", "style", "align", "scope"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "file"}
STYLE_PROPERTIES = {"text-align"}

_local = threading.local()
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]")


def _converter() -> markdown.Markdown:
    """One Markdown instance per thread: instances keep state and are not thread-safe."""
    md: markdown.Markdown | None = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(
            extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
        )
        _local.md = md
    return md


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        link_rel=None,
        strip_comments=True,
    )


def local_image_uri(src: str) -> str:
    """Turn a local file path into a ``file:`` URI; leave URLs alone."""
    unescaped = html.unescape(src)
    if _WINDOWS_PATH.match(unescaped) or unescaped.startswith(("/", "~")):
        path = Path(unescaped).expanduser()
        return html.escape(path.as_uri(), quote=True)
    return src


def _localize_images(fragment: str) -> str:
    return _IMG_SRC.sub(lambda m: m.group(1) + local_image_uri(m.group(2)) + m.group(3), fragment)


def render_markdown(text: str) -> str:
    """A Markdown text as a sanitized HTML fragment; local image paths become ``file:`` URIs."""
    md = _converter()
    md.reset()
    return sanitize(_localize_images(md.convert(text)))


_BLOCK_START = re.compile(r"^(#|>|[-*+]\s|=|`{3}|~{3}|\|)")
_ORDERED_START = re.compile(r"^(\d+)([.)]\s)")


def render_inline(text: str) -> str:
    """A one-line text (a headline, a standfirst) with Markdown emphasis and smart typography."""
    line = " ".join(text.split())
    if not line:
        return ""
    # Escape what would make the line a block (a heading, a list, a quote) instead of a sentence.
    line = _BLOCK_START.sub(lambda m: "\\" + m.group(1), line)
    line = _ORDERED_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
    fragment = render_markdown(line)
    return re.sub(r"^<p>(.*)</p>$", r"\1", fragment.strip(), flags=re.DOTALL)


def html_to_text(fragment: str) -> str:
    """The plain text of an HTML fragment, entities decoded ("Don&rsquo;t" → "Don’t")."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def file_uri_to_path(uri: str) -> Path | None:
    """The local path behind a ``file:`` URI, or None for any other URL."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    path = unquote(parts.path)
    if re.match(r"^/[A-Za-z]:/", path):  # file:///C:/... on Windows
        path = path[1:]
    return Path(path)
