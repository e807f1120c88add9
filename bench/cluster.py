"""The registry on several gunicorn servers behind one nginx, on loopback: for the cluster tests
(tests/cluster/), `make bench-cluster` and any benchmark that needs the real arrangement.

    with Cluster(servers=2, workers=2, database_url=PG_URL, redis_url=REDIS_URL, env={...}) as c:
        c.url            # nginx, in front of every server
        c.server_urls    # each gunicorn's own address
        c.kill(i)        # SIGKILL server i's master and workers at once
        c.start(i)       # start it again (same port) and wait until /healthz answers 200
        c.restart(i)     # graceful: out of nginx, stop, start, healthy, back into nginx
        c.rolling_restart()   # every server in turn; nginx serves from the others meanwhile

What the servers share, as in a council's deployment: one PostgreSQL database (sessions, the
page cache's content generation, the search change log), one Redis (rate limits, under a key
prefix of this cluster's own) and one SECRET_KEY. What each has of its own: its search index
(SEARCH_INDEX_DIR), its instance folder and its workers. The database is migrated first
(`flask db upgrade`, as the README's deployment does) and each server's index built.

nginx runs the shipped deploy/nginx.conf, rendered as the README says, with one `server` line in
its upstream block per gunicorn (passive health checks and which requests go to the next server
are set there, with the reasons). It runs as the calling user, on a free port, with its pid file,
logs and temporary files under the cluster's own folder.

`python -m bench.cluster --database-url URL [--servers 2] [--workers 2] [--migrate]` serves a
cluster until Ctrl-C and prints its addresses.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_SITE = ROOT / "deploy" / "nginx.conf"
UPSTREAM_LINE = re.compile(r"^(?P<indent>[ \t]*)server @UPSTREAM@(?P<rest>[^;]*);$", re.M)
START_SECONDS = 90.0  # a loaded 2-core machine takes a while to preload and compile templates
STOP_SECONDS = 40.0  # gunicorn.conf.py's graceful_timeout (30 s), and some


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_pids(parent: int) -> list[int]:
    """The processes whose parent is `parent` (a gunicorn master's workers, nginx's)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return pids


def healthy(url: str, timeout: float = 5.0) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=timeout) as response:  # noqa: S310
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def wait_until_healthy(url: str, seconds: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({process.returncode})")
        if healthy(url):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer /healthz with 200 within {seconds:.0f} s")


def nginx_main_config(tmp: Path, site: Path) -> Path:
    """nginx's own process settings around a site file: pid, logs and temporary files in `tmp`,
    so it runs without touching /etc/nginx or /var (but its mime types)."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir(exist_ok=True)
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the checkout's static
    config = tmp / "nginx.conf"
    config.write_text(f"""{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {site};
}}
""")
    return config


def render_site(listen: str, upstreams: list[str], down: frozenset[int] = frozenset()) -> str:
    """deploy/nginx.conf as the README renders it, with one upstream `server` line per address
    (those in `down` marked so: nginx sends them nothing) and listening on `listen`."""
    template = NGINX_SITE.read_text()
    found = UPSTREAM_LINE.search(template)
    if found is None or "listen 80;" not in template:
        raise RuntimeError(f"{NGINX_SITE} has no `server @UPSTREAM@...;` or `listen 80;` line")
    lines = "\n".join(
        f"{found['indent']}server {address}{found['rest']}{' down' if i in down else ''};"
        for i, address in enumerate(upstreams)
    )
    rendered = template[: found.start()] + lines + template[found.end() :]
    return (
        rendered.replace("@SERVER_NAME@", "localhost")
        .replace("@APP_DIR@", str(ROOT))
        .replace("listen 80;", f"listen {listen};")
    )


class Server:
    """One gunicorn: its port, folders and environment stay the same across restarts."""

    def __init__(self, index: int, folder: Path, env: dict[str, str], workers: int) -> None:
        self.index = index
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = folder
        self.log = folder / "gunicorn.log"
        self.env = {
            **env,
            "SEARCH_INDEX_DIR": str(folder / "search_index"),
            "INSTANCE_DIR": str(folder / "instance"),
        }
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)

    def spawn(self) -> None:
        """Start gunicorn (it reads gunicorn.conf.py from the checkout); returns at once."""
        command = [
            str(BIN / "gunicorn"), "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            # A session of its own: kill() signals the whole group, master and workers at once.
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )

    def wait_healthy(self) -> None:
        try:
            wait_until_healthy(self.url, START_SECONDS, self.process)
        except RuntimeError as error:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"server {self.index}: {error}\n{tail}") from None

    def kill(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it had ended already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        """SIGTERM: gunicorn stops accepting, lets each worker finish its request, then exits."""
        if self.process is None:
            return
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(STOP_SECONDS)
        self.kill()  # whatever of its group is left: a worker that outlived its master


class Cluster:
    """Several gunicorn servers sharing one database and one Redis, behind one nginx."""

    def __init__(
        self,
        servers: int = 2,
        workers: int = 2,
        *,
        database_url: str,
        redis_url: str,
        env: Mapping[str, str] | None = None,
        migrate: bool = True,
        migrations: Path | None = None,
        reindex: bool = True,
        folder: Path | None = None,
    ) -> None:
        self._own_folder = folder is None
        self.folder = Path(folder or tempfile.mkdtemp(prefix="cluster-"))
        self.env: dict[str, str] = {
            **os.environ,
            "APP_ENV": "development",  # the development sign-in, for tests and load
            "SECRET_KEY": secrets.token_hex(32),  # one key: a cookie from one server works on all
            "DATABASE_URL": database_url,
            "RATELIMIT_STORAGE_URI": redis_url,
            "RATELIMIT_KEY_PREFIX": f"cluster-{secrets.token_hex(4)}",
            "TRUSTED_PROXY_HOPS": "1",  # nginx
            **(env or {}),
        }
        self.servers = [
            Server(i, self.folder / f"server{i}", self.env, workers) for i in range(servers)
        ]
        self.nginx_folder = self.folder / "nginx"
        self.nginx_folder.mkdir(parents=True, exist_ok=True)
        self.nginx_port = free_port()
        self.url = f"http://127.0.0.1:{self.nginx_port}"
        self._nginx: subprocess.Popen[bytes] | None = None
        self._down: frozenset[int] = frozenset()
        self._migrate, self._migrations, self._reindex = migrate, migrations, reindex

    @property
    def server_urls(self) -> list[str]:
        return [server.url for server in self.servers]

    # Starting and stopping the whole cluster

    def __enter__(self) -> Cluster:
        try:
            if self._migrate:
                self.migrate(self._migrations)
            for server in self.servers:
                if self._reindex and self.env.get("SEARCH_BACKEND", "whoosh") == "whoosh":
                    self.flask(["search", "reindex"], server.index)
                server.spawn()
            for server in self.servers:
                server.wait_healthy()
            self._start_nginx()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._nginx is not None:
            self._nginx.terminate()
            try:
                self._nginx.wait(10)
            except subprocess.TimeoutExpired:
                self._nginx.kill()
                self._nginx.wait(5)
            self._nginx = None
        for server in self.servers:
            server.stop()
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def flask(self, arguments: list[str], server: int = 0) -> subprocess.CompletedProcess[str]:
        """Run `flask --app wsgi ARGUMENTS` with server `server`'s settings; raise on failure."""
        done = subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *arguments],
            cwd=ROOT, env=self.servers[server].env, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(arguments)}: {done.stderr[-3000:]}")
        return done

    def migrate(self, migrations: Path | None = None) -> None:
        """`flask db upgrade` on the shared database (from `migrations`, else migrations/)."""
        self.flask(["db", "upgrade", *(["--directory", str(migrations)] if migrations else [])])

    # One server at a time

    def kill(self, i: int) -> None:
        """SIGKILL server i's master and every worker at once: no request it held is finished."""
        self.servers[i].kill()

    def start(self, i: int) -> None:
        """Start server i again on its port and wait until it answers /healthz with 200."""
        server = self.servers[i]
        if server.process is None:
            server.spawn()
        server.wait_healthy()

    def stop(self, i: int) -> None:
        """Stop server i gracefully (SIGTERM: requests under way are finished)."""
        self.servers[i].stop()

    def restart(self, i: int) -> None:
        """Take server i out of nginx, stop it gracefully, start it, wait until it is healthy,
        then put it back: no request reaches it while it is down, POSTs included."""
        self._set_down(self._down | {i})
        self.stop(i)
        self.start(i)
        self._set_down(self._down - {i})

    def rolling_restart(self) -> None:
        """Restart every server in turn; the others serve meanwhile."""
        for i in range(len(self.servers)):
            self.restart(i)

    # nginx

    def _write_site(self) -> Path:
        site = self.nginx_folder / "proving-ground.conf"
        listen = f"127.0.0.1:{self.nginx_port}"
        site.write_text(
            render_site(listen, [f"127.0.0.1:{s.port}" for s in self.servers], self._down)
        )
        return site

    def _nginx_command(self) -> list[str]:
        config = nginx_main_config(self.nginx_folder, self._write_site())
        return [NGINX, "-p", str(self.nginx_folder), "-c", str(config)]

    def _start_nginx(self) -> None:
        command = self._nginx_command()
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t: {checked.stderr}")
        with (self.nginx_folder / "nginx.out").open("ab") as log:
            self._nginx = subprocess.Popen(
                [*command, "-g", "daemon off;"], stdout=log, stderr=log, start_new_session=True
            )
        wait_until_healthy(self.url, START_SECONDS, self._nginx)

    def _set_down(self, down: frozenset[int]) -> None:
        """Rewrite the upstream block with `down` marked, reload nginx and wait until every worker
        of the old configuration has finished its requests and gone."""
        self._down = down
        if self._nginx is None:
            return
        before = set(child_pids(self._nginx.pid))
        reloaded = subprocess.run([*self._nginx_command(), "-s", "reload"], capture_output=True)
        if reloaded.returncode != 0:
            raise RuntimeError(f"nginx -s reload: {reloaded.stderr.decode()}")
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline:
            now = set(child_pids(self._nginx.pid))
            if now and not now & before:
                return
            time.sleep(0.05)
        raise RuntimeError("nginx's old workers did not finish within the graceful timeout")


def _serve(arguments: list[str]) -> None:
    parser = argparse.ArgumentParser(description="Serve the registry on several servers")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--redis-url", default=os.environ.get("RATELIMIT_STORAGE_URI"))
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--migrate", action="store_true", help="flask db upgrade first")
    options = parser.parse_args(arguments)
    if not options.database_url:
        parser.error("--database-url (or DATABASE_URL) is needed: a PostgreSQL database")
    redis_url = (
        options.redis_url
        or subprocess.run(
            ["bash", "scripts/ensure-redis.sh"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    with Cluster(
        options.servers, options.workers, database_url=options.database_url,
        redis_url=redis_url, migrate=options.migrate,
    ) as cluster:  # fmt: skip
        print(f"nginx: {cluster.url}")
        for i, url in enumerate(cluster.server_urls):
            print(f"server {i}: {url}")
        print("Ctrl-C to stop")
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


def processes(cluster: Cluster) -> Iterator[int]:
    """Every process id the cluster runs (for measuring their CPU time)."""
    for server in cluster.servers:
        if server.process is not None:
            yield server.process.pid
            yield from child_pids(server.process.pid)
    if cluster._nginx is not None:
        yield cluster._nginx.pid
        yield from child_pids(cluster._nginx.pid)


if __name__ == "__main__":
    _serve(sys.argv[1:])
