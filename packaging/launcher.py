"""Frozen entry point: the same command line as ``python -m policyreader``."""

import sys

from policyreader.cli import main

if __name__ == "__main__":
    sys.exit(main())
