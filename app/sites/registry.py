"""The WordPress sites of a library: add, check, list, remove, and a signed-in client for each.

The application password goes to the OS keyring (:mod:`app.sites.secrets`) and nowhere else; the database
row keeps only the name of its keyring entry. Adding a site checks the connection first and stores
nothing unless the site answers and accepts the credentials.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cms.http import DEFAULT_TIMEOUT, UPLOAD_TIMEOUT, is_insecure
from app.cms.wordpress.check import CheckItem, ConnectionReport, check_connection
from app.cms.wordpress.client import WordPressClient, normalize_site_url
from app.errors import (
    AuthError,
    CopydeskError,
    InvalidInputError,
    NetworkError,
    NotFoundError,
    PermissionDenied,
    RemoteError,
)
from app.sites.mapping import SiteMapping
from app.sites.secrets import SecretStore
from app.sites.statuses import PUSH_STATUSES, REVIEW_STATUSES
from app.store import Database
from app.store.models import OutboxJob, Site, utcnow

log = logging.getLogger(__name__)

_ERRORS: dict[str, type[CopydeskError]] = {
    "network": NetworkError,
    "auth": AuthError,
    "permission": PermissionDenied,
    "input": InvalidInputError,
}


__all__ = [
    "CheckItem",
    "ConnectionReport",
    "SiteData",
    "SiteRegistry",
    "insecure_address",
]


def insecure_address(url: str) -> bool:
    """Whether *url* would carry the password unencrypted: plain ``http://`` to another machine."""
    return is_insecure(url.strip())


@dataclass(frozen=True)
class SiteData:
    id: int
    name: str
    url: str
    username: str
    api_root: str
    allow_insecure_http: bool
    role: str  # from the last check, "" before any
    capabilities: frozenset[str]
    companion_version: str
    checked_at: datetime | None
    created_at: datetime
    mapping: SiteMapping = SiteMapping()  # where the byline and the standfirst go

    @property
    def insecure(self) -> bool:
        return is_insecure(self.url)

    def allowed_statuses(self) -> tuple[str, ...]:
        """The push statuses the user's role allows (all of them before the first check)."""
        if self.checked_at is not None and "publish_posts" not in self.capabilities:
            return REVIEW_STATUSES
        return PUSH_STATUSES


def _data(row: Site) -> SiteData:
    try:
        caps = frozenset(str(c) for c in json.loads(row.capabilities or "[]"))
    except ValueError:
        caps = frozenset()
    return SiteData(
        id=row.id,
        name=row.name,
        url=row.url,
        username=row.username,
        api_root=row.api_root,
        allow_insecure_http=row.allow_insecure_http,
        role=row.role,
        capabilities=caps,
        companion_version=row.companion_version,
        checked_at=row.checked_at,
        created_at=row.created_at,
        mapping=SiteMapping.from_json(row.publishing),
    )


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInputError("Give the site a name, e.g. “Daily Gazette”.")
    if len(cleaned) > 100:
        raise InvalidInputError("A site's name can be at most 100 characters long.")
    return cleaned


def _first_error(report: ConnectionReport) -> CopydeskError | None:
    for item in report.items:
        if item.level == "error":
            return _ERRORS.get(item.cause, RemoteError)(item.title, hint=item.detail)
    return None


class SiteRegistry:
    def __init__(
        self,
        db: Database,
        secrets: SecretStore,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        upload_timeout: tuple[float, float] = UPLOAD_TIMEOUT,
        deadline: float | None = None,
        verify: str | bool = True,
    ) -> None:
        """*deadline* bounds every request, all of it; *verify* is a CA bundle to trust instead of
        the system's (for a company's own authority, and the tests)."""
        self._db = db
        self._secrets = secrets
        self._timeout = timeout
        self._upload_timeout = upload_timeout
        self._deadline = deadline
        self._verify = verify
        self._clients: dict[int, tuple[tuple[str, ...], WordPressClient]] = {}
        self._lock = threading.Lock()

    # -- reading -----------------------------------------------------------------------------------

    def list(self) -> list[SiteData]:
        with self._db.session() as session:
            rows = session.scalars(select(Site).order_by(func.lower(Site.name)))
            return [_data(row) for row in rows]

    def _row(self, session: Session, site_id: int) -> Site:
        row = session.get(Site, site_id)
        if row is None:
            raise NotFoundError(f"There is no site with id {site_id}.")
        return row

    def get(self, site_id: int) -> SiteData:
        with self._db.session() as session:
            return _data(self._row(session, site_id))

    def find(self, name: str) -> SiteData:
        """The site called *name* (case does not matter)."""
        wanted = " ".join(name.split()).casefold()
        for site in self.list():
            if site.name.casefold() == wanted:
                return site
        raise NotFoundError(f"There is no site called “{name}”.")

    # -- clients ---------------------------------------------------------------------------------

    def _new_client(self, site: SiteData, password: str) -> WordPressClient:
        return WordPressClient(
            site.url,
            username=site.username,
            password=password,
            api_root=site.api_root,
            allow_insecure_http=site.allow_insecure_http,
            timeout=self._timeout,
            upload_timeout=self._upload_timeout,
            deadline=self._deadline,
            verify=self._verify,
        )

    def client(self, site_id: int) -> WordPressClient:
        """The signed-in client of a site, one per site (its session is reused).

        The keyring is read only when a client is made, not at every call.
        """
        with self._db.session() as session:
            row = self._row(session, site_id)
            site, key = _data(row), row.secret_key
        identity = (site.url, site.username, str(site.allow_insecure_http), key)
        with self._lock:
            cached = self._clients.get(site_id)
            if cached is not None and cached[0] == identity:
                return cached[1]
        password = self._secrets.get_password(key)
        client = self._new_client(site, password)
        with self._lock:
            previous = self._clients.get(site_id)
            self._clients[site_id] = (identity, client)
        if previous is not None:
            previous[1].close()
        return client

    def _forget_client(self, site_id: int) -> None:
        with self._lock:
            cached = self._clients.pop(site_id, None)
        if cached is not None:
            cached[1].close()

    def close(self) -> None:
        with self._lock:
            clients = [c for _, c in self._clients.values()]
            self._clients.clear()
        for client in clients:
            client.close()

    # -- writing ---------------------------------------------------------------------------------

    def add(
        self,
        name: str,
        url: str,
        username: str,
        password: str,
        *,
        allow_insecure_http: bool = False,
        check: bool = True,
    ) -> tuple[SiteData, ConnectionReport | None]:
        """Add a site; with *check*, only when it answers and accepts the credentials.

        Nothing is stored when anything fails: not the site, not the password.
        """
        name = _clean_name(name)
        url = normalize_site_url(url)
        username = username.strip()
        password = password.strip()
        if not username:
            raise InvalidInputError("Give your WordPress user name.")
        if not password:
            raise InvalidInputError("Give the application password made for Copydesk in WordPress.")
        if is_insecure(url) and not allow_insecure_http:
            raise InvalidInputError(
                f"{url} is plain http: your password would cross the network unencrypted.",
                hint="Use the site's https:// address, or allow plain http for this site "
                "explicitly if you accept the risk.",
            )
        if any(site.name.casefold() == name.casefold() for site in self.list()):
            raise InvalidInputError(f"There is already a site called “{name}”.")
        self._secrets.check()
        report: ConnectionReport | None = None
        api_root = ""
        if check:
            client = WordPressClient(
                url,
                username=username,
                password=password,
                allow_insecure_http=allow_insecure_http,
                timeout=self._timeout,
                deadline=self._deadline,
                verify=self._verify,
            )
            try:
                report = check_connection(client, allow_insecure_http=allow_insecure_http)
            finally:
                client.close()
            error = _first_error(report)
            if error is not None:
                raise error
            api_root = report.site.api_root if report.site else ""
        secret_key = f"{username}@{url}"
        self._secrets.set_password(secret_key, password)
        try:
            with self._db.session() as session:
                row = Site(
                    name=name,
                    url=url,
                    username=username,
                    api_root=api_root,
                    allow_insecure_http=allow_insecure_http,
                    secret_key=secret_key,
                )
                if report is not None:
                    self._apply_report(row, report)
                session.add(row)
                session.flush()
                site = _data(row)
        except BaseException:
            self._secrets.delete_password(secret_key)
            raise
        log.info("Added the site %s (%s) for %s", name, url, username)
        return site, report

    @staticmethod
    def _apply_report(row: Site, report: ConnectionReport) -> None:
        now = utcnow()
        if report.site is not None:
            row.api_root = report.site.api_root
        if report.user is not None:
            row.role = ",".join(report.user.roles)
            row.capabilities = json.dumps(sorted(report.user.capabilities))
            row.checked_at = now
        row.companion_version = report.companion.version if report.companion else ""
        row.updated_at = now

    def check(self, site_id: int) -> ConnectionReport:
        """Check the connection of a stored site and remember the role it found."""
        site = self.get(site_id)
        client = self.client(site_id)
        report = check_connection(client, allow_insecure_http=site.allow_insecure_http)
        with self._db.session() as session:
            self._apply_report(self._row(session, site_id), report)
        return report

    def set_mapping(self, site_id: int, mapping: SiteMapping) -> SiteData:
        """Choose where the site takes the byline and the standfirst (checked first)."""
        checked = mapping.checked()
        with self._db.session() as session:
            row = self._row(session, site_id)
            row.publishing = checked.to_json()
            row.updated_at = utcnow()
            return _data(row)

    def set_password(self, site_id: int, password: str) -> None:
        password = password.strip()
        if not password:
            raise InvalidInputError("Give the application password made for Copydesk in WordPress.")
        with self._db.session() as session:
            key = self._row(session, site_id).secret_key
        self._secrets.set_password(key, password)
        self._forget_client(site_id)

    def remove(self, site_id: int) -> int:
        """Remove a site, its password, its links and its waiting jobs. Returns how many jobs went."""
        with self._db.session() as session:
            row = self._row(session, site_id)
            key = row.secret_key
            jobs = session.scalar(
                select(func.count(OutboxJob.id)).where(
                    OutboxJob.site_id == site_id, OutboxJob.state.in_(("queued", "failed"))
                )
            )
        self._secrets.delete_password(key)
        self._forget_client(site_id)
        with self._db.session() as session:
            session.delete(self._row(session, site_id))
        log.info("Removed the site %d", site_id)
        return int(jobs or 0)
