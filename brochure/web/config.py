"""What ``brochure serve`` is asked for, checked in one place (CLI, tests and scripts alike)."""

from __future__ import annotations

import ipaddress
import os
import socket
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError

#: Names a browser on this machine may use for a server on the loopback address.
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")


def is_local(host: str) -> bool:
    """True for loopback addresses and ``localhost``: nobody else can connect."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _read_password(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UsageError("the password file does not exist", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the password file ({exc.__class__.__name__})",
                         path) from None
    lines = text.splitlines()
    password = lines[0].strip() if lines else ""
    if len(password) < 12:
        raise UsageError("the password file's first line must hold a password of at least "
                         "12 characters", path, 1)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UsageError(f"other users can read the password file: run chmod 600 {path}",
                         path)
    return password


@dataclass(frozen=True)
class ServeOptions:
    """How ``brochure serve`` listens and what it serves."""

    host: str = "127.0.0.1"
    #: 0 picks a free port (the address is printed at start-up).
    port: int = 8000
    #: The build's output folder: the library lists the brochures in it.
    out: Path = Path("dist")
    #: A file whose first line is the password every request must give
    #: (HTTP Basic, any user name). Required for a non-local ``host``.
    password_file: Path | None = None
    #: More names the server may be reached by (its LAN name, a DNS alias).
    allowed_hosts: tuple[str, ...] = ()
    #: Render processes; None means one per CPU (at most 4).
    workers: int | None = None
    #: Renders that may wait for a free process; more are refused ("busy").
    queue: int = 40

    @property
    def local(self) -> bool:
        return is_local(self.host)

    def password(self) -> str | None:
        """Check the options; return the password (None when local without one)."""
        if not 0 <= self.port <= 65535:
            raise UsageError(f"--port must be between 0 and 65535 (got {self.port})")
        if self.workers is not None and not 1 <= self.workers <= 16:
            raise UsageError(f"--workers must be between 1 and 16 (got {self.workers})")
        if not self.local and self.password_file is None:
            raise UsageError(
                f"--host {self.host} lets other computers on the network reach the app: "
                "give --password-file FILE too (a file whose first line is the password)")
        return _read_password(self.password_file) if self.password_file else None

    def host_names(self, port: int) -> set[str]:
        """Every ``Host`` header value this server answers to (DNS-rebinding check)."""
        names: set[str] = {name.lower() for name in LOCAL_NAMES}
        names.update(name.lower() for name in self.allowed_hosts)
        if not self.local:
            wildcard = self.host in ("0.0.0.0", "::", "")
            names.add(self.host.lower() if ":" not in self.host else f"[{self.host.lower()}]")
            if wildcard:
                names.update(_own_names())
        found = set()
        for name in names:
            found.add(name)
            found.add(f"{name}:{port}")
        return found


def _own_names() -> set[str]:
    """This machine's host names and addresses, as others on the network reach it."""
    names = {socket.gethostname().lower(), socket.getfqdn().lower()}
    for name in list(names):
        try:
            for info in socket.getaddrinfo(name, None):
                address = str(info[4][0])
                names.add(f"[{address}]" if ":" in address else address)
        except OSError:
            continue
    names.discard("")
    return names


@dataclass
class Started:
    """What the server tells the person who started it."""

    url: str
    lines: list[str] = field(default_factory=list)


def announce(options: ServeOptions, port: int) -> Started:
    """The start-up lines: where to open the app, and who can reach it."""
    shown = "127.0.0.1" if options.local else (
        socket.gethostname() if options.host in ("0.0.0.0", "::", "") else options.host)
    url = f"http://{shown}:{port}/"
    lines = [f"brochure serve: open {url} in a web browser (Ctrl-C stops the app)"]
    if options.local:
        lines.append("Only this computer can reach it (127.0.0.1).")
    else:
        lines.append(f"Listening on {options.host}:{port}: other computers on this network "
                     "can reach it, and every request must give the password from "
                     f"{options.password_file} (any user name).")
        lines.append("The connection is not encrypted: use it only on the clinic's own "
                     "network.")
    lines.append(f"Brochures come from {os.path.abspath(options.out)}; nothing a patient's "
                 "handout holds is written anywhere.")
    return Started(url, lines)
