"""The web app of a data set under waitress, for the web and memory benchmarks.

Run as a process of its own (``python3 -m benchmarks.server --items N --port P``): it
builds ``web.create_app`` on the data set, adds a benchmark user, adds a bare route
(``/bench/bare``, the baseline: a Flask view that returns a short text) to the same app,
and serves on 127.0.0.1 only. ``Server`` starts it, signs in and stops it.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from benchmarks import common

# A deputy: city-wide lists, and a role that signs in with a password alone (the
# secretariat's two-factor step would need a phone).
USER = "bench.deputy"
PASSWORD = "bench-password-1"


def build_app(store: str, items: int) -> Any:
    """Return the Flask app on the data set, with the bench user and the bare route."""
    from petitions.users.store import UserStore
    from web import create_app

    settings = common.ensure_dataset(store, items, quiet=True)
    app = create_app({"SETTINGS": settings, "SESSION_COOKIE_SECURE": False})
    users: UserStore = app.extensions["petitions_users"]
    if users.get(USER) is None:
        users.add(USER, PASSWORD, "deputy", display_name="Benchmark")

    @app.get("/bench/bare")
    def bare() -> str:
        """The baseline: the cheapest Flask view there is."""
        return "ok"

    @app.get("/bench/pid")
    def pid() -> str:
        """Which worker process answered (to wait until every worker serves)."""
        return str(os.getpid())

    return app


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A benchmark server process: start, sign in, read its memory, stop."""

    def __init__(self, store: str, items: int, threads: int = 8, workers: int = 0) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(common.ROOT.parent), os.environ.get("PYTHONPATH", "")]))
        command = [sys.executable, "-m", "benchmarks.server", "--store", store, "--items",
                   str(items), "--port", str(self.port), "--threads", str(threads)]
        if workers:
            # The bench user is made once, before the workers start (each builds its app).
            subprocess.run([*command, "--prepare"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            command += ["--workers", str(workers)]
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        self._wait()
        self.cookie = self._sign_in()
        if workers:
            self._wait_for_workers(workers)

    def _wait_for_workers(self, workers: int, timeout: float = 300.0) -> None:
        """Return once ``workers`` different processes have answered (each built its app)."""
        import requests

        seen: set[str] = set()
        deadline = time.monotonic() + timeout
        while len(seen) < workers and time.monotonic() < deadline:
            # A new connection each time: the master hands it to whichever worker is free.
            seen.add(requests.get(self.base + "/bench/pid", timeout=60,
                                  headers={"Connection": "close"}).text)
        if len(seen) < workers:
            raise RuntimeError(f"only {len(seen)} of {workers} workers answered")

    def _wait(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited: " + self.process.stderr.read().decode()[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def _sign_in(self) -> str:
        import requests

        s = requests.Session()
        page = s.get(self.base + "/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
        data = {"username": USER, "password": PASSWORD}
        if token:
            data["csrf_token"] = token.group(1)
        answer = s.post(self.base + "/login", data=data, allow_redirects=False)
        if answer.status_code not in (302, 303):
            raise RuntimeError(f"sign-in failed: {answer.status_code}")
        return "; ".join(f"{k}={v}" for k, v in s.cookies.items())

    def get(self, path: str) -> Any:
        """GET ``path`` as the signed-in user."""
        import requests

        return requests.get(self.base + path, headers={"Cookie": self.cookie}, timeout=60)

    def peak_rss_mb(self) -> float:
        """Return the server process's peak resident set size (VmHWM) in MiB."""
        for line in open(f"/proc/{self.process.pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        """Stop the server."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve_workers(store: str, items: int, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn: ``workers`` processes of ``threads`` threads, each its own app."""
    from gunicorn.app.base import BaseApplication

    class Workers(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {"bind": f"127.0.0.1:{port}", "workers": workers,
                               "threads": threads, "worker_class": "gthread",
                               "accesslog": None, "loglevel": "warning"}.items():
                self.cfg.set(key, value)

        def load(self) -> Any:  # in each worker, after the fork: its own connections
            return build_app(store, items)

    Workers().run()


def main(argv: list[str] | None = None) -> int:
    """Serve the data set's web app with waitress (or gunicorn) on the loopback interface."""
    import waitress

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", default="sqlite")
    p.add_argument("--items", type=int, default=10_000)
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--workers", type=int, default=0, help="gunicorn worker processes")
    p.add_argument("--prepare", action="store_true", help="make the bench user, then exit")
    args = p.parse_args(argv)
    if args.prepare:
        build_app(args.store, args.items)
        return 0
    if args.workers:
        serve_workers(args.store, args.items, args.port, args.workers, args.threads)
        return 0
    app = build_app(args.store, args.items)
    waitress.serve(app, host="127.0.0.1", port=args.port, threads=args.threads,
                   connection_limit=200, _quiet=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
