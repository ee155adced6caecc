"""brochure serve: what it refuses to start with, the password, a clean Ctrl-C."""

from __future__ import annotations

import base64
import http.client
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from brochure import Project, UsageError
from brochure.cli import main
from brochure.web.config import ServeOptions, is_local

from .webserver import start_server, stop_server


def test_local_addresses() -> None:
    assert all(is_local(host) for host in ("127.0.0.1", "localhost", "::1", "[::1]",
                                           "127.0.0.2"))
    assert not any(is_local(host) for host in ("0.0.0.0", "::", "192.168.1.20", "clinic"))


def test_a_non_local_host_needs_a_password_file(small: Project) -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: --host 0.0.0.0 lets other computers on the network reach the app: give "
        "--password-file FILE too (a file whose first line is the password)\n")


@pytest.mark.parametrize(("text", "mode", "message"), [
    ("short\n", 0o600, "passwords:1: the password file's first line must hold a password of "
                       "at least 12 characters"),
    ("a long enough password\n", 0o644, "passwords: other users can read the password file: "
                                        "run chmod 600 passwords"),
])
def test_a_weak_or_readable_password_file_is_refused(small: Project, text: str, mode: int,
                                                     message: str) -> None:
    path = small.root / "passwords"
    path.write_text(text)
    path.chmod(mode)
    with pytest.raises(UsageError) as caught:
        ServeOptions(host="0.0.0.0", password_file=Path("passwords")).password()
    assert str(caught.value) == message


def test_a_port_in_use_is_one_clear_error(small: Project) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == (f"Error: port {port} is already in use on 127.0.0.1 (is the app "
                             "already running?): choose another with --port\n")


def _get(port: int, password: str | None = None) -> int:
    headers = {"Host": f"127.0.0.1:{port}"}
    if password is not None:
        token = base64.b64encode(f"staff:{password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/", headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def test_on_the_network_every_request_needs_the_password(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("correct horse battery staple\n")
    secret.chmod(0o600)
    out = tmp_path / "dist"
    out.mkdir()
    server = start_server(tmp_path, out, "--host", "0.0.0.0", "--password-file", str(secret))
    try:
        assert _get(server.port) == 401
        assert _get(server.port, "wrong password") == 401
        assert _get(server.port, "correct horse battery staple") == 200
    finally:
        log = stop_server(server)
    assert "other computers on this network can reach it, and every request must give the " \
           f"password from {secret}" in log
    assert "The connection is not encrypted" in log
    assert server.process.returncode == 0 and "Traceback" not in log, log
    assert log.rstrip().endswith("brochure serve: stopped.")


def test_the_library_and_the_cli_do_not_import_the_web_server() -> None:
    import subprocess
    import sys

    script = ("import sys, brochure, brochure.cli, brochure.preview, brochure.library; "
              "print(sorted(name for name in ('starlette', 'uvicorn', 'watchfiles') "
              "if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
