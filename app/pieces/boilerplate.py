"""The library of reusable disclaimers and call-to-action snippets, and their default rules.

A rule attaches a disclaimer or a snippet to any piece in a given category or under a given byline, so a
new opinion column gets its disclaimer without anyone having to remember it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.errors import InvalidInputError, NotFoundError
from app.pieces.data import Boilerplate, PieceData
from app.store import Database
from app.store.models import BoilerplateEntry, DefaultRule, Disclaimer, Snippet, utcnow

log = logging.getLogger(__name__)

Kind = Literal["disclaimer", "snippet"]
MatchField = Literal["category", "byline"]
_MODELS: dict[Kind, type[BoilerplateEntry]] = {
    "disclaimer": Disclaimer,
    "snippet": Snippet,
}
_NOUNS: dict[Kind, str] = {"disclaimer": "disclaimer", "snippet": "call-to-action snippet"}


@dataclass(frozen=True)
class DefaultRuleInfo:
    id: int
    kind: Kind
    target_id: int
    target_name: str
    match_field: MatchField
    match_value: str

    @property
    def description(self) -> str:
        where = "category" if self.match_field == "category" else "byline"
        return f"{self.target_name} — every piece with the {where} “{self.match_value}”"


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


class BoilerplateLibrary:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- entries -------------------------------------------------------------------------------

    def entries(self, kind: Kind) -> list[Boilerplate]:
        model = _MODELS[kind]
        with self._db.session() as session:
            rows = session.scalars(select(model).order_by(func.lower(model.name)))
            return [Boilerplate(r.id, r.name, r.body) for r in rows]

    def by_ids(self, kind: Kind, ids: Iterable[int]) -> dict[int, Boilerplate]:
        wanted = list(ids)
        if not wanted:
            return {}
        model = _MODELS[kind]
        with self._db.session() as session:
            rows = session.scalars(select(model).where(model.id.in_(wanted)))
            return {r.id: Boilerplate(r.id, r.name, r.body) for r in rows}

    def find(self, kind: Kind, name: str) -> Boilerplate:
        model = _MODELS[kind]
        with self._db.session() as session:
            row = session.scalars(
                select(model).where(func.lower(model.name) == name.strip().lower())
            ).first()
            if row is None:
                raise NotFoundError(f"There is no {_NOUNS[kind]} named “{name}”.")
            return Boilerplate(row.id, row.name, row.body)

    def add(self, kind: Kind, name: str, body: str) -> Boilerplate:
        name, body = name.strip(), body.strip()
        if not name:
            raise InvalidInputError(f"A {_NOUNS[kind]} needs a name.")
        if not body:
            raise InvalidInputError(f"The {_NOUNS[kind]} “{name}” has no text.")
        model = _MODELS[kind]
        now = utcnow()
        try:
            with self._db.session() as session:
                row = model(name=name, body=body, created_at=now, updated_at=now)
                session.add(row)
                session.flush()
                return Boilerplate(row.id, row.name, row.body)
        except IntegrityError as exc:
            raise InvalidInputError(
                f"There is already a {_NOUNS[kind]} named “{name}”.",
                hint="Choose another name, or remove the old one first.",
            ) from exc

    def update(self, kind: Kind, entry_id: int, *, name: str, body: str) -> Boilerplate:
        model = _MODELS[kind]
        name, body = name.strip(), body.strip()
        if not name or not body:
            raise InvalidInputError(f"A {_NOUNS[kind]} needs a name and a text.")
        try:
            with self._db.session() as session:
                row = session.get(model, entry_id)
                if row is None:
                    raise NotFoundError(f"That {_NOUNS[kind]} no longer exists.")
                row.name, row.body, row.updated_at = name, body, utcnow()
                session.flush()
                return Boilerplate(row.id, row.name, row.body)
        except IntegrityError as exc:
            raise InvalidInputError(f"There is already a {_NOUNS[kind]} named “{name}”.") from exc

    def remove(self, kind: Kind, name: str) -> Boilerplate:
        """Remove an entry by name; pieces that used it simply lose it (their text is untouched)."""
        entry = self.find(kind, name)
        model = _MODELS[kind]
        with self._db.session() as session:
            session.execute(delete(model).where(model.id == entry.id))
        return entry

    # -- default rules -------------------------------------------------------------------------

    def add_rule(self, kind: Kind, target_id: int, match_field: MatchField, value: str) -> None:
        value = value.strip()
        if not value:
            raise InvalidInputError(f"Name the {match_field} the default applies to.")
        with self._db.session() as session:
            rule = DefaultRule(match_field=match_field, match_value=value)
            if kind == "disclaimer":
                rule.disclaimer_id = target_id
            else:
                rule.snippet_id = target_id
            session.add(rule)

    def remove_rule(self, rule_id: int) -> None:
        with self._db.session() as session:
            session.execute(delete(DefaultRule).where(DefaultRule.id == rule_id))

    def rules(self) -> list[DefaultRuleInfo]:
        with self._db.session() as session:
            rows = session.execute(
                select(DefaultRule, Disclaimer.name, Snippet.name)
                .outerjoin(Disclaimer, DefaultRule.disclaimer_id == Disclaimer.id)
                .outerjoin(Snippet, DefaultRule.snippet_id == Snippet.id)
                .order_by(DefaultRule.id)
            ).all()
        out = []
        for rule, disclaimer_name, snippet_name in rows:
            kind: Kind = "disclaimer" if rule.disclaimer_id is not None else "snippet"
            out.append(
                DefaultRuleInfo(
                    id=rule.id,
                    kind=kind,
                    target_id=rule.disclaimer_id or rule.snippet_id or 0,
                    target_name=disclaimer_name or snippet_name or "",
                    match_field=rule.match_field,  # type: ignore[arg-type]
                    match_value=rule.match_value,
                )
            )
        return out

    def defaults_for(self, categories: Iterable[str], byline: str) -> tuple[int | None, list[int]]:
        """The disclaimer and snippets that rules attach to a piece with these categories and byline.

        Category rules come before byline rules; among several matching disclaimers the oldest rule
        wins (a piece carries one disclaimer).
        """
        cats = list(categories)
        disclaimer: int | None = None
        snippets: list[int] = []
        for rule in sorted(self.rules(), key=lambda r: (r.match_field != "category", r.id)):
            if rule.match_field == "category":
                hit = any(_same(rule.match_value, c) for c in cats)
            else:
                hit = bool(byline) and _same(rule.match_value, byline)
            if not hit:
                continue
            if rule.kind == "disclaimer" and disclaimer is None:
                disclaimer = rule.target_id
            elif rule.kind == "snippet" and rule.target_id not in snippets:
                snippets.append(rule.target_id)
        return disclaimer, snippets

    def apply_defaults(self, data: PieceData, previous: PieceData | None = None) -> PieceData:
        """*data* with the defaults of its categories and byline attached.

        Defaults are attached when the categories or the byline change (or for a new piece), and only
        add: a disclaimer the writer chose is never replaced, and one the writer removed is not
        forced back until the categories or byline change again.
        """
        if previous is not None and (
            previous.categories == data.categories and previous.byline == data.byline
        ):
            return data
        disclaimer, snippets = self.defaults_for(data.categories, data.byline)
        changes: dict[str, object] = {}
        if disclaimer is not None and data.disclaimer_id is None:
            changes["disclaimer_id"] = disclaimer
        extra = [s for s in snippets if s not in data.snippet_ids]
        if extra:
            changes["snippet_ids"] = [*data.snippet_ids, *extra]
        return data.copy(**changes) if changes else data

    # -- first start ---------------------------------------------------------------------------

    def seed_defaults(self) -> None:
        """Fill an empty library with the disclaimers and snippets that ship with Copydesk."""
        import resources

        spec = json.loads(resources.read_text("boilerplate", "defaults.json"))
        for kind, key in (("disclaimer", "disclaimers"), ("snippet", "snippets")):
            if self.entries(kind):  # type: ignore[arg-type]
                continue
            for item in spec[key]:
                text = resources.read_text("boilerplate", item["file"])
                entry = self.add(kind, item["name"], text)  # type: ignore[arg-type]
                for category in item.get("default_for_categories", []):
                    self.add_rule(kind, entry.id, "category", category)  # type: ignore[arg-type]
        log.info("Seeded the library with the default disclaimers and snippets")
