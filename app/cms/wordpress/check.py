"""“Check connection”: what works and what does not between Copydesk and one WordPress site.

:func:`check_connection` never raises for a problem of the site or the network: it reports each finding
as a :class:`CheckItem` in words a columnist understands, so the UI can list them with an icon each.

How a right password is told apart from an ``Authorization`` header that the web server drops: WordPress
answers both as if nobody had signed in (401 ``rest_not_logged_in``). With the companion plugin the
difference is certain: its status route says whether the header arrived. Without it, the report says
that either may be the cause and how to find out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from app.cms.base import CompanionStatus, RemoteUser, SiteInfo
from app.cms.http import is_insecure
from app.cms.wordpress.client import WordPressClient
from app.errors import (
    AuthError,
    CopydeskError,
    InvalidInputError,
    NetworkError,
    PermissionDenied,
)

log = logging.getLogger(__name__)

Level = Literal["ok", "info", "warning", "error"]

HEADER_FIX = (
    "On Apache, the administrator can add this line to the site's .htaccess: "
    'SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1'
)


@dataclass(frozen=True)
class CheckItem:
    key: str  # "address", "site", "credentials", "role", "plugin", ...
    level: Level
    title: str
    detail: str = ""
    cause: str = ""  # for errors: "network", "auth", "permission", "remote" or "input"


@dataclass(frozen=True)
class ConnectionReport:
    items: tuple[CheckItem, ...]
    site: SiteInfo | None = None
    user: RemoteUser | None = None
    companion: CompanionStatus | None = None

    @property
    def ok(self) -> bool:
        return not any(item.level == "error" for item in self.items)

    @property
    def problems(self) -> list[CheckItem]:
        return [item for item in self.items if item.level in ("warning", "error")]

    def item(self, key: str) -> CheckItem | None:
        return next((i for i in self.items if i.key == key), None)


def describe_role(user: RemoteUser) -> str:
    """What the user's role allows, in a sentence or two."""
    can: list[str] = []
    cannot: list[str] = []
    (can if user.can_write else cannot).append("write posts")
    (can if user.can_publish else cannot).append("publish or schedule")
    (can if user.can_upload else cannot).append("upload images")
    (can if user.can_create_categories else cannot).append("create categories")
    if user.can_create_tags:
        can.append("create tags")
    if user.can_publish and not user.can("edit_published_posts"):
        cannot.append("change posts once they are published")
    if user.can("edit_others_posts"):
        can.append("edit other people's posts")
    parts = []
    if can:
        parts.append("can " + _join(can))
    if cannot:
        parts.append("cannot " + _join(cannot))
    sentence = f"As {user.role_label}, {user.name or 'you'} " + "; ".join(parts) + "."
    if user.can_write and not user.can_publish:
        sentence += " Push pieces as “Pending review” and an editor publishes them."
    if user.can_write and not user.can_create_categories:
        sentence += " New categories must be created by an editor first."
    if user.can_write and not user.can("unfiltered_html"):
        sentence += (
            " WordPress removes some formatting that this role may not use (such as dates marked "
            "up in the text); Copydesk says so when it happens."
        )
    return sentence


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass
class _Report:
    items: list[CheckItem] = field(default_factory=list)

    def add(self, key: str, level: Level, title: str, detail: str = "", cause: str = "") -> None:
        self.items.append(CheckItem(key, level, title, detail, cause))

    def add_error(self, key: str, exc: CopydeskError) -> None:
        self.add(key, "error", exc.message, exc.hint, cause_of(exc))


def cause_of(exc: CopydeskError) -> str:
    """A one-word name of an error's kind, for code that turns a report back into an exception."""
    for kind, name in (
        (NetworkError, "network"),
        (AuthError, "auth"),
        (PermissionDenied, "permission"),
        (InvalidInputError, "input"),
    ):
        if isinstance(exc, kind):
            return name
    return "remote"


def _check_address(report: _Report, url: str, allow_insecure: bool) -> bool:
    """Whether credentials may be sent to *url*."""
    host = urlsplit(url).netloc
    if not is_insecure(url):
        if url.startswith("https://"):
            report.add("address", "ok", f"The connection to {host} is encrypted (https).")
        else:
            report.add("address", "ok", f"{host} is this computer, so plain http is safe.")
        return True
    if allow_insecure:
        report.add(
            "address",
            "warning",
            f"The connection to {host} is not encrypted (plain http).",
            "You allowed it for this site: anyone on the network between you and the site can read "
            "your password and your pieces. Use the site's https:// address if it has one.",
        )
        return True
    report.add(
        "address",
        "error",
        f"The connection to {host} is not encrypted (plain http), so Copydesk did not send your "
        "password.",
        "Use the site's https:// address. If the site has none and you accept the risk, allow plain "
        "http for this site explicitly.",
        cause="input",
    )
    return False


def _check_site(report: _Report, client: WordPressClient, url: str) -> SiteInfo | None:
    try:
        site = client.discover()
    except CopydeskError as exc:
        report.add_error("site", exc)
        return None
    name = f"“{site.name}”" if site.name else "The site"
    report.add("site", "ok", f"{name} answers; its REST API is at {site.api_root}.")
    if site.moved_to:
        report.add(
            "address",
            "info",
            f"{url} sent Copydesk on to {site.moved_to} (https), so that address is used.",
            "The connection is encrypted. You may change the site's address to https:// as well.",
        )
    if "wp/v2" not in site.namespaces:
        report.add(
            "site",
            "error",
            "The site's REST API has no posts (wp/v2 is missing).",
            "A plugin may have switched it off; ask the site's administrator.",
            cause="remote",
        )
    if site.home.startswith("https://") and url.startswith("http://"):
        report.add(
            "address",
            "warning",
            f"The site says its address is {site.home}.",
            "Use that address for this site, so that the connection is encrypted.",
        )
    if not site.application_passwords:
        report.add(
            "credentials",
            "warning",
            "The site does not offer application passwords.",
            "They need WordPress 5.6 or newer and https (or a site marked as local); a security "
            "plugin may also have switched them off.",
        )
    return site


def _diagnose_anonymous(
    report: _Report, client: WordPressClient, site: SiteInfo, exc: AuthError
) -> None:
    """The credentials were refused: wrong password, or a header the server dropped?"""
    if site.has_companion:
        try:
            status = client.companion_status()
        except CopydeskError:
            status = None
        if status is not None and not status.authorization_received:
            report.add(
                "header",
                "error",
                "The web server drops the login header before WordPress sees it, so every request "
                "looks anonymous even with the right password.",
                HEADER_FIX,
                cause="auth",
            )
            return
        if status is not None:
            report.add(
                "credentials",
                "error",
                "The user name or the application password is wrong.",
                exc.hint,
                cause="auth",
            )
            return
    report.add(
        "credentials",
        "error",
        "WordPress treated the request as if nobody had signed in.",
        "Either the user name or the application password is wrong (check them first), or the web "
        "server drops the login header before WordPress sees it. Installing the Copydesk companion "
        f"plugin on the site lets Copydesk tell which. {HEADER_FIX}",
        cause="auth",
    )


def _check_user(report: _Report, client: WordPressClient, site: SiteInfo) -> RemoteUser | None:
    try:
        user = client.current_user()
    except AuthError as exc:
        _diagnose_anonymous(report, client, site, exc)
        return None
    except CopydeskError as exc:
        report.add_error("credentials", exc)
        return None
    report.add("credentials", "ok", f"Signed in as {user.name} ({user.role_label}).")
    if user.can_write:
        report.add("role", "ok", describe_role(user))
    else:
        report.add("role", "error", describe_role(user), cause="permission")
    return user


def check_connection(client: WordPressClient, *, allow_insecure_http: bool) -> ConnectionReport:
    """Check the address, the site, the credentials, the role and the companion plugin."""
    report = _Report()
    may_sign_in = _check_address(report, client.url, allow_insecure_http)
    site = _check_site(report, client, client.url)
    if site is None:
        return ConnectionReport(tuple(report.items))
    user: RemoteUser | None = None
    companion: CompanionStatus | None = None
    if may_sign_in:
        user = _check_user(report, client, site)
    if site.has_companion and user is not None:
        try:
            companion = client.companion_status()
            report.add("plugin", "ok", f"The Copydesk companion plugin {companion.version} is active.")
        except CopydeskError as exc:
            report.add("plugin", "warning", "The companion plugin did not answer.", exc.message)
    elif not site.has_companion:
        report.add(
            "plugin",
            "info",
            "The Copydesk companion plugin is not installed (optional).",
            "Without it Copydesk marks the posts it makes with a hidden comment at the end, to find "
            "them again if an answer is lost on the way.",
        )
    if client.php_noise_seen:
        report.add(
            "site",
            "warning",
            "The site prints PHP error messages into its answers.",
            "Copydesk reads past them, but the site's administrator should turn off display_errors.",
        )
    return ConnectionReport(tuple(report.items), site=site, user=user, companion=companion)
