"""Real servers for the load tests and benchmarks: gunicorn on a free port, a throwaway PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql") / (
    sorted(os.listdir("/usr/lib/postgresql"), key=int)[-1] if Path("/usr/lib/postgresql").exists() else "15"
) / "bin"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ephemeral_range() -> tuple[int, int]:
    """The ports the kernel hands out to outgoing connections (and to bind(port 0))."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def quiet_port() -> int:
    """A free port outside the ephemeral range, which no outgoing connection is ever given.

    A server that is stopped and started again on it (a database restart under load) cannot
    find it taken by one of the many client connections made meanwhile.
    """
    low, high = _ephemeral_range()
    candidates = list(range(20000, min(low, 32768))) or list(range(high + 1, 65536))
    for port in random.sample(candidates, min(200, len(candidates))):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return free_port()


@contextlib.contextmanager
def closed_port() -> Iterator[int]:
    """A port that refuses connections for as long as the block runs (bound, never listening)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 180, process: subprocess.Popen | None = None) -> None:
    """Poll a URL until it answers at all (any status), or fail with the server's output."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            requests.get(url, timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


@contextlib.contextmanager
def gunicorn(database_url: str, *, workers: int = 3, app: str = "tests.reliability.wsgi:app",
             env: dict[str, str] | None = None, threads: int = 1) -> Iterator[str]:
    """gunicorn serving the app on 127.0.0.1 and a free port; yields the base URL."""
    with gunicorn_server(database_url, workers=workers, app=app, env=env, threads=threads) as server:
        yield server.url


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen

    def kill(self) -> None:
        """Stop the server at once, workers and all, as a machine that dies would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def _stop_and_show_log(process: subprocess.Popen, log, markers: tuple[str, ...]) -> None:
    """Stop a server or worker (TERM, then KILL after 15 s), delete its log, and print the log
    from its first error marker on to stderr, so a failing test shows what the process said."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()
    text = Path(log.name).read_text(errors="replace")
    Path(log.name).unlink()
    first = min((i for i in (text.find(m) for m in markers) if i >= 0), default=-1)
    if first >= 0:
        print(text[max(0, first - 300):first + 6000], file=sys.stderr)


@contextlib.contextmanager
def gunicorn_server(database_url: str, *, workers: int = 3, app: str = "tests.reliability.wsgi:app",
                    env: dict[str, str] | None = None, threads: int = 1) -> Iterator[Server]:
    """gunicorn as gunicorn() starts it, in its own process group; yields its URL and process."""
    # The socket is bound here and handed to gunicorn, so no other process can take the port
    # between choosing it and gunicorn binding it.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    command = [
        sys.executable, "-m", "gunicorn", "--bind", f"fd://{listener.fileno()}", "--workers", str(workers),
        "--threads", str(threads), "--backlog", "2048", "--timeout", "60",
        "--graceful-timeout", "5", "--log-level", "warning", app,
    ]
    environment = {**os.environ, "DATABASE_URL": database_url,
                   "SPATIALITE_LIBRARY_PATH": os.environ.get("SPATIALITE_LIBRARY_PATH", "mod_spatialite"),
                   **(env or {})}
    process = subprocess.Popen(command, cwd=REPO, env=environment, stdout=log, stderr=log,  # noqa: S603
                               pass_fds=(listener.fileno(),), start_new_session=True)
    listener.close()  # gunicorn holds its own copy
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + "/", process=process)
        yield Server(base_url, process)
    finally:
        _stop_and_show_log(process, log, ("Traceback", "ERROR"))


@contextlib.contextmanager
def job_worker(database_url: str, env: dict[str, str], *, app: str = "tests.reliability.wsgi:app",
               threads: int = 1) -> Iterator[subprocess.Popen]:
    """`platsdialog jobs worker` (the real command) on the app gunicorn serves; yields the process."""
    log = tempfile.NamedTemporaryFile(prefix="worker-", suffix=".log", delete=False)  # noqa: SIM115
    environment = {**os.environ, "DATABASE_URL": database_url,
                   "SPATIALITE_LIBRARY_PATH": os.environ.get("SPATIALITE_LIBRARY_PATH", "mod_spatialite"),
                   **env}
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", app, "jobs", "worker", "--workers", str(threads)],
        cwd=REPO, env=environment, stdout=log, stderr=log)
    try:
        yield process
    finally:
        _stop_and_show_log(process, log, ("Traceback",))


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway Redis on a free loopback port, no persistence; yields its URL."""
    import redis

    if shutil.which("redis-server") is None:
        raise RuntimeError("redis-server is missing: run `bash scripts/setup.sh --test`")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="pd-redis-")
    process = subprocess.Popen(  # noqa: S603
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", workdir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)
        shutil.rmtree(workdir, ignore_errors=True)


NGINX_CONF = """
worker_processes 1;
daemon off;
master_process on;
user root;
error_log {dir}/error.log warn;
pid {dir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 12m;
    upstream app {{ {servers} }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 120s;
            # A request that reached a server is never sent to the other one (POST is not
            # idempotent); the client resends it with its idempotency key instead.
            proxy_next_upstream error timeout;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx(upstreams: list[str]) -> Iterator[str]:
    """nginx on a free loopback port, spreading requests over the upstream base URLs in turn."""
    if shutil.which("nginx") is None:
        raise RuntimeError("nginx is missing: run `bash scripts/setup.sh --test`")
    workdir = Path(tempfile.mkdtemp(prefix="pd-nginx-"))
    port = free_port()
    servers = " ".join(f"server {u.removeprefix('http://')} max_fails=1 fail_timeout=2s;" for u in upstreams)
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=workdir, servers=servers, port=port))
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(workdir)],  # noqa: S603, S607
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + "/", seconds=30, process=process)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=15)
        shutil.rmtree(workdir, ignore_errors=True)


def _as_postgres(*args: str) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the postgres user when we are root (initdb refuses root)."""
    command = [str(a) for a in args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603


class ThrowawayPostgres:
    """A private PostgreSQL cluster in a temporary directory, which a test may stop and start."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="pd-reliability-pg-"))
        self.port = quiet_port()
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        _as_postgres(PG_BIN / "initdb", "-D", self.data, "--auth=trust", "--no-sync", "-U", "postgres",
                     "-E", "UTF8")
        for attempt in range(3):  # another process may take the port before the server binds it
            try:
                self.start()
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
                self.port = quiet_port()
        subprocess.run([PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",  # noqa: S603
                        "platsdialog"], check=True, capture_output=True)
        subprocess.run([PG_BIN / "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",  # noqa: S603
                        "-d", "platsdialog", "-c", "CREATE EXTENSION postgis"],
                       check=True, capture_output=True)
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/platsdialog"

    def start(self) -> None:
        """Start the cluster and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        _as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-w", "-o", options, "start")

    def stop(self) -> None:
        """Stop the cluster the way an update would: fast shutdown, open connections cut."""
        _as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        """Stop (if running) and delete the cluster."""
        with contextlib.suppress(subprocess.CalledProcessError):
            _as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def migrate(database_url: str) -> None:
    """Bring a fresh database to the newest schema, the way `platsdialog db upgrade` does."""
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "tests.reliability.wsgi:app", "db", "upgrade"],
        cwd=REPO, env={**os.environ, "DATABASE_URL": database_url}, check=True, capture_output=True,
    )


@contextlib.contextmanager
def app_on(database_url: str, **config) -> Iterator:
    """A second app bound to another database (a throwaway cluster or file), in its app context."""
    from app import create_app
    from app.extensions import db

    app = create_app({"SECRET_KEY": "reliability-secret", "SQLALCHEMY_DATABASE_URI": database_url,
                      "SESSION_COOKIE_SECURE": False, "RATELIMIT_ENABLED": False, "TESTING": True, **config})
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()
