"""Mail servers for the email tests (registered in conftest.py as a plugin): one dovecot for
the session (each test gets its own mailbox on it), a fresh aiosmtpd per test, and a
self-signed certificate that Desk is told to trust."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mailservers import Certificate, Dovecot, Maildir, SmtpRecorder, make_certificate

_users = itertools.count(1)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_certificate(tmp_path_factory.mktemp("certs"))


def _need_dovecot() -> None:
    if shutil.which("dovecot") is None:
        # .ci/run installs it: in CI a missing server fails, never skips.
        if os.environ.get("CI"):
            pytest.fail("dovecot is not installed (apt-get install dovecot-imapd)")
        pytest.skip("no dovecot (apt-get install dovecot-imapd)")


@pytest.fixture(scope="session")
def dovecot(certificate: Certificate) -> Iterator[Dovecot]:
    _need_dovecot()
    server = Dovecot(certificate)
    yield server
    server.close()


@pytest.fixture
def own_dovecot(certificate: Certificate) -> Iterator[Dovecot]:
    """A dovecot of this test's own, for tests that stop and start it."""
    _need_dovecot()
    server = Dovecot(certificate)
    yield server
    server.close()


@pytest.fixture
def maildir(dovecot: Dovecot) -> Maildir:
    """A new, empty mailbox (its own user) on the shared dovecot."""
    return dovecot.mailbox(f"user{next(_users)}@example.com")


@pytest.fixture
def trusting_data_dir(tmp_path: Path, certificate: Certificate) -> Path:
    """A data dir whose trusted-certs/ holds the test servers' self-signed certificate."""
    folder = tmp_path / "data" / "trusted-certs"
    folder.mkdir(parents=True)
    shutil.copy(certificate.cert, folder / "test-mail-server.pem")
    return tmp_path / "data"


@pytest.fixture
def smtp_server() -> Iterator[SmtpRecorder]:
    server = SmtpRecorder()
    yield server
    server.stop()
