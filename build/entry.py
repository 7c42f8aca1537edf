"""PyInstaller's entry script for dist/desk: the same command line as `python -m desk`."""

import os
import sys


def _restore_library_path() -> None:
    """The one-file bootloader puts its unpacked folder first on LD_LIBRARY_PATH so this
    process finds the bundled libraries. Programs Desk starts (WebKitGTK's web and network
    processes, the browser, xdg-open) must load their own system libraries instead: give
    them the user's LD_LIBRARY_PATH back. This process already resolved its own."""
    if not sys.platform.startswith("linux") or not getattr(sys, "frozen", False):
        return
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = original


if __name__ == "__main__":
    _restore_library_path()
    from desk.cli import main

    raise SystemExit(main())
