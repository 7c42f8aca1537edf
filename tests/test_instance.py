"""One Desk per data dir; LAN addresses and TLS for `desk serve`."""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import socket
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest

from desk.instance import InstanceLock, RunningInstance, find_running, is_locked
from tests.servers import run_desk, start_desk

pytestmark = pytest.mark.slow  # starts real desk processes

NO_DISPLAY = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}


def test_lock_is_exclusive_and_published_info_is_found(tmp_path: Path) -> None:
    first = InstanceLock(tmp_path)
    assert first.acquire()
    try:
        assert not InstanceLock(tmp_path).acquire()
        assert is_locked(tmp_path)
        first.publish(RunningInstance(pid=os.getpid(), url="http://127.0.0.1:1/"))
        assert find_running(tmp_path) == RunningInstance(os.getpid(), "http://127.0.0.1:1/")
    finally:
        first.release()
    assert not is_locked(tmp_path) and find_running(tmp_path) is None
    assert InstanceLock(tmp_path).acquire()


def test_second_serve_prints_the_running_url_and_never_serves_the_file_twice(
    tmp_path: Path,
) -> None:
    running = start_desk(tmp_path)
    try:
        second = run_desk("serve", "--port", "0", "--data-dir", str(tmp_path))
        assert second.returncode == 0, second.stderr
        assert f"Desk is already running for {tmp_path}: {running.url}/" in second.stdout
        assert "is serving" not in second.stdout  # it never opened the database
        window = run_desk("--data-dir", str(tmp_path), env=NO_DISPLAY)
        assert window.returncode == 0 and running.url in window.stdout
        assert httpx.get(running.url + "/api/health").status_code == 200  # the first one serves
    finally:
        running.stop()


def test_a_crashed_desk_does_not_block_the_next_start(tmp_path: Path) -> None:
    crashed = start_desk(tmp_path)
    crashed.process.send_signal(signal.SIGKILL)
    crashed.process.wait(10)
    assert (tmp_path / "instance.json").exists()  # left behind by the crash
    again = start_desk(tmp_path)
    try:
        assert find_running(tmp_path).url == again.url + "/"  # type: ignore[union-attr]
    finally:
        again.stop()
    assert find_running(tmp_path) is None


def test_lan_serving_lists_every_address_and_warns_about_plain_http(tmp_path: Path) -> None:
    running = start_desk(tmp_path, "--host", "0.0.0.0")
    try:
        port = running.url.rsplit(":", 1)[1]
        assert running.url == f"http://127.0.0.1:{port}"
        listed = [line.split(": ", 1)[1].strip() for line in running.lines if "On the LAN:" in line]
        hosts = [url.removeprefix("http://").rsplit(":", 1)[0] for url in listed]
        assert listed == [f"http://{host}:{port}/" for host in hosts]
        for host in hosts:  # LAN addresses only: no loopback, link-local or wildcard
            address = ipaddress.ip_address(host)
            assert not (address.is_loopback or address.is_link_local or address.is_unspecified)
        # Found without Desk's code: the address this machine's route out uses is listed.
        route_out = _route_out_address()
        if route_out is not None:
            assert route_out in hosts, (route_out, listed)
        for url in listed:  # each printed address really reaches this server
            assert httpx.get(url + "api/health").json()["status"] == "ok"
        assert any("plain HTTP" in line and "cookies" in line for line in running.lines)
    finally:
        running.stop()


def test_loopback_serving_prints_no_lan_warning(tmp_path: Path) -> None:
    running = start_desk(tmp_path)
    try:
        assert not any("plain HTTP" in line for line in running.lines)
    finally:
        running.stop()


def _route_out_address() -> str | None:
    """The IPv4 address outgoing traffic would leave from (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None  # no route out at all: nothing independent to compare with
        address = str(probe.getsockname()[0])
    return None if ipaddress.ip_address(address).is_loopback else address


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        if os.environ.get("CI"):
            pytest.fail("openssl is needed for the TLS test (apt-get install openssl)")
        pytest.skip("no openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subject = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    files = ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", *subject, *files],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_tls_serves_https_with_secure_cookies(
    tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    data = tmp_path / "data"
    running = start_desk(data, "--tls-cert", str(cert), "--tls-key", str(key))
    try:
        assert running.url.startswith("https://127.0.0.1:")
        with httpx.Client(
            base_url=running.url, verify=ssl.create_default_context(cafile=cert)
        ) as c:
            body = {"workspace_name": "Acme", "name": "Ada", "email": "ada@example.com"}
            response = c.post("/api/setup", json={**body, "password": "long enough"})
            assert response.status_code == 201
            cookie = response.headers["set-cookie"]
            assert "secure" in cookie.lower() and "httponly" in cookie.lower()
            assert c.get("/api/auth/me").status_code == 200
        with pytest.raises(httpx.HTTPError):  # no plain HTTP on the same port
            httpx.get(running.url.replace("https", "http") + "/api/health")
    finally:
        running.stop()


def test_tls_needs_both_files(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    result = run_desk("serve", "--tls-cert", str(certificate[0]), "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "--tls-key" in result.stderr
    wrong = run_desk(
        "serve", "--tls-cert", str(certificate[0]), "--tls-key", str(certificate[0]),
        "--data-dir", str(tmp_path),
    )  # fmt: skip
    assert wrong.returncode == 2 and "Cannot use the TLS certificate" in wrong.stderr
