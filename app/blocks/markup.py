"""The renderer's HTML as block markup, serialised exactly as the WordPress 6.1 block editor saves it.

The input is what :func:`app.render.markdown.render_markdown` makes (Python-Markdown, cleaned by nh3):
well-formed, one top-level element per block. Each element becomes the core block the editor would
make of it, with the editor's own serialisation: heading levels and ordered lists in the attributes,
list items and quoted paragraphs as inner blocks, tables with no whitespace between their tags and
alignment as classes, captions as ``wp-element-caption``, images in a figure with ``wp-image-N`` and
``size-…`` from the Markdown's classes, code without a language class and with ``[`` escaped. What has
no core block (definition lists, footnotes, raw HTML) goes in an HTML block, which is always valid.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_VOID = {"br", "hr", "img", "col", "wbr", "input", "source", "area", "embed", "meta", "link"}
_ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')
_TABLE_TAG = re.compile(r"\s*(</?(?:table|thead|tbody|tfoot|tr|th|td)\b[^>]*>)\s*")
_ALIGN = re.compile(r'<(t[hd])\b([^>]*?) style="text-align: ?(left|center|right);?"([^>]*)>')
_ISOLATED_URL = re.compile(r"^(\s*https?:)//([^\s<]+\s*)$", re.MULTILINE)


def comment(name: str, attrs: dict[str, Any] | None = None, *, closing: bool = False) -> str:
    """A block delimiter, its attributes as the editor writes them (``--<>&`` escaped)."""
    short = name.removeprefix("core/")
    if closing:
        return f"<!-- /wp:{short} -->"
    if not attrs:
        return f"<!-- wp:{short} -->"
    text = json.dumps(attrs, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("--", "\\u002d\\u002d"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("&", "\\u0026"), ('\\"', "\\u0022")):  # fmt: skip
        text = text.replace(raw, escaped)
    return f"<!-- wp:{short} {text} -->"


def block(name: str, inner: str, attrs: dict[str, Any] | None = None) -> str:
    return f"{comment(name, attrs)}\n{inner}\n{comment(name, closing=True)}"


def elements(fragment: str) -> Iterator[tuple[str, str, str, str]]:
    """The top-level elements of well-formed HTML: (tag, attributes, inner HTML, outer HTML).

    Text between elements is returned as a ``#text`` element when it is more than whitespace.
    """
    depth, start, inner_start, position = 0, 0, 0, 0
    name, attrs = "", ""
    for match in _TAG.finditer(fragment):
        closing, tag, tag_attrs = match.group(1), match.group(2).lower(), match.group(3)
        if depth == 0:
            text = fragment[position : match.start()]
            if text.strip():
                yield "#text", "", text, text
            if closing:
                position = match.end()
                continue
            start, name, attrs = match.start(), tag, tag_attrs
            if tag in _VOID or tag_attrs.endswith("/"):
                yield tag, tag_attrs, "", match.group(0)
                position = match.end()
                continue
            inner_start = match.end()
            depth = 1
        elif tag in _VOID or tag_attrs.endswith("/"):
            continue
        elif closing:
            depth -= 1
            if depth == 0:
                yield name, attrs, fragment[inner_start : match.start()], fragment[start : match.end()]
                position = match.end()
        else:
            depth += 1
    if depth:
        yield name, attrs, fragment[inner_start:], fragment[start:]
    elif fragment[position:].strip():
        yield "#text", "", fragment[position:], fragment[position:]


def attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) or "" for m in _ATTR.finditer(text)}


def _html_block(outer: str) -> str:
    return block("core/html", outer.strip())


def _inline(inner: str) -> str:
    """A paragraph's inner HTML as the editor keeps it: hard breaks as ``<br>``, soft ones as spaces."""
    return re.sub(r"<br\s*/?>\n?", "<br>", inner.strip()).replace("\n", " ")


def _image(attrs: dict[str, str]) -> str:
    classes = attrs.get("class", "").split()
    ids = [int(c[9:]) for c in classes if re.fullmatch(r"wp-image-\d+", c)]
    sizes = [c[5:] for c in classes if c.startswith("size-")]
    block_attrs: dict[str, Any] = {}
    if ids:
        block_attrs["id"] = ids[0]
    if sizes:
        block_attrs["sizeSlug"] = sizes[0]
    if block_attrs:
        block_attrs["linkDestination"] = "none"
    figure_class = "wp-block-image" + (f" size-{sizes[0]}" if sizes else "")
    img_class = f' class="wp-image-{ids[0]}"' if ids else ""
    img = f'<img src="{attrs.get("src", "")}" alt="{attrs.get("alt", "")}"{img_class}/>'
    caption = ""
    if attrs.get("title"):
        text = html.escape(html.unescape(attrs["title"]), quote=False)
        caption = f'<figcaption class="wp-element-caption">{text}</figcaption>'
    return block("core/image", f'<figure class="{figure_class}">{img}{caption}</figure>', block_attrs)


def _paragraph(inner: str) -> str:
    only = list(elements(inner.strip()))
    if len(only) == 1 and only[0][0] == "img":
        return _image(attributes(only[0][1]))
    return block("core/paragraph", f"<p>{_inline(inner)}</p>")


def _list_item(inner: str) -> str:
    parts = list(elements(inner))
    if len(parts) == 1 and parts[0][0] == "p":  # a loose list: one paragraph per item
        inner = parts[0][2]
    nested = [
        (tag, attrs, content, outer) for tag, attrs, content, outer in parts if tag in ("ul", "ol")
    ]
    text = inner
    for _tag, _attrs, _content, outer in nested:
        text = text.replace(outer, "", 1)
    sublists = "".join(_list(tag, attrs, content) for tag, attrs, content, _outer in nested)
    return block("core/list-item", f"<li>{_inline(text)}{sublists}</li>")


def _list(tag: str, attrs_text: str, inner: str) -> str:
    attrs = attributes(attrs_text)
    block_attrs: dict[str, Any] = {}
    open_tag = tag
    if tag == "ol":
        block_attrs["ordered"] = True
        if attrs.get("start", "1").isdigit() and attrs.get("start", "1") != "1":
            block_attrs["start"] = int(attrs["start"])
            open_tag += f' start="{attrs["start"]}"'
    items = [_list_item(content) for name, _a, content, _o in elements(inner) if name == "li"]
    return block("core/list", f"<{open_tag}>" + "\n\n".join(items) + f"</{tag}>", block_attrs)


def _quote(inner: str) -> str:
    parts = list(elements(inner))
    cite = ""
    if parts and parts[-1][0] == "p":
        last = list(elements(parts[-1][2].strip()))
        if len(last) == 1 and last[0][0] == "cite" and last[0][3] == parts[-1][2].strip():
            cite, parts = last[0][3], parts[:-1]
    body = "\n\n".join(_element(*part) for part in parts)
    return block("core/quote", f'<blockquote class="wp-block-quote">{body}{cite}</blockquote>')


def _code(inner: str) -> str:
    code = re.sub(r"^<code\b[^>]*>", "", inner).removesuffix("</code>").removesuffix("\n")
    code = code.replace("[", "&#91;")  # the editor's escape: no shortcode runs in code
    code = _ISOLATED_URL.sub(r"\1&#47;&#47;\2", code)  # and a lone URL is not turned into an embed
    return block("core/code", f'<pre class="wp-block-code"><code>{code}</code></pre>')


def _table(inner: str) -> str:
    table = _TABLE_TAG.sub(r"\1", inner)
    table = _ALIGN.sub(r'<\1\2 class="has-text-align-\3" data-align="\3"\4>', table)
    head = re.match(r"<thead><tr>((?:<th>\s*</th>)+)</tr></thead>", table)
    if head:  # a header row with nothing in it: the table had none (pull writes an empty one)
        table = table[head.end() :]
    return block("core/table", f'<figure class="wp-block-table"><table>{table}</table></figure>')


def _element(tag: str, attrs: str, inner: str, outer: str) -> str:  # noqa: PLR0911 -- a table of kinds
    if tag == "p" and not attrs.strip():
        return _paragraph(inner)
    if re.fullmatch(r"h[1-6]", tag) and not attrs.strip():
        level = int(tag[1])
        text = f"<{tag}>{_inline(inner)}</{tag}>"
        return block("core/heading", text, {"level": level} if level != 2 else None)  # noqa: PLR2004
    if tag in ("ul", "ol"):
        return _list(tag, attrs, inner)
    if tag == "blockquote" and not attrs.strip():
        return _quote(inner)
    if tag == "pre" and not attrs.strip() and inner.startswith("<code"):
        return _code(inner)
    if tag == "hr":
        return block("core/separator", '<hr class="wp-block-separator has-alpha-channel-opacity"/>')
    if tag == "table" and not attrs.strip():
        return _table(inner)
    return _html_block(outer)


def to_blocks(fragment: str) -> list[str]:
    """The renderer's HTML as a list of serialised blocks (join them with a blank line)."""
    return [_element(*element) for element in elements(fragment)]


def group(class_name: str, tag: str, inner_blocks: list[str]) -> str:
    """A group block (``aside``, ``footer``...) with a class, around blocks: how boilerplate goes out."""
    attrs = {"tagName": tag, "className": class_name}
    inner = "\n\n".join(inner_blocks)
    return block("core/group", f'<{tag} class="wp-block-group {class_name}">{inner}</{tag}>', attrs)
