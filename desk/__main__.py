"""`python -m desk` runs the command line."""

from desk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
