"""The real block editor as a judge: a post opened in WordPress's editor in headless Chromium.

Chromium (Debian's ``chromium``) signs in through the test-only must-use plugin
``tests/helpers/wordpress/block-editor/copydesk-block-check.php`` and reads the editor's verdict: the
blocks it reports as invalid ("unexpected or invalid content") and whether saving would change the
post. It resolves no name but loopback, so it can reach nothing else.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tests.helpers.wp_server import WordPressServer

PLUGIN = Path(__file__).resolve().parent / "wordpress" / "block-editor" / "copydesk-block-check.php"
_RESULT = re.compile(r'<pre id="copydesk-check">(.*?)</pre>', re.DOTALL)


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        raise RuntimeError("Debian's chromium is missing: apt-get install chromium")
    return found


def editor_verdicts(wp: WordPressServer, post_ids: list[int], user: str = "admin") -> list[Any]:
    """For each post, ``{"id", "invalid": [block names], "unchanged": bool, "saved": str}``: what the
    editor makes of it (one editor page opens, on the first post, and judges them all)."""
    token = secrets.token_hex(16)
    login = wp.users[user]["user"]
    wp.run_php(
        f"update_option('copydesk_block_check', array('token' => '{token}', 'user' => '{login}'));"
    )
    url = (
        f"{wp.url}/wp-admin/post.php?post={post_ids[0]}&action=edit"
        f"&copydesk_check={','.join(str(i) for i in post_ids)}"
        f"&copydesk_login={token}"
    )
    with tempfile.TemporaryDirectory(prefix="copydesk-chromium-") as profile:
        result = subprocess.run(
            [
                chromium(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--virtual-time-budget=90000",
                "--dump-dom",
                url,
            ],  # fmt: skip
            capture_output=True,
            timeout=240,
            check=False,
        )
    found = _RESULT.search(result.stdout.decode(errors="replace"))
    if found is None:
        raise RuntimeError(
            f"The block editor gave no verdict (exit {result.returncode}): "
            f"{result.stderr.decode(errors='replace')[-1500:]}"
        )
    verdicts = json.loads(html.unescape(found.group(1)))
    if not isinstance(verdicts, list):
        raise RuntimeError(f"The block editor could not judge the posts: {verdicts}")
    return verdicts
