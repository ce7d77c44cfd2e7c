"""Figures for the Linux bundle: build time, size on disk and compressed, start time next to the source.

    .venv/bin/python benchmarks/bundle.py [--venv .venv] [--tarball FILE] [--runs N]

Builds the bundle with packaging/build-linux.sh from a clean checkout of HEAD (a new environment, or
--venv to reuse one; --tarball skips the build), unpacks it, and starts Copydesk from the bundle and
from the same commit's source (with the development environment's Python) in two ways:

- the time until ``--smoke-test`` succeeds, offscreen (window, rendered preview, database);
- the time until the main window is visible on a virtual X screen (Xvfb, watched with xdotool), on a
  library that already exists, as a columnist starts it every morning.

Each start is measured ``--runs`` times after one start that warms the disk cache; the median is shown.
It prints figures and asserts nothing. Needs packaging/install-build-deps (Xvfb and xdotool).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMOKE_TIMEOUT = 180.0
WINDOW_TIMEOUT = 60.0
POLL_SECONDS = 0.02
TARGET_MIB = 350


def mib(size: int) -> str:
    return f"{size / 1048576:.1f} MiB"


def disk_usage(folder: Path) -> tuple[int, int]:
    """(bytes allocated on disk, bytes of content) under *folder*, symbolic links not followed."""
    on_disk = content = 0
    for path in folder.rglob("*"):
        info = path.lstat()
        on_disk += info.st_blocks * 512
        if path.is_file() and not path.is_symlink():
            content += info.st_size
    return on_disk, content


def build(venv: Path | None, out: Path) -> dict[str, object]:
    report = out / "report.json"
    command = [str(ROOT / "packaging" / "build-linux.sh"), "--out", str(out), "--report", str(report)]
    if venv is not None:
        command += ["--venv", str(venv)]
    subprocess.run(command, check=True)
    figures: dict[str, object] = json.loads(report.read_text())
    return figures


def unpack(tarball: Path, into: Path) -> Path:
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="tar")
    (folder,) = into.iterdir()
    return folder


def source_checkout(commit: str, into: Path) -> Path:
    into.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the started program and what it started (QtWebEngine's helpers): its own process group."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def time_smoke_test(command: list[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    result = subprocess.run(
        [*command, "--smoke-test"], env=env, capture_output=True, timeout=SMOKE_TIMEOUT, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"the smoke test failed: {result.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def window_visible(display: str) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "Copydesk"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        check=False,
    )
    return found.returncode == 0 and bool(found.stdout.strip())


def time_first_window(command: list[str], display: str, library: Path) -> float:
    (library / "copydesk.lock").unlink(missing_ok=True)  # every start is a clean start
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"} | {"DISPLAY": display}
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--data-dir", str(library)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.perf_counter() - started < WINDOW_TIMEOUT:
            if window_visible(display):
                return time.perf_counter() - started
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode} before its window")
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"no window within {WINDOW_TIMEOUT:.0f} s")
    finally:
        stop(process)


@contextmanager
def virtual_screen() -> Iterator[str]:
    """A private Xvfb; yields its DISPLAY."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        stop(server)


def median_of(runs: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    measure()  # warms the disk cache; not counted
    times = [measure() for _ in range(runs)]
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--venv", type=Path, help="reuse this environment for the build")
    parser.add_argument("--tarball", type=Path, help="measure this archive instead of building one")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    dev_python = ROOT / ".venv" / "bin" / "python"
    for tool in ("Xvfb", "xdotool", "git"):
        if shutil.which(tool) is None:
            parser.error(f"{tool} is missing: run packaging/install-build-deps as root")

    with tempfile.TemporaryDirectory(prefix="copydesk-bench-") as scratch:
        work = Path(scratch)
        figures: dict[str, object] = {}
        if args.tarball is None:
            figures = build(args.venv.resolve() if args.venv else None, work / "out")
            tarball = Path(str(figures["tarball"]))
        else:
            tarball = args.tarball.resolve()
        bundle = unpack(tarball, work / "bundle")
        commit = str(figures.get("commit", "HEAD"))
        source = source_checkout(commit, work / "source")
        on_disk, content = disk_usage(bundle)
        compressed = tarball.stat().st_size

        commands = {
            "bundle": [str(bundle / "copydesk")],
            "source": [str(dev_python), str(source / "copydesk.py")],
        }
        smoke: dict[str, tuple[float, list[float]]] = {}
        window: dict[str, tuple[float, list[float]]] = {}
        for name, command in commands.items():
            smoke[name] = median_of(args.runs, lambda c=command: time_smoke_test(c))
        with virtual_screen() as display:
            for name, command in commands.items():
                library = work / f"library-{name}"
                window[name] = median_of(
                    args.runs, lambda c=command, lib=library: time_first_window(c, display, lib)
                )

    print(f"Copydesk bundle figures ({tarball.name}, {sys.platform}, {os.cpu_count()} CPUs)")
    if figures:
        print(
            f"  build from a clean checkout: {figures['build_seconds']} s "
            f"(environment {figures['environment_seconds']} s, {figures['venv']}; "
            f"PyInstaller {figures['pyinstaller_seconds']} s; archive {figures['package_seconds']} s); "
            f"checks {figures['check_seconds']} s"
        )
    verdict = "under" if on_disk < TARGET_MIB * 1048576 else "OVER"
    print(f"  size on disk: {mib(on_disk)} ({mib(content)} of content), {verdict} {TARGET_MIB} MiB")
    print(f"  compressed (tar.gz): {mib(compressed)}")
    print(f"  start, median of {args.runs} after a warm-up:")
    for label, table in (("--smoke-test succeeds", smoke), ("first visible window", window)):
        bundle_s, source_s = table["bundle"][0], table["source"][0]
        print(
            f"    {label:<22} bundle {bundle_s:5.2f} s   source {source_s:5.2f} s   "
            f"bundle/source {bundle_s / source_s:4.2f}"
        )
        for name in ("bundle", "source"):
            print(f"      {name} runs: " + " ".join(f"{t:.2f}" for t in table[name][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
