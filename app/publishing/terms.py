"""Categories and tags by name: found on the site, created when the role allows, or a clear refusal.

Categories come first: they are the ones a role is most likely not to be allowed to create, and finding
that out before creating any tag means a refused push leaves nothing behind on the site.
"""

from __future__ import annotations

import logging

from app.cms.base import CmsClient
from app.errors import PermissionDenied

log = logging.getLogger(__name__)

TermIds = dict[str, dict[str, int]]  # taxonomy -> name -> id


def _quoted(names: list[str]) -> str:
    quoted = [f"“{n}”" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _refused(taxonomy: str, names: list[str]) -> PermissionDenied:
    noun = (
        ("category" if len(names) == 1 else "categories")
        if taxonomy == "category"
        else ("tag" if len(names) == 1 else "tags")
    )
    them = "it" if len(names) == 1 else "them"
    return PermissionDenied(
        f"The site has no {noun} {_quoted(names)}, and your role may not create {them}.",
        hint=f"Ask an editor to create {them} on the site, or remove {them} from the piece.",
    )


def resolve_terms(
    client: CmsClient,
    categories: list[str],
    tags: list[str],
    *,
    may_create_categories: bool | None = None,
) -> TermIds:
    """The term ids for the piece's names, creating the missing ones.

    One request per taxonomy finds the terms by their usual slug; creating a missing one that exists
    under another slug returns the existing one. A name is only searched for when the role may not
    create it, before saying so. *may_create_categories* is what the last connection check found
    (None when unknown): when False, missing categories are refused before anything is created.
    """
    wanted = {"category": categories, "tag": tags}
    found: TermIds = {"category": {}, "tag": {}}
    missing: dict[str, list[str]] = {"category": [], "tag": []}
    for taxonomy, names in wanted.items():
        if names:
            terms = client.find_terms(taxonomy, names)
            found[taxonomy] = {name: term.id for name, term in terms.items()}
            missing[taxonomy] = [n for n in names if n not in terms]
    if missing["category"] and may_create_categories is False:
        _search_or_refuse(client, "category", missing["category"], found)
        missing["category"] = []
    for taxonomy in ("category", "tag"):
        names = missing[taxonomy]
        for index, name in enumerate(names):
            try:
                term = client.create_term(taxonomy, name)
            except PermissionDenied:
                _search_or_refuse(client, taxonomy, names[index:], found)
                break
            log.info("Created the %s “%s” (id %d)", taxonomy, name, term.id)
            found[taxonomy][name] = term.id
    return found


def _search_or_refuse(client: CmsClient, taxonomy: str, names: list[str], found: TermIds) -> None:
    """Names the role may not create: they may exist under another slug; else a clear refusal."""
    existing = client.search_terms(taxonomy, names)
    absent = [n for n in names if n not in existing]
    if absent:
        raise _refused(taxonomy, absent)
    found[taxonomy].update({name: term.id for name, term in existing.items()})
