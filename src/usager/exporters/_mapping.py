"""What the registry knows of the built-in exporters without importing them.

Looking an exporter up by name or file suffix, or asking which formats can be
read, needs only this table; an exporter's module is imported when it is used.
A test checks the table against the exporters themselves and the package's
entry points.
"""

from __future__ import annotations

import attrs

__all__ = ["BUILTINS", "Builtin"]


@attrs.frozen
class Builtin:
    """A built-in exporter: its entry-point target and what it declares."""

    target: str
    suffixes: tuple[str, ...]
    media_type: str
    binary: bool
    readable: bool


#: The built-in exporters by name, as the package's metadata registers them.
BUILTINS: dict[str, Builtin] = {
    "json": Builtin("usager.exporters.json:JsonExporter", (".json",), "application/json", False, True),
    "csv": Builtin("usager.exporters.csv:CsvExporter", (".csv",), "text/csv", False, True),
    "yaml": Builtin("usager.exporters.yaml:YamlExporter", (".yaml", ".yml"), "application/yaml", False, True),
    "toml": Builtin("usager.exporters.toml:TomlExporter", (".toml",), "application/toml", False, True),
    "dot": Builtin("usager.exporters.dot:DotExporter", (".dot", ".gv"), "text/vnd.graphviz", False, False),
    "svg": Builtin("usager.exporters.render:SvgExporter", (".svg",), "image/svg+xml", True, False),
    "png": Builtin("usager.exporters.render:PngExporter", (".png",), "image/png", True, False),
    "pdf": Builtin("usager.exporters.render:PdfExporter", (".pdf",), "application/pdf", True, False),
    "markdown": Builtin(
        "usager.exporters.markdown:MarkdownExporter", (".md", ".markdown"), "text/markdown", False, False
    ),
    "html": Builtin("usager.exporters.html:HtmlExporter", (".html", ".htm"), "text/html", False, False),
}
