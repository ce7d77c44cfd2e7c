"""Running the ``copydesk`` command in-process, as the CLI tests do."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import copydesk


class Cli:
    """``cli("list", "--json")`` → (exit status, standard output, standard error)."""

    def __init__(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path
    ) -> None:
        self.capsys, self.monkeypatch, self.data = capsys, monkeypatch, data

    def __call__(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = copydesk.main(["--data-dir", str(self.data), *args])
        out, err = self.capsys.readouterr()
        return code, out, err
