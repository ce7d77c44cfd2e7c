"""Where a piece's text came from, and which local files that text named.

A push uploads the local images a piece shows, so a path in text the user did not write is a way to
send their files out: a Markdown file from elsewhere may name any file on the disk
(``../../private/scan.png``, ``/etc/shadow``), and so may a post on a site
(``<img src="/home/someone/Pictures/private.png">``, ``file:///…``, or the Markdown for an image
written out as text). So the text's origin is recorded with the local files it named:

- an imported file: the folder it came from and the files its text named. Such a file goes out only
  when its real path (symlinks followed, at send time) is inside that folder.
- text from a site (a pulled post, or the site's version taken over a piece): the files it named that
  the piece did not name already. Those never go out: a site cannot choose a local file.

Files the user added in the app (a picture inserted, a featured image chosen) are in neither list and
are not limited. The record lives in the piece's ``extra`` under :data:`IMPORT_KEY`. An imported file
cannot set it (the key is dropped from front matter) and an export leaves it out.

Pieces made before the record existed have none; :func:`origin_of` reads their beginning from their
revisions instead (see there).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from app.pieces.data import PieceData
    from app.pieces.revisions import RevisionInfo

IMPORT_KEY = "copydesk_import"
SITE_FILES = "site_files"  # in the record: local files named only by text that came from a site
IMPORTED, PULLED = "imported", "pulled"
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


def _strings(value: Any) -> frozenset[str]:
    return frozenset(v for v in value if isinstance(v, str)) if isinstance(value, list) else frozenset()


def _named_by(piece: PieceData) -> list[str]:
    return named_files(piece.title, piece.standfirst, piece.body, piece.featured_image)


def _with_site_files(piece: PieceData, files: Iterable[str]) -> PieceData:
    value = piece.extra.get(IMPORT_KEY)
    kept = dict(value) if isinstance(value, dict) else {}
    known = _strings(kept.get(SITE_FILES))
    if set(files) <= known:
        return piece
    kept[SITE_FILES] = sorted(known | set(files))
    return piece.copy(extra={**piece.extra, IMPORT_KEY: kept})


def take_site_text(before: PieceData, after: PieceData) -> PieceData:
    """*after* (text a site sent, over *before*) with the local files only the site's text names
    recorded as the site's: a push never sends them."""
    return _with_site_files(after, set(_named_by(after)) - set(_named_by(before)))


def keep_site_files(piece: PieceData, theirs: PieceData) -> PieceData:
    """*piece* (a merge of the user's text and *theirs*, a site's) with the files recorded as the
    site's in *theirs* recorded in it too."""
    found = Origin.of(theirs.extra)
    return _with_site_files(piece, found.from_site if found is not None else ())


def mark_pulled(piece: PieceData) -> PieceData:
    """*piece*, just made from a site's post, recorded as pulled (whatever files its text names)."""
    value = piece.extra.get(IMPORT_KEY)
    files = _strings(value.get(SITE_FILES)) if isinstance(value, dict) else frozenset()
    kept = {"kind": PULLED, SITE_FILES: sorted(files)}
    return piece.copy(extra={**piece.extra, IMPORT_KEY: kept})


@dataclass(frozen=True)
class Origin:
    """Where a piece's text came from and the local files that text named.

    *kind* is :data:`IMPORTED` or :data:`PULLED`, or "" when the record does not say how the piece
    began (only text taken from a site later is recorded). *folder* is the folder of an imported file,
    None when unknown; *named* the files the imported text named; *from_site* the files only text from
    a site named.
    """

    kind: str
    folder: Path | None
    named: frozenset[str]
    from_site: frozenset[str] = frozenset()

    @classmethod
    def of(cls, extra: Mapping[str, Any]) -> Origin | None:
        value = extra.get(IMPORT_KEY)
        if not isinstance(value, dict):
            return None
        from_site = _strings(value.get(SITE_FILES))
        if isinstance(value.get("dir"), str):
            return cls(IMPORTED, Path(value["dir"]), _strings(value.get("files")), from_site)
        kind = PULLED if value.get("kind") == PULLED else ""
        return cls(kind, None, frozenset(), from_site)

    def refusal(self, path: Path) -> str | None:
        """Why *path* must not be sent, or None when it may be.

        A file that text from a site named is refused. A file that imported text named must really
        (symlinks followed, now) be inside the folder the piece was imported from; when that folder
        is unknown (an import older than the record) it is refused. Other files are not limited.
        """
        if str(path) in self.from_site:
            return f"{path} {FROM_SITE}, so it was not sent."
        if str(path) not in self.named:
            return None
        if self.folder is None:
            return f"{path} {UNKNOWN_FOLDER}, so it was not sent."
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None  # a missing file is reported as missing
        folder = self.folder.resolve()
        if real.is_relative_to(folder):
            return None
        via = f" (it leads to {real})" if real != Path(path).absolute() else ""
        return f"{path}{via} is {OUTSIDE} ({self.folder}), so it was not sent."


# the reasons of a refusal, which the push's hint follows
FROM_SITE = "was named by text that came from the site, not chosen by you"
UNKNOWN_FOLDER = (
    "was named by a file imported before Copydesk recorded the folder of an import, so Copydesk "
    "cannot tell whether it is in that folder"
)
OUTSIDE = "outside the folder the piece was imported from"


class _Revisions(Protocol):
    def history(self, piece_id: int) -> list[RevisionInfo]: ...

    def content(self, revision_id: int) -> PieceData: ...


def origin_of(piece: PieceData, revisions: _Revisions) -> Origin | None:
    """The origin of *piece*: its record, or for a piece without one, what its revisions tell.

    A piece made before the record existed has none, and its folder, if it was imported, is lost.
    Its revisions still say how it began and when a site's text came in, so: the files named by its
    first revision, when that is an import, are refused (the folder they had to be in is unknown;
    importing the file again records it), and so are the files named by any revision that took text
    from a site. Files the user added later go out, as do those of a piece written in the app (its
    first revision is "created"): nothing of theirs changes.
    """
    found = Origin.of(piece.extra)
    if (found is not None and found.kind) or piece.id is None:
        return found
    history = revisions.history(piece.id)  # newest first
    named: set[str] = set()
    from_site: set[str] = set(found.from_site) if found is not None else set()
    for number, revision in enumerate(reversed(history)):
        first_import = number == 0 and revision.reason == "imported"
        if first_import or revision.reason == "pulled":
            files = _named_by(revisions.content(revision.id))
            (named if first_import else from_site).update(files)
    if not named and not from_site:
        return found
    return Origin(IMPORTED if named else "", None, frozenset(named), frozenset(from_site))
