"""A full disk and I/O errors as campaigns: the library filled and freed again, many times over.

The data folder lives on a small filesystem of its own (a tmpfs, ``tests/helpers/small_disk.py``). The
disk is filled at moments chosen by a seeded RNG while the command line imports, and between the words a
window in a subprocess types (``tests/helpers/typing_app.py``); then it is freed. What was lost is
counted in words: every word the command line said it saved, and every word typed, must be in the
library afterwards or in an emergency copy (which counts as kept).

I/O errors are injected in a child process through ``tests/reliability/eio/sitecustomize.py``: the Nth
statement that writes to the library fails as SQLite fails on an I/O error. Each must give one clear
line, lose nothing saved before, and leave ``PRAGMA integrity_check`` at "ok".
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from app.core import open_core
from tests.helpers.small_disk import fill, small_filesystem
from tests.reliability.conftest import FaultRecorder, child_env, integrity
from tests.reliability.kills import CLI, ROOT, SCALE, SEED, Child, run_cli
from tests.reliability.test_disk_and_keyring import one_clear_line

HERE = Path(__file__).resolve().parent
ROUNDS = 5 * SCALE
MOMENTS = ("before the import", "during the import", "with a few KiB left")


def words_of(tag: str, count: int) -> list[str]:
    return [f"{tag}w{i}" for i in range(count)]


def stored_bodies(data: Path) -> dict[int, str]:
    core = open_core(data)
    try:
        return {s.id: core.pieces.get(s.id).body for s in core.pieces.summaries()}
    finally:
        core.close()


def missing_words(words: list[str], text: str) -> int:
    present = set(re.findall(r"\S+", text))
    return sum(1 for w in words if w not in present)


def fill_at(moment: str, disk: Path, name: str, rng: random.Random) -> list[Path]:
    """Fill the disk now, as *moment* says (nothing yet for "during the import"); the fillers."""
    if moment == "during the import":
        return []
    path = fill(disk, name)
    if moment == "with a few KiB left":
        with path.open("r+b") as fh:
            fh.truncate(max(0, path.stat().st_size - rng.randrange(4, 64) * 1024))
    return [path]


def import_on_a_filling_disk(
    moment: str, disk: Path, note: Path, rng: random.Random, *, fault: str, ledger: FaultRecorder
) -> tuple[int, str]:
    """Import *note* with the disk filled at *moment*, then free it: (exit status, what it printed)."""
    data, env = disk / "data", child_env()
    filler = fill_at(moment, disk, f"filler-{note.stem}", rng)
    child = Child.start([*CLI, "--data-dir", str(data), "import", str(note)], env)
    timer = None
    if moment == "during the import":
        delay = rng.uniform(0.8, 2.5)  # the command starts in about a second
        timer = threading.Timer(delay, lambda: filler.append(fill(disk, f"filler-{note.stem}")))
        timer.start()
    code, err = child.finish(timeout=120)
    if timer is not None:
        timer.join()
    ledger.injected(fault)
    printed = [line for line in child.drain() if line.strip()]
    for problem in one_clear_line(code, err):
        ledger.lost(fault, f"{moment}: {problem}")
    # reading must work while writing cannot
    listed, _out, list_err = run_cli(data, env, "list")
    if listed != 0:
        ledger.lost(fault, f"{moment}: `list` on the full disk failed: {list_err.strip()[:100]}")
    for path in filler:
        path.unlink(missing_ok=True)
    return code, (printed[-1] if printed else "")


def test_a_disk_filled_at_varied_moments_while_importing_loses_no_saved_word(
    tmp_path: Path, ledger: FaultRecorder
) -> None:
    fault = "disk full at varied moments (CLI import), then freed"
    rng = random.Random(SEED + 30)
    env = child_env()
    saved: dict[int, list[str]] = {}  # piece id: its words, for every import that said it saved
    outcomes: list[str] = []
    with small_filesystem(tmp_path / "disk", "6m") as disk:
        data = disk / "data"
        first = tmp_path / "first.md"
        first.write_text("---\ntitle: First\n---\n" + " ".join(words_of("first", 200)) + "\n")
        code, out, err = run_cli(data, env, "import", str(first))
        assert code == 0, err
        saved[int(out.strip())] = words_of("first", 200)
        for n in range(ROUNDS):
            moment = MOMENTS[n % len(MOMENTS)]
            words = words_of(f"r{n}", rng.choice([200, 3_000, 15_000]))
            note = tmp_path / f"round{n}.md"
            note.write_text(f"---\ntitle: Round {n}\n---\n" + " ".join(words) + "\n")
            code, out = import_on_a_filling_disk(moment, disk, note, rng, fault=fault, ledger=ledger)
            outcomes.append("saved" if code == 0 else "refused")
            if code != 0:  # the same again, with room
                code, out, err = run_cli(data, env, "import", str(note))
                if code != 0:
                    ledger.lost(
                        fault, f"{moment}: the import failed again with room: {err.strip()[:100]}"
                    )
            if code == 0:
                saved[int(out.strip())] = words
        state = integrity(data / "library.sqlite")
        if state != "ok":
            ledger.lost(fault, f"integrity_check: {state[:100]}")
        bodies = stored_bodies(data)
    lost_words = sum(missing_words(words, bodies.get(piece, "")) for piece, words in saved.items())
    if lost_words:
        ledger.lost(fault, f"{lost_words} saved words not in the library")
    refused = outcomes.count("refused")
    ledger.figure(
        fault, f"{refused} of {len(outcomes)} imports refused on the full disk, all in once freed"
    )
    assert ledger.losses(fault) == []


# -- a window typing while the disk fills and frees ------------------------------------------


class TypingWindow:
    """``tests.helpers.typing_app commands`` in a subprocess."""

    def __init__(self, data: Path, env: dict[str, str], log: Path) -> None:
        self.log = log.open("w", encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.typing_app", "commands", str(data)],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True,
        )  # fmt: skip
        self.child = Child(process)
        self.typed: list[str] = []
        threading.Thread(target=self.child._read, daemon=True).start()

    def send(self, line: str) -> None:
        stdin = self.child.process.stdin
        assert stdin is not None
        stdin.write(line + "\n")
        stdin.flush()

    def type(self, text: str) -> None:
        self.send(f"type {text}")
        self.child.wait_line("TYPED", timeout=60)

    def type_words(self, tag: str, rng: random.Random) -> None:
        words = words_of(tag, rng.randint(1, 6))
        self.type(" " + " ".join(words))
        self.typed.extend(words)

    def wait_saved(self) -> None:
        self.send("saved")
        self.child.wait_line("SAVED", timeout=60)

    def close(self) -> None:
        self.child.close()
        if self.child.process.stdin is not None:
            self.child.process.stdin.close()
        self.log.close()


def quit_outcome(window: TypingWindow, temp: Path) -> str:
    """How the window ended after SIGTERM: its exit status, or that it still waits (then killed).

    On a full disk the window keeps the text in an emergency copy; told to quit by a signal (a
    logout, ``kill``), nobody is there to answer a question, so it must quit by itself.
    """
    process = window.child.process
    deadline = time.monotonic() + 30
    while process.poll() is None and not list(temp.rglob("*.md")) and time.monotonic() < deadline:
        time.sleep(0.1)  # a subprocess, not a Qt test: nothing else to wait on
    try:
        return f"exit {process.wait(timeout=5)}"
    except subprocess.TimeoutExpired:
        window.child.close()
        return "still open 5 s after the emergency copy (waiting on the quit question); killed"


def test_typing_while_the_disk_fills_and_frees_again_loses_no_word(
    tmp_path: Path, ledger: FaultRecorder
) -> None:
    fault = "disk full while typing (GUI), freed again"
    quit_fault = "quit while the disk is full (GUI)"
    rng = random.Random(SEED + 31)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = child_env(TMPDIR=str(temp))
    cycles = 4 * SCALE
    with small_filesystem(tmp_path / "disk", "8m") as disk:
        data = disk / "data"
        window = TypingWindow(data, env, tmp_path / "window.log")
        try:
            window.child.wait_line("READY", timeout=120)
            window.type_words("start", rng)
            for cycle in range(cycles):
                if rng.random() < 0.5:  # the fill lands after a save, or while one may be running
                    window.wait_saved()
                filler = fill(disk, f"filler{cycle}")
                ledger.injected(fault)
                for k in range(rng.randint(1, 3)):
                    window.type_words(f"c{cycle}full{k}", rng)
                filler.unlink()
                for k in range(rng.randint(1, 3)):
                    window.type_words(f"c{cycle}free{k}", rng)
            window.wait_saved()
            # the last fill is left in place: the window is told to quit while nothing can be saved
            filler = fill(disk, "last")
            window.type_words("quitting", rng)
            ledger.injected(quit_fault)
            window.child.process.send_signal(signal.SIGTERM)
            code = quit_outcome(window, temp)
        finally:
            window.close()
        filler.unlink()
        bodies = " ".join(stored_bodies(data).values())
        state = integrity(data / "library.sqlite")
        copies = [p.read_text(encoding="utf-8") for p in temp.rglob("*.md")]
        copies += [p.read_text(encoding="utf-8") for p in (data / "emergency").glob("*.md")]
    typed = window.typed
    before_quit = [w for w in typed if not w.startswith("quitting")]
    lost = missing_words(before_quit, " ".join([bodies, *copies]))
    if lost:
        ledger.lost(fault, f"{lost} of {len(before_quit)} typed words not kept")
    if state != "ok":
        ledger.lost(fault, f"integrity_check: {state[:100]}")
    logged = (tmp_path / "window.log").read_text(encoding="utf-8", errors="replace")
    quit_words = [w for w in typed if w.startswith("quitting")]
    for problem in quit_losses(quit_words, bodies, copies, logged):
        ledger.lost(quit_fault, f"{code}: {problem}")
    if code.startswith("still open"):
        ledger.lost(quit_fault, "a SIGTERM did not end the window")
    ledger.figure(fault, f"{len(typed)} words typed over {cycles} fills; {len(copies)} emergency copies")
    ledger.figure(quit_fault, code)
    assert ledger.losses(fault) == []
    assert ledger.losses(quit_fault) == []


def quit_losses(words: list[str], saved: str, copies: list[str], logged: str) -> list[str]:
    """What a quit on a full disk lost of *words* (typed just before it)."""
    if not missing_words(words, saved):
        return []  # saved after all
    if not copies:
        return ["no emergency copy"]
    problems = []
    if missing_words(words, " ".join(copies)):
        problems.append("the words typed before the quit are neither saved nor kept")
    if "emergency copy" not in logged:
        problems.append("the emergency copy is not named")
    return problems


# -- I/O errors ------------------------------------------------------------------------------


def eio_env(tmp_path: Path, **faults: str) -> dict[str, str]:
    return child_env(
        None,
        PYTHONPATH=f"{HERE / 'eio'}:{ROOT}",
        COPYDESK_FAULT_COUNT_FILE=str(tmp_path / "writes.txt"),
        **faults,
    )


def test_an_io_error_at_each_write_gives_one_message_and_loses_nothing_saved(
    tmp_path: Path, ledger: FaultRecorder
) -> None:
    fault = "I/O error (EIO) at the Nth write to the library (CLI import)"
    data = tmp_path / "data"
    env = child_env()
    before: dict[int, list[str]] = {}
    for i in range(3):
        note = tmp_path / f"saved{i}.md"
        note.write_text(f"---\ntitle: Saved {i}\n---\n" + " ".join(words_of(f"s{i}", 300)) + "\n")
        code, out, err = run_cli(data, env, "import", str(note))
        assert code == 0, err
        before[int(out.strip())] = words_of(f"s{i}", 300)
    note = tmp_path / "new.md"
    new_words = words_of("new", 500)
    note.write_text("---\ntitle: New\ntags: [a, b]\n---\n" + " ".join(new_words) + "\n")
    # a clean run counts the writing statements an import makes
    code, out, err = run_cli(data, eio_env(tmp_path), "import", str(note))
    assert code == 0, err
    writes = int((tmp_path / "writes.txt").read_text().split()[0])
    assert writes > 0, "the fault injection saw no write (is eio/sitecustomize.py loaded?)"
    before[int(out.strip())] = new_words
    failed = 0
    messages: set[str] = set()
    for at in range(1, writes + 1):
        code, out, err = run_cli(
            data, eio_env(tmp_path, COPYDESK_FAULT_EIO_AT=str(at)), "import", str(note)
        )
        ledger.injected(fault)
        for problem in one_clear_line(code, err):
            ledger.lost(fault, f"write {at}: {problem}")
        if code == 0:
            before[int(out.strip())] = new_words
        else:
            failed += 1
            messages.add(err.strip()[:80])
        state = integrity(data / "library.sqlite")
        if state != "ok":
            ledger.lost(fault, f"write {at}: integrity_check: {state[:100]}")
    bodies = stored_bodies(data)
    lost = sum(missing_words(words, bodies.get(piece, "")) for piece, words in before.items())
    if lost:
        ledger.lost(fault, f"{lost} saved words not in the library")
    state = integrity(data / "library.sqlite")
    if state != "ok":
        ledger.lost(fault, f"integrity_check at the end: {state[:100]}")
    shown = "; ".join(sorted(messages))[:160]
    ledger.figure(fault, f"{writes} writes per import; {failed} refused with: {shown}")
    assert ledger.losses(fault) == []
