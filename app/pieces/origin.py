"""Where an imported piece came from, and which local files its imported text named.

A Markdown file from elsewhere may name any file on the disk as an image (``../../private/scan.png``,
``/etc/shadow``). A push uploads local images, so the import records the folder the file came from
and every local file its text named. At send time a named file goes out only when its real path
(after symlinks) is inside that folder; files the user added in the app (a picture inserted, a
featured image chosen) were chosen by the user and are not limited.

The record lives in the piece's ``extra`` under :data:`IMPORT_KEY`. An imported file cannot set it
(the key is dropped from front matter) and an export leaves it out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

IMPORT_KEY = "copydesk_import"
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\bsrc="([^"]*)"', re.IGNORECASE)
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]")


def local_path(src: str) -> Path | None:
    """The file behind an image address, or None when it is on the web already."""
    from app.render.markdown import file_uri_to_path

    src = src.strip()
    if src.startswith("file:"):
        return file_uri_to_path(src)
    if src.startswith(("/", "~")) or _WINDOWS_PATH.match(src):
        return Path(src).expanduser()
    return None


def local_paths(fragment: str) -> list[Path]:
    """Every local file an HTML fragment shows as an image."""
    found: list[Path] = []
    for tag in _IMG_TAG.findall(fragment):
        src = _SRC.search(tag)
        path = local_path(html.unescape(src.group(1))) if src else None
        if path is not None:
            found.append(path)
    return found


def named_files(title: str, standfirst: str, body: str, featured: str) -> list[str]:
    """The local files a piece's text shows, rendered exactly as a push renders it."""
    from app.render.markdown import render_inline, render_markdown

    fragments = (
        render_inline(title),
        render_inline(standfirst),
        render_markdown(standfirst),
        render_markdown(body),
    )
    names = {str(path) for fragment in fragments for path in local_paths(fragment)}
    featured_path = local_path(featured) if featured.strip() else None
    if featured_path is not None:
        names.add(str(featured_path))
    return sorted(names)


def record(base_dir: Path, named: Iterable[str]) -> dict[str, Any]:
    """The value kept under :data:`IMPORT_KEY` for a file imported from *base_dir*."""
    return {"dir": str(base_dir), "files": sorted(set(named))}


@dataclass(frozen=True)
class Origin:
    """The folder an imported piece came from and the local files its imported text named."""

    folder: Path
    named: frozenset[str]

    @classmethod
    def of(cls, extra: Mapping[str, Any]) -> Origin | None:
        value = extra.get(IMPORT_KEY)
        if not isinstance(value, dict) or not isinstance(value.get("dir"), str):
            return None
        files = value.get("files")
        named = frozenset(f for f in files if isinstance(f, str)) if isinstance(files, list) else ()
        return cls(Path(value["dir"]), frozenset(named))

    def refusal(self, path: Path) -> str | None:
        """Why *path* must not be sent, or None when it may be.

        Only files the imported text named are limited; their real path (symlinks followed, now) must
        be inside the folder the piece was imported from.
        """
        if str(path) not in self.named:
            return None
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None  # a missing file is reported as missing
        folder = self.folder.resolve()
        if real.is_relative_to(folder):
            return None
        via = f" (it leads to {real})" if real != Path(path).absolute() else ""
        return (
            f"{path}{via} is outside the folder the piece was imported from ({self.folder}), "
            "so it was not sent."
        )
