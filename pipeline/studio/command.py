"""``leaflet serve [DIR]``: start the studio on this computer and print its address.

:func:`serve` takes a :class:`ServeSettings` (the command line makes one from its
options): it binds to 127.0.0.1 unless told otherwise, opens no browser, and stops on
Ctrl-C.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import CONFIG_NAME
from pipeline.errors import InputError, LeafletError, echo
from pipeline.studio import MAX_UPLOAD

HOST = "127.0.0.1"
"""The address the studio listens on by default: this computer only."""
PORT = 8000
"""The port the studio listens on by default."""
OUTPUT = Path("output")
"""Where pasted articles are kept by default (in its ``studio`` folder)."""


@dataclass(frozen=True)
class ServeSettings:
    """One studio: the folder of articles it reviews (``None``: pasted ones only), where
    it keeps pasted articles and what it makes (``out_dir``), its settings file (edited
    by the settings page; defaults without one), the address it listens on, and the
    largest article it takes (pasted, uploaded or in the folder)."""

    folder: Path | None = None
    out_dir: Path = OUTPUT
    config_path: Path = Path(CONFIG_NAME)
    host: str = HOST
    port: int = PORT
    max_size: int = MAX_UPLOAD  # the largest article it takes, in bytes


def serve(settings: ServeSettings) -> None:
    """Serve the studio until Ctrl-C, printing its address; a
    :class:`~pipeline.errors.LeafletError` for a folder that is not there or an address
    that cannot be used."""
    from pipeline.studio.app import LOCAL_HOSTS, create_app
    from pipeline.studio.articles import Studio

    folder = settings.folder
    if folder is not None and not os.path.isdir(folder):
        raise InputError(f"{folder}: is not a folder; give a folder of articles, or nothing")
    studio = Studio(folder, settings.out_dir, settings.config_path, settings.max_size)
    sock = bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    # On loopback, a request naming any other host is refused (DNS rebinding); a studio
    # opened to the network on purpose answers to whatever name reaches it.
    hosts = LOCAL_HOSTS if _loopback(settings.host) else ("*",)
    print(f"leaflet studio: {address(host, port)}/  (Ctrl-C stops it)", flush=True)
    if not _loopback(settings.host):
        print(f"leaflet studio: anyone who can reach {settings.host} can use it",
              file=sys.stderr)  # fmt: skip
    try:
        serve_app(create_app(studio, hosts=hosts), sock)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    print("leaflet studio: stopped", flush=True)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a one-line error saying what to do."""
    if not 0 <= port <= 65535:
        raise InputError(
            f"--port {port}: is not a port; use a number from 1 to 65535 (0: any free one)"
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = "is in use" if error.errno == 98 else f"cannot be used ({error.strerror})"
        shown = echo(host, quoted=False)
        message = f"{shown}:{port}: {reason}; pick another with --port, e.g. --port 8001"
        raise LeafletError(message) from None
    sock.listen(128)
    return sock


def serve_app(app: Any, sock: socket.socket) -> None:
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
        yield address(host, sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def address(host: str, port: int) -> str:
    """The studio's address on ``host``: an IPv6 address in brackets.

    >>> address("127.0.0.1", 8000), address("::1", 8000)
    ('http://127.0.0.1:8000', 'http://[::1]:8000')
    """
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
