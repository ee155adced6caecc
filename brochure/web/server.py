"""``brochure serve``: run the web app with uvicorn until Ctrl-C.

The socket is bound here, before uvicorn starts, so a port in use is one
clear error and ``--port 0`` can print the port it got. uvicorn handles
Ctrl-C (and SIGTERM) by finishing the requests in flight; then the render
pool is stopped and :func:`serve` returns normally.
"""

from __future__ import annotations

import errno
import logging
import resource
import signal
import socket
from collections.abc import Callable
from types import FrameType

from ..errors import UsageError
from ..library import write_index
from ..project import Project
from .config import ServeOptions, announce

logger = logging.getLogger(__name__)

#: Seconds uvicorn gives requests in flight to finish after Ctrl-C.
GRACE = 5


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is already in use on {host} (is the app already "
                             "running?): choose another with --port") from None
        if exc.errno == errno.EACCES:
            raise UsageError(f"this user may not listen on port {port}: choose one above "
                             "1023 with --port") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    except socket.gaierror as exc:
        sock.close()
        raise UsageError(f"--host {host}: not an address of this computer ({exc})") from None
    sock.set_inheritable(False)
    # Listening now: a browser opened on the printed address waits in the
    # backlog until uvicorn accepts, instead of being refused.
    sock.listen(128)
    return sock


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(options: ServeOptions, project: Project | None = None,
          say: Callable[[str], None] = print) -> None:
    """Serve the app until Ctrl-C; ``say`` prints the start-up and closing lines.

    Raises :class:`UsageError` for bad options (a non-local host without a
    password file, a port in use) before anything listens.
    """
    import uvicorn

    from .app import create_app
    from .renders import RenderPool
    from .security import Guard

    project = project or Project()
    password = options.password()
    # A crash must not leave a core file with a patient's details in it.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sock = _bind(options.host, options.port)
    port = sock.getsockname()[1]
    out = options.out if options.out.is_absolute() else project.root / options.out
    if out.is_dir():
        # Thumbnails of brochures built before the index existed, or elsewhere.
        write_index(out, project)
    pool = RenderPool(options.workers, options.queue)
    try:
        app = Guard(create_app(project, out, pool), hosts=options.host_names(port),
                    password=password)
        config = uvicorn.Config(
            app, log_config=None, access_log=False, server_header=False, lifespan="off",
            timeout_graceful_shutdown=GRACE, timeout_keep_alive=5, limit_concurrency=200,
            h11_max_incomplete_event_size=16 * 1024)
        server = uvicorn.Server(config)
        started = announce(options, port)
        for line in started.lines:
            say(line)
        # uvicorn re-raises the signal after its graceful shutdown; make SIGTERM
        # end here like Ctrl-C, so the pool below is always stopped.
        previous = signal.signal(signal.SIGTERM, _stop)
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        sock.close()
        pool.close()
    say("brochure serve: stopped.")
