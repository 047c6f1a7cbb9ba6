"""The formats' private helpers, shared by the ``json``, ``csv``, ``yaml`` and ``toml`` exporters.

``jsontext`` scans JSON text for the places of paths and the reasons of syntax errors;
``csvfast`` reads and writes the rows of plainly valid CSV files column by column;
``spreadsheet`` keeps cells safe in a spreadsheet (formulas, values a spreadsheet would
convert) and reads the text encodings and separators spreadsheets write;
``handwritten`` keeps the comments of a YAML or TOML text through a canonical rewrite, and
knows the keys' defaults, which such a rewrite leaves out.
"""
