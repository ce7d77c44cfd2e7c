"""``copydesk site|push|pull|outbox`` against the real WordPress and a real Secret Service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from app.cli.remote import EX_TEMPFAIL
from app.core import open_core
from tests.helpers.cli_runner import Cli
from tests.helpers.fault_proxy import FaultProxy
from tests.helpers.wp_server import WordPressServer

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def add_site(cli: Cli, wp: WordPressServer, user: str = "author", url: str = "") -> None:
    code, out, err = cli(
        "site", "add", "Gazette", "--url", url or wp.url, "--user", user,
        stdin=wp.users[user]["app_password"] + "\n",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert out.startswith(f"Added “Gazette” ({url or wp.url}) as {user}.")


def new_piece(cli: Cli, tmp_path: Path, title: str = "Gulls") -> str:
    source = tmp_path / f"{title}.md"
    source.write_text(f"---\ntitle: {title}\n---\n\nThey watch the harbour.\n", encoding="utf-8")
    code, out, _ = cli("import", str(source))
    assert code == 0
    return out.strip()


def test_sites_push_and_pull(cli: Cli, wordpress: WordPressServer, tmp_path: Path) -> None:
    add_site(cli, wordpress)
    code, out, _ = cli("site", "list", "--json")
    [listed] = json.loads(out)
    assert (listed["name"], listed["user"], listed["role"], listed["companion"]) == (
        "Gazette", "author", "author", "0.5.0",
    )  # fmt: skip
    code, out, _ = cli("site", "check", "Gazette")
    assert code == 0 and "[ok] Signed in as Author (Author)." in out

    piece = new_piece(cli, tmp_path)
    code, out, err = cli("push", piece, "--site", "gazette", "--status", "pending", "--json")
    assert (code, err) == (0, "")
    pushed = json.loads(out)
    assert pushed["status"] == "pending" and pushed["created"] and pushed["post_id"] > 0
    code, out, _ = cli("push", piece, "--site", "Gazette")
    assert code == 0 and out.startswith("Nothing changed since the last push")

    code, out, _ = cli("pull", "--site", "Gazette", "--json")
    [post] = json.loads(out)
    assert (post["id"], post["piece"], post["title"]) == (pushed["post_id"], int(piece), "Gulls")
    code, out, _ = cli("pull", "--site", "Gazette")
    assert f"piece {piece}" in out and "Pending review" in out

    with requests.Session() as session:
        session.trust_env = False
        other = session.post(
            wordpress.rest_url("/wp/v2/posts"),
            json={"title": "From the site", "content": "<p>Written there.</p>"},
            auth=wordpress.auth("editor"),
            timeout=30,
        ).json()
        own = session.post(
            wordpress.rest_url("/wp/v2/posts"),
            json={"title": "From the site", "content": "<p>Written there.</p>"},
            auth=wordpress.auth("author"),
            timeout=30,
        ).json()
    code, out, err = cli("pull", "--site", "Gazette", "--post", str(other["id"]))
    assert code == 1 and "You may not edit post" in err and err.count("\n") == 1
    code, out, err = cli("pull", "--site", "Gazette", "--post", str(own["id"]))
    assert code == 0, err
    code, out, _ = cli("export", out.strip())
    assert "title: From the site" in out and "Written there." in out

    code, out, _ = cli("site", "remove", "Gazette")
    assert code == 0 and out == "Removed “Gazette”.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["push", "42", "--site", "Gazette"], "There is no piece with id 42."),
        (["push", "1", "--site", "Nope"], "There is no site called “Nope”."),
        (["push", "1", "--site", "Gazette", "--status", "future"], "Set the publication date"),
        (["pull", "--site", "Gazette", "--limit", "0"], "--limit must be at least 1."),
        (["outbox", "retry", "7"], "There is no job 7 in the outbox."),
        (["outbox", "cancel", "7"], "There is no job 7 in the outbox."),
        (["site", "check", "Nope"], "There is no site called “Nope”."),
    ],
)
def test_bad_input_is_one_line_exit_1_and_changes_nothing(
    cli: Cli, wordpress: WordPressServer, tmp_path: Path, args: list[str], message: str
) -> None:
    add_site(cli, wordpress)
    new_piece(cli, tmp_path)
    code, out, err = cli(*args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err
    assert cli("outbox", "--json")[1] == "[]\n"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--url", "ftp://example.test", "--user", "ana"], "pw", "is not a web address"),
        (["--url", "URL", "--user", "author"], "wrong password", "password is wrong"),
        (["--url", "URL", "--user", "author"], "", "Give the application password"),
    ],
)
def test_site_add_refusals_store_nothing(
    cli: Cli, wordpress: WordPressServer, args: list[str], stdin: str, message: str
) -> None:
    args = [wordpress.url if a == "URL" else a for a in args]
    code, out, err = cli("site", "add", "Gazette", *args, stdin=stdin)
    assert code == 1 and out == "" and err.count("\n") == 1 and message in err
    assert cli("site", "list", "--json")[1] == "[]\n"


def test_offline_push_waits_in_the_outbox(cli: Cli, wordpress: WordPressServer, tmp_path: Path) -> None:
    with FaultProxy(wordpress.url) as proxy:
        add_site(cli, wordpress, url=proxy.url)
        piece = new_piece(cli, tmp_path)
        proxy.stop()
        code, out, err = cli("push", piece, "--site", "Gazette")
        assert code == EX_TEMPFAIL and out == ""
        assert err.startswith(f"copydesk: Could not reach 127.0.0.1:{proxy.port}.")
        assert "waits in the outbox as job 1" in err and err.count("\n") == 1
        code, out, _ = cli("outbox")
        assert "Retry at" in out and "Push “Gulls” to Gazette" in out
        [job] = json.loads(cli("outbox", "--json")[1])
        assert (job["state"], job["attempts"], job["error_kind"]) == ("queued", 1, "network")
        assert cli("outbox", "run")[1] == ""  # not due yet
        proxy.start()
        assert cli("outbox", "retry", "1")[0] == 0
        code, out, _ = cli("outbox", "run")
        assert code == 0 and "Done" in out
        assert cli("outbox")[1] == "The outbox is empty.\n"
        assert json.loads(cli("outbox", "--all", "--json")[1])[0]["state"] == "done"


def test_conflict_keep_mine_and_take_theirs(
    cli: Cli, wordpress: WordPressServer, tmp_path: Path
) -> None:
    add_site(cli, wordpress)
    piece = new_piece(cli, tmp_path)
    pushed = json.loads(cli("push", piece, "--site", "Gazette", "--json")[1])

    def edit_on_site(content: str) -> Any:
        with requests.Session() as session:
            session.trust_env = False
            session.post(
                wordpress.rest_url(f"/wp/v2/posts/{pushed['post_id']}"),
                json={"content": content},
                auth=wordpress.auth("editor"),
                timeout=30,
            ).raise_for_status()

    edit_on_site("<p>Their words.</p>")
    # the piece changes here too (as the editor would save it)
    core = open_core(cli.data)
    try:
        current = core.pieces.get(int(piece))
        core.pieces.save(current.copy(body="They own the harbour.\n"))
    finally:
        core.close()
    code, out, err = cli("push", piece, "--site", "Gazette")
    assert code == 1 and err.count("\n") == 1
    assert "nothing was overwritten" in err and "--keep-mine" in err
    code, out, _ = cli("push", piece, "--site", "Gazette", "--keep-mine")
    assert code == 0 and "note: Your version replaced the one on the site" in out

    edit_on_site("<p>Theirs again.</p>")
    code, out, _ = cli("push", piece, "--site", "Gazette", "--take-theirs")
    assert code == 0 and out.startswith(f"Piece {piece} now holds the version on Gazette")
    code, out, _ = cli("export", piece)
    assert "Theirs again." in out
