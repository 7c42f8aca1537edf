"""TLS for the mail servers: certificates are always verified.

Trusted are the system's certificate authorities (and `SSL_CERT_FILE` / `SSL_CERT_DIR`, which
OpenSSL reads), plus every `*.pem` / `*.crt` file in `DATA_DIR/trusted-certs/`: that is how an
admin trusts a mail server with a self-signed certificate (copy the server's certificate
there). The host name must match the certificate, as a mail program would check it.
"""

from __future__ import annotations

import ssl
from pathlib import Path

from desk.mail.errors import MailError

TRUSTED_DIR = "trusted-certs"


def trusted_files(data_dir: Path) -> list[Path]:
    folder = data_dir / TRUSTED_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".pem", ".crt"))


def client_context(data_dir: Path) -> ssl.SSLContext:
    """A client context that verifies the server against the system's and Desk's own trust."""
    context = ssl.create_default_context()
    for path in trusted_files(data_dir):
        try:
            context.load_verify_locations(cafile=str(path))
        except (ssl.SSLError, OSError, ValueError):
            raise MailError(
                f"The certificate file {path.name} in {TRUSTED_DIR}/ could not be read"
                " (it must be PEM)."
            ) from None
    return context


def describe_tls_error(exc: ssl.SSLError, host: str) -> str:
    """What went wrong, in words an admin can act on."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or "verification failed"
        return (
            f"The certificate of {host} is not trusted ({reason}). If the server uses a"
            f" self-signed certificate, copy it into the data folder's {TRUSTED_DIR}/."
        )
    return f"TLS with {host} failed ({exc.reason or 'handshake error'})."
