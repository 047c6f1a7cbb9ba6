"""The drawing's private helpers, shared by the ``dot`` exporter and its renderings.

``dottext`` quotes and wraps DOT text; ``scene`` holds boxes, groups and links, routes the
links around the boxes (``scene.route``) and writes them as DOT; ``parts`` draws what both
layouts show (people, backstage, legend, draft); ``cycle`` and ``lanes`` lay out the two
drawings.
"""
