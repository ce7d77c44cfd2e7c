"""Fixtures shared by every test: a fresh library in a temporary data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import Core, open_core


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def core(data_dir: Path) -> Iterator[Core]:
    opened = open_core(data_dir)
    try:
        yield opened
    finally:
        opened.close()
