"""One core block as the Markdown a columnist edits, or None when Markdown has no way to say it.

A candidate only: :mod:`app.blocks.pull` keeps it when pushing it back gives the very same bytes.
The renderer's typography (smarty: curly quotes, dashes, ellipses) would change what the editor
wrote, so straight quotes, ``--`` and ``...`` in the text are written with a backslash (``\\'``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

from app.blocks.markup import attributes, elements
from app.blocks.parser import Block

_DELIMITER = re.compile(r"<!--\s+/?wp:[^>]*?-->")
_PIECES = re.compile(r"(<code\b.*?</code>|<[^>]+>)", re.DOTALL)
# private-use stand-ins that markdownify passes through untouched
_STAND_INS = {"'": "\ue000", '"': "\ue001", "-": "\ue002", ".": "\ue003"}
_ESCAPES = {v: "\\" + k for k, v in _STAND_INS.items()}
_CITE = ("\ue010", "\ue011")


def html_to_markdown(fragment: str) -> str:
    """HTML (no block delimiters) as Markdown, converted as a pull converts classic posts."""
    soup = BeautifulSoup(fragment, "html.parser")
    text = MarkdownConverter(heading_style="ATX", bullets="-").convert_soup(soup)
    text = re.sub(r"[ \t]+\n", lambda m: "  \n" if m.group(0).startswith("  ") else "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _guard_text(fragment: str) -> str:
    """Mark the text that smarty would change, outside tags and code."""

    def text(part: str) -> str:
        part = part.replace("'", _STAND_INS["'"]).replace('"', _STAND_INS['"'])
        part = re.sub(r"-{2,}", lambda m: _STAND_INS["-"] * len(m.group(0)), part)
        return re.sub(r"\.{3,}", lambda m: _STAND_INS["."] * len(m.group(0)), part)

    pieces = _PIECES.split(fragment)
    return "".join(p if i % 2 else text(p) for i, p in enumerate(pieces))


def _finish(markdown: str) -> str:
    for stand_in, escaped in _ESCAPES.items():
        markdown = markdown.replace(stand_in, escaped)
    return markdown.replace(_CITE[0], "<cite>").replace(_CITE[1], "</cite>").strip()


def _plain(source: str) -> str:
    return _DELIMITER.sub("", source)


def _prose(block: Block, source: str) -> str | None:
    plain = _plain(source)
    if block.name == "core/quote":
        plain = re.sub(
            r"<cite>(.*?)</cite></blockquote>",
            lambda m: f"<p>{_CITE[0]}{m.group(1)}{_CITE[1]}</p></blockquote>",
            plain,
            flags=re.DOTALL,
        )
    markdown = _finish(html_to_markdown(_guard_text(plain)))
    if block.name == "core/list":  # markdownify indents by the marker's width, Markdown wants 4
        markdown = re.sub(r"^( +)", lambda m: " " * (2 * len(m.group(1))), markdown, flags=re.M)
    return markdown


def _code(block: Block, source: str) -> str | None:
    match = re.fullmatch(
        r'\s*<pre class="wp-block-code"><code>(.*)</code></pre>\s*', block.inner_html, re.DOTALL
    )
    if match is None or "<" in match.group(1):
        return None
    code = html.unescape(match.group(1))
    fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", code)), default=0))
    return f"{fence}\n{code}\n{fence}"


def _image(block: Block, source: str) -> str | None:
    found = list(elements(block.inner_html.strip()))
    if len(found) != 1 or found[0][0] != "figure":
        return None
    parts = list(elements(found[0][2]))
    if not parts or parts[0][0] != "img":
        return None
    img = attributes(parts[0][1])
    caption = ""
    if len(parts) == 2 and parts[1][0] == "figcaption":  # noqa: PLR2004 -- image, caption
        if "<" in parts[1][2]:
            return None
        caption = html.unescape(parts[1][2]).replace("\\", "\\\\").replace('"', '\\"')
    elif len(parts) != 1:
        return None
    classes = [c for c in img.get("class", "").split() if c.startswith("wp-image-")]
    classes += [c for c in attributes(found[0][1]).get("class", "").split() if c.startswith("size-")]
    alt = html.unescape(img.get("alt", "")).replace("]", "\\]")
    title = f' "{caption}"' if caption else ""
    attr_list = "{" + " ".join("." + c for c in classes) + "}" if classes else ""
    return f"![{alt}]({html.unescape(img.get('src', ''))}{title}){attr_list}"


def _table(block: Block, source: str) -> str | None:
    match = re.fullmatch(
        r'\s*<figure class="wp-block-table"><table>(.*)</table></figure>\s*', block.inner_html, re.S
    )
    if match is None:
        return None
    rows = re.findall(r"<tr>(.*?)</tr>", match.group(1), re.DOTALL)
    grid = [re.findall(r"<t[hd]>(.*?)</t[hd]>", row, re.DOTALL) for row in rows]
    if not grid or any(len(row) != len(grid[0]) for row in grid):
        return None
    cells = [[_finish(html_to_markdown(_guard_text(c))).replace("|", "\\|") for c in r] for r in grid]
    if "<thead>" not in match.group(1):
        cells.insert(0, [" "] * len(grid[0]))
    lines = ["| " + " | ".join(row) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("---" for _ in grid[0]) + "|")
    return "\n".join(lines)


_CONVERTERS: dict[str, Callable[[Block, str], str | None]] = {
    "core/paragraph": _prose,
    "core/heading": _prose,
    "core/list": _prose,
    "core/quote": _prose,
    "core/separator": lambda _block, _source: "---",
    "core/code": _code,
    "core/image": _image,
    "core/table": _table,
}


def block_markdown(block: Block, source: str) -> str | None:
    convert = _CONVERTERS.get(block.name or "")
    if convert is None:
        return None
    try:
        return convert(block, source)
    except (ValueError, IndexError):
        return None
