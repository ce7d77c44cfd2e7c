"""``copydesk comments sync|list|moderate|reply`` against the real WordPress and Secret Service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli_runner import Cli
from tests.helpers.comments import add_comment, seed_comments
from tests.helpers.fault_proxy import FaultProxy
from tests.helpers.wp_server import WordPressServer
from tests.integration.test_cli_remote import add_site, new_piece
from tests.integration.test_comments_actions import status_on_site

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def pushed_with_comments(cli: Cli, wp: WordPressServer, tmp_path: Path) -> tuple[str, int, list[int]]:
    """A piece pushed and published by the author, with a short thread on its post."""
    piece = new_piece(cli, tmp_path)
    code, out, err = cli("push", piece, "--site", "Gazette", "--status", "publish", "--json")
    assert code == 0, err
    post = json.loads(out)["post_id"]
    first = add_comment(wp, post, "<p>Whānau first — kia ora 🎉</p>", author="Aroha")
    second = add_comment(wp, post, "<p>I disagree.</p>", parent=first, author="Bevin")
    held = add_comment(wp, post, "<p>Buy <script>x()</script>now</p>", status=0, author="Spam Bot")
    return piece, post, [first, second, held]


def local_ids(cli: Cli) -> dict[str, int]:
    code, out, _ = cli("comments", "list", "--status", "hold", "--json")
    held = json.loads(out)
    code, out, _ = cli("comments", "list", "--json")
    rows = json.loads(out) + held
    return {row["author"]: row["id"] for row in rows}


def test_sync_list_moderate_and_reply(cli: Cli, wordpress: WordPressServer, tmp_path: Path) -> None:
    add_site(cli, wordpress)
    piece, _post, (first, _second, held) = pushed_with_comments(cli, wordpress, tmp_path)
    seed_comments(wordpress, posts=1, per_post=5, authors=("editor",))  # not the author's: left out
    code, out, err = cli("comments", "sync", "--site", "Gazette", "--json")
    assert (code, err) == (0, "")
    [report] = json.loads(out)["sites"]
    assert (report["added"], report["scope"], report["votes"]) == (3, "own", True)
    code, out, _ = cli("comments", "sync")
    assert code == 0 and out.startswith("Gazette: nothing new (")

    code, out, _ = cli("comments", "list", piece, "--sort", "oldest")
    lines = out.splitlines()
    assert lines[0].startswith("#") and "Aroha" in lines[0] and "Approved" in lines[0]
    assert lines[1] == "    Whānau first — kia ora 🎉"
    assert lines[2].startswith("  #") and "Bevin (reply to Aroha)" in lines[2]
    assert "Spam Bot · " in out and "Awaiting moderation" in out and "script" not in out
    code, out, _ = cli("comments", "list", piece, "--status", "hold", "--json")
    [spam] = json.loads(out)
    assert spam["html"] == "<p>Buy now</p>\n" and spam["status"] == "hold"
    code, out, _ = cli("comments", "list", piece, "--sort", "votes", "--json")
    assert code == 0 and len(json.loads(out)) == 3

    ids = local_ids(cli)
    code, out, err = cli("comments", "moderate", str(ids["Spam Bot"]), "--spam")
    assert (code, err) == (0, "")
    assert out == f"The comment by Spam Bot (#{ids['Spam Bot']}) is now “Spam”.\n"
    assert status_on_site(wordpress, held) == "spam"
    code, out, err = cli("comments", "reply", str(ids["Aroha"]), stdin="Ngā mihi, **Aroha**.\n")
    assert code == 0 and out.startswith("Replied (#") and "#comment-" in out
    code, out, _ = cli("comments", "list", piece, "--json")
    [mine] = [r for r in json.loads(out) if r["reply_to"] == "Aroha" and r["author"] == "Author"]
    assert mine["html"] == "<p>Ngā mihi, <strong>Aroha</strong>.</p>\n" and mine["depth"] == 1
    assert status_on_site(wordpress, first) == "approved"


def test_offline_moderation_waits_in_the_outbox(
    cli: Cli,
    wordpress: WordPressServer,
    tmp_path: Path,
) -> None:
    with FaultProxy(wordpress.url) as proxy:
        add_site(cli, wordpress, url=proxy.url)
        _piece, _post, (_first, _second, held) = pushed_with_comments(cli, wordpress, tmp_path)
        assert cli("comments", "sync")[0] == 0
        ids = local_ids(cli)
        proxy.stop()
        code, out, err = cli("comments", "moderate", str(ids["Spam Bot"]), "--trash")
        assert code == 75 and out == ""
        assert "waits in the outbox as job" in err and err.count("\n") == 1
        code, out, _ = cli("comments", "list", "--status", "trash", "--json")
        [pending] = json.loads(out)
        assert (pending["pending"], pending["site_status"]) == ("trash", "hold")
        code, out, _ = cli("outbox")
        assert "Trash: the comment by Spam Bot on Gazette" in out
        assert status_on_site(wordpress, held) == "hold"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["comments", "moderate", "4242", "--approve"], "There is no comment 4242 in the library."),
        (["comments", "moderate", "1"], "Say what to do: --approve, --hold, --spam, --trash,"),
        (["comments", "moderate", "1", "--restore"], "is not in the spam or the trash"),
        (["comments", "moderate", "1", "--approve"], "That comment is already marked “Approved”."),
        (["comments", "list", "--status", "gone"], "“gone” is not a comment status"),
        (["comments", "list", "--sort", "loud"], "“loud” is not a sort order"),
        (["comments", "list", "77"], "There is no piece with id 77."),
        (["comments", "list", "--post", "3"], "Give the site of the post with --site NAME."),
        (["comments", "reply", "1", "--text", "  "], "Write the reply first: it is empty."),
        (["comments", "reply", "4242", "--text", "Hi"], "There is no comment 4242 in the library."),
        (["comments", "sync", "--site", "Nope"], "There is no site called “Nope”."),
    ],
)
def test_bad_input_is_one_line_exit_1_and_changes_nothing(
    cli: Cli,
    wordpress: WordPressServer,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    add_site(cli, wordpress)
    pushed_with_comments(cli, wordpress, tmp_path)
    assert cli("comments", "sync")[0] == 0
    before = cli("comments", "list", "--json")[1]
    code, out, err = cli(*args)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and message in err, err
    assert cli("outbox", "--json")[1] == "[]\n"
    assert cli("comments", "list", "--json")[1] == before
