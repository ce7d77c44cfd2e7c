"""Reading works when writing cannot (issue 9, defect 8): ``list`` and ``export`` on a full disk and
on a read-only data folder, so the user can always get their text out.

The small filesystem is a real tmpfs mounted by the test, which needs root (CI runs as root); without
root the test fails, it never skips.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import copydesk
from app.core import open_core
from app.errors import StorageError
from app.pieces.data import PieceData


def cli(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = copydesk.main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB filesystem of its own, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.fail("This test mounts a small filesystem and must run as root (CI does).")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def fill(disk: Path) -> None:
    """Write until the filesystem has no byte left."""
    with (disk / "filler").open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        try:
            while True:
                fh.write(b"\0")
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    assert os.statvfs(disk).f_bavail == 0


def make_library(data: Path) -> list[int]:
    core = open_core(data)
    try:
        return [
            core.pieces.create(PieceData(title=title, body=f"{title}: every word of it.\n")).id or 0
            for title in ("Night buses", "Tides")
        ]
    finally:
        core.close()


def assert_readable(capsys: pytest.CaptureFixture[str], data: Path, ids: list[int]) -> None:
    code, out, err = cli(capsys, data, "list", "--json")
    assert code == 0, err
    assert sorted(p["title"] for p in json.loads(out)) == ["Night buses", "Tides"]
    code, out, err = cli(capsys, data, "export", str(ids[0]))
    assert code == 0, err
    assert "title: Night buses" in out and "Night buses: every word of it." in out
    code, out, err = cli(capsys, data, "export", str(ids[1]), "--format", "html")
    assert code == 0, err
    assert "Tides: every word of it" in out


def test_list_and_export_work_on_a_full_disk(
    capsys: pytest.CaptureFixture[str], small_disk: Path, tmp_path: Path
) -> None:
    data = small_disk / "data"
    ids = make_library(data)
    assert not (data / "library.sqlite-wal").exists()  # closed cleanly: the WAL must be made anew
    fill(small_disk)
    assert_readable(capsys, data, ids)
    assert_readable(capsys, data, ids)  # again, with whatever the first run left behind
    # writing fails in one clear line, and nothing that was there is lost
    article = tmp_path / "new.md"
    article.write_text("---\ntitle: One more\n---\nText.\n", encoding="utf-8")
    code, _, err = cli(capsys, data, "import", str(article))
    assert code == 1
    assert err == (
        "copydesk: The library is open only for reading (the disk is full), so nothing could be "
        "saved. Free some space on the disk, then run Copydesk again.\n"
    )
    core = open_core(data)
    try:
        assert core.db.read_only == "full"
        with pytest.raises(StorageError, match="open only for reading"):
            core.pieces.create(PieceData(title="One more"))
    finally:
        core.close()
    (small_disk / "filler").unlink()
    assert_readable(capsys, data, ids)


def test_text_still_in_the_wal_of_a_running_copydesk_is_read_on_a_full_disk(
    capsys: pytest.CaptureFixture[str], small_disk: Path
) -> None:
    data = small_disk / "data"
    ids = make_library(data)
    running = open_core(data)  # the window is open: its last save is in the WAL only
    try:
        running.pieces.save(running.pieces.get(ids[1]).copy(body="Tides: every word of it, saved.\n"))
        assert (data / "library.sqlite-wal").stat().st_size > 0
        fill(small_disk)
        code, out, err = cli(capsys, data, "export", str(ids[1]))
        assert code == 0, err
        assert "Tides: every word of it, saved." in out
        assert_readable(capsys, data, ids)
    finally:
        running.close()


def test_list_and_export_work_on_a_read_only_data_folder(
    capsys: pytest.CaptureFixture[str], small_disk: Path
) -> None:
    data = small_disk / "data"
    ids = make_library(data)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(OSError, match="Read-only file system"):
        (data / "probe").write_text("x")
    assert_readable(capsys, data, ids)
    code, _, err = cli(capsys, data, "list")
    assert code == 0
    assert err == "copydesk: the library is open only for reading (its folder cannot be written to).\n"
    # a command that must write fails in one line that names the cause, and no editor
    article = small_disk.parent / "new.md"
    article.write_text("---\ntitle: One more\n---\nText.\n", encoding="utf-8")
    code, _, err = cli(capsys, data, "import", str(article))
    assert code == 1
    assert err == (
        "copydesk: The library is open only for reading (its folder cannot be written to), so "
        "nothing could be saved. Make the folder writable, then run Copydesk again.\n"
    )
    core = open_core(data)
    try:
        assert core.db.read_only == "read-only"
        with pytest.raises(StorageError, match="open only for reading") as refused:
            core.pieces.create(PieceData(title="One more"))
        assert refused.value.cause == "read-only"
    finally:
        core.close()


def test_a_library_open_for_writing_names_the_cause_when_the_disk_fills(small_disk: Path) -> None:
    """The window's case: the library was writable when it opened, then the disk filled up."""
    data = small_disk / "data"
    ids = make_library(data)
    core = open_core(data)
    try:
        piece = core.pieces.get(ids[0])
        fill(small_disk)
        with pytest.raises(StorageError) as refused:
            for n in range(200):  # until SQLite needs a page the disk does not have
                core.pieces.save(piece.copy(body=f"{n} " + "words " * 2000), reason="saved")
        assert refused.value.cause == "full"
        assert str(refused.value) == (
            "The library could not be saved: the disk is full. Free some space on the disk."
        )
    finally:
        core.close()
