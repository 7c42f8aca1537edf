"""Where a server is reachable: loopback and every LAN address, without extra dependencies."""

from __future__ import annotations

import ipaddress
import json
import shutil
import socket
import subprocess

WILDCARDS = {"0.0.0.0", "::", ""}


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or localhost (None or "": no)."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_for(scheme: str, host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}/"


def _from_ip_command(ipv6: bool) -> set[str]:
    """Linux: every address of every interface, from `ip -j addr` (iproute2)."""
    ip = shutil.which("ip")
    if not ip:
        return set()
    try:
        out = subprocess.run(
            [ip, "-j", "-6" if ipv6 else "-4", "addr"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout
        links = json.loads(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        return set()
    return {
        info["local"]
        for link in links
        for info in link.get("addr_info", [])
        if info.get("local") and info.get("scope") == "global"
    }


def _from_sockets(ipv6: bool) -> set[str]:
    """Any platform: the host name's addresses, and the address a route out would use (a UDP
    `connect` sends nothing)."""
    family = socket.AF_INET6 if ipv6 else socket.AF_INET
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, family):
            found.add(str(info[4][0]))
    except OSError:
        pass
    probe_target = ("2001:db8::1", 9) if ipv6 else ("192.0.2.1", 9)
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect(probe_target)
            found.add(str(probe.getsockname()[0]))
    except OSError:
        pass
    return found


def lan_addresses(ipv6: bool = False) -> list[str]:
    """Non-loopback, non-link-local addresses of this machine, sorted."""
    candidates = _from_ip_command(ipv6) | _from_sockets(ipv6)
    keep = []
    for text in candidates:
        try:
            address = ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            continue
        if not (address.is_loopback or address.is_link_local or address.is_unspecified):
            keep.append(str(address))
    return sorted(keep, key=lambda a: ipaddress.ip_address(a))


def reachable_urls(scheme: str, host: str, port: int) -> list[str]:
    """The URLs to print for a server bound to `host`: the first one is for this machine."""
    if host not in WILDCARDS:
        return [url_for(scheme, host, port)]
    ipv6 = host == "::"
    local = "::1" if ipv6 else "127.0.0.1"
    return [url_for(scheme, local, port)] + [
        url_for(scheme, address, port) for address in lan_addresses(ipv6)
    ]
