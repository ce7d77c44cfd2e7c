"""Re-anchoring notes after an edit: 200 notes on a 10,000-word piece.

    .venv/bin/python benchmarks/notes.py [--runs 21] [--notes 200] [--words 10000]

Three cases, each the median of ``--runs`` (target: under one frame, 16 ms, on the GUI thread):

1. the base version is known (the usual case: the library keeps it): one diff from it, then every
   anchor mapped through it;
2. the base version is unknown (a note synced from another library): a quote search per note;
3. the same text (nothing changed): the position is checked and kept.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from common import make_text

from app.notes.anchor import Anchor, Relocator, anchor_at


def _anchors(text: str, count: int, rng: random.Random) -> list[Anchor]:
    anchors = []
    for _ in range(count):
        start = rng.randrange(0, len(text) - 200)
        anchors.append(anchor_at(text, start, start + rng.randint(12, 160)))
    return anchors


def _edit(text: str, rng: random.Random) -> str:
    """A sentence typed in the middle of the piece and a word deleted near its end."""
    middle = len(text) // 2
    text = text[:middle] + " And then the driver stopped to let a fox cross. " + text[middle:]
    cut = int(len(text) * 0.9)
    return text[:cut] + text[cut + rng.randint(3, 9) :]


def _median_ms(runs: int, action: object) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = action()  # type: ignore[operator]
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--words", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(7)
    base = make_text(args.words)
    extra = args.words
    while len(base.split()) < args.words:  # make_text counts Markdown marks apart; top it up
        extra += args.words // 10
        base = make_text(extra)
    anchors = _anchors(base, args.notes, rng)
    edited = _edit(base, rng)
    print(
        f"{args.notes} notes on {len(base.split()):,} words ({len(base):,} characters); median of {args.runs}"
    )
    cases = [
        (
            "base known (diff)",
            lambda: Relocator(edited, {anchors[0].base_hash: base}).locate_all(anchors),
        ),
        ("base unknown (quote search)", lambda: Relocator(edited).locate_all(anchors)),
        ("text unchanged", lambda: Relocator(base).locate_all(anchors)),
    ]
    for label, action in cases:
        ms, placed = _median_ms(args.runs, action)
        found = sum(1 for p in placed if p is not None)  # type: ignore[union-attr]
        print(f"  {label:<28} {ms:7.2f} ms   {found}/{len(anchors)} re-anchored")


if __name__ == "__main__":
    main()
