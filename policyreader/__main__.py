"""``python -m policyreader``."""

import sys

from policyreader.cli import main

sys.exit(main())
