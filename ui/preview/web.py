"""A hardened QtWebEngine set-up for showing HTML that Copydesk did not write itself.

Pages run no JavaScript of their own, cannot open windows, navigate only when the user clicks a link
(which opens in the system browser), and reach the network only for pictures, and only when allowed.
Copydesk's own DOM patches run in the application's isolated script world, which the page cannot see.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

log = logging.getLogger(__name__)

Attr = QWebEngineSettings.WebAttribute
_SAFE_LOCAL_SCHEMES = {"file", "data", "about", "blob"}
_EXTERNAL_SCHEMES = {"http", "https", "mailto"}


class ResourceGuard(QWebEngineUrlRequestInterceptor):
    """Lets a page load local files and, when allowed, remote pictures; blocks everything else."""

    def __init__(self, *, remote_images: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.remote_images = remote_images
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        scheme = url.scheme()
        if scheme in _SAFE_LOCAL_SCHEMES:
            return
        image = info.resourceType() == QWebEngineUrlRequestInfo.ResourceType.ResourceTypeImage
        if scheme in ("http", "https") and image and self.remote_images:
            return
        info.block(True)
        self.blocked.append(url.toString())
        del self.blocked[:-50]
        log.debug("Blocked %s (%s)", url.toString(), info.resourceType())


_profiles: dict[bool, tuple[QWebEngineProfile, ResourceGuard]] = {}


def shared_profile(*, remote_images: bool) -> tuple[QWebEngineProfile, ResourceGuard]:
    """The application's hardened profile for pages that may (or may not) load remote pictures.

    Profiles belong to the application object so that they outlive every page using them (Qt
    requires it); one per kind is enough.
    """
    if remote_images not in _profiles:
        app = QCoreApplication.instance()
        profile, guard = make_profile(app, remote_images=remote_images)
        _profiles[remote_images] = (profile, guard)
        if app is not None:
            app.destroyed.connect(lambda *_: _profiles.clear())
    return _profiles[remote_images]


def make_profile(
    parent: QObject | None, *, remote_images: bool
) -> tuple[QWebEngineProfile, ResourceGuard]:
    """An off-the-record profile (nothing written to disk) with scripts and plugins off."""
    profile = QWebEngineProfile(parent)  # no storage name: off the record
    guard = ResourceGuard(remote_images=remote_images, parent=profile)
    profile.setUrlRequestInterceptor(guard)
    profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
    settings = profile.settings()
    for attribute, value in (
        (Attr.JavascriptEnabled, False),
        (Attr.JavascriptCanOpenWindows, False),
        (Attr.JavascriptCanAccessClipboard, False),
        # Chromium blocks even pictures from a file: page unless this is on; the ResourceGuard
        # above then lets pictures through and nothing else (and the article's CSP agrees)
        (Attr.LocalContentCanAccessRemoteUrls, remote_images),
        (Attr.LocalContentCanAccessFileUrls, True),
        (Attr.LocalStorageEnabled, False),
        (Attr.PluginsEnabled, False),
        (Attr.WebGLEnabled, False),
        (Attr.Accelerated2dCanvasEnabled, False),
        (Attr.AutoLoadImages, True),
        (Attr.ErrorPageEnabled, False),
        (Attr.FullScreenSupportEnabled, False),
        (Attr.ScreenCaptureEnabled, False),
        (Attr.NavigateOnDropEnabled, False),
        (Attr.PdfViewerEnabled, False),
        (Attr.AllowWindowActivationFromJavaScript, False),
        (Attr.AutoLoadIconsForPage, False),
        (Attr.DnsPrefetchEnabled, False),
    ):
        settings.setAttribute(attribute, value)
    return profile, guard


class GuardedPage(QWebEnginePage):
    """A page that never navigates away: clicked web links open in the user's browser."""

    def acceptNavigationRequest(
        self, url: QUrl | str, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        url = QUrl(url)
        if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            if url.scheme() in _EXTERNAL_SCHEMES:
                QDesktopServices.openUrl(url)
            return False
        # setHtml() loads the page itself as a data: URL; nothing else may replace it
        return url.scheme() in ("data", "about") and is_main_frame

    def javaScriptConsoleMessage(
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        line: int,
        source: str,
    ) -> None:
        log.debug("page console (%s:%d): %s", source, line, message)
