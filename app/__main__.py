"""``python -m app`` runs the headless command line (the window needs the ``copydesk`` command)."""

import sys

from app.cli.main import build_parser, run_command

args = build_parser().parse_args()
if not args.command:
    sys.exit("copydesk: give a command (see --help); the window opens with the copydesk command.")
sys.exit(run_command(args))
