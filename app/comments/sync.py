"""Keeping the library's comments in step with a site, cheaply.

Who: an editor or administrator (who may moderate every comment) syncs the whole site; anyone else
(an author) the comments of their own posts, asked for post by post (``post=...``). WordPress counts in
``X-WP-Total`` comments that it then refuses to show an author, so for an author neither the lists nor
the counts are ever asked for the whole site.

The first sync (or a full one) pages through every comment, by id, 100 a page. After that, a sync asks:

1. **New comments.** Comment ids only grow, so the newest page by id, and the next while it holds only
   unknown ids, brings every comment made since (usually one request).
2. **Changes made on the site.** WordPress keeps no modification time for comments. With the companion
   plugin each change of status, text or votes stamps the comment, and one request
   (``copydesk_changed_after``) brings the comments changed since the last sync began (by the site's
   clock, from its ``Date`` header, less a few seconds). Without the plugin, the ids of the held, spam
   and trashed comments are listed (three short requests) and compared with the library: a comment that
   entered or left one of those lists is read again. What this cannot see without the plugin: an
   edit of an approved comment's text.
3. **Deletions.** With the plugin, its log of deleted comments since the last sync (one request;
   the ids it names that the library holds are read again, one more request, to confirm). Then,
   with or without it, the site's count of comments is compared with the library's (one request);
   only when they still differ are the ids of all comments listed (ids only, 100 a page) and the gone
   ones removed. Without the plugin, that is what a deletion costs.

So an incremental sync is five requests with the plugin (six after a deletion) and six or more
without it (the held, spam and trash lists are a request per 100 ids), plus one for an author's
list of posts, whatever the size of the site.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from app.cms.base import Progress
from app.cms.wordpress.comments import (
    PAGE_SIZE,
    CommentIdentity,
    CommentPage,
    CommentsApi,
    PostInfo,
    RemoteComment,
)
from app.comments.data import SyncReport
from app.comments.store import CommentStore
from app.sites.registry import SiteRegistry
from app.store.models import utcnow

log = logging.getLogger(__name__)

POSTS_PER_QUERY = 50  # post ids in one ``post=`` filter (an author's posts, asked for in groups)
CHANGE_MARGIN = 5  # seconds of overlap between the changes asked for and the last sync
FALLBACK_STATUSES = ("hold", "spam", "trash")
STORE_BATCH = 500  # comments stored in one transaction during a full sync
PAGES_AHEAD = 10  # pages fetched ahead of the storing


class _Run:
    """One sync of one site: the counters and the steps."""

    def __init__(
        self,
        api: CommentsApi,
        store: CommentStore,
        site_id: int,
        identity: CommentIdentity,
        progress: Progress | None,
    ) -> None:
        self.api, self.store, self.site_id, self.identity = api, store, site_id, identity
        self.progress = progress
        self.fetched = self.added = self.changed = self.removed = 0
        self.expected = 0
        self.server_time: int | None = None
        self.filters: list[Sequence[int]] = [()]  # post filters: () is the whole site
        self.own_posts: list[int] | None = None

    def _note(self, page: CommentPage) -> None:
        if self.server_time is None and page.server_time is not None:
            self.server_time = page.server_time

    def _received(self, page: CommentPage) -> None:
        self._note(page)
        self.fetched += len(page.comments)
        if self.progress is not None:
            self.progress(self.fetched, max(self.expected, self.fetched))

    def _save(self, comments: Sequence[RemoteComment]) -> None:
        added, changed = self.store.store(self.site_id, comments)
        self.added += added
        self.changed += changed

    def _store(self, page: CommentPage) -> None:
        self._received(page)
        self._save(page.comments)

    def pages(self, **query: object) -> Iterator[CommentPage]:
        """Every page of one query, for every post filter, in order.

        A thread of its own fetches the pages one after the other (the site sees one request at a
        time, as from a browser) while the caller stores those already here, so storing costs no
        time of its own.
        """
        ahead: queue.Queue[CommentPage | BaseException | None] = queue.Queue(maxsize=PAGES_AHEAD)
        stop = threading.Event()

        def fetch_all() -> None:
            try:
                for posts in self.filters:
                    number = 1
                    while not stop.is_set():
                        page = self.api.fetch(posts=posts, page=number, **query)  # type: ignore[arg-type]
                        if number == 1:
                            self.expected += page.total
                        ahead.put(page)
                        if number >= page.total_pages or not page.comments:
                            break
                        number += 1
                ahead.put(None)
            except BaseException as exc:  # handed to the caller's thread
                ahead.put(exc)

        fetcher = threading.Thread(target=fetch_all, name="copydesk-comment-pages", daemon=True)
        fetcher.start()
        try:
            while (item := ahead.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            while fetcher.is_alive():  # unblock a fetcher waiting for room, then let it end
                with contextlib.suppress(queue.Empty):
                    ahead.get(timeout=0.05)
            fetcher.join()

    # -- steps ---------------------------------------------------------------------------------

    def scope_to_own_posts(self) -> list[int]:
        """For an author: their posts, stored; returns the ids that are new to the library."""
        known = set(self.store.post_ids(self.site_id, author=self.identity.user_id))
        posts: list[PostInfo] = []
        page = 1
        while True:
            found, pages = self.api.own_posts(self.identity.user_id, page)
            posts.extend(found)
            if page >= pages or not found:
                break
            page += 1
        self.store.upsert_posts(self.site_id, posts)
        self.own_posts = sorted(p.id for p in posts)
        self.filters = [
            self.own_posts[i : i + POSTS_PER_QUERY]
            for i in range(0, len(self.own_posts), POSTS_PER_QUERY)
        ]
        return [p for p in self.own_posts if p not in known]

    def full(self) -> None:
        seen: set[int] = set()
        batch: list[RemoteComment] = []
        for page in self.pages(status="any", votes=self.identity.votes):
            self._received(page)
            seen.update(c.id for c in page.comments)
            batch.extend(page.comments)
            if len(batch) >= STORE_BATCH:
                self._save(batch)
                batch = []
        self._save(batch)
        local = self.store.statuses(self.site_id)
        self.removed += self.store.remove(self.site_id, set(local) - seen)

    def new_comments(self, since_id: int) -> None:
        for posts in self.filters:
            page_number = 1
            while True:
                page = self.api.fetch(
                    posts=posts, page=page_number, order="desc", votes=self.identity.votes
                )
                self._store(page)
                done = any(c.id <= since_id for c in page.comments)
                if done or page_number >= page.total_pages or not page.comments:
                    break
                page_number += 1

    def posts_in_full(self, post_ids: Sequence[int]) -> None:
        """Every comment of some posts (an author's posts new to the library)."""
        saved = self.filters
        self.filters = [
            post_ids[i : i + POSTS_PER_QUERY] for i in range(0, len(post_ids), POSTS_PER_QUERY)
        ]
        try:
            for page in self.pages(status="any", votes=self.identity.votes):
                self._store(page)
        finally:
            self.filters = saved

    def changes_by_stamp(self, since: int) -> None:
        for page in self.pages(
            status="any", changed_after=max(since - CHANGE_MARGIN, 0), votes=self.identity.votes
        ):
            self._store(page)

    def changes_by_status_lists(self) -> None:
        suspects: set[int] = set()
        for status in FALLBACK_STATUSES:
            remote: set[int] = set()
            for page in self.pages(status=status, ids_only=True):
                self._note(page)
                remote.update(c.id for c in page.comments)
            local = self.store.statuses(self.site_id, posts=self.own_posts)
            in_status = {i for i, s in local.items() if s == status}
            suspects |= {i for i in remote if local.get(i) != status}  # moved in (or unknown)
            suspects |= in_status - remote  # moved out, or deleted
        self.reread(sorted(suspects))

    def reread(self, ids: Sequence[int]) -> None:
        """Read some comments again; those the site no longer shows are removed."""
        found: set[int] = set()
        for start in range(0, len(ids), PAGE_SIZE):
            chunk = ids[start : start + PAGE_SIZE]
            page = self.api.fetch(include=chunk, votes=self.identity.votes)
            found.update(c.id for c in page.comments)
            self._store(page)
        self.removed += self.store.remove(self.site_id, set(ids) - found)

    def deletions(self, since: int) -> None:
        if self.identity.deletions and since:
            ids, complete = self.api.deleted_since(max(since - CHANGE_MARGIN, 0))
            stored = self.store.statuses(self.site_id)
            # checked before they go: an id in the log is a hint, the site's answer is the fact
            self.reread(sorted(i for i in ids if i in stored))
            if not complete:
                log.info("The site's log of deleted comments does not reach back far enough")
        total = 0
        for posts in self.filters:
            total += self.api.fetch(posts=posts, per_page=1, ids_only=True).total
        local = self.store.statuses(self.site_id, posts=self.own_posts)
        if total == len(local):
            return
        log.info("Site %d has %d comments, the library %d: listing ids", self.site_id, total, len(local))
        remote: dict[int, str] = {}
        for page in self.pages(status="any", ids_only=True):
            remote.update((c.id, c.status) for c in page.comments)
        self.removed += self.store.remove(self.site_id, set(local) - set(remote))
        self.reread(sorted(i for i, status in remote.items() if local.get(i) != status))

    def post_titles(self, *, refresh: bool) -> None:
        """Titles and links of the posts the comments are on (all of them again on a full sync)."""
        wanted = set(self.store.posts_without_info(self.site_id))
        if refresh and self.own_posts is None:
            wanted |= set(self.store.commented_posts(self.site_id))
        if not wanted:
            return
        found = {p.id: p for p in self.api.posts_by_id(sorted(wanted))}
        # a post the user may not see keeps an empty title (it is not asked for again each time)
        self.store.upsert_posts(
            self.site_id,
            [found.get(i) or PostInfo(id=i, title="", link="", author=0, status="") for i in wanted],
        )


class CommentSyncer:
    def __init__(
        self,
        store: CommentStore,
        sites: SiteRegistry,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._sites = sites
        self._clock = clock

    def api(self, site_id: int) -> CommentsApi:
        return CommentsApi(self._sites.client(site_id))

    def sync(self, site_id: int, *, full: bool = False, progress: Progress | None = None) -> SyncReport:
        site = self._sites.get(site_id)
        api = self.api(site_id)
        before = api.requests_made
        state = self._store.state(site_id)
        companion = bool(site.companion_version) or full or state is None or bool(state.features)
        identity = api.identity(companion=companion)
        scope = "site" if identity.can_moderate else "own"
        if state is None or state.full_synced_at is None:
            full = True
        elif state.scope != scope or state.user_id != identity.user_id:
            full = True  # the role changed, or another user signs in: start again
        run = _Run(api, self._store, site_id, identity, progress)
        fresh_posts = run.scope_to_own_posts() if scope == "own" else []
        if scope == "own" and not run.own_posts:
            run.filters = []
        if full or state is None:
            run.full()
        else:
            run.new_comments(state.max_remote_id)
            if fresh_posts:
                run.posts_in_full(fresh_posts)
            if identity.changes and state.server_time:
                run.changes_by_stamp(state.server_time)
            else:
                run.changes_by_status_lists()
            run.deletions(state.server_time)
        run.post_titles(refresh=full)
        now = self._clock()
        values: dict[str, object] = {
            "user_id": identity.user_id,
            "user_name": identity.name or (state.user_name if state else ""),
            "scope": scope,
            "features": identity.features,
            "max_remote_id": self._store.max_remote_id(site_id),
            "server_time": run.server_time or (state.server_time if state else 0),
            "synced_at": now,
        }
        if full:
            values["full_synced_at"] = now
        self._store.save_state(site_id, **values)
        report = SyncReport(
            site_id=site_id,
            site_name=site.name,
            full=full,
            fetched=run.fetched,
            added=run.added,
            changed=run.changed,
            removed=run.removed,
            requests=api.requests_made - before,
            scope=scope,
            votes=identity.votes,
        )
        log.info(
            "Synced the comments of %s: %d read, %d new, %d changed, %d gone, %d requests",
            site.name, report.fetched, report.added, report.changed, report.removed, report.requests,
        )  # fmt: skip
        return report
