"""A throwaway Postgres server for the test suite (standard library only).

Recipe (tested on the project's machines):

* binaries: ``$SEGDSL_PG_BIN`` if set, else the newest ``/usr/lib/postgresql/*/bin`` (Debian's
  ``postgresql`` package), else ``initdb`` on ``PATH``, else the binaries bundled in the
  ``pgserver`` wheel (``pgserver/pginstall/bin``; ``make postgres-bin`` installs it as a
  fallback when apt is not usable);
* ``initdb``/``postgres`` refuse to run as root: as root every server command runs through
  ``runuser -u postgres --`` on a temp folder chowned to that user;
* ``initdb --auth=trust --no-sync``, then ``pg_ctl start`` on a free port of 127.0.0.1 with
  fsync, synchronous_commit and full_page_writes off and the socket in the temp folder;
* stop with ``pg_ctl -m immediate`` and delete the folder (also at interpreter exit).

``SEGDSL_PG_DSN`` points the tests at an existing server instead (see :func:`server_dsn`).

Command line (handy for the Makefile and for debugging)::

    python tests/support/pg_server.py find-bin   # print the bin folder, exit 1 if none
    python tests/support/pg_server.py start      # start one, print its DSN, stop on Ctrl-C
"""

from __future__ import annotations

import atexit
import glob
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = [
    "PostgresServer",
    "PostgresUnavailable",
    "find_bin_dir",
    "get_server",
    "server_dsn",
    "start_server",
    "stop_server",
]

DSN_ENV = "SEGDSL_PG_DSN"
BIN_ENV = "SEGDSL_PG_BIN"
_NEEDED = ("initdb", "pg_ctl", "postgres")
_OS_USER = "postgres"  # the OS user that runs the server when we are root
_FALLBACK_OS_USER = "segdsl-pg"  # created only if there is no `postgres` user (pgserver case)


class PostgresUnavailable(RuntimeError):
    """No Postgres server could be found or started; the message says why."""


# --------------------------------------------------------------------------- binaries


def _version_key(path: str) -> tuple:
    # /usr/lib/postgresql/15/bin -> (15,)
    part = Path(path).parent.name
    return tuple(int(x) if x.isdigit() else 0 for x in re.split(r"[._-]", part))


def _is_bin_dir(path: Path) -> bool:
    return all(os.access(path / name, os.X_OK) for name in _NEEDED)


def _candidate_bin_dirs() -> list[Path]:
    out: list[Path] = []
    env = os.environ.get(BIN_ENV)
    if env:
        out.append(Path(env))
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True):
        out.append(Path(d))
    which = shutil.which("initdb")
    if which:
        out.append(Path(os.path.realpath(which)).parent)
    try:
        spec = importlib.util.find_spec("pgserver")
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        roots = list(spec.submodule_search_locations or [])
        if not roots and spec.origin:
            roots = [str(Path(spec.origin).parent)]
        for root in roots:
            out.append(Path(root) / "pginstall" / "bin")
    return out


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None."""
    for cand in _candidate_bin_dirs():
        if _is_bin_dir(cand):
            return cand
    return None


# --------------------------------------------------------------------------- helpers


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["TZ"] = "UTC"
    env.pop("LC_ALL", None)
    return env


def _os_user() -> tuple[str, int, int]:
    """(name, uid, gid) of the unprivileged user that runs the server when we are root."""
    import pwd

    for name in (_OS_USER, _FALLBACK_OS_USER):
        try:
            pw = pwd.getpwnam(name)
            return name, pw.pw_uid, pw.pw_gid
        except KeyError:
            pass
    # No `postgres` user: the Debian package was not installed (pgserver fallback). Make one.
    useradd = shutil.which("useradd")
    if useradd is None:
        raise PostgresUnavailable(
            "running as root, there is no 'postgres' OS user and no useradd to create one; "
            "initdb/postgres refuse to run as root"
        )
    subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", _FALLBACK_OS_USER],
        check=True,
        capture_output=True,
    )
    pw = pwd.getpwnam(_FALLBACK_OS_USER)
    return _FALLBACK_OS_USER, pw.pw_uid, pw.pw_gid


def _as_user_prefix(user: str | None) -> list[str]:
    if user is None:
        return []
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    if not os.access(runuser, os.X_OK):
        raise PostgresUnavailable("running as root but `runuser` (util-linux) is missing")
    return [runuser, "-u", user, "--"]


def _usable_by(bin_dir: Path, prefix: list[str], cwd: str) -> bool:
    try:
        r = subprocess.run(
            [*prefix, str(bin_dir / "initdb"), "--version"],
            capture_output=True,
            cwd=cwd,
            env=_clean_env(),
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0


def _copy_install_for(bin_dir: Path) -> Path:
    """Copy a bundled install (pgserver) to /tmp when the server user cannot reach it (e.g. a
    venv under /root). The wheel's binaries find their libraries through an rpath relative to
    themselves (``$ORIGIN/../../../pgserver.libs``), so the package folder and its sibling
    ``<package>.libs`` are copied side by side."""
    install = bin_dir.parent  # .../site-packages/pgserver/pginstall
    package = install.parent  # .../site-packages/pgserver
    libs = package.parent / f"{package.name}.libs"
    dest = Path("/tmp") / "segdsl-pginstall"
    target = dest / package.name / install.name / bin_dir.name
    if not _is_bin_dir(target):
        tmp = Path(tempfile.mkdtemp(prefix="segdsl-pginstall-", dir="/tmp"))
        shutil.copytree(install, tmp / package.name / install.name, symlinks=True)
        if libs.is_dir():
            shutil.copytree(libs, tmp / libs.name, symlinks=True)
        for root, _dirs, _files in os.walk(tmp):
            os.chmod(root, 0o755)
        shutil.rmtree(dest, ignore_errors=True)
        try:
            os.rename(tmp, dest)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # someone else won the race
    return target


def _tail(path: Path, n: int = 30) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-n:])


# --------------------------------------------------------------------------- the server


class PostgresServer:
    """A running throwaway server. ``dsn`` is a libpq connection string."""

    def __init__(self, *, base: Path, data: Path, port: int, bin_dir: Path, prefix: list[str]):
        self.base = base
        self.data = data
        self.port = port
        self.bin_dir = bin_dir
        self._prefix = prefix
        self.dsn = f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
        self.startup_seconds: float = 0.0
        self._stopped = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return f"<PostgresServer {state} port={self.port} dir={self.base}>"

    @property
    def running(self) -> bool:
        return not self._stopped

    def stop(self) -> None:
        """Stop the server (immediate mode) and delete its folder. Safe to call twice."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        try:
            subprocess.run(
                [*self._prefix, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                cwd=str(self.base),
                env=_clean_env(),
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError):
            pass
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def start_server(*, bin_dir: Path | None = None, timeout: float = 60.0) -> PostgresServer:
    """Start a fresh throwaway server; the caller owns it (call ``stop()``; atexit also does)."""
    t0 = time.monotonic()
    bin_dir = bin_dir or find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable(
            "no Postgres server binaries (initdb, pg_ctl, postgres) found in $SEGDSL_PG_BIN, "
            "/usr/lib/postgresql/*/bin, PATH or the pgserver wheel"
        )
    user = uid = gid = None
    if _is_root():
        user, uid, gid = _os_user()
    prefix = _as_user_prefix(user)

    # As root the folder must be reachable by the server user: /tmp is world-traversable.
    parent = "/tmp" if _is_root() or len(tempfile.gettempdir()) > 60 else None
    base = Path(tempfile.mkdtemp(prefix="segdsl-pg-", dir=parent))
    server: PostgresServer | None = None
    try:
        if uid is not None:
            os.chown(base, uid, gid)
        os.chmod(base, 0o700)
        if user is not None and not _usable_by(bin_dir, prefix, str(base)):
            bin_dir = _copy_install_for(bin_dir)
        data = base / "data"
        env = _clean_env()

        def run(args: list[str], what: str) -> subprocess.CompletedProcess:
            r = subprocess.run(
                [*prefix, *args], capture_output=True, text=True, cwd=str(base), env=env, timeout=timeout
            )
            if r.returncode != 0:
                raise PostgresUnavailable(f"{what} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}".strip())
            return r

        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]
        try:
            run([*initdb, "--locale=C.UTF-8"], "initdb")
        except PostgresUnavailable:
            # Some systems lack the C.UTF-8 locale: plain C with UTF8 encoding works everywhere.
            shutil.rmtree(data, ignore_errors=True)
            run([*initdb, "--locale=C"], "initdb")

        last_error = ""
        for _attempt in range(3):
            port = _free_port()
            opts = (
                f"-k {base} -h 127.0.0.1 -p {port} -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c TimeZone=UTC -c standard_conforming_strings=on"
            )
            log = base / "server.log"
            try:
                run(
                    [str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-t", str(int(timeout)), "-l", str(log), "-o", opts, "start"],
                    "pg_ctl start",
                )
            except PostgresUnavailable as exc:
                last_error = f"{exc}\n--- server.log ---\n{_tail(log)}"
                if "already in use" in last_error or "could not bind" in last_error:
                    continue  # lost the race for the port: try another one
                raise PostgresUnavailable(last_error) from None
            server = PostgresServer(base=base, data=data, port=port, bin_dir=bin_dir, prefix=prefix)
            break
        if server is None:
            raise PostgresUnavailable(last_error or "could not start postgres")
    except BaseException:
        if server is None:
            # initdb may have succeeded and a server may be half up: best effort stop + delete.
            if (base / "data" / "postmaster.pid").exists():
                subprocess.run(
                    [*prefix, str(bin_dir / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "stop"],
                    capture_output=True,
                    cwd=str(base),
                    env=_clean_env(),
                )
            shutil.rmtree(base, ignore_errors=True)
        raise
    atexit.register(server.stop)
    server.startup_seconds = time.monotonic() - t0
    return server


_shared: PostgresServer | None = None
_shared_lock = threading.Lock()


def _exit_on_sigterm() -> None:
    """Turn a plain SIGTERM into SystemExit so that atexit stops the server and deletes its
    folder (the default action would kill us and leave postgres running)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:

        def _handler(signum, frame):  # noqa: ARG001
            raise SystemExit(128 + signum)

        signal.signal(signal.SIGTERM, _handler)


def get_server() -> PostgresServer:
    """The process-wide throwaway server, started on first use and stopped at exit."""
    global _shared
    with _shared_lock:
        if _shared is None or not _shared.running:
            _shared = start_server()
            _exit_on_sigterm()
        return _shared


def stop_server() -> None:
    """Stop the process-wide throwaway server if one was started (atexit does it too)."""
    with _shared_lock:
        if _shared is not None:
            _shared.stop()


def server_dsn() -> str:
    """``$SEGDSL_PG_DSN`` if set, else the DSN of the process-wide throwaway server."""
    dsn = os.environ.get(DSN_ENV, "").strip()
    if dsn:
        return dsn
    return get_server().dsn


def _main(argv: list[str]) -> int:
    cmd = argv[1] if len(argv) > 1 else "find-bin"
    if cmd == "find-bin":
        found = find_bin_dir()
        if found is None:
            print("no Postgres server binaries found", file=sys.stderr)
            return 1
        print(found)
        return 0
    if cmd == "start":
        _exit_on_sigterm()
        server = start_server()
        print(f"started in {server.startup_seconds:.2f}s: {server.dsn}  (Ctrl-C stops it)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            server.stop()
        return 0
    print(f"usage: {argv[0]} [find-bin|start]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
