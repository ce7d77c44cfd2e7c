"""Where each top-level block of a Markdown text starts, for scrolling the preview with the editor.

The n-th block found here is, for ordinary prose, the n-th element of the rendered content: a paragraph,
a heading, a whole list, a quote, a code block, a table, a block kept from the site. Link and footnote
definitions render nothing there and are not counted. It is a guide for scrolling, not a parser.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_LIST = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s")
_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:")
_INDENTED = re.compile(r"^(?: {2,}|\t)\S")
_KEPT = re.compile(r"^<!-- copydesk:block\b")  # a block kept from the site: one box (app.blocks.body)
_KEPT_END = "<!-- /copydesk:block -->"


def block_starts(markdown: str) -> list[int]:
    """The 0-based line numbers at which the rendered top-level blocks begin."""
    starts: list[int] = []
    in_fence = False
    after_blank = True
    in_list = False
    in_heading = False
    in_kept = False
    for number, line in enumerate(markdown.split("\n")):
        if in_kept:
            in_kept = line.rstrip() != _KEPT_END
            after_blank = False
            continue
        if _KEPT.match(line) and after_blank:
            starts.append(number)
            in_kept, in_list, in_heading = True, False, False
            continue
        if in_fence:
            if _FENCE.match(line):
                in_fence = False
                after_blank = False
            continue
        if not line.strip():
            after_blank = True
            continue
        if _FENCE.match(line):
            starts.append(number)
            in_fence, in_list, in_heading = True, False, False
            continue
        heading = bool(_HEADING.match(line))
        list_item = bool(_LIST.match(line))
        continues_list = in_list and (list_item or _INDENTED.match(line) is not None)
        if _DEFINITION.match(line) and after_blank:
            in_list = in_heading = False
            after_blank = False
            continue
        if heading or in_heading or (after_blank and not continues_list):
            starts.append(number)
            in_list = list_item
        elif list_item and not in_list:
            starts.append(number)
            in_list = True
        in_heading = heading
        after_blank = False
    return starts
