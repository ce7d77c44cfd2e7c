"""The local images of a piece: found in the rendered HTML, checked, uploaded once, URLs rewritten.

The renderer turns local image paths into ``file:`` URLs; a push uploads each of those files (and the
featured image) to the site's media library and puts the uploaded URL in their place. An image is known
by the SHA-256 of its bytes: the same file is never uploaded twice to one site, whichever piece uses it.
Every upload carries a marker slug made from that hash, so when the answer to an upload is lost, the
next attempt finds the upload instead of making a second one.

Only files the user chose go out (:mod:`app.pieces.origin`): a file that an imported piece's text named
must really (symlinks followed, at send time) be inside the folder it was imported from, and a file
that text from a site named (a pulled post, the site's version taken) never goes out. The bytes are
read from the real path that was checked, and checked again just before the upload.
"""

from __future__ import annotations

import hashlib
import html
import logging
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.cms.base import CmsClient, MediaUpload, Progress
from app.errors import InvalidInputError
from app.pieces import origin
from app.pieces.origin import Origin, local_path
from app.publishing.links import LinkData, LinkStore, MediaRecord
from app.text import slugs

log = logging.getLogger(__name__)

# What WordPress accepts by default (no SVG: it refuses it unless a plugin allows it).
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'(\bsrc=")([^"]*)(")', re.IGNORECASE)
_ALT = re.compile(r'\balt="([^"]*)"', re.IGNORECASE)


@dataclass(frozen=True)
class LocalImage:
    key: str  # how the link's media map knows it: the file's absolute path
    path: Path
    sha256: str
    size: int
    mime_type: str
    alt: str = ""
    real: Path | None = None  # the file the bytes are read from: *path* with symlinks followed

    @property
    def source(self) -> Path:
        return self.real or self.path

    @property
    def marker_slug(self) -> str:
        return f"copydesk-{self.sha256[:32]}"

    def upload(self) -> MediaUpload:
        stem = slugs.slugify(self.path.stem, max_length=60) or "image"
        return MediaUpload(
            path=self.source,
            filename=f"{stem}{self.path.suffix.lower()}",
            mime_type=self.mime_type,
            slug=self.marker_slug,
            alt_text=self.alt,
            size=self.size,
        )


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            sha.update(block)
    return sha.hexdigest()


__all__ = ["ImageSet", "LocalImage", "find_images", "local_path", "rewrite_images", "upload_images"]


def _image(path: Path, alt: str, what: str, origin: Origin | None = None) -> LocalImage:
    refusal = origin.refusal(path) if origin is not None else None
    if refusal is not None:
        raise InvalidInputError(f"The {what} {refusal}")
    if not path.is_file():
        raise InvalidInputError(
            f"The {what} {path} does not exist.", hint="Fix the path and push again."
        )
    mime = IMAGE_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or ""
    if mime not in IMAGE_TYPES.values():
        raise InvalidInputError(
            f"The {what} {path.name} is not a kind of image WordPress accepts.",
            hint="Use JPEG, PNG, GIF or WebP.",
        )
    try:
        real = path.resolve(strict=True)
        if IMAGE_TYPES.get(real.suffix.lower()) is None:
            raise InvalidInputError(
                f"The {what} {path} leads to {real}, which is not an image file; it was not sent."
            )
        return LocalImage(str(path), path, _digest(real), real.stat().st_size, mime, alt, real)
    except OSError as exc:
        raise InvalidInputError(f"The {what} {path} cannot be read ({exc.strerror}).") from None


@dataclass(frozen=True)
class ImageSet:
    body: tuple[LocalImage, ...]  # distinct files, in order of appearance
    featured: LocalImage | None
    featured_url: str  # a featured image that is already on the web
    warnings: tuple[str, ...]

    @property
    def all(self) -> list[LocalImage]:
        seen: dict[str, LocalImage] = {}
        for image in (*((self.featured,) if self.featured else ()), *self.body):
            seen.setdefault(image.key, image)
        return list(seen.values())


def find_images(content_html: str, featured: str, origin: Origin | None = None) -> ImageSet:
    """Every local image of a piece, checked: a missing, unusable or refused file stops the push.

    *origin* is where an imported piece came from (see :mod:`app.pieces.origin`).
    """
    body: dict[str, LocalImage] = {}
    warnings: list[str] = []
    problems: list[str] = []
    for tag in _IMG_TAG.findall(content_html):
        src_match = _SRC.search(tag)
        if not src_match:
            continue
        src = html.unescape(src_match.group(2))
        path = local_path(src)
        if path is None:
            if not src.startswith(("http://", "https://", "data:")):
                warnings.append(
                    f"The image “{src}” has no full path or web address; it will not show on the site."
                )
            continue
        alt_match = _ALT.search(tag)
        try:
            alt = html.unescape(alt_match.group(1)) if alt_match else ""
            image = _image(path, alt, "image", origin)
        except InvalidInputError as exc:
            problems.append(exc.message)
            continue
        body.setdefault(image.key, image)
    featured_image: LocalImage | None = None
    featured_url = ""
    if featured.strip():
        path = local_path(featured)
        if path is None and featured.strip().startswith(("http://", "https://")):
            featured_url = featured.strip()
        elif path is None:
            problems.append(f"The featured image “{featured}” needs a full path.")
        else:
            try:
                featured_image = _image(path, "", "featured image", origin)
            except InvalidInputError as exc:
                problems.append(exc.message)
    if problems:
        raise InvalidInputError(" ".join(problems), hint=_hint(problems))
    return ImageSet(tuple(body.values()), featured_image, featured_url, tuple(warnings))


def _hint(problems: list[str]) -> str:
    """What to do about refused files, for the reason of the first refusal among *problems*."""
    for problem in problems:
        if origin.FROM_SITE in problem:
            return (
                "Remove the image from the text. To show a picture of yours there, insert it with "
                "Insert picture, from a file the site's text did not name."
            )
        if origin.UNKNOWN_FOLDER in problem:
            return (
                "Import the Markdown file again (Copydesk then records its folder and sends the "
                "pictures inside it), or insert the picture with Insert picture."
            )
        if origin.OUTSIDE in problem:
            return (
                "Copy the file into the piece's folder and point the image there, or insert the "
                "picture again with Insert picture from a path of your choosing."
            )
    return "Fix the images and push again."


def rewrite_images(content_html: str, urls: dict[str, str]) -> str:
    """*content_html* with the ``src`` of each uploaded local image replaced by its web address."""

    def tag(match: re.Match[str]) -> str:
        def src(found: re.Match[str]) -> str:
            path = local_path(html.unescape(found.group(2)))
            url = urls.get(str(path)) if path is not None else None
            if url is None:
                return found.group(0)
            return found.group(1) + html.escape(url, quote=True) + found.group(3)

        return _SRC.sub(src, match.group(0), count=1)

    return _IMG_TAG.sub(tag, content_html)


def _check_unchanged(image: LocalImage) -> None:
    """Refuse a file whose path now leads somewhere else than the file checked (a swapped symlink)."""
    try:
        now = image.path.resolve(strict=True)
    except (OSError, RuntimeError):
        now = None
    if image.real is not None and now != image.real:
        raise InvalidInputError(
            f"The image {image.path} changed while the push was running (it now leads to "
            f"{now or 'nothing'}); it was not sent.",
            hint="Check the file and push again.",
        )


@dataclass
class UploadReport:
    urls: dict[str, str]  # image key -> web address
    ids: dict[str, int]  # image key -> media id
    uploaded: int = 0
    reused: int = 0


def upload_images(
    client: CmsClient,
    links: LinkStore,
    link: LinkData,
    images: list[LocalImage],
    *,
    progress: Progress | None = None,
    on_step: Callable[[str], None] | None = None,
) -> UploadReport:
    """Upload what the site does not have yet; reuse what it has. Progress is in bytes, overall."""
    report = UploadReport(urls={}, ids={})
    site_media = links.site_media(link.site_id)
    to_upload: list[LocalImage] = []
    for image in images:
        known = link.media.get(image.key)
        if known and known.sha256 == image.sha256 and known.state == "done" and known.id:
            record: MediaRecord | None = known
        else:
            record = site_media.get(image.sha256)
            if record is None and known and known.sha256 == image.sha256:
                # an upload whose answer was lost: did it arrive?
                found = client.find_media(image.marker_slug)
                record = MediaRecord(image.sha256, found.id, found.url) if found else None
            if record is not None:
                links.set_media(link.id, image.key, MediaRecord(image.sha256, record.id, record.url))
        if record is None:
            to_upload.append(image)
            continue
        report.urls[image.key], report.ids[image.key] = record.url, record.id
        report.reused += 1
    total = sum(image.size for image in to_upload)
    done = 0
    for number, image in enumerate(to_upload, start=1):
        if on_step is not None:
            on_step(f"Uploading {image.path.name} ({number} of {len(to_upload)})")
        _check_unchanged(image)
        links.set_media(link.id, image.key, MediaRecord(image.sha256, state="uploading"))

        def step(sent: int, _size: int, base: int = done) -> None:
            if progress is not None:
                progress(base + sent, total)

        media = client.upload_media(image.upload(), step)
        links.set_media(link.id, image.key, MediaRecord(image.sha256, media.id, media.url))
        done += image.size
        report.urls[image.key], report.ids[image.key] = media.url, media.id
        report.uploaded += 1
        log.info("Uploaded %s as media %d", image.path.name, media.id)
    return report
