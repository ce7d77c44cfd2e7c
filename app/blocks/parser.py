"""WordPress block markup parsed the way WordPress's default block parser does it.

The grammar (``<!-- wp:name {attrs} -->…<!-- /wp:name -->``, void blocks ending in ``/-->``, text
outside any block as "freeform" blocks with no name) and its error handling follow the default parser
of WordPress 6.1, so a post splits here exactly as PHP's ``parse_blocks()`` splits it; the tests hold
the two against each other on the corpus in ``tests/data/blocks/``. Each block also keeps where it
starts and ends in the document, so an unparsed part can be sent back byte for byte.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

# PCRE's \s without the u flag: ASCII whitespace only (Python's \s would take U+00A0 and the like).
_S = r"[ \t\n\x0b\x0c\r]"
_TOKEN = re.compile(
    rf"<!--{_S}+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*){_S}+"
    rf"(?P<attrs>\{{(?:(?:[^}}]+|\}}+(?=\}})|(?!\}}{_S}+/?-->).)*+)?\}}{_S}+)?(?P<void>/)?-->",
    re.DOTALL,
)


@dataclass
class Block:
    """One block; ``name`` is None for freeform HTML.

    ``inner_content`` holds the HTML around the inner blocks, with None where each one sits.
    """

    name: str | None
    attrs: dict[str, Any] | None
    inner_blocks: list[Block] = field(default_factory=list)
    inner_html: str = ""
    inner_content: list[str | None] = field(default_factory=list)
    start: int = 0  # offsets of the whole block (its comments included) in the document
    end: int = 0

    def as_php(self) -> dict[str, Any]:
        """The shape ``parse_blocks()`` returns (for comparing with PHP)."""
        return {
            "blockName": self.name,
            "attrs": self.attrs,
            "innerBlocks": [b.as_php() for b in self.inner_blocks],
            "innerHTML": self.inner_html,
            "innerContent": list(self.inner_content),
        }


@dataclass
class _Frame:
    block: Block
    token_start: int
    token_length: int
    prev_offset: int
    leading_html_start: int | None


def _decode(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None  # PHP's json_decode() gives null for bad JSON
    return value if isinstance(value, dict) else None


def _filled(html: str) -> bool:
    return html not in ("", "0")  # PHP's !empty(): "0" counts as empty


class _Parser:
    def __init__(self, document: str) -> None:
        self.doc = document
        self.offset = 0
        self.output: list[Block] = []
        self.stack: list[_Frame] = []

    def run(self) -> list[Block]:
        while self._proceed():
            pass
        return self.output

    def _freeform(self, start: int, end: int) -> Block:
        html = self.doc[start:end]
        return Block(None, {}, [], html, [html], start, end)

    def _add_freeform(self) -> None:
        if self.offset < len(self.doc):
            self.output.append(self._freeform(self.offset, len(self.doc)))

    def _add_inner(self, block: Block, token_start: int, token_length: int, last: int | None) -> None:
        parent = self.stack[-1]
        parent.block.inner_blocks.append(block)
        html = self.doc[parent.prev_offset : token_start]
        if _filled(html):
            parent.block.inner_html += html
            parent.block.inner_content.append(html)
        parent.block.inner_content.append(None)
        parent.prev_offset = last if last else token_start + token_length

    def _add_from_stack(self, end_offset: int | None, token_end: int | None) -> None:
        top = self.stack.pop()
        html = self.doc[top.prev_offset : end_offset]
        if _filled(html):
            top.block.inner_html += html
            top.block.inner_content.append(html)
        if top.leading_html_start is not None:
            self.output.append(self._freeform(top.leading_html_start, top.token_start))
        top.block.end = token_end if token_end is not None else len(self.doc)
        self.output.append(top.block)

    def _proceed(self) -> bool:
        match = _TOKEN.search(self.doc, self.offset)
        if match is None:
            if not self.stack:
                self._add_freeform()
            while self.stack:
                self._add_from_stack(None, None)
            return False
        start, end = match.span()
        name = (match["namespace"] or "core/") + match["name"]
        attrs = _decode(match["attrs"]) if match["attrs"] is not None else {}
        if match["void"]:
            self._void(Block(name, attrs, [], "", [], start, end))
        elif match["closer"]:
            if not self.stack:
                self._add_freeform()  # a closer with no opener: the rest is freeform
                return False
            self._close(start, end)
        else:
            leading = self.offset if start > self.offset else None
            block = Block(name, attrs, [], "", [], start, end)
            self.stack.append(_Frame(block, start, end - start, end, leading))
        self.offset = end
        return True

    def _void(self, block: Block) -> None:
        if self.stack:
            self._add_inner(block, block.start, block.end - block.start, None)
            return
        if block.start > self.offset:
            self.output.append(self._freeform(self.offset, block.start))
        self.output.append(block)

    def _close(self, start: int, end: int) -> None:
        if len(self.stack) == 1:
            self._add_from_stack(start, end)
            return
        top = self.stack.pop()
        html = self.doc[top.prev_offset : start]
        top.block.inner_html += html
        top.block.inner_content.append(html)
        top.prev_offset = end
        top.block.end = end
        self._add_inner(top.block, top.token_start, top.token_length, end)


def parse_blocks(document: str) -> list[Block]:
    """The document's top-level blocks, as WordPress's ``parse_blocks()`` returns them."""
    return _Parser(document).run()
