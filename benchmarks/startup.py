"""Start-up: time from launching to the first visible window, Copydesk next to ReText and ghostwriter.

    .venv/bin/python benchmarks/startup.py [--runs 7]

Method, the same for the three programs, in the same run, interleaved: a virtual X display (Xvfb, no
window manager); the clock starts just before the process is spawned and stops at the X server's
MapNotify for the program's first top-level window (found by its _NET_WM_PID), received as an event,
not polled. A second figure is the time until the window title names the document, i.e. the text is
loaded. Copydesk opens a library of 1,000 pieces whose last open piece has 5,000 words; ReText 8
(PyPI, in benchmarks/peers/retext-venv) and ghostwriter (Debian) open the same 5,000 words as a
Markdown file. One warm-up launch of each is not counted.

Peers are set up when missing: ReText with pip into benchmarks/peers/, ghostwriter with apt (as root).
"""

from __future__ import annotations

import argparse
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import ROOT, env_for, make_text, seeded_library, spread, xvfb

PEERS = ROOT / "benchmarks" / "peers"
RETEXT = PEERS / "retext-venv" / "bin" / "retext"


def ensure_peers() -> dict[str, list[str]]:
    if not RETEXT.exists():
        PEERS.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS / "retext-venv")], check=True)
        subprocess.run(
            [str(PEERS / "retext-venv" / "bin" / "pip"), "install", "-q", "retext>=8,<9"], check=True
        )
    if shutil.which("ghostwriter") is None:
        subprocess.run([str(ROOT / "scripts" / "ensure-packages"), "bench", "ghostwriter"], check=True)
    return {"ReText 8": [str(RETEXT)], "ghostwriter": ["ghostwriter"]}


@dataclass
class Launch:
    mapped: float | None = None
    titled: float | None = None
    title: str = ""
    windows: set[int] = field(default_factory=set)


def _pid_of(display: object, window: object) -> int | None:
    from Xlib import X

    atom = display.intern_atom("_NET_WM_PID")  # type: ignore[attr-defined]
    try:
        prop = window.get_full_property(atom, X.AnyPropertyType)  # type: ignore[attr-defined]
    except Exception:  # the window may be gone already
        return None
    return int(prop.value[0]) if prop is not None and len(prop.value) else None


def _title_of(display: object, window: object) -> str:
    atom = display.intern_atom("_NET_WM_NAME")  # type: ignore[attr-defined]
    utf8 = display.intern_atom("UTF8_STRING")  # type: ignore[attr-defined]
    try:
        prop = window.get_full_property(atom, utf8)  # type: ignore[attr-defined]
        if prop is not None:
            value = prop.value
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        name = window.get_wm_name()  # type: ignore[attr-defined]
    except Exception:
        return ""
    return name or ""


def launch(cmd: list[str], display_name: str, title_needle: str, timeout: float = 60) -> Launch:
    """Spawn *cmd*, wait for its first top-level window and for the title to contain *title_needle*."""
    from Xlib import X, display

    conn = display.Display(display_name)
    root = conn.screen().root
    root.change_attributes(event_mask=X.SubstructureNotifyMask)
    conn.sync()
    result = Launch()
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd, env=env_for(display_name), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = started + timeout
        while time.perf_counter() < deadline and (result.mapped is None or result.titled is None):
            if not conn.pending_events():
                select.select([conn], [], [], 0.05)
            while conn.pending_events():
                event = conn.next_event()
                now = time.perf_counter() - started
                if event.type == X.MapNotify and not event.override:
                    if _pid_of(conn, event.window) == process.pid:
                        if result.mapped is None:
                            result.mapped = now
                        event.window.change_attributes(event_mask=X.PropertyChangeMask)
                        result.windows.add(event.window.id)
                        title = _title_of(conn, event.window)
                        if title_needle in title and result.titled is None:
                            result.titled, result.title = now, title
                elif event.type == X.PropertyNotify and event.window.id in result.windows:
                    title = _title_of(conn, event.window)
                    if title_needle in title and result.titled is None:
                        result.titled, result.title = now, title
            conn.flush()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        conn.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    peers = ensure_peers()
    document = Path(tempfile.mkdtemp(prefix="copydesk-bench-doc-")) / "long-read.md"
    document.write_text("# The long read\n\n" + make_text(5000, seed=99), encoding="utf-8")
    programs: dict[str, tuple[list[str], str]] = {
        "Copydesk": (
            [str(ROOT / ".venv" / "bin" / "copydesk"), "--data-dir", "LIBRARY"],
            "The long read",
        ),
    }
    for name, cmd in peers.items():
        programs[name] = ([*cmd, str(document)], "long-read")
    results: dict[str, list[Launch]] = {name: [] for name in programs}
    with xvfb() as display:
        for run in range(args.runs + 1):
            for name, (cmd, needle) in programs.items():
                library = seeded_library(1000) if name == "Copydesk" else None
                actual = [str(library) if part == "LIBRARY" else part for part in cmd]
                outcome = launch(actual, display, needle)
                if library is not None:
                    shutil.rmtree(library, ignore_errors=True)
                if run > 0:  # the first round warms the disk cache
                    results[name].append(outcome)
    print("Start-up under Xvfb (no window manager); 1,000-piece library / a 5,000-word document")
    print(f"{'program':<12} {'first visible window':<48} {'document shown (title names it)'}")
    medians: dict[str, tuple[float, float]] = {}
    for name, launches in results.items():
        mapped = [r.mapped for r in launches if r.mapped is not None]
        titled = [r.titled for r in launches if r.titled is not None]
        medians[name] = (
            sorted(mapped)[len(mapped) // 2] if mapped else float("nan"),
            sorted(titled)[len(titled) // 2] if titled else float("nan"),
        )
        print(
            f"{name:<12} {spread(mapped) if mapped else 'never':<48} {spread(titled) if titled else 'never'}"
        )
    ours = medians["Copydesk"]
    for name in peers:
        theirs = medians[name]
        print(
            f"Copydesk / {name}: first window {ours[0] / theirs[0]:.2f}x, "
            f"document shown {ours[1] / theirs[1]:.2f}x (below 1 is faster)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
