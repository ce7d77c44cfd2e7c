"""``copydesk check``, ``copydesk checklist`` and ``copydesk notes`` on a library, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli_runner import Cli

ARTICLE = "---\ntitle: Night buses\n---\nThe last bus leavs at midnight. Nobody on it is going home.\n"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Cli:
    return Cli(capsys, monkeypatch, data_dir)


def test_notes_added_replied_resolved_and_listed(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    assert cli("import", str(tmp_path / "a.md"))[:2] == (0, "1\n")
    assert cli("notes", "add", "1", "--quote", "Nobody on it", "--text", "Who?")[:2] == (0, "1\n")
    assert cli("notes", "add", "1", "--text", "Good length.")[:2] == (0, "2\n")
    assert cli("notes", "reply", "1", "--text", "Night nurses.")[:2] == (0, "3\n")
    assert cli("notes", "resolve", "2")[0] == 0
    code, out, _err = cli("notes", "list", "1")
    assert code == 0
    assert out.splitlines()[0] == "The piece is on no site: its notes stay in this library."
    assert "On “Nobody on it” (characters 32–44):" in out and "Night nurses." in out
    assert "On the whole piece:" in out and "[resolved]" in out
    code, out, _err = cli("notes", "list", "1", "--json")
    threads = json.loads(out)["notes"]
    assert [(t["text"], t["start"], len(t["replies"])) for t in threads] == [
        ("Who?", 32, 1),
        ("Good length.", None, 0),
    ]
    code, _out, err = cli("notes", "add", "1", "--quote", "not there", "--text", "x")
    assert code == 1 and "no passage" in err


def test_check_exits_1_when_a_required_item_fails(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    cli("import", str(tmp_path / "a.md"))
    code, out, _err = cli("check", "1")
    assert code == 0 and "FAIL  recommended  No spelling errors left: 1 misspelt: leavs" in out
    config = {"levels": {"spelling": "required", "open_notes": "required"}, "word_max": 5}
    (tmp_path / "c.json").write_text(json.dumps(config), encoding="utf-8")
    assert cli("checklist", "import", str(tmp_path / "c.json"))[0] == 0
    cli("notes", "add", "1", "--text", "Shorter.")
    code, out, _err = cli("check", "1", "--json")
    report = json.loads(out)
    assert code == 1 and report["missing"] == ["spelling", "open_notes"]
    code, out, _err = cli("checklist", "export")
    assert json.loads(out)["levels"]["spelling"] == "required" and json.loads(out)["word_max"] == 5
