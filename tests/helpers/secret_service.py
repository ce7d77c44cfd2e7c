"""A real Secret Service (gnome-keyring) on a private D-Bus, for keyring tests.

``SecretService`` starts its own ``dbus-daemon`` (a session bus that only
listens on a socket in a temporary directory and auto-starts no service) and
``gnome-keyring-daemon --foreground --unlock --components=secrets`` on it,
with temporary HOME and XDG directories. The ``login`` collection is created
from the password given on stdin, is the ``default`` alias and is unlocked,
so no prompt (and no display) is ever needed.

    with SecretService() as service:
        for name, value in service.env.items():
            monkeypatch.setenv(name, value)
        keyring.set_password("copydesk", "alice", "secret")

Packages: ``scripts/install-test-services``. Facts: ``tests/helpers/README.md``.
"""

from __future__ import annotations

import atexit
import logging
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

logger = logging.getLogger(__name__)

INSTALL_HINT = "run scripts/install-test-services as root"
SECRETS_NAME = "org.freedesktop.secrets"
SECRETS_PATH = "/org/freedesktop/secrets"

# A session bus without <standard_session_servicedirs/>: nothing is ever
# D-Bus-activated on it (the packaged org.freedesktop.secrets.service would
# otherwise start a second gnome-keyring), and it listens only on our socket.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SecretServiceError(RuntimeError):
    """The test Secret Service could not be started."""


def _tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no {path.name})"
    return f"--- {path} (tail) ---\n" + "\n".join(text.splitlines()[-lines:])


class SecretService:
    """gnome-keyring's Secret Service on a private session bus.

    ``env`` holds the variables a test applies (``monkeypatch.setenv``) so
    that ``keyring``/``secretstorage`` find this service and nothing else.
    """

    def __init__(
        self,
        *,
        password: str = "copydesk-test",
        base_dir: Path | None = None,
        startup_timeout: float = 10.0,
    ) -> None:
        if not password:
            # gnome-keyring-daemon --unlock with an empty password creates no
            # "login" collection; creating one later needs a prompt.
            raise ValueError("the login keyring password must not be empty")
        self.password = password
        self.base_dir = base_dir
        self.startup_timeout = startup_timeout
        self.env: dict[str, str] = {}
        self.collection = ""
        self.startup_seconds = 0.0
        self.temp_dir: Path | None = None
        self._dbus: subprocess.Popen[bytes] | None = None
        self._keyring: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> SecretService:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        if self.temp_dir is not None:
            raise SecretServiceError("the Secret Service is already started")
        missing = [
            name
            for name in ("dbus-daemon", "dbus-send", "gnome-keyring-daemon")
            if not shutil.which(name)
        ]
        if missing:
            raise SecretServiceError(f"missing {', '.join(missing)}: {INSTALL_HINT}")
        started = time.monotonic()
        self.temp_dir = Path(tempfile.mkdtemp(prefix="copydesk-keyring-", dir=self.base_dir))
        atexit.register(self.stop)
        try:
            self._make_dirs()
            address = self._start_dbus()
            self.env["DBUS_SESSION_BUS_ADDRESS"] = address
            self._start_keyring()
            self._wait_for_collection()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        logger.info("Secret Service ready in %.3f s", self.startup_seconds)

    def stop(self) -> None:
        """Stop gnome-keyring-daemon and dbus-daemon by pid; delete the files."""
        atexit.unregister(self.stop)
        if self.temp_dir is None:
            return
        for attribute in ("_keyring", "_dbus"):
            process: subprocess.Popen[bytes] | None = getattr(self, attribute)
            if process is None:
                continue
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
            if process.stdout is not None:
                process.stdout.close()
            setattr(self, attribute, None)
        shutil.rmtree(self.temp_dir, ignore_errors=True)
        self.temp_dir = None
        self.env = {}
        logger.info("Secret Service stopped")

    # -- start-up steps --------------------------------------------------------

    def _make_dirs(self) -> None:
        assert self.temp_dir is not None
        dirs = {
            "HOME": "home",
            "XDG_DATA_HOME": "data",  # keyrings/login.keyring goes here
            "XDG_CONFIG_HOME": "config",  # an empty one: no keyringrc.cfg
            "XDG_CACHE_HOME": "cache",
            "XDG_RUNTIME_DIR": "runtime",  # keyring/control socket
        }
        for variable, name in dirs.items():
            path = self.temp_dir / name
            path.mkdir(mode=0o700)
            self.env[variable] = str(path)
        # mkdir's mode is subject to the umask; the runtime dir must be 0700.
        (self.temp_dir / "runtime").chmod(0o700)

    def _daemon_env(self) -> dict[str, str]:
        """A minimal environment: no DISPLAY, no outer bus, our XDG dirs."""
        base = {name: os.environ[name] for name in ("PATH", "LANG") if name in os.environ}
        return {**base, **self.env}

    def _start_dbus(self) -> str:
        assert self.temp_dir is not None
        socket_path = self.temp_dir / "bus"
        config = self.temp_dir / "bus.conf"
        config.write_text(BUS_CONFIG.format(socket=socket_path))
        log = self.temp_dir / "dbus-daemon.log"
        with log.open("wb") as errors:
            self._dbus = subprocess.Popen(
                ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=self._daemon_env(),
                start_new_session=True,
            )
        assert self._dbus.stdout is not None
        # The address is printed once the bus listens.
        ready, _, _ = select.select([self._dbus.stdout], [], [], self.startup_timeout)
        line = self._dbus.stdout.readline().decode().strip() if ready else ""
        if not line.startswith("unix:"):
            raise SecretServiceError(f"dbus-daemon did not start\n{_tail(log)}")
        return line

    def _start_keyring(self) -> None:
        assert self.temp_dir is not None
        log = self.temp_dir / "gnome-keyring.log"
        with log.open("wb") as output:
            self._keyring = subprocess.Popen(
                [
                    "gnome-keyring-daemon",
                    "--foreground",
                    "--unlock",  # read the login password from stdin
                    "--components=secrets",
                ],
                stdin=subprocess.PIPE,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=self._daemon_env(),
                start_new_session=True,
            )
        assert self._keyring.stdin is not None
        # No newline: it would become part of the password.
        self._keyring.stdin.write(self.password.encode())
        self._keyring.stdin.close()

    def _dbus_call(self, *arguments: str) -> str:
        result = subprocess.run(
            ["dbus-send", "--session", "--print-reply", *arguments],
            capture_output=True,
            env=self._daemon_env(),
            timeout=self.startup_timeout,
            check=False,
        )
        return result.stdout.decode() if result.returncode == 0 else ""

    def _wait_for_collection(self) -> None:
        """Wait until the default alias names an unlocked collection."""
        assert self.temp_dir is not None and self._keyring is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._keyring.poll() is not None:
                raise SecretServiceError(
                    f"gnome-keyring-daemon exited with {self._keyring.returncode}\n"
                    f"{_tail(self.temp_dir / 'gnome-keyring.log')}"
                )
            reply = self._dbus_call(
                f"--dest={SECRETS_NAME}",
                SECRETS_PATH,
                "org.freedesktop.Secret.Service.ReadAlias",
                "string:default",
            )
            collection = reply.split('object path "', 1)[-1].split('"', 1)[0] if reply else "/"
            if collection not in ("", "/"):
                locked = self._dbus_call(
                    f"--dest={SECRETS_NAME}",
                    collection,
                    "org.freedesktop.DBus.Properties.Get",
                    "string:org.freedesktop.Secret.Collection",
                    "string:Locked",
                )
                if "boolean false" in locked:
                    self.collection = collection
                    return
            time.sleep(0.01)
        raise SecretServiceError(
            "gnome-keyring has no unlocked default collection\n"
            f"{_tail(self.temp_dir / 'gnome-keyring.log')}"
        )
