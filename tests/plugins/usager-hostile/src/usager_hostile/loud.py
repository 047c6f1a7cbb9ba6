"""A module that fails on import, saying megabytes."""

from usager_hostile import CHATTY

raise RuntimeError(CHATTY)
