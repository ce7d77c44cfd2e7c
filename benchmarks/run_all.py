"""Run every benchmark in turn and print their figures (``make bench``).

    .venv/bin/python benchmarks/run_all.py [NAME ...]

Each benchmark is a script in this folder that prints its own figures and asserts nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["startup", "preview", "library", "push", "comments", "bundle"]
NOISE = ("QRhi", "Failed to create RHI", "This plugin does not support", "QVulkanInstance", "GBM is")


def main() -> int:
    wanted = sys.argv[1:] or [name for name in ORDER if (HERE / f"{name}.py").exists()]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    failed = []
    for name in wanted:
        print(f"\n=== {name} ===", flush=True)
        result = subprocess.run(
            [sys.executable, str(HERE / f"{name}.py")],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        print(result.stdout, end="")
        if result.returncode != 0:
            failed.append(name)
            errors = [line for line in result.stderr.splitlines() if not line.startswith(NOISE)]
            print("\n".join(errors[-20:]))
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
