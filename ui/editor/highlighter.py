"""Markdown syntax colouring and spelling underlines for the editor.

Runs on the GUI thread for each changed paragraph, so it does only regular-expression work and cache
look-ups: spelling verdicts come from :class:`ui.editor.spellcheck.SpellService`, which checks unknown
words on a worker thread and asks for a re-highlight when its answers arrive.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from app.text.spelling import WORD
from ui.editor.offsets import Utf16Map

IN_FENCE = 1

_HEADING = re.compile(r"^(#{1,6})\s+.*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_QUOTE = re.compile(r"^\s{0,3}>.*$")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![*_\w])([*_])(?=\S)(.+?)(?<=\S)\1(?![*_\w])")
_CODE = re.compile(r"`[^`\n]+`")
_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
_LINK_TARGET = re.compile(r"\]\(([^)\n]*)\)")
_HTML = re.compile(r"</?[A-Za-z][^>\n]*>")
_URL = re.compile(r"https?://\S+")


class Palette:
    """Colours for a light or a dark editor background."""

    def __init__(self, dark: bool) -> None:
        if dark:
            self.heading = QColor("#f0a27f")
            self.marker = QColor("#8d8b86")
            self.code_bg = QColor("#2c2c30")
            self.link = QColor("#7fb2e6")
            self.quote = QColor("#b9b5ac")
            self.html = QColor("#9a9aa0")
            self.misspelt = QColor("#ff6b6b")
        else:
            self.heading = QColor("#9c2a1a")
            self.marker = QColor("#9a968c")
            self.code_bg = QColor("#f1eee6")
            self.link = QColor("#1f5f99")
            self.quote = QColor("#5b5b63")
            self.html = QColor("#8a8a90")
            self.misspelt = QColor("#d0312d")


def _fmt(
    colour: QColor | None = None,
    *,
    bold: bool = False,
    italic: bool = False,
    background: QColor | None = None,
    fixed: bool = False,
) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if colour is not None:
        fmt.setForeground(colour)
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if background is not None:
        fmt.setBackground(background)
    if fixed:
        fmt.setFontFixedPitch(True)
        fmt.setFontFamilies(["JetBrains Mono", "DejaVu Sans Mono", "Menlo", "Consolas", "monospace"])
    return fmt


class MarkdownHighlighter(QSyntaxHighlighter):
    def __init__(
        self,
        document: QTextDocument,
        is_misspelt: Callable[[str], bool],
        dark: bool = False,
    ) -> None:
        super().__init__(document)
        self._is_misspelt = is_misspelt
        self._map = Utf16Map("")
        self.set_dark(dark, rehighlight=False)

    def set_dark(self, dark: bool, *, rehighlight: bool = True) -> None:
        c = Palette(dark)
        self._heading = _fmt(c.heading, bold=True)
        self._marker = _fmt(c.marker)
        self._strong = _fmt(bold=True)
        self._emphasis = _fmt(italic=True)
        self._code = _fmt(background=c.code_bg, fixed=True)
        self._link = _fmt(c.link)
        self._quote = _fmt(c.quote, italic=True)
        self._html = _fmt(c.html)
        self._misspelt_colour = c.misspelt
        if rehighlight:
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        self._map = Utf16Map(text)
        if self._fenced_code(text):
            return
        self.setCurrentBlockState(0)
        skip: list[tuple[int, int]] = []  # spans not spell-checked (code, URLs, tags)
        if _HEADING.match(text):
            self._set(0, len(text), self._heading)
        elif _QUOTE.match(text):
            self._set(0, len(text), self._quote)
        elif _RULE.match(text):
            self._set(0, len(text), self._marker)
            return
        listed = _LIST.match(text)
        if listed:
            self._set(0, listed.end(), self._marker)
        for m in _STRONG.finditer(text):
            self._merge(m.start(), m.end(), self._strong)
        for m in _EMPHASIS.finditer(text):
            self._merge(m.start(), m.end(), self._emphasis)
        for m in _LINK.finditer(text):
            self._merge(m.start(), m.end(), self._link)
            target = _LINK_TARGET.search(text, m.start(), m.end())
            if target:
                skip.append(target.span(1))
        for pattern, fmt in ((_CODE, self._code), (_HTML, self._html), (_URL, self._link)):
            for m in pattern.finditer(text):
                self._set(m.start(), m.end(), fmt)
                skip.append(m.span())
        self._underline_misspelt(text, skip)

    def _fenced_code(self, text: str) -> bool:
        """Colour a line of a fenced code block (or its fence); False for any other line."""
        inside = self.previousBlockState() == IN_FENCE
        fence = _FENCE.match(text) is not None
        if not fence and not inside:
            return False
        self._set(0, len(text), self._code)
        self.setCurrentBlockState(0 if fence and inside else IN_FENCE)
        return True

    def _set(self, start: int, end: int, fmt: QTextCharFormat) -> None:
        """Format the code points *start* to *end* (mapped to Qt's UTF-16 positions)."""
        first, last = self._map.to_qt(start), self._map.to_qt(end)
        self.setFormat(first, last - first, fmt)

    def _merge(self, start: int, end: int, extra: QTextCharFormat) -> None:
        for offset in range(self._map.to_qt(start), self._map.to_qt(end)):
            fmt = self.format(offset)
            fmt.merge(extra)
            self.setFormat(offset, 1, fmt)

    def _underline_misspelt(self, text: str, skip: list[tuple[int, int]]) -> None:
        for m in WORD.finditer(text):
            start, end = m.span()
            if any(a <= start < b for a, b in skip):
                continue
            if self._is_misspelt(m.group()):
                for offset in range(self._map.to_qt(start), self._map.to_qt(end)):
                    fmt = self.format(offset)
                    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
                    fmt.setUnderlineColor(self._misspelt_colour)
                    self.setFormat(offset, 1, fmt)
