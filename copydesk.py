"""The ``copydesk`` command: the composition root.

Subcommands run headless through ``app`` without importing Qt, so the command line starts fast and works
on a server; only opening the window imports ``ui``.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from app.cli.main import build_parser, run_command

    parser = build_parser()
    args, qt_args = parser.parse_known_args(argv)
    if args.command:
        if qt_args:
            parser.error(f"unrecognized arguments: {' '.join(qt_args)}")
        return run_command(args)
    from ui.application import run

    return run(args, qt_args)


if __name__ == "__main__":
    sys.exit(main())
