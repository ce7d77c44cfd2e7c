"""``copydesk site map NAME``: where a site takes the byline and the standfirst.

``--byline author`` or ``--byline field:NAME``; ``--standfirst lead``, ``excerpt`` or ``field:NAME``.
Without either option it prints the site's mapping.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any, TextIO

from app.errors import InvalidInputError
from app.sites.mapping import BYLINE_FIELD, BYLINE_MODES, STANDFIRST_FIELD, STANDFIRST_MODES


def add_map_parser(actions: Any) -> None:
    p = actions.add_parser("map", help="where the site takes the byline and the standfirst")
    p.add_argument("name")
    p.add_argument("--byline", metavar="WHERE", help="author, or field:NAME (a custom field)")
    p.add_argument(
        "--standfirst", metavar="WHERE", help="lead (a paragraph at the top), excerpt, or field:NAME"
    )


def _choice(text: str, modes: tuple[str, ...], field: str, what: str) -> tuple[str, str]:
    mode, _, name = text.strip().partition(":")
    if mode not in modes or (mode == field) != bool(name):
        shown = ", ".join(m if m != field else f"{m}:NAME" for m in modes)
        raise InvalidInputError(f"“{text}” is not a place for the {what}; use {shown}.")
    return mode, name


def map_site(core: Any, args: argparse.Namespace, out: TextIO) -> int:
    sites = core.remote.sites
    site = sites.find(args.name)
    mapping = site.mapping
    if args.byline:
        mode, name = _choice(args.byline, BYLINE_MODES, BYLINE_FIELD, "byline")
        mapping = replace(mapping, byline=mode, byline_field=name)
    if args.standfirst:
        mode, name = _choice(args.standfirst, STANDFIRST_MODES, STANDFIRST_FIELD, "standfirst")
        mapping = replace(mapping, standfirst=mode, standfirst_field=name)
    if mapping != site.mapping:
        site = sites.set_mapping(site.id, mapping)
    out.write(f"{site.name}: {site.mapping.describe()}.\n")
    return 0
