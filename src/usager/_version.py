"""The version of usager."""

__version__ = "0.1.0"
