"""A post's block markup as a piece's Markdown body, with nothing lost.

Each top-level block becomes Markdown only when that Markdown, pushed back, gives the very same bytes
(:func:`app.blocks.body.render_body` is the judge); every other block is kept as it is, in a marked
region (:func:`app.blocks.body.kept_region`). Blocks are separated by a blank line, as the editor
writes them; any other separator (CRLF line endings, no blank line, text between blocks) is kept by
keeping the blocks around it. Finally the whole body is rendered again and compared with the post:
a block whose Markdown merges with its neighbour (two lists in a row) is kept instead. "The same
bytes" allows one difference: kses writes void tags as ``<img … />`` when an author saves, and does
so again on the author's next save, so that difference alone does not keep a block.

Copydesk's own additions (the call-to-action and disclaimer groups, the marker) are taken out: they
are library entries of the piece and come back on the next push.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.blocks.body import kept_region, render_body
from app.blocks.parser import Block, parse_blocks
from app.blocks.tomd import block_markdown

SEPARATOR = "\n\n"
OWN_CLASSES = ("cd-cta", "cd-disclaimer")
_MARKER = re.compile(r"^\s*<!-- copydesk:[0-9a-f-]{36} -->\s*$")
_KSES_VOID = re.compile(r'(<(?:img|br|hr|source|input)\b[^<>]*?") />')
_OWN_HTML = re.compile(
    r'\s*(?:<aside class="cd-cta">.*?</aside>|<footer class="cd-disclaimer">.*?</footer>'
    r"|(?<!-->\n)<!-- copydesk:[0-9a-f-]{36} -->(?!\n<!-- /wp:html))",
    re.DOTALL,
)


@dataclass
class _Unit:
    start: int
    end: int
    blocks: list[Block]
    markdown: str | None = None  # None: kept as it is

    @property
    def name(self) -> str:
        first = self.blocks[0].name or "classic"
        return first if len(self.blocks) == 1 else f"{first} and {len(self.blocks) - 1} more"


@dataclass(frozen=True)
class PulledBody:
    markdown: str
    kept: tuple[str, ...]  # the blocks kept as they are, by name


def has_blocks(content: str) -> bool:
    return any(block.name for block in parse_blocks(content))


def _own(block: Block) -> bool:
    """A block that Copydesk adds to every push (boilerplate, the marker)."""
    classes = str((block.attrs or {}).get("className", "")).split()
    if block.name == "core/group" and any(c in OWN_CLASSES for c in classes):
        return True
    return block.name == "core/html" and bool(_MARKER.match(block.inner_html))


def _units(blocks: list[Block]) -> list[_Unit]:
    """Runs of blocks joined by exactly one blank line (other whitespace glues them together), and
    each stretch of classic HTML between blocks with the whitespace around it."""
    units: list[_Unit] = []
    separated = False
    for block in blocks:
        classic = block.name is None and bool(block.inner_html.strip())
        if block.name is None and block.inner_html == SEPARATOR and units and not separated:
            separated = True
        elif classic or (block.name is not None and (not units or separated)):
            units.append(_Unit(block.start, block.end, [block]))
            separated = classic
        elif units:
            units[-1].end, units[-1].markdown = block.end, None
            units[-1].blocks.append(block)
            separated = False
        else:
            units.append(_Unit(block.start, block.end, [block]))
    if separated and units[-1].blocks[-1].name is not None:  # a blank line after the last block
        units[-1].end += len(SEPARATOR)
    return units


def _markdown(units: list[_Unit], content: str) -> str:
    return SEPARATOR.join(
        unit.markdown
        if unit.markdown is not None
        else kept_region(content[unit.start : unit.end], unit.name)
        for unit in units
    )


def pull_body(content: str) -> PulledBody:
    """*content* (``content.raw`` of a block post) as Markdown; see the module's documentation."""
    mine = _strip_own(content)
    units = _units(parse_blocks(mine))
    for unit in units:
        source = mine[unit.start : unit.end]
        if len(unit.blocks) == 1 and unit.blocks[0].name and unit.end == unit.blocks[0].end:
            candidate = block_markdown(unit.blocks[0], source)
            if candidate is not None and _same(render_body(candidate).markup, source):
                unit.markdown = candidate
    text = _markdown(units, mine)
    for _ in units:
        markup = render_body(text).markup
        if _same(markup, mine):
            break
        _keep_where_it_differs(units, _kses(mine), _kses(markup))
        text = _markdown(units, mine)
    if not _same(render_body(text).markup, mine):  # never expected: keep the whole post as it is
        units = [_Unit(0, len(mine), parse_blocks(mine))] if mine else []
        text = _markdown(units, mine)
    kept = tuple(unit.name for unit in units if unit.markdown is None)
    return PulledBody(text + "\n" if text else "", kept)


def _kses(markup: str) -> str:
    return _KSES_VOID.sub(r"\1/>", markup)


def _same(pushed: str, post: str) -> bool:
    """*pushed* gives back *post*: the same bytes, but for how kses writes void tags (``<img … />``)
    when an author saved it (WordPress writes them back that way on the author's next save)."""
    return pushed == post or _kses(pushed) == _kses(post)


def _keep_where_it_differs(units: list[_Unit], mine: str, markup: str) -> None:
    """The whole did not come back: keep the first Markdown unit at or after where it differs."""
    at = next((i for i, (a, b) in enumerate(zip(mine, markup, strict=False)) if a != b), 0)
    candidates = [u for u in units if u.markdown is not None and u.end + len(SEPARATOR) > at]
    for unit in candidates[:1] or [u for u in units if u.markdown is not None][:1]:
        unit.markdown = None


def _strip_own(content: str) -> str:
    """*content* without Copydesk's own parts and the blank lines that separated them."""
    out = _OWN_HTML.sub("", content)
    if out != content:  # an older push's boilerplate, outside blocks: the space around it was ours
        out = out.strip()
    for block in reversed([b for b in parse_blocks(content) if _own(b)]):
        start, end = block.start, block.end
        if out[:start].endswith(SEPARATOR):
            start -= len(SEPARATOR)
        elif out[end:].startswith(SEPARATOR):
            end += len(SEPARATOR)
        out = out[:start] + out[end:]
    return out
