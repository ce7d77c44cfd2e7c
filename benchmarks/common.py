"""Shared pieces of the benchmarks: test texts, seeded libraries, a virtual display, timing helpers.

Benchmarks print figures; they never assert on timings (that is what makes them benchmarks).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

_SAMPLE = (ROOT / "scripts" / "sample-column.md").read_text(encoding="utf-8").split("---", 2)[2]
_WORDS = [w for w in _SAMPLE.replace("\n", " ").split(" ") if w.isalpha()]


def make_text(words: int, seed: int = 1) -> str:
    """A column of about *words* words: paragraphs, some headings, emphasis, quotes, lists."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < words:
        length = rng.randint(40, 120)
        sentence = " ".join(rng.choice(_WORDS) for _ in range(length))
        roll = rng.random()
        if roll < 0.08:
            parts.append("## " + " ".join(rng.choice(_WORDS) for _ in range(5)).capitalize())
        elif roll < 0.12:
            parts.append("> " + sentence.capitalize() + ".")
        elif roll < 0.15:
            parts.append(
                "\n".join("- " + rng.choice(_WORDS) + " " + rng.choice(_WORDS) for _ in range(3))
            )
        else:
            words_ = sentence.split()
            words_[rng.randrange(len(words_))] = f"*{rng.choice(_WORDS)}*"
            parts.append(" ".join(words_).capitalize() + ".")
        total += length
    return "\n\n".join(parts) + "\n"


def seeded_library(pieces: int, *, big_words: int = 5000) -> Path:
    """A data folder with *pieces* pieces; the last one opened is a *big_words*-word column.

    Made once and kept under benchmarks/out (each run copies it, so runs start alike).
    """
    folder = OUT / f"library-{pieces}-{big_words}"
    if not (folder / "library.sqlite").exists():
        from app.core import open_core
        from app.pieces.data import PieceData

        shutil.rmtree(folder, ignore_errors=True)
        core = open_core(folder)
        for n in range(pieces - 1):
            core.pieces.create(
                PieceData(
                    title=f"Column {n}: {make_text(6, seed=n).strip()}",
                    body=make_text(800, seed=n),
                    byline="Mere Kingi",
                )
            )
        big = core.pieces.create(
            PieceData(title="The long read", body=make_text(big_words, seed=99), byline="Mere Kingi")
        )
        core.settings.set("library.last_piece", big.id or 0)
        core.settings.save()
        core.close()
    copy = Path(tempfile.mkdtemp(prefix="copydesk-bench-"))
    shutil.copytree(folder, copy, dirs_exist_ok=True)
    return copy


@contextlib.contextmanager
def xvfb(size: str = "1600x1000x24") -> Iterator[str]:
    """Run a virtual X display; yields its DISPLAY value."""
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is missing: run ./scripts/setup --test (Debian package xvfb)")
    for number in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            break
    display = f":{number}"
    process = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", size, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("Xvfb did not start")
            time.sleep(0.02)
        yield display
    finally:
        process.terminate()
        process.wait(timeout=10)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def spread(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return f"median {statistics.median(ms):7.0f} ms  (min {ms[0]:.0f}, max {ms[-1]:.0f}, n={len(ms)})"


def env_for(display: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env.pop("WAYLAND_DISPLAY", None)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return env
