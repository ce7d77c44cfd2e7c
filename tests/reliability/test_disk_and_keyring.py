"""The library's disk and the keyring failing under the command line, many times over.

Each fault must give one clear line on standard error (no traceback) and lose nothing: the library's
file is left as it was (or kept aside), what could be read still reads, and a push that cannot get its
password waits in the outbox.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import secretstorage

from app.core import open_core
from app.pieces.data import PieceData
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.reliability.conftest import FaultRecorder, child_env
from tests.reliability.kills import SEED, run_cli

TRUNCATIONS = 8
CORRUPTIONS = 12


def one_clear_line(code: int, err: str) -> list[str]:
    problems = []
    if "Traceback" in err:
        problems.append("a traceback: " + err.strip().splitlines()[-1][:100])
    elif code != 0 and len([line for line in err.splitlines() if line.strip()]) != 1:
        problems.append(f"{len(err.splitlines())} lines on stderr: {err[:120]!r}")
    return problems


def make_library(data: Path, count: int = 5) -> list[str]:
    core = open_core(data)
    try:
        bodies = [f"Body of piece {i}, kept safe. " * 40 for i in range(count)]
        for i, body in enumerate(bodies):
            core.pieces.create(PieceData(title=f"Safe {i}", body=body))
    finally:
        core.close()
    return bodies


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(writable folder, the same folder mounted read-only): a bind mount, which needs root."""
    source, view = tmp_path / "data", tmp_path / "ro"
    source.mkdir()
    view.mkdir()
    yield source, view
    subprocess.run(["umount", str(view)], check=False, capture_output=True)


def test_a_read_only_data_folder_still_lists_and_exports(
    read_only: tuple[Path, Path], tmp_path: Path, ledger: FaultRecorder
) -> None:
    fault = "read-only data folder (CLI)"
    source, view = read_only
    bodies = make_library(source)
    subprocess.run(["mount", "--bind", str(source), str(view)], check=True)
    subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
    env = child_env()
    note = tmp_path / "note.md"
    note.write_text("---\ntitle: New\n---\nWords.\n", encoding="utf-8")
    for args in (["list"], ["list", "--json"], ["export", "3"], ["import", str(note)], ["list"]):
        ledger.injected(fault)
        code, out, err = run_cli(view, env, *args)
        for problem in one_clear_line(code, err):
            ledger.lost(fault, f"{' '.join(args[:1])}: {problem}")
        if args[0] == "list" and (code != 0 or out.count("Safe ") != len(bodies)):
            ledger.lost(fault, f"list shows {out.count('Safe ')} of {len(bodies)} pieces: {err[:100]}")
        if args[0] == "export" and bodies[2].strip() not in out:
            ledger.lost(fault, f"export does not give the text back: {err[:100]}")
    assert ledger.losses(fault) == []


def damaged_copies(data: Path, original: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    size = len(original)
    for cut in [0, 50, 100, 4096, size // 2, size - 4096, size - 1, rng.randrange(size)][:TRUNCATIONS]:
        yield "truncated library file", original[:cut]
    for _ in range(CORRUPTIONS):
        damaged = bytearray(original)
        at = rng.randrange(size)
        damaged[at : at + 64] = rng.randbytes(64)
        yield "corrupted library file (64 random bytes)", bytes(damaged[:size])


def test_a_truncated_or_corrupted_library_gives_one_message_and_keeps_the_file(
    tmp_path: Path, ledger: FaultRecorder
) -> None:
    rng = random.Random(SEED + 10)
    pristine = tmp_path / "pristine"
    pristine.mkdir()
    make_library(pristine)
    original = (pristine / "library.sqlite").read_bytes()
    env = child_env()
    outcomes: dict[str, list[int]] = {}
    for n, (fault, damaged) in enumerate(damaged_copies(pristine, original, rng)):
        data = tmp_path / f"d{n}"
        shutil.copytree(pristine, data)
        (data / "library.sqlite").write_bytes(damaged)
        ledger.injected(fault)
        code, _out, err = run_cli(data, env, "list")
        outcomes.setdefault(fault, []).append(code)
        for problem in one_clear_line(code, err):
            ledger.lost(fault, problem)
        kept = [
            p.read_bytes() for p in data.glob("library.sqlite*") if not p.name.endswith(("-wal", "-shm"))
        ]
        if damaged not in kept and code != 0:
            ledger.lost(fault, "the damaged file was not kept as it was")
        shutil.rmtree(data)
    for fault, codes in outcomes.items():
        ledger.figure(fault, f"{codes.count(0)} still listed, {len(codes) - codes.count(0)} refused")
        assert ledger.losses(fault) == []


# -- the keyring ---------------------------------------------------------------------------------


@pytest.fixture
def pushed_library(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService
) -> tuple[Path, dict[str, str], str]:
    """A library with a site (its password in the test keyring) and one piece: (data, env, piece id)."""
    data = tmp_path / "data"
    env = child_env(secret_service)
    user = wordpress.users["author"]
    code, _out, err = run_cli(
        data, env, "site", "add", "Site", "--url", wordpress.url, "--user", user["user"],
        stdin=user["app_password"],
    )  # fmt: skip
    assert code == 0, err
    core = open_core(data)
    try:
        piece = core.pieces.create(PieceData(title="Waiting", body="Words that must not be lost.\n"))
    finally:
        core.close()
    return data, env, str(piece.id)


def lock_keyring() -> None:
    connection = secretstorage.dbus_init()
    try:
        secretstorage.get_default_collection(connection).lock()
    finally:
        connection.close()


def delete_secret() -> None:
    connection = secretstorage.dbus_init()
    try:
        for item in secretstorage.get_default_collection(connection).get_all_items():
            item.delete()
    finally:
        connection.close()


KEYRING_FAULTS = {
    "keyring absent (fail backend)": ({"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}, None),
    "keyring backend named but not installed": ({"PYTHON_KEYRING_BACKEND": "nowhere.Keyring"}, None),
    "keyring locked": ({}, lock_keyring),
    "secret deleted behind the app's back": ({}, delete_secret),
}


@pytest.mark.parametrize("name", sorted(KEYRING_FAULTS))
def test_a_keyring_fault_gives_one_message_and_the_push_is_not_lost(
    name: str, pushed_library: tuple[Path, dict[str, str], str], ledger: FaultRecorder
) -> None:
    data, env, piece = pushed_library
    extra, act = KEYRING_FAULTS[name]
    if act is not None:
        act()
    ledger.injected(name)
    try:
        code, _out, err = run_cli(data, {**env, **extra}, "push", piece, "--site", "Site", timeout=60)
    except subprocess.TimeoutExpired:
        ledger.lost(name, "the push hung (no answer within 60 s)")
        code, err = -1, ""
    for problem in one_clear_line(code, err):
        ledger.lost(name, problem)
    if code == 0:
        ledger.lost(name, "the push reported success without a password")
    elif code != -1 and not any(word in err.lower() for word in ("keyring", "password")):
        ledger.lost(name, f"the message does not name the keyring or the password: {err[:100]!r}")
    core = open_core(data)
    try:
        if "Words that must not be lost." not in core.pieces.get(int(piece)).body:
            ledger.lost(name, "the piece changed")
    finally:
        core.close()
    ledger.figure(name, f"exit {code}: {err.strip()[:70]}")
    assert ledger.losses(name) == []
