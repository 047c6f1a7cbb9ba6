"""Deliberately broken usager exporters, for the registry's fault-isolation tests."""

from __future__ import annotations

from typing import Any

NOT_AN_EXPORTER = object()


class Misnamed:
    name = "not-misnamed"
    suffixes = (".misnamed",)
    media_type = "text/plain"
    binary = False

    def export(self, canvas: Any, **options: Any) -> str:
        return ""


class FakeJson:
    name = "json"
    suffixes = (".json",)
    media_type = "application/json"
    binary = False

    def export(self, canvas: Any, **options: Any) -> str:
        return "not the real json exporter"


class FakeMermaid:
    name = "mermaid"
    suffixes = (".fake-mmd",)
    media_type = "text/plain"
    binary = False

    def export(self, canvas: Any, **options: Any) -> str:
        return "fake mermaid"


class Upper:
    name = "upper"
    suffixes = (".upper",)
    media_type = "text/plain"
    binary = False

    def export(self, canvas: Any, **options: Any) -> str:
        return str(canvas.name).upper()


class Lower(Upper):
    name = "lower"
    suffixes = (".lower",)

    def export(self, canvas: Any, **options: Any) -> str:
        return str(canvas.name).lower()


LOWER = Lower()


class Boom(Upper):
    """Raises inside export."""

    name = "boom"
    suffixes = (".boom",)

    def export(self, canvas: Any, **options: Any) -> str:
        raise ZeroDivisionError("boom inside the plugin")


class Liar(Upper):
    """Declares binary output but returns text."""

    name = "liar"
    suffixes = (".liar",)
    binary = True


class Quitter(Upper):
    """Calls sys.exit() inside export."""

    name = "quitter"
    suffixes = (".quitter",)

    def export(self, canvas: Any, **options: Any) -> str:
        import sys

        sys.exit("quitting from the plugin")
