"""``python -m usager``: the command line."""

from usager.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
