"""A real, throwaway WordPress site on loopback for the integration tests.

``WordPressServer`` runs Debian's packaged WordPress (``/usr/share/wordpress``)
under ``php -S 127.0.0.1:<free port>`` against a private ``mariadbd`` (fresh
datadir, unix socket only, ``--skip-networking``), all in one temporary
directory, without systemd. Packages: ``scripts/install-test-services``.

    with WordPressServer() as wp:
        me = requests.get(
            wp.rest_url("/wp/v2/users/me"),
            params={"context": "edit"},
            auth=wp.auth("author"),
        )

See ``tests/helpers/README.md`` for the facts behind the flags.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, TypedDict

import requests

logger = logging.getLogger(__name__)

HELPERS_DIR = Path(__file__).resolve().parent / "wordpress"
WORDPRESS_ROOT = Path("/usr/share/wordpress")
WORDPRESS_CONFIG_DIR = Path("/etc/wordpress")
CONFIG_PREFIX = "copydesk-test-"
INSTALL_HINT = "run scripts/install-test-services as root"
DB_NAME = "wordpress"
SNAPSHOT_DB_NAME = "wordpress_snapshot"

# Each request of the php -S master/workers runs the router; opcache is on by
# default for the cli-server SAPI (opcache.enable; opcache.enable_cli only
# counts for the plain cli SAPI), we say so explicitly.
PHP_SERVER_FLAGS = (
    "-d", "opcache.enable=1",
    "-d", "display_errors=0",
    "-d", "log_errors=1",
    "-d", "upload_max_filesize=64M",
    "-d", "post_max_size=64M",
)  # fmt: skip
PHP_CLI_FLAGS = ("-d", "display_errors=stderr", "-d", "log_errors=1")
# run_php(): a per-run opcache file cache makes each call ~50 ms instead of
# ~100 ms (the first call fills it, ~0.4 s). Plain opcache.enable_cli=1
# without a file cache makes every call slower (~220 ms): nothing is reused.
PHP_FILE_CACHE_FLAGS = ("-d", "opcache.enable_cli=1", "-d", "opcache.file_cache_only=1")
# Durability is worthless for a throwaway database: no fsync per commit.
MARIADB_FLAGS = (
    "--skip-networking",
    "--skip-name-resolve",
    "--innodb-buffer-pool-size=64M",
    "--innodb-log-file-size=16M",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--skip-log-bin",
)
SALT_NAMES = (
    "AUTH_KEY",
    "SECURE_AUTH_KEY",
    "LOGGED_IN_KEY",
    "NONCE_KEY",
    "AUTH_SALT",
    "SECURE_AUTH_SALT",
    "LOGGED_IN_SALT",
    "NONCE_SALT",
)


class WordPressServerError(RuntimeError):
    """The test WordPress site could not be started or used."""


class WordPressUser(TypedDict):
    """One user created by install.php (all of them have an app password)."""

    user: str
    id: int
    role: str
    email: str
    password: str
    app_password: str


def _tail(path: Path, lines: int = 25) -> str:
    """The last lines of a log file, for error messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no {path.name})"
    return f"--- {path} (tail) ---\n" + "\n".join(text.splitlines()[-lines:])


def _php_string(value: str) -> str:
    """The body of a PHP single-quoted string literal holding ``value``."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _group_members(pgid: int) -> list[int]:
    """Pids in process group ``pgid`` that are not zombies (Linux /proc)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # pid (comm) state ppid pgrp ...; comm may hold spaces and ')'.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


class WordPressServer:
    """WordPress + MariaDB on loopback, started and stopped by the tests.

    Must run as root: the per-run config goes to /etc/wordpress, where
    Debian's wp-config.php looks for it.
    """

    def __init__(
        self,
        *,
        workers: int = 4,
        keep_default_content: bool = False,
        base_dir: Path | None = None,
        startup_timeout: float = 60.0,
        extra_mu_plugins: tuple[Path, ...] = (),
    ) -> None:
        self.workers = workers
        # Must-use plugins loaded besides mu-plugins/copydesk-test.php (e.g. the companion plugin)
        self.extra_mu_plugins = tuple(Path(p).resolve() for p in extra_mu_plugins)
        self.keep_default_content = keep_default_content
        self.base_dir = base_dir
        self.startup_timeout = startup_timeout
        self.url = ""
        self.port = 0
        self.users: dict[str, WordPressUser] = {}
        self.startup_seconds = 0.0
        self.config_name = f"{CONFIG_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        self.config_path = WORDPRESS_CONFIG_DIR / f"config-{self.config_name}.php"
        self.temp_dir: Path | None = None
        self._php: subprocess.Popen[bytes] | None = None
        self._mariadb: subprocess.Popen[bytes] | None = None
        self._tables: list[str] = []
        self._auto_increments: dict[str, int] = {}

    # -- paths ---------------------------------------------------------------

    def _path(self, name: str) -> Path:
        if self.temp_dir is None:
            raise WordPressServerError("the WordPress server is not started")
        return self.temp_dir / name

    @property
    def db_socket(self) -> Path:
        return self._path("mysqld.sock")

    @property
    def content_dir(self) -> Path:
        return self._path("wp-content")

    @property
    def uploads_dir(self) -> Path:
        return self.content_dir / "uploads"

    @property
    def php_log(self) -> Path:
        """php -S output: one line per request, worker start/stop."""
        return self._path("php.log")

    @property
    def php_error_log(self) -> Path:
        """PHP errors and notices of the site (error_log)."""
        return self._path("php-error.log")

    @property
    def mariadb_log(self) -> Path:
        return self._path("mariadb.log")

    # -- public API ------------------------------------------------------------

    def __enter__(self) -> WordPressServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def rest_url(self, route: str) -> str:
        """URL of a REST route, e.g. ``rest_url("/wp/v2/posts")``.

        Uses pretty permalinks (``/wp-json/...``); ``/?rest_route=...``
        works too. Pass query parameters with ``requests``' ``params=``.
        """
        return f"{self.url}/wp-json/{route.lstrip('/')}"

    def rest(self, method: str, route: str, user: str = "admin", **kwargs: Any) -> Any:
        """Call the REST API as *user* (straight to loopback, no proxy); the decoded JSON answer."""
        with requests.Session() as session:
            session.trust_env = False
            response = session.request(
                method, self.rest_url(route), auth=self.auth(user), timeout=30, **kwargs
            )
        response.raise_for_status()
        return response.json()

    def auth(self, user: str) -> tuple[str, str]:
        """Basic-auth pair (user name, application password) for ``requests``."""
        return (self.users[user]["user"], self.users[user]["app_password"])

    def start(self) -> None:
        if self.temp_dir is not None:
            raise WordPressServerError("the WordPress server is already started")
        started = time.monotonic()
        self._check_requirements()
        self._remove_stale_configs()
        self.temp_dir = Path(tempfile.mkdtemp(prefix="copydesk-wp-", dir=self.base_dir))
        atexit.register(self.stop)
        steps: list[tuple[str, Callable[[], object]]] = [
            ("content dir", self._make_content_dir),
            ("php -S", self._start_php),
            ("mariadb-install-db", self._init_mariadb),
            ("mariadbd", self._start_mariadb),
            ("mariadbd ready", self._wait_for_mariadb),
            ("databases", self._create_databases),
            ("install.php", self._install),
            ("snapshot", self.snapshot),
            ("REST ready", self._wait_for_rest),
        ]
        timings = []
        try:
            for name, step in steps:
                step_started = time.monotonic()
                step()
                timings.append(f"{name} {time.monotonic() - step_started:.3f}")
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        logger.info("WordPress test site at %s ready in %.2f s", self.url, self.startup_seconds)
        logger.debug("start-up steps (s): %s", ", ".join(timings))

    def stop(self) -> None:
        """Stop php -S (its whole process group) and mariadbd; delete all files.

        Safe to call twice and after a failed start.
        """
        atexit.unregister(self.stop)
        if self.temp_dir is None:
            return
        started = time.monotonic()
        try:
            if self._php is not None:
                self._stop_group(self._php, "php -S")
                self._php = None
        finally:
            if self._mariadb is not None:
                self._stop_process(self._mariadb, "mariadbd")
                self._mariadb = None
            self.config_path.unlink(missing_ok=True)
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            self.temp_dir = None
        logger.info("WordPress test site stopped in %.2f s", time.monotonic() - started)

    def run_php(self, code: str, timeout: float = 120.0) -> str:
        """Run PHP code inside this site (after wp-load.php); return its stdout.

        ``code`` may start with ``<?php`` or not, and runs in the global scope.
        Meant for fast seeding, e.g. thousands of ``wp_insert_comment()``.
        """
        cache = self._path("opcache")
        cache.mkdir(exist_ok=True)
        command = [
            "php",
            *PHP_CLI_FLAGS,
            *PHP_FILE_CACHE_FLAGS,
            "-d",
            f"opcache.file_cache={cache}",
        ]
        result = subprocess.run(
            [*command, str(HELPERS_DIR / "run.php")],
            input=code.encode(),
            capture_output=True,
            env=self._php_env(),
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise WordPressServerError(
                f"PHP code failed (exit {result.returncode}):\n"
                f"{result.stderr.decode(errors='replace')[-3000:]}\n{_tail(self.php_error_log)}"
            )
        return result.stdout.decode()

    @contextlib.contextmanager
    def mu_plugin(self, name: str, code: str) -> Iterator[Path]:
        """Load *code* (PHP, without ``<?php``) as a must-use plugin while the block runs, e.g. to
        register a custom post status. Only on a site started with ``extra_mu_plugins`` (the others
        share the helpers' folder with every site)."""
        if not self.extra_mu_plugins:
            raise WordPressServerError("mu_plugin needs a site started with extra_mu_plugins")
        path = self._path("mu-plugins") / f"zz-test-{name}.php"
        path.write_text("<?php\n" + code + "\n", encoding="utf-8")
        try:
            yield path
        finally:
            path.unlink(missing_ok=True)

    def run_sql(self, sql: str, database: str = "", timeout: float = 120.0) -> str:
        """Run SQL as MariaDB's root; return the tab-separated output."""
        command = ["mariadb", "--no-defaults", f"--socket={self.db_socket}", "--user=root"]
        command += ["--batch", "--skip-column-names"]
        if database:
            command.append(f"--database={database}")
        result = subprocess.run(
            command,
            input=sql.encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise WordPressServerError(
                f"SQL failed (exit {result.returncode}): "
                f"{result.stderr.decode(errors='replace').strip()}"
            )
        return result.stdout.decode()

    def snapshot(self) -> None:
        """Remember the current database and uploads; ``reset()`` returns here.

        Taken automatically right after the install (users, no content).
        """
        self._tables = self.run_sql("SHOW TABLES", database=DB_NAME).split()
        counters = self.run_sql(
            "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES "
            f"WHERE TABLE_SCHEMA = '{DB_NAME}' AND AUTO_INCREMENT IS NOT NULL"
        )
        self._auto_increments = {
            table: int(value) for table, value in (line.split("\t") for line in counters.splitlines())
        }
        statements = [f"DROP DATABASE {SNAPSHOT_DB_NAME}", f"CREATE DATABASE {SNAPSHOT_DB_NAME}"]
        for table in self._tables:
            statements.append(f"CREATE TABLE {SNAPSHOT_DB_NAME}.{table} LIKE {DB_NAME}.{table}")
            statements.append(f"INSERT INTO {SNAPSHOT_DB_NAME}.{table} SELECT * FROM {DB_NAME}.{table}")
        self.run_sql(";\n".join(statements) + ";")
        saved_uploads = self._path("uploads-snapshot")
        shutil.rmtree(saved_uploads, ignore_errors=True)
        shutil.copytree(self.uploads_dir, saved_uploads, symlinks=True)

    def reset(self) -> None:
        """Return the site to the last snapshot: content, options, media files.

        Users and their application passwords stay valid (they are in the
        snapshot). Object ids start again where they were at the snapshot.
        """
        started = time.monotonic()
        statements = ["SET FOREIGN_KEY_CHECKS=0"]
        for table in self._tables:
            statements.append(f"DELETE FROM {DB_NAME}.{table}")
            statements.append(f"INSERT INTO {DB_NAME}.{table} SELECT * FROM {SNAPSHOT_DB_NAME}.{table}")
            if table in self._auto_increments:
                value = self._auto_increments[table]
                statements.append(f"ALTER TABLE {DB_NAME}.{table} AUTO_INCREMENT={value}")
        self.run_sql(";\n".join(statements) + ";")
        shutil.rmtree(self.uploads_dir)
        shutil.copytree(self._path("uploads-snapshot"), self.uploads_dir, symlinks=True)
        logger.debug("WordPress test site reset in %.3f s", time.monotonic() - started)

    # -- start-up steps ----------------------------------------------------------

    def _check_requirements(self) -> None:
        missing = [name for name in ("php", "mariadb", "mariadb-install-db") if not shutil.which(name)]
        if not Path("/usr/sbin/mariadbd").exists():
            missing.append("/usr/sbin/mariadbd")
        if not (WORDPRESS_ROOT / "wp-load.php").exists():
            missing.append(str(WORDPRESS_ROOT / "wp-load.php"))
        if missing:
            raise WordPressServerError(f"missing {', '.join(missing)}: {INSTALL_HINT}")
        if not os.access(WORDPRESS_CONFIG_DIR, os.W_OK):
            raise WordPressServerError(
                f"{WORDPRESS_CONFIG_DIR} is not writable: the test WordPress server must run "
                "as root (Debian's wp-config.php reads /etc/wordpress/config-<name>.php)"
            )

    def _remove_stale_configs(self) -> None:
        """Delete per-run configs left by test processes that were killed."""
        for path in WORDPRESS_CONFIG_DIR.glob(f"config-{CONFIG_PREFIX}*.php"):
            pid_text = path.name[len(f"config-{CONFIG_PREFIX}") :].split("-", 1)[0]
            if pid_text.isdigit() and not _pid_alive(int(pid_text)):
                logger.info("removing stale %s", path)
                path.unlink(missing_ok=True)

    def _make_content_dir(self) -> None:
        if len(str(self.db_socket).encode()) > 107:  # sockaddr_un.sun_path
            raise WordPressServerError(
                f"{self.db_socket} is too long for a unix socket: pass a shorter base_dir"
            )
        self.uploads_dir.mkdir(parents=True)
        packaged = WORDPRESS_ROOT / "wp-content"
        for name in ("themes", "plugins"):
            (self.content_dir / name).symlink_to(packaged / name)
        if self.extra_mu_plugins:
            mu_dir = self._path("mu-plugins")
            mu_dir.mkdir()
            for plugin in (*sorted((HELPERS_DIR / "mu-plugins").glob("*.php")), *self.extra_mu_plugins):
                (mu_dir / plugin.name).symlink_to(plugin)

    def _mu_plugin_dir(self) -> Path:
        return self._path("mu-plugins") if self.extra_mu_plugins else HELPERS_DIR / "mu-plugins"

    def _write_config(self) -> None:
        values = {
            "DB_NAME": DB_NAME,
            "DB_SOCKET": str(self.db_socket),
            "URL": self.url,
            "CONTENT_DIR": str(self.content_dir),
            "MU_PLUGIN_DIR": str(self._mu_plugin_dir()),
            "PHP_ERROR_LOG": str(self.php_error_log),
        }
        values.update({name: secrets.token_urlsafe(48) for name in SALT_NAMES})
        text = (HELPERS_DIR / "config-template.php").read_text()
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", _php_string(value))
        temporary = self.config_path.with_suffix(".tmp")
        temporary.write_text(text)
        temporary.chmod(0o644)
        temporary.replace(self.config_path)

    def _php_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "COPYDESK_WP_CONFIG": self.config_name,
            "COPYDESK_WP_URL": self.url,
            "COPYDESK_WP_ROOT": str(WORDPRESS_ROOT),
            "COPYDESK_WP_CONTENT_DIR": str(self.content_dir),
            "COPYDESK_WP_KEEP_DEFAULT_CONTENT": "1" if self.keep_default_content else "0",
        }

    def _start_php(self) -> None:
        """Start php -S in its own session; retry if the port was taken meanwhile."""
        for _attempt in range(5):
            self.port = _free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self._write_config()
            env = {**self._php_env(), "PHP_CLI_SERVER_WORKERS": str(self.workers)}
            command = ["php", *PHP_SERVER_FLAGS, "-d", f"error_log={self.php_error_log}"]
            command += ["-S", f"127.0.0.1:{self.port}", "-t", str(WORDPRESS_ROOT)]
            command.append(str(HELPERS_DIR / "router.php"))
            with self.php_log.open("ab") as log:
                self._php = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd=self.temp_dir,
                    start_new_session=True,  # killpg() reaches the workers
                )
            if self._wait_for_php_listening():
                return
            self._stop_group(self._php, "php -S")
            self._php = None
            logger.info("php -S could not listen on port %d, trying another", self.port)
        raise WordPressServerError(f"php -S did not start\n{_tail(self.php_log)}")

    def _wait_for_php_listening(self) -> bool:
        """True once php -S says it started on our port; False if it exited."""
        assert self._php is not None
        deadline = time.monotonic() + self.startup_timeout
        marker = f"(http://127.0.0.1:{self.port}) started"
        while time.monotonic() < deadline:
            if marker in self.php_log.read_text(errors="replace"):
                return True
            if self._php.poll() is not None:
                return False
            time.sleep(0.01)
        raise WordPressServerError(f"php -S did not start in time\n{_tail(self.php_log)}")

    def _mariadb_user_flag(self) -> list[str]:
        # As root, mariadbd refuses to run unless told to (--user=root).
        return ["--user=root"] if os.geteuid() == 0 else []

    def _init_mariadb(self) -> None:
        log = self._path("mariadb-install-db.log")
        command = ["mariadb-install-db", "--no-defaults", f"--datadir={self._path('db')}"]
        command += ["--auth-root-authentication-method=normal", "--skip-test-db"]
        # --force skips the host name check: a fresh machine may not resolve even "localhost"
        # (seen on a minimal Debian 12); this server only ever listens on a unix socket
        command += ["--force"]
        command += self._mariadb_user_flag()
        with log.open("wb") as output:
            result = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=self.startup_timeout,
                check=False,
            )
        if result.returncode != 0:
            raise WordPressServerError(
                f"mariadb-install-db failed (exit {result.returncode})\n{_tail(log)}"
            )

    def _start_mariadb(self) -> None:
        command = ["/usr/sbin/mariadbd", "--no-defaults", f"--datadir={self._path('db')}"]
        command += [f"--socket={self.db_socket}", f"--pid-file={self._path('mysqld.pid')}"]
        command += [f"--log-error={self.mariadb_log}", *MARIADB_FLAGS]
        command += self._mariadb_user_flag()
        with self._path("mariadbd.out").open("wb") as output:
            self._mariadb = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _wait_for_mariadb(self) -> None:
        """Wait until mariadbd sends its handshake on the unix socket."""
        assert self._mariadb is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._mariadb.poll() is not None:
                raise WordPressServerError(
                    f"mariadbd exited with {self._mariadb.returncode}\n{_tail(self.mariadb_log)}"
                )
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(5.0)
                try:
                    sock.connect(str(self.db_socket))
                    if sock.recv(4):
                        return
                except OSError:
                    pass
            time.sleep(0.02)
        raise WordPressServerError(f"mariadbd did not start in time\n{_tail(self.mariadb_log)}")

    def _create_databases(self) -> None:
        self.run_sql(f"CREATE DATABASE {DB_NAME}; CREATE DATABASE {SNAPSHOT_DB_NAME};")

    def _install(self) -> None:
        result = subprocess.run(
            ["php", *PHP_CLI_FLAGS, str(HELPERS_DIR / "install.php")],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=self._php_env(),
            timeout=self.startup_timeout,
            check=False,
        )
        if result.returncode != 0:
            raise WordPressServerError(
                f"install.php failed (exit {result.returncode}):\n"
                f"{result.stderr.decode(errors='replace')[-3000:]}\n{_tail(self.php_error_log)}"
            )
        try:
            self.users = json.loads(result.stdout)
        except json.JSONDecodeError as error:
            raise WordPressServerError(
                f"install.php printed no JSON ({error}): {result.stdout[:500]!r}"
            ) from error

    def _wait_for_rest(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        last_error = ""
        with requests.Session() as session:
            session.trust_env = False  # loopback only: never through an HTTP(S)_PROXY
            while time.monotonic() < deadline:
                try:
                    response = session.get(f"{self.url}/?rest_route=/", timeout=10)
                    if response.status_code == 200:
                        return
                    last_error = f"HTTP {response.status_code}: {response.text[:300]}"
                except requests.RequestException as error:
                    last_error = str(error)
                if self._php is None or self._php.poll() is not None:
                    break
                time.sleep(0.05)
        raise WordPressServerError(
            f"the REST API did not answer 200 ({last_error})\n"
            f"{_tail(self.php_log)}\n{_tail(self.php_error_log)}"
        )

    # -- stopping ----------------------------------------------------------------

    @staticmethod
    def _stop_group(process: subprocess.Popen[bytes], name: str) -> None:
        """Stop the process group led by ``process`` and wait until it is empty.

        SIGINT first: the php -S master then stops its workers and reaps them
        (~20 ms). On SIGTERM it dies at once and leaves its workers as zombies
        for init to reap, which takes seconds in a container.
        """
        pgid = process.pid
        for sig, wait in ((signal.SIGINT, 2.0), (signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, sig)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if process.poll() is not None and not _group_members(pgid):
                    return
                time.sleep(0.005)
            logger.warning("%s (process group %d) still running after %s", name, pgid, sig.name)
        raise WordPressServerError(f"{name} (process group {pgid}) would not stop")

    @staticmethod
    def _stop_process(process: subprocess.Popen[bytes], name: str) -> None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            logger.warning("%s (pid %d) ignored SIGTERM; killing it", name, process.pid)
            process.kill()
            process.wait(timeout=10)
