"""``copydesk unlink``, and a publication time as typed on the command line (``push --at``).

Unlinking forgets where a piece was pushed on a site (the post stays there); its next push makes a new
post. ``copydesk push ID --as-new`` does the same before pushing.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any, TextIO

from app.errors import InvalidInputError


def add_unlink_parser(sub: Any) -> None:
    p = sub.add_parser(
        "unlink", help="forget where a piece was pushed on a site; its next push makes a new post"
    )
    p.add_argument("id", type=int)
    p.add_argument("--site", metavar="NAME", help="the site (needed when it is on several)")


def parse_when(text: str) -> datetime:
    """A date and time as typed: ISO 8601; without a time zone, the computer's local time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"“{text}” is not a date and time; write it like 2026-12-24T09:00."
        ) from None
    return moment.astimezone() if moment.tzinfo is None else moment


def unlink(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    remote = core.remote
    piece = core.pieces.get(args.id)
    names = {s.id: s.name for s in remote.sites.list()}
    links = [link for link in remote.publisher.links_of(piece.id) if link.site_id in names]
    if args.site:
        wanted = remote.sites.find(args.site).id
        links = [link for link in links if link.site_id == wanted]
        if not links:
            raise InvalidInputError(f"Piece {piece.id} is not linked to {names[wanted]}.")
    elif not links:
        raise InvalidInputError(f"Piece {piece.id} is not linked to any site.")
    elif len(links) > 1:
        listed = ", ".join(f"“{names[link.site_id]}”" for link in links)
        raise InvalidInputError(f"Piece {piece.id} is linked to {listed}; say which with --site NAME.")
    [link] = links
    remote.publisher.unlink(piece.id, link.site_id)
    post = f" (post #{link.remote_id} stays on the site)" if link.remote_id else ""
    out.write(
        f"Unlinked piece {piece.id} from {names[link.site_id]}{post}; its next push there makes a "
        "new post.\n"
    )
    return 0
