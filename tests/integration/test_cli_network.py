"""``copydesk`` on a bad network: one clear line on stderr, never a hang, a traceback or urllib3's noise.

The noise tests run the command in a process of its own: its logging is set up as a user's is (in
process, pytest's log capture would swallow urllib3's warnings and hide the defect).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring.core
import pytest

from app.cli.remote import EX_TEMPFAIL
from app.errors import SecretsError
from app.sites.secrets import SecretStore
from tests.helpers.cli_runner import Cli
from tests.helpers.fault_proxy import FaultProxy, closed_port, creates_post, route
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer

ROOT = Path(__file__).resolve().parents[2]
RUN = "import sys, copydesk; sys.exit(copydesk.main(sys.argv[1:]))"


def copydesk(
    data: Path, *args: str, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN, "--data-dir", str(data), *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON_KEYRING", "PYTEST"))}
    env.pop("DISPLAY", None)
    return env | extra


@pytest.mark.keyring
def test_an_unreachable_site_is_one_line_without_retry_noise(
    data_dir: Path, secret_service: SecretService
) -> None:
    env = clean_env(secret_service.env)
    port = closed_port()
    added = copydesk(
        data_dir, "site", "add", "Gazette", "--url", f"http://127.0.0.1:{port}", "--user", "ana",
        "--no-check", env=env, stdin="abcd efgh ijkl mnop\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    message = f"copydesk: Could not reach 127.0.0.1:{port}."
    for args in (["pull", "--site", "Gazette"], ["comments", "sync", "--site", "Gazette"]):
        done = copydesk(data_dir, *args, env=env)
        assert done.returncode == 1
        assert done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr
        assert "Retrying" not in done.stderr
    checked = copydesk(data_dir, "site", "check", "Gazette", env=env)
    assert checked.returncode == 1 and "Retrying" not in checked.stderr + checked.stdout
    assert checked.stderr == "copydesk: the connection to “Gazette” has problems.\n"


def test_a_keyring_backend_that_cannot_be_loaded_is_one_line(data_dir: Path) -> None:
    env = clean_env({"PYTHON_KEYRING_BACKEND": "nosuch.Keyring"})
    done = copydesk(
        data_dir, "site", "add", "Gazette", "--url", "http://127.0.0.1:9", "--user", "ana",
        "--no-check", env=env, stdin="abcd efgh\n",
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == (
        "copydesk: Copydesk cannot reach the keyring: PYTHON_KEYRING_BACKEND names “nosuch.Keyring”, "
        "which cannot be loaded. Unset PYTHON_KEYRING_BACKEND to use the system's keyring, or name "
        "a backend that is installed (such as keyring.backends.SecretService.Keyring).\n"
    )


@pytest.fixture
def unloaded_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """keyring as a fresh process has it: no backend chosen yet."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    yield


@pytest.mark.usefixtures("unloaded_keyring")
@pytest.mark.parametrize("name", ["nosuch.Keyring", "keyring.backends.nosuch.Keyring",
                                  "keyring.backends.SecretService.Nothing", "Keyring"])  # fmt: skip
def test_secret_store_names_the_backend_that_cannot_be_loaded(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", name)
    with pytest.raises(SecretsError) as failed:
        SecretStore().check()
    assert failed.value.message == (
        f"Copydesk cannot reach the keyring: PYTHON_KEYRING_BACKEND names “{name}”, which cannot "
        "be loaded."
    )


# -- a site that drips its answers, with a 2 s deadline ---------------------------------------------


def add_site(cli: Cli, wp: WordPressServer, url: str) -> None:
    code, _out, err = cli(
        "site", "add", "Gazette", "--url", url, "--user", "editor",
        stdin=wp.users["editor"]["app_password"] + "\n",
    )  # fmt: skip
    assert (code, err) == (0, ""), err


@pytest.mark.wordpress
@pytest.mark.keyring
def test_a_dripping_site_ends_every_command_at_the_deadline(
    cli: Cli, wordpress: WordPressServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.cms.http.DEFAULT_DEADLINE", 2.0)
    with FaultProxy(wordpress.url) as site:
        add_site(cli, wordpress, site.url)
        late = f"127.0.0.1:{site.port} did not finish answering within 2 seconds"
        for path in ("/wp/v2/users/me", "/wp/v2/posts", "/wp/v2/comments"):
            site.add(lambda r, p=path: route(r) == p, "drip", interval=1.0, limit=6, times=-1)

        code, out, err = cli("site", "check", "Gazette")
        assert code == 1 and f"[XX] {late}" in out, out
        code, out, err = cli("pull", "--site", "Gazette")
        assert code == 1 and err.startswith(f"copydesk: {late}") and err.count("\n") == 1, err
        code, out, err = cli("comments", "sync", "--site", "Gazette")
        assert code == 1 and err.startswith(f"copydesk: {late}") and err.count("\n") == 1, err

        source = tmp_path / "gulls.md"
        source.write_text("---\ntitle: Gulls\n---\n\nThey watch.\n", encoding="utf-8")
        piece = cli("import", str(source))[1].strip()
        site.rules.clear()
        site.add(creates_post, "drip", interval=1.0, limit=6)
        code, out, err = cli("push", piece, "--site", "Gazette")
        assert code == EX_TEMPFAIL and err.startswith(f"copydesk: {late}"), err
        assert "waits in the outbox as job 1" in err and err.count("\n") == 1
        # the post was made before the answer dripped: the retry finds it, no duplicate
        assert cli("outbox", "retry", "1")[0] == 0
        code, out, _ = cli("outbox", "run")
        assert code == 0 and "Done" in out
        [job] = json.loads(cli("outbox", "--all", "--json")[1])
        assert job["state"] == "done"
    titles = [p["title"]["raw"] for p in wordpress.rest("GET", "/wp/v2/posts",
              params={"status": "any", "context": "edit", "per_page": 100})]  # fmt: skip
    assert titles.count("Gulls") == 1
