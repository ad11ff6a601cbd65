"""``leaflet serve [DIR]``: start the studio on this computer and print its address.

It binds to 127.0.0.1 unless told otherwise, opens no browser, and stops on Ctrl-C.
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.config import CONFIG_NAME
from pipeline.errors import InputError, LeafletError


def add_serve_arguments(command: argparse.ArgumentParser) -> None:
    """The options of ``leaflet serve``."""
    command.add_argument("folder", nargs="?", metavar="DIR", help="a folder of articles to review")
    command.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    command.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this computer)",
    )
    command.add_argument(
        "--config", default=CONFIG_NAME, help="settings file (default leaflet.toml)"
    )
    command.add_argument(
        "-o", "--output", default="output", metavar="OUTDIR",
        help="where pasted articles are kept (OUTDIR/studio; default output)",
    )  # fmt: skip


def run_serve(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; the exit status."""
    from pipeline.studio.app import LOCAL_HOSTS, create_app
    from pipeline.studio.articles import Studio

    folder = Path(args.folder) if args.folder else None
    if folder is not None and not folder.is_dir():
        raise InputError(f"{folder}: is not a folder; give a folder of articles, or nothing")
    studio = Studio(folder, Path(args.output), Path(args.config))
    sock = bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    # On loopback, a request naming any other host is refused (DNS rebinding); a studio
    # opened to the network on purpose answers to whatever name reaches it.
    hosts = LOCAL_HOSTS if _loopback(args.host) else ("*",)
    shown = f"[{host}]" if ":" in host else host
    print(f"leaflet studio: http://{shown}:{port}/  (Ctrl-C stops it)", flush=True)
    if not _loopback(args.host):
        print(f"leaflet studio: anyone who can reach {args.host} can use it", file=sys.stderr)
    try:
        serve(create_app(studio, hosts=hosts), sock)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    print("leaflet studio: stopped", flush=True)
    return 0


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a one-line error saying what to do."""
    if not 0 <= port <= 65535:
        raise InputError(f"--port {port}: is not a port; use a number from 1 to 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = "is in use" if error.errno == 98 else f"cannot be used ({error.strerror})"
        message = f"{host}:{port}: {reason}; pick another with --port, e.g. --port 8001"
        raise LeafletError(message) from None
    sock.listen(128)
    return sock


def serve(app: Any, sock: socket.socket) -> None:
    """Run ``app`` on ``sock`` with uvicorn until it is asked to stop."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", lifespan="off", server_header=False)
    uvicorn.Server(config).run(sockets=[sock])


@contextmanager
def running(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` in a background thread on a free port of ``host``; the address it
    answers on. It is stopped when the block ends (for tests and tools)."""
    import uvicorn

    sock = bind(host, 0)
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
