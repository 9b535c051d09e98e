"""`python -m streams` is the same as the `streams` console script."""

from streams.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
