"""Fetching a picture of a comment, only when the user asks for it.

A plain GET, without the site's credentials or any cookie, of at most :data:`MAX_BYTES` within
:data:`DEADLINE` seconds (all of it: a server that drips the picture cannot hold the desk), and only
when the answer says it is a raster image (an SVG is a document that can carry scripts: refused).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import requests

from app.cms.guard import Deadline, DeadlinePassedError, GuardedAdapter, TooLargeError, read_body
from app.cms.http import user_agent
from app.errors import InvalidInputError, NetworkError

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = (5.0, 20.0)
DEADLINE = 60.0


def fetch_image(
    url: str, *, timeout: tuple[float, float] = TIMEOUT, deadline: float = DEADLINE
) -> bytes:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError("Only pictures on the web (http or https) can be loaded.")
    limit = Deadline(deadline)
    try:
        with requests.Session() as session, limit:
            session.max_redirects = 5
            session.mount("https://", GuardedAdapter())
            session.mount("http://", GuardedAdapter())
            with session.get(
                url,
                headers={"User-Agent": user_agent(), "Accept": "image/*"},
                timeout=timeout,
                stream=True,
            ) as response:
                limit.watch_response(response.raw)
                if response.status_code != 200:
                    raise NetworkError(
                        f"The picture could not be loaded from {parts.hostname} "
                        f"(HTTP {response.status_code})."
                    )
                kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if not kind.startswith("image/") or kind == "image/svg+xml":
                    raise InvalidInputError(
                        f"{parts.hostname} did not send a picture there ({kind or 'no type'})."
                    )
                return read_body(response, limit, MAX_BYTES)
    except TooLargeError:
        raise InvalidInputError(
            f"The picture on {parts.hostname} is larger than "
            f"{MAX_BYTES // (1024 * 1024)} MB; it was not loaded."
        ) from None
    except (requests.exceptions.RequestException, DeadlinePassedError) as exc:
        log.info("Picture from %s not loaded: %s", parts.hostname, type(exc).__name__)
        if limit.expired():
            raise NetworkError(
                f"The picture on {parts.hostname} did not arrive within {deadline:g} seconds.",
                hint="The site is very slow; try again later.",
            ) from None
        raise NetworkError(f"The picture could not be loaded from {parts.hostname}.") from None
