"""The live preview: the piece in the article template, patched in place as the columnist types.

The page is loaded once (an empty article shell with the stylesheet); every later update replaces only
the header and the content blocks that changed, from the application's isolated script world, so the
scroll position stays where the reader left it and pictures do not reload.
"""

from __future__ import annotations

import json
import logging
from string import Template
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from ui.preview.web import GuardedPage, shared_profile

if TYPE_CHECKING:
    from app.render import RenderedArticle

log = logging.getLogger(__name__)

WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld

# Replace the children of an element with those of new HTML, touching only what differs: the common
# head and tail are kept, the middle is swapped. Returns how many nodes were replaced.
_PATCH = Template(r"""
(function () {
  function patch(element, html) {
    var template = document.createElement('template');
    template.innerHTML = html;
    var next = Array.prototype.slice.call(template.content.childNodes);
    var current = Array.prototype.slice.call(element.childNodes);
    var head = 0;
    while (head < next.length && head < current.length && current[head].isEqualNode(next[head])) {
      head++;
    }
    var tail = 0;
    while (tail < next.length - head && tail < current.length - head &&
           current[current.length - 1 - tail].isEqualNode(next[next.length - 1 - tail])) {
      tail++;
    }
    var anchor = current[current.length - tail] || null;
    for (var i = head; i < current.length - tail; i++) { element.removeChild(current[i]); }
    for (var j = head; j < next.length - tail; j++) { element.insertBefore(next[j], anchor); }
    return (current.length - tail - head) + (next.length - tail - head);
  }
  var changed = patch(document.getElementById('cd-header'), $header)
              + patch(document.getElementById('cd-content'), $content);
  document.title = $title;
  return changed;
})()
""")

_SCROLL = Template(r"""
(function () {
  var content = document.getElementById('cd-content');
  var block = $block, fraction = $fraction;
  if (block < 0) { window.scrollTo(0, 0); return 0; }
  var element = content.children[Math.min(block, content.children.length - 1)];
  if (!element) { return -1; }
  var top = element.getBoundingClientRect().top + window.scrollY;
  window.scrollTo(0, Math.max(0, top + fraction * element.offsetHeight - 24));
  return window.scrollY;
})()
""")


class PreviewView(QWebEngineView):
    article_shown = Signal(int)  # generation

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.profile, self.guard = shared_profile(remote_images=True)
        self.setPage(GuardedPage(self.profile, self))
        self.setContextMenuPolicy(self.contextMenuPolicy().NoContextMenu)
        self._shell_css: str | None = None
        self._loaded = False
        self._pending: tuple[RenderedArticle, int] | None = None
        self.loadFinished.connect(self._on_load_finished)

    def show_article(self, article: RenderedArticle, generation: int) -> None:
        """Show *article*: load the shell when the stylesheet is new, then patch it in."""
        self._pending = (article, generation)
        if article.stylesheet != self._shell_css:
            self._load_shell(article, article.stylesheet)
        elif self._loaded:
            self._apply_pending()

    def _load_shell(self, article: RenderedArticle, stylesheet: str) -> None:
        self._shell_css = stylesheet
        self._loaded = False
        # the shell is the real document with an empty header and content, which are patched in
        # (setHtml is limited to 2 MB; patching has no such limit)
        self.setHtml(article.shell_html, QUrl("file:///"))

    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            log.warning("The preview page did not load")
            return
        self._loaded = True
        self._apply_pending()

    def _apply_pending(self) -> None:
        if self._pending is None:
            return
        article, generation = self._pending
        self._pending = None
        script = _PATCH.substitute(
            header=json.dumps(article.header_html),
            content=json.dumps(article.content_html),
            title=json.dumps(article.title_text or "Untitled"),
        )
        self.page().runJavaScript(script, WORLD, lambda _r: self.article_shown.emit(generation))

    def scroll_to_block(self, block: int, fraction: float) -> None:
        """Bring content block *block* (-1: the very top) to the top of the view."""
        if not self._loaded:
            return
        script = _SCROLL.substitute(block=int(block), fraction=f"{max(0.0, min(1.0, fraction)):.4f}")
        self.page().runJavaScript(script, WORLD)

    def html(self, callback: object) -> None:
        """The current DOM as HTML (tests and screenshots)."""
        self.page().toHtml(callback)  # type: ignore[arg-type]
