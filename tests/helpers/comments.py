"""Reader comments for the tests: seeded on the test WordPress, or straight into a library.

    posts = seed_comments(wp, posts=50, per_post=100, authors=("author", "author2"))
    piece_id, site_id = seed_sample(core)   # a sample thread, no network, no keyring

On the site:
Comments are made with ``wp_insert_comment()`` (no flood or duplicate checks, no kses), so the site
serves exactly the HTML given here, hostile HTML included. Every fourth comment answers an earlier one
of its post (threads up to several levels deep); one in ten is held, one in fifty is spam, one in
ninety-seven is in the trash; one in seven has ``wpdiscuz_votes``. Dates are one minute apart from
2024-03-01, in comment order.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tests.helpers.wp_server import WordPressServer

if TYPE_CHECKING:
    from app.core import Core

UNICODE_TEXTS = (
    "Café crème, naïve façade — ça va?",
    "Te reo Māori: kia ora, whānau, tēnā koe.",
    "עברית: זו תגובה מימין לשמאל.",
    "العربية: هذا تعليق من اليمين إلى اليسار.",
    "Emoji 🎉🙂👍🏽 and a flag 🇳🇿.",
    "Ελληνικά, русский, 日本語のコメント.",
)
HOSTILE = (
    '<p>Nice piece<script>document.title="pwned"</script></p>',
    '<p><img src="http://127.0.0.1:9/pixel.gif" width="1" height="1" onerror="alert(1)">Hello</p>',
    '<p><a href="javascript:alert(document.cookie)">click me</a></p>',
    '<p>See <a href="http://127.0.0.1:9/phish">https://bank.example/login</a> now</p>',
    '<p onmouseover="alert(1)" style="position:fixed;top:0">Hover<iframe src="http://127.0.0.1:9/"></iframe></p>',
    '<p><img src="http://127.0.0.1:9/track.png?u=reader" alt="tracker"></p>',
)


def _php(value: object) -> str:
    """A PHP expression for a JSON-able value."""
    return "json_decode(" + _php_string(json.dumps(value)) + ", true)"


def _php_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def seed_comments(
    wp: WordPressServer,
    *,
    posts: int = 10,
    per_post: int = 20,
    authors: Sequence[str] = ("author",),
    texts: Sequence[str] = (),
    start: str = "2024-03-01 08:00:00",
    statuses: bool = True,
) -> list[dict[str, object]]:
    """Make *posts* published posts (by *authors* in turn) with *per_post* comments each.

    Returns one dict per post: ``{"id", "author", "comments": [ids in order]}``.
    """
    author_ids = [wp.users[name]["id"] for name in authors]
    pool = list(texts) or [*UNICODE_TEXTS, *HOSTILE, "<p>Plain words, nothing more.</p>"]
    # The install deleted WordPress's sample comment, and the companion plugin logged it; after a
    # reset() ids start again from 1, so that log entry would name a comment seeded here.
    code = f"""
delete_option('copydesk_deleted_comments');
$authors = {_php(author_ids)};
$pool = {_php(pool)};
$result = array();
$start = strtotime({_php_string(start)} . ' UTC');
$n = 0;
for ($p = 0; $p < {posts}; $p++) {{
    $author = $authors[$p % count($authors)];
    $post = wp_insert_post(array(
        'post_title' => 'Column ' . $p, 'post_status' => 'publish', 'post_author' => $author,
        'post_content' => 'Words.',
    ));
    $ids = array();
    for ($i = 0; $i < {per_post}; $i++, $n++) {{
        $parent = ($i % 4 === 3 && $ids) ? $ids[intdiv(count($ids) * 2, 3)] : 0;
        $status = 1;
        if ({"true" if statuses else "false"}) {{
            if ($n % 97 === 96) {{ $status = 'trash'; }}
            elseif ($n % 50 === 49) {{ $status = 'spam'; }}
            elseif ($n % 10 === 9) {{ $status = 0; }}
        }}
        $when = gmdate('Y-m-d H:i:s', $start + $n * 60);
        $id = wp_insert_comment(array(
            'comment_post_ID' => $post, 'comment_parent' => $parent,
            'comment_author' => 'Reader ' . $n, 'comment_author_email' => 'r' . $n . '@example.org',
            'comment_content' => $pool[$n % count($pool)] . ' #' . $n,
            'comment_approved' => $status, 'comment_date_gmt' => $when, 'comment_date' => $when,
        ));
        if ($n % 7 === 0) {{ add_comment_meta($id, 'wpdiscuz_votes', ($n * 37) % 23 - 5); }}
        $ids[] = $id;
    }}
    $result[] = array('id' => $post, 'author' => $author, 'comments' => $ids);
}}
echo wp_json_encode($result);
"""
    found: list[dict[str, object]] = json.loads(wp.run_php(code))
    return found


def add_comment(
    wp: WordPressServer,
    post: int,
    text: str,
    *,
    parent: int = 0,
    status: int | str = 1,
    author: str = "Late Reader",
) -> int:
    code = f"""
echo wp_insert_comment(array(
    'comment_post_ID' => {int(post)}, 'comment_parent' => {int(parent)},
    'comment_author' => {_php_string(author)}, 'comment_content' => {_php_string(text)},
    'comment_approved' => {_php(status)},
));
"""
    return int(wp.run_php(code))


def set_status(wp: WordPressServer, comment: int, status: str) -> None:
    """Change a comment's status on the site the way wp-admin does: hold, approve, spam, trash,
    unspam, untrash, or delete (for good)."""
    calls = {
        "spam": "wp_spam_comment",
        "trash": "wp_trash_comment",
        "unspam": "wp_unspam_comment",
        "untrash": "wp_untrash_comment",
    }
    if status == "delete":
        wp.run_php(f"wp_delete_comment({int(comment)}, true);")
    elif status in calls:
        wp.run_php(f"{calls[status]}({int(comment)});")
    else:
        wp.run_php(f"wp_set_comment_status({int(comment)}, {_php_string(status)});")


# -- a sample thread, straight into a library -------------------------------------------------------

POST = 501
COMMENTS = [
    # (id, parent, author, minutes after publication, status, votes, html)
    (
        1,
        0,
        "Bevin Douglas",
        12,
        "approved",
        14,
        "<p>This is the best thing you've written about the 38. I rode it for nine years and every "
        "word of the bit about the driver who waits for the nurses off the late shift is true. He "
        "still does it, by the way — <em>every</em> night, whatever the timetable says.</p>"
        "<p>What the council never understands is that a night bus is not a service, it is a "
        "parliament: the same twenty people, arguing about the heating, the route, the football, "
        "and looking out for each other. Cut it and you cut more than a line on a map.</p>",
    ),
    (
        2,
        1,
        "Aroha Ngata",
        40,
        "approved",
        6,
        "<p>Kia ora Bevin — same on the 12 out to Māngere. The driver there knows whose kids are "
        "whose. Ka pai to the writer for noticing.</p>",
    ),
    (3, 2, "Bevin Douglas", 55, "approved", 2, "<p>Ngā mihi, Aroha. Parliament indeed. 🚌</p>"),
    (
        4,
        0,
        "Yael Cohen",
        70,
        "approved",
        9,
        "<p>קראתי את זה בקול לאמא שלי. היא נסעה באוטובוס הלילה שלושים שנה.</p>"
        "<p>(I read this aloud to my mother. She rode the night bus for thirty years.)</p>",
    ),
    (
        5,
        0,
        "Crypto Deals 4U",
        75,
        "hold",
        0,
        '<p>Great article!!! <script>alert("hi")</script>Earn 500% today at '
        '<a href="http://198.51.100.7/claim">https://paypal.com/secure</a> '
        '<img src="http://198.51.100.7/pixel.gif" width="1" height="1" onerror="alert(1)"></p>',
    ),
    (
        6,
        0,
        "Marguerite Lefèvre",
        96,
        "hold",
        0,
        "<p>Très juste. Mais vous oubliez les cyclistes : à 2 h du matin, la piste cyclable du pont "
        "est plus sûre que l'arrêt de bus. Un mot là-dessus la prochaine fois ?</p>",
    ),
    (
        7,
        4,
        "Tom Okafor",
        130,
        "approved",
        3,
        "<p>Same with my gran on the N29. She called the drivers by their first names. Thanks for "
        "writing it down before it's gone.</p>",
    ),
    (
        8,
        0,
        "Sam Whitlock",
        200,
        "approved",
        1,
        "<p>Respectfully, the numbers in the budget papers show the 38 runs at 14% capacity after "
        "midnight. Romance is fine but someone has to pay for the diesel. See "
        '<a href="https://data.example.gov/transport/night-routes">the route data</a>.</p>',
    ),
]


def seed_sample(core: Core) -> tuple[int, int]:
    """A piece pushed as post 501 of a site, with the sample thread stored as a sync would have
    (three of its comments arrived after the user last looked), and one held comment on another
    post. The site shows votes (its companion plugin). Returns (piece id, site id)."""
    from app.cms.wordpress.comments import PostInfo, RemoteComment
    from app.comments.store import CommentStore
    from app.pieces.data import PieceData
    from app.store.models import PieceLink, Site

    piece = core.pieces.create(
        PieceData(title="The night bus is a parliament", body="The 38 leaves at 00:40.\n")
    )
    assert piece.id is not None
    with core.db.session() as session:
        site = Site(
            name="The Evening Gazette", url="https://gazette.example", username="mere",
            api_root="https://gazette.example/wp-json/", secret_key="mere@https://gazette.example",
            role="author", capabilities="[]", companion_version="0.2.0",
        )  # fmt: skip
        session.add(site)
        session.flush()
        session.add(PieceLink(piece_id=piece.id, site_id=site.id, remote_id=POST, link=""))
        site_id = site.id
    store = CommentStore(core.db, clock=lambda: datetime.now(UTC) - timedelta(hours=5))
    store.save_state(
        site_id, user_id=7, user_name="Mere Kingi", scope="own",
        features={"comment-votes", "comment-changes"}, max_remote_id=8,
    )  # fmt: skip
    store.upsert_posts(
        site_id,
        [PostInfo(POST, "The night bus is a parliament", "https://gazette.example/night-bus/", 7,
                  "publish"),
         PostInfo(502, "Letters: the bridge, again", "https://gazette.example/bridge/", 3, "publish")],
    )  # fmt: skip
    published = datetime.now(UTC) - timedelta(days=1, hours=3)
    rows = [
        RemoteComment(
            id=cid,
            post=POST,
            parent=parent,
            author=0,
            author_name=author,
            author_url="",
            date_gmt=(published + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S"),
            html=html,
            status=status,
            link=f"https://gazette.example/night-bus/#comment-{cid}",
            votes=votes,
        )  # fmt: skip
        for cid, parent, author, minutes, status, votes, html in COMMENTS
    ]
    store.store(site_id, rows[:5])
    store.mark_seen(site_id, POST)
    CommentStore(core.db).store(site_id, rows[5:])  # these arrived after the last look: new
    other = RemoteComment(
        id=20, post=502, parent=0, author=0, author_name="Ian Reid", author_url="",
        date_gmt=published.strftime("%Y-%m-%dT%H:%M:%S"), html="<p>Fix the bridge first.</p>",
        status="hold", link="", votes=0,
    )  # fmt: skip
    store.store(site_id, [other])
    return piece.id, site_id


@contextlib.contextmanager
def shown_desk(qtbot: Any, core: Any) -> Iterator[tuple[Any, Any]]:
    """The comment desk and its controller on *core*, on screen (offscreen), without the sync
    timer; any error that reaches the task runner fails the test."""
    from ui.comments.controller import CommentController
    from ui.comments.desk import CommentDesk
    from ui.runner import TaskRunner

    errors: list[BaseException] = []
    runner = TaskRunner(on_error=errors.append)
    widget = CommentDesk(runner)
    controller = CommentController(core, runner, widget, auto_sync=False)
    controller.start()
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    yield widget, controller
    runner.shutdown()
    assert errors == []
