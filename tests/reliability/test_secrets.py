"""After a whole session, the application password is nowhere on disk but in the keyring.

The session runs the real command line as child processes (their temporary folder is one of ours):
add a site, push a piece with a picture, list and pull posts, sync and answer comments, export,
check the site, and a crash (a site answer that makes the command fail unexpectedly). Then the data
folder, its logs, the exports, the temporary folder and everything the commands printed are searched
for the password in every form it travels in.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from pathlib import Path

import pytest

from app.core import open_core
from tests.helpers.comments import seed_comments
from tests.helpers.fault_proxy import http_response, route
from tests.helpers.pictures import write_png
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.reliability.conftest import FaultRecorder, child_env
from tests.reliability.faults import ReliabilityProxy
from tests.reliability.kills import run_cli

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def forms_of(user: str, password: str) -> dict[str, bytes]:
    basic = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {
        "the password": password.encode(),
        "the password without spaces": password.replace(" ", "").encode(),
        "the password URL-encoded": urllib.parse.quote(password).encode(),
        "the password in base64": base64.b64encode(password.encode()),
        "the Basic credentials": basic.encode(),
        "the Basic credentials (first 24 characters)": basic[:24].encode(),
    }


def test_no_password_on_disk_after_a_whole_session(
    wordpress: WordPressServer, secret_service: SecretService, tmp_path: Path, ledger: FaultRecorder
) -> None:
    fault = "secrets on disk after a whole session"
    data, exports, temp = tmp_path / "data", tmp_path / "exports", tmp_path / "tmp"
    for folder in (exports, temp):
        folder.mkdir()
    env = child_env(secret_service, TMPDIR=str(temp), COPYDESK_LOG_LEVEL="DEBUG")
    user = wordpress.users["admin"]
    seeded = seed_comments(wordpress, posts=1, per_post=5, statuses=False)
    write_png(tmp_path / "piece" / "pic.png")
    (tmp_path / "piece" / "piece.md").write_text(
        "---\ntitle: Secret session\ntags: [a]\n---\nWords.\n\n![P](pic.png)\n", encoding="utf-8"
    )
    printed: list[str] = []

    def run(*args: str, stdin: str = "", expect: int | None = 0) -> str:
        code, out, err = run_cli(data, env, *args, stdin=stdin)
        printed.extend([out, err])
        if expect is not None:
            assert code == expect, (args, err)
        return out

    with ReliabilityProxy(wordpress.url) as proxy:
        run(
            "site", "add", "Site", "--url", proxy.url, "--user", user["user"], stdin=user["app_password"]
        )
        piece = run("import", str(tmp_path / "piece" / "piece.md")).strip()
        run("push", piece, "--site", "Site", "--status", "publish")
        run("pull", "--site", "Site", "--json")
        run("pull", "--site", "Site", "--post", str(seeded[0]["id"]))
        run("comments", "sync", "--site", "Site")
        run("comments", "list", "--json")
        comments = json.loads(run("comments", "list", "--json"))
        first = comments[0]["id"] if isinstance(comments, list) and comments else None
        if first is not None:
            run("comments", "reply", str(first), "--text", "Thank you.", expect=None)
        run("export", piece, "-o", str(exports / "piece.md"))
        run("export", piece, "--format", "html", "-o", str(exports / "piece.html"))
        run("site", "check", "Site", "--json")
        run("outbox", "--all", "--json")
        proxy.add(
            lambda r: route(r).startswith("/wp/v2/posts/"),
            "respond",
            http_response(200, '{"id": 1e999}'),
        )
        run("pull", "--site", "Site", "--post", str(seeded[0]["id"]), expect=None)  # the crash
    (temp / "cli-output.txt").write_text("\n".join(printed), encoding="utf-8")
    open_core(data).close()  # the library as a later start finds it
    forms = forms_of(user["user"], user["app_password"])
    scanned = 0
    for folder in (data, exports, temp):
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            scanned += 1
            content = path.read_bytes()
            for what, needle in forms.items():
                if needle in content:
                    ledger.lost(fault, f"{what} in {path.relative_to(tmp_path)}")
    ledger.injected(fault)
    ledger.figure(fault, f"{scanned} files searched for {len(forms)} forms of the password")
    assert scanned >= 4  # the library, two exports, what the commands printed
    assert ledger.losses(fault) == []
