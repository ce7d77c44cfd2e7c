"""The review queue of a site, fetched and kept for offline reading; and the statuses the site registers.

The queue is the posts awaiting review: WordPress's ``pending`` ones and those in a custom status the
site registers (``/wp/v2/statuses``, e.g. PublishPress's “Pitch” or “In progress”), each shown with the
site's own label. Copydesk never sets a custom status: the review state lives in the companion plugin's
post meta (a contributor can set any registered status, so it cannot carry a review).

The statuses are read at most once an hour per site (and whenever a post is met in a status not read
yet), and kept in the library, so the labels show offline too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.cms.wordpress.review import QueueEntry, QueuePage, ReviewApi
from app.errors import InvalidInputError
from app.publishing.convert import parse_wp_date
from app.render.markdown import html_to_text
from app.sites.statuses import PENDING, STATUS_LABELS
from app.text.stats import count
from app.workflow.data import QueueItem, status_label
from app.workflow.store import WorkflowStore

if TYPE_CHECKING:
    from app.remote import RemoteServices

STATUSES_MAX_AGE = timedelta(hours=1)


def custom_statuses(labels: dict[str, str]) -> list[str]:
    """The statuses among *labels* that WordPress itself does not have."""
    return sorted(slug for slug in labels if slug not in STATUS_LABELS)


class SiteStatuses:
    """The post statuses each site registers, read from the site and kept in the library."""

    def __init__(self, store: WorkflowStore, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock

    def labels(
        self, site_id: int, api: ReviewApi, *, met: Iterable[str] | None = None
    ) -> dict[str, str]:
        """The site's statuses (slug -> label), as kept; read again when never read, when over an
        hour old, or when a status just *met* on a post is not among them. With *met*, only the
        last: a sync where every post is in one of WordPress's statuses asks nothing."""
        labels, fetched = self._store.status_labels(site_id)
        if met is not None:
            stale = any(s not in labels and s not in STATUS_LABELS for s in met)
        else:
            stale = fetched is None or self._clock() - fetched > STATUSES_MAX_AGE
        if stale:
            labels = api.statuses()
            self._store.save_status_labels(site_id, labels)
        return labels

    def kept(self, site_id: int) -> dict[str, str]:
        """The statuses as last read, without the network."""
        return self._store.status_labels(site_id)[0]


def _row(entry: QueueEntry) -> dict[str, Any]:
    """A post of the queue as the library keeps it."""
    submitted = parse_wp_date(entry.submitted_at) or parse_wp_date(entry.date_gmt)
    return {
        "post_id": entry.id, "title": entry.title,
        "byline": entry.author_name or f"user #{entry.author}",
        "submitted_by": entry.submitted_by_name or entry.author_name,
        "submitted_at": submitted or parse_wp_date(entry.modified_gmt),
        "word_count": count(html_to_text(entry.content)).words,
        "categories": json.dumps(list(entry.categories)),
        "modified_gmt": entry.modified_gmt, "content_hash": entry.content_hash,
        "link": entry.link, "status": entry.status or PENDING,
    }  # fmt: skip


class QueueReader:
    """Fetches a site's review queue, page by page, and keeps it for offline reading."""

    def __init__(
        self,
        remote: Callable[[], RemoteServices],
        store: WorkflowStore,
        statuses: SiteStatuses,
    ) -> None:
        self._remote_services = remote
        self._store = store
        self._statuses = statuses

    def fetch(self, site_id: int, *, category: str | None = None) -> list[QueueItem]:
        remote = self._remote_services()
        site = remote.sites.get(site_id)
        client = remote.sites.client(site_id)
        api = ReviewApi(client)
        category_id = None
        if category:
            found = client.find_terms("category", [category]) or client.search_terms(
                "category", [category]
            )
            if category not in found:
                raise InvalidInputError(f"{site.name} has no category “{category}”.")
            category_id = found[category].id
        labels = self._statuses.labels(site_id, api)
        wanted = (PENDING, *custom_statuses(labels))

        def ask(page: int) -> QueuePage:
            return api.queue(page=page, category=category_id, statuses=wanted)

        rows: list[dict[str, Any]] = []
        # the next page is asked for while this one is read (word counts): the site's time hides ours
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="review-queue") as pool:
            found_page, page = ask(1), 1
            while True:
                more = found_page.entries and page < found_page.total_pages
                following = pool.submit(ask, page + 1) if more else None
                rows.extend(_row(entry) for entry in found_page.entries)
                if following is None:
                    break
                found_page, page = following.result(), page + 1
        if category_id is None:
            self._store.replace_queue(site_id, rows)
        return self._items(site_id, rows, labels)  # a filtered look leaves the cached queue whole

    def _items(
        self, site_id: int, rows: list[dict[str, Any]], labels: dict[str, str]
    ) -> list[QueueItem]:
        remote = self._remote_services()
        site = remote.sites.get(site_id)
        linked = remote.links.remote_ids(site_id)
        epoch = datetime.min.replace(tzinfo=UTC)
        items = [
            QueueItem(
                site_id=site_id,
                site_name=site.name,
                post_id=int(row["post_id"]),
                title=str(row["title"]),
                byline=str(row["byline"]),
                submitted_by=str(row["submitted_by"]),
                submitted_at=row["submitted_at"] if isinstance(row["submitted_at"], datetime) else None,
                word_count=int(row["word_count"]),
                categories=tuple(json.loads(str(row["categories"]))),
                link=str(row["link"]),
                piece_id=linked.get(int(row["post_id"])),
                status=str(row["status"]),
                status_label=status_label(str(row["status"]), labels),
            )  # fmt: skip
            for row in rows
        ]
        items.sort(key=lambda i: (i.submitted_at or epoch, i.post_id), reverse=True)
        return items
