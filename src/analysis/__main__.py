"""``python -m analysis``: the command line (``analysis.cli``)."""

import sys

from analysis.cli import build_parser, main

__all__ = ["build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
