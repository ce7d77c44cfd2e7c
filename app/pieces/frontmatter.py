"""Markdown files with YAML front matter: the exchange format of a piece.

The keys, all optional::

    title, standfirst, slug, byline, tags, categories, excerpt, featured_image,
    publish_at (ISO 8601 with a UTC offset), comments (open | closed), status,
    disclaimer (a library name), snippets (library names)

Any other key is kept with the piece and written back on export, untouched. Without front matter the
whole file is the body, and a leading ``# Heading`` becomes the headline.

Front matter comes from anywhere, so its YAML is bounded: at most :data:`MAX_FRONT_MATTER` characters,
nested at most :data:`MAX_DEPTH` deep, and without aliases (``*name``), whose nesting can expand a
few lines into billions of nodes. Each is refused in one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from app.errors import InvalidInputError
from app.pieces import origin
from app.pieces.data import PieceData
from app.pieces.workflow import Status

KNOWN_KEYS = (
    "title", "standfirst", "slug", "byline", "tags", "categories", "excerpt", "featured_image",
    "publish_at", "comments", "status", "disclaimer", "snippets",
)  # fmt: skip
_OPENING = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_H1 = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*(?:\r?\n|\Z)")
MAX_FRONT_MATTER = 256 * 1024  # characters
MAX_DEPTH = 32  # nested lists and mappings
_IMAGE_TARGET = re.compile(r"(!\[[^\]]*\]\()(\s*<?)([^)\s>]+)")


@dataclass
class Document:
    """A parsed file: the piece's own fields plus the library names it refers to."""

    piece: PieceData
    disclaimer: str | None = None
    snippets: list[str] = field(default_factory=list)
    names_disclaimer: bool = False  # the file has a "disclaimer" key, even an empty one


def _fail(source: str, problem: str) -> InvalidInputError:
    return InvalidInputError(f"{source}: {problem}")


def _text(meta: dict[str, Any], key: str, source: str) -> str:
    value = meta.get(key, "")
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise _fail(source, f"“{key}” must be text, not {type(value).__name__}.")


def _names(meta: dict[str, Any], key: str, source: str) -> list[str]:
    value = meta.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    raise _fail(source, f"“{key}” must be a list of names.")


def _moment(meta: dict[str, Any], source: str) -> datetime | None:
    value = meta.get("publish_at")
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise _fail(
                source, f"“publish_at” is not an ISO 8601 date and time: {meta['publish_at']!r}."
            ) from exc
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    if not isinstance(value, datetime):
        raise _fail(source, "“publish_at” must be a date and time such as 2026-12-01T09:00:00+01:00.")
    if value.tzinfo is None:
        raise _fail(
            source,
            "“publish_at” has no UTC offset; write it like 2026-12-01T09:00:00+01:00 so the "
            "time is not ambiguous.",
        )
    return value


def _comments(meta: dict[str, Any], source: str) -> str:
    value = meta.get("comments", "open")
    if value is True or value is None:
        return "open"
    if value is False:
        return "closed"
    if isinstance(value, str) and value.strip().lower() in {"open", "closed"}:
        return value.strip().lower()
    raise _fail(source, f"“comments” must be open or closed, not {value!r}.")


def _status(meta: dict[str, Any], source: str) -> Status:
    value = meta.get("status", Status.DRAFT.value)
    try:
        return Status(str(value).strip().lower())
    except ValueError as exc:
        allowed = ", ".join(s.value for s in Status)
        raise _fail(source, f"“status” must be one of {allowed}, not {value!r}.") from exc


class _Refused(yaml.YAMLError):
    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader without aliases and with a nesting limit (no recursion error, no bomb)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                f"it uses a YAML alias (*{event.anchor}), which Copydesk does not accept; "
                "write the value out in full",
                event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"it is nested more than {MAX_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _load(raw: str) -> Any:
    loader = _BoundedLoader(raw)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def split(text: str, source: str = "the file") -> tuple[dict[str, Any], str]:
    """The front matter (a mapping) and the body of *text*."""
    opening = _OPENING.match(text)
    if not opening:
        return {}, text.removeprefix("\ufeff")
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        raise _fail(source, "the front matter starts with --- but never ends (no closing --- line).")
    raw = text[opening.end() : closing.start()]
    body = text[closing.end() :].lstrip("\r\n")
    if len(raw) > MAX_FRONT_MATTER:
        raise _fail(
            source,
            f"the front matter is {len(raw):,} characters long; at most {MAX_FRONT_MATTER:,} are "
            "accepted.",
        )
    try:
        meta = _load(raw) if raw.strip() else {}
    except _Refused as exc:
        where = f" (line {exc.problem_mark.line + 2})" if exc.problem_mark is not None else ""
        raise _fail(source, f"the front matter cannot be read{where}: {exc.problem}.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _fail(source, f"the front matter is not valid YAML{where}: {problem}.") from exc
    if not isinstance(meta, dict):
        raise _fail(source, "the front matter must be a set of “key: value” lines.")
    return {str(k): v for k, v in meta.items()}, body


def _absolute(target: str, base: Path | None) -> str:
    if base is None or "://" in target or target.startswith(("/", "data:", "#", "mailto:")):
        return target
    if re.match(r"^[A-Za-z]:[\\/]", target):
        return target
    return str((base / target).resolve())


def parse(text: str, *, source: str = "the file", base_dir: Path | None = None) -> Document:
    """Parse a Markdown file with front matter. Relative image paths are made absolute to *base_dir*."""
    meta, body = split(text, source)
    title = _text(meta, "title", source)
    if "title" not in meta:
        heading = _H1.match(body)
        if heading:
            title, body = heading.group(1), body[heading.end() :].lstrip("\r\n")
    if base_dir is not None:
        body = _IMAGE_TARGET.sub(
            lambda m: m.group(1) + m.group(2) + _absolute(m.group(3), base_dir), body
        )
    slug = _text(meta, "slug", source)
    featured = _text(meta, "featured_image", source)
    extra = {k: v for k, v in meta.items() if k not in KNOWN_KEYS and k != origin.IMPORT_KEY}
    disclaimer = meta.get("disclaimer")
    if disclaimer is not None and not isinstance(disclaimer, str):
        raise _fail(source, "“disclaimer” must be the name of one disclaimer.")
    piece = PieceData(
        title=title,
        standfirst=_text(meta, "standfirst", source),
        slug=slug,
        slug_manual=bool(slug),
        byline=_text(meta, "byline", source),
        body=body,
        tags=_names(meta, "tags", source),
        categories=_names(meta, "categories", source),
        excerpt=_text(meta, "excerpt", source),
        featured_image=_absolute(featured, base_dir) if featured else "",
        publish_at=_moment(meta, source),
        comment_status=_comments(meta, source),
        status=_status(meta, source),
        extra=_jsonable(extra, source),
    )
    if base_dir is not None:
        named = origin.named_files(piece.title, piece.standfirst, piece.body, piece.featured_image)
        piece.extra[origin.IMPORT_KEY] = origin.record(base_dir, named)
    return Document(
        piece=piece,
        disclaimer=disclaimer.strip() if disclaimer else None,
        snippets=_names(meta, "snippets", source),
        names_disclaimer="disclaimer" in meta,
    )


def _jsonable(extra: dict[str, Any], source: str) -> dict[str, Any]:
    """Unknown keys are stored as JSON: dates become ISO strings, anything exotic is refused."""

    def convert(value: Any) -> Any:
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, dict):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        raise _fail(source, f"the front matter value {value!r} cannot be kept.")

    return {k: convert(v) for k, v in extra.items()}


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump(piece: PieceData, *, disclaimer: str | None = None, snippets: list[str] | None = None) -> str:
    """*piece* as Markdown with front matter; empty fields are left out, unknown keys kept."""
    meta: dict[str, Any] = {}

    def put(key: str, value: Any) -> None:
        if value not in ("", None, [], {}):
            meta[key] = value

    put("title", piece.title)
    put("standfirst", piece.standfirst)
    put("slug", piece.slug if piece.slug_manual else "")
    put("byline", piece.byline)
    put("tags", list(piece.tags))
    put("categories", list(piece.categories))
    put("excerpt", piece.excerpt)
    put("featured_image", piece.featured_image)
    if piece.publish_at is not None:
        meta["publish_at"] = piece.publish_at.astimezone().isoformat(timespec="seconds")
    meta["comments"] = piece.comment_status
    meta["status"] = Status(piece.status).value
    put("disclaimer", disclaimer)
    put("snippets", list(snippets or []))
    for key, value in piece.extra.items():
        if key not in meta and key != origin.IMPORT_KEY:
            meta[key] = value
    head = yaml.dump(
        meta,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    body = piece.body if piece.body.endswith("\n") or not piece.body else piece.body + "\n"
    return f"---\n{head}---\n\n{body}"
