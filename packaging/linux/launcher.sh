#!/bin/sh
# Copydesk: runs the program bundled beside this file, wherever the archive was unpacked.
# (Installed as `copydesk` at the top of the Linux tar.gz; ./install.sh puts Copydesk in your menu.)
here=$(dirname "$(readlink -f "$0")")
exec "$here/lib/copydesk/copydesk" "$@"
