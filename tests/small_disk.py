"""A real small disk for the full-disk tests: a tmpfs the test mounts (root), and a filler.

No mock of SQLite or of the file system: the kernel answers ENOSPC. Where the mount is
refused the test is skipped, except under CI=true, where it fails.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def small_disk(mount_point: Path, megabytes: int) -> Iterator[Path]:
    mount_point.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        reason = f"cannot mount a tmpfs here: {result.stderr.strip() or result.returncode}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path) -> Path:
    """Write a file until the disk is full; returns it (delete it to make room again)."""
    filler = disk / f"filler-{uuid.uuid4().hex}"
    chunk = b"\xa5" * (256 * 1024)
    with filler.open("wb", buffering=0) as handle:
        while True:
            try:
                written = handle.write(chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
                break
            if written < len(chunk):
                break
        # The last bytes, one at a time.
        with contextlib.suppress(OSError):
            while handle.write(b"\0") == 1:
                pass
    return filler
