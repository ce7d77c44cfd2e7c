"""What goes over the wire to and from a CMS: request bodies with progress, JSON answers read
past PHP's noise, and ``Retry-After``."""

from __future__ import annotations

import email.utils
import json
import math
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.cms.base import Progress

MAX_RETRY_AFTER = 24 * 3600.0
_CHUNK = 64 * 1024
# One PHP message as display_errors prints it, in HTML or in text, before the real answer.
_PHP_NOTICE = re.compile(
    r"\s*(?:<br\s*/?>\s*)?(?:<b>)?(?:PHP )?"
    r"(?:Warning|Notice|Deprecated|Strict Standards|Fatal error|Parse error)(?:</b>)?:"
    r".*? on line (?:<b>)?\d+(?:</b>)?(?:<br\s*/?>)?\s*",
    re.IGNORECASE | re.DOTALL,
)
_HTML_START = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<!--|<\?xml)", re.IGNORECASE)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(delta, 0.0), MAX_RETRY_AFTER)


class ProgressBody:
    """A file (or bytes) sent as a request body in chunks, reporting (sent, total) as it goes.

    It has a length, so ``requests`` sends a Content-Length instead of chunked encoding (which PHP's
    built-in server and some hosts do not accept).
    """

    def __init__(self, source: Path | bytes, progress: Progress | None = None) -> None:
        self._data = source if isinstance(source, bytes) else source.read_bytes()
        self._progress = progress
        self._position = 0

    def __len__(self) -> int:
        return len(self._data)

    def rewind(self) -> None:
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = len(self._data) - self._position
        chunk = self._data[self._position : self._position + min(size, _CHUNK)]
        self._position += len(chunk)
        if self._progress is not None and chunk:
            self._progress(self._position, len(self._data))
        return chunk


class _UnreadableNumberError(ValueError):
    """A number in JSON that no WordPress sends: NaN, Infinity, or one too large for a float."""


def _refuse_constant(name: str) -> float:
    raise _UnreadableNumberError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999
        raise _UnreadableNumberError(text)
    return value


def _decode(text: bytes | str) -> tuple[Any, str]:
    """(data, problem): "numbers" for a number JSON does not allow, "invalid" for anything else."""
    try:
        return json.loads(text, parse_float=_finite_float, parse_constant=_refuse_constant), ""
    except _UnreadableNumberError:
        return None, "numbers"
    except (ValueError, UnicodeDecodeError, RecursionError):  # nested deeper than Python recurses
        return None, "invalid"


def parse_json(content: bytes) -> tuple[Any, str, bool]:
    """(data, problem, had_noise): the JSON of an answer, reading past PHP notices printed before it.

    *problem* says why there is no data: "empty", "html" (a web page), "truncated" (JSON cut off),
    "php-noise" (PHP messages and no readable JSON after them), "numbers" (NaN, Infinity or a number
    beyond a float's range, which JSON does not allow and WordPress never sends) or "garbage".
    """
    if not content.strip():
        return None, "empty", False
    data, problem = _decode(content)
    if problem != "invalid":
        return data, problem, False
    text = content.decode("utf-8", errors="replace")
    rest, noise = text, False
    while match := _PHP_NOTICE.match(rest):
        rest, noise = rest[match.end() :], True
    if noise:
        data, problem = _decode(rest)
        return data, "php-noise" if problem == "invalid" else problem, True
    return None, _problem(content), False


def _problem(content: bytes) -> str:
    if _HTML_START.match(content):
        return "html"
    if content.lstrip()[:1] in (b"{", b"["):
        return "truncated"
    return "garbage"
