"""PyInstaller's entry script for dist/desk: the same command line as `python -m desk`."""

from desk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
