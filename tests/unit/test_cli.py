from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import copydesk
from app import version


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = copydesk.main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "column.md"
    path.write_text(
        "---\ntitle: Night buses\nbyline: Ana Ruiz\ncategories: [Opinion]\n---\n\n"
        "The last bus home is a *parliament* of the tired.\n",
        encoding="utf-8",
    )
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        copydesk.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"Copydesk {version()}"


def test_import_list_export(capsys: pytest.CaptureFixture[str], data_dir: Path, article: Path) -> None:
    code, out, _ = run(capsys, data_dir, "import", str(article))
    assert code == 0 and out == "1\n"
    code, out, _ = run(capsys, data_dir, "list", "--json")
    rows = json.loads(out)
    assert [(r["id"], r["title"], r["status"], r["word_count"]) for r in rows] == [
        (1, "Night buses", "draft", 10)
    ]
    code, out, _ = run(capsys, data_dir, "list")
    assert "Night buses" in out and "Draft" in out
    code, out, _ = run(capsys, data_dir, "export", "1", "--format", "md")
    assert out.startswith("---\ntitle: Night buses\n") and "disclaimer: Opinion column" in out
    target = data_dir.parent / "out.html"
    code, out, _ = run(capsys, data_dir, "export", "1", "--format", "html", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert code == 0 and out == ""
    assert "<em>parliament</em>" in html and "cd-disclaimer" in html


def test_search_and_status_filter(
    capsys: pytest.CaptureFixture[str], data_dir: Path, article: Path
) -> None:
    run(capsys, data_dir, "import", str(article))
    _, out, _ = run(capsys, data_dir, "list", "--json", "--search", "parliam")
    assert len(json.loads(out)) == 1
    _, out, _ = run(capsys, data_dir, "list", "--json", "--status", "published")
    assert json.loads(out) == []


def test_boilerplate_commands(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = tmp_path / "guest.md"
    text.write_text("*Our guest writes in a personal capacity.*\n", encoding="utf-8")
    code, _, _ = run(
        capsys, data_dir, "disclaimers", "add", "Guest", "--file", str(text),
        "--default-for-byline", "Visiting Writer",
    )  # fmt: skip
    assert code == 0
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Listen to **our podcast**."))
    assert run(capsys, data_dir, "snippets", "add", "Podcast")[0] == 0
    _, out, _ = run(capsys, data_dir, "disclaimers", "list", "--json")
    guest = next(d for d in json.loads(out) if d["name"] == "Guest")
    assert guest["default_for"] == [{"field": "byline", "value": "Visiting Writer"}]
    _, out, _ = run(capsys, data_dir, "snippets", "list")
    assert "Podcast" in out
    assert run(capsys, data_dir, "snippets", "remove", "Podcast")[0] == 0
    _, out, _ = run(capsys, data_dir, "snippets", "list")
    assert "Podcast" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "missing.md"], "missing.md: no such file."),
        (["export", "42"], "There is no piece with id 42."),
        (["disclaimers", "remove", "Nope"], "There is no disclaimer named “Nope”."),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], data_dir: Path, args: list[str], message: str
) -> None:
    code, out, err = run(capsys, data_dir, *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err


def test_malformed_front_matter_changes_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [oops\n---\nBody\n", encoding="utf-8")
    code, _, err = run(capsys, data_dir, "import", str(bad))
    assert code == 1 and "bad.md: the front matter is not valid YAML" in err
    _, out, _ = run(capsys, data_dir, "list", "--json")
    assert json.loads(out) == []


def test_the_command_line_never_imports_qt(data_dir: Path, article: Path) -> None:
    probe = (
        "import sys, copydesk\n"
        f"code = copydesk.main(['--data-dir', {str(data_dir)!r}, 'import', {str(article)!r}])\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui')))\n"
        "print(code, qt)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("[]")


def test_data_dir_from_the_environment(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    article: Path,
) -> None:
    monkeypatch.setenv("COPYDESK_DATA_DIR", str(tmp_path / "env-lib"))
    assert copydesk.main(["import", str(article)]) == 0
    assert (tmp_path / "env-lib" / "library.sqlite").exists()
