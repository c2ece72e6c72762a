"""Sentence alignment of articles and their existing translations, into translation memory (``l10n memory align``).

One direction of flow: :mod:`.blocks` reads both files with the project's
formats (the translation split by :mod:`.sentences`) and pairs their blocks by
structure; :mod:`.beads` aligns the sentences of paired blocks by Gale-Church
length and :mod:`.anchors`; :mod:`.article` does both for one article pair;
:mod:`.run` pairs files and folders and writes the memory; :mod:`.evaluate`
scores an alignment against a gold one.
"""
