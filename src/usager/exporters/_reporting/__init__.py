"""The workshop report's private helpers, shared by the ``markdown`` and ``html`` exporters.

``content`` reads a canvas into the report's sections; ``blocks`` are the plain-text blocks
(paragraphs, lists, tables, the emotion curve) that each renderer writes in its own markup.
"""
