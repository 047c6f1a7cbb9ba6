"""A module that calls sys.exit() on import."""

import sys

sys.exit(3)
