"""The ``structure`` check: a translation that would change the block structure of its page.

In a Markdown article a translation is written so that it keeps the page's
blocks: a typed line break becomes a space, and where the unit starts a line,
what would start a block there (``1.``, ``-``, ``#``, ``>``, ``<div>``,
indentation) is escaped or stripped. Each such repair is a warning here, so
the translator can fix the translation. A translation that would change the
page's blocks all the same (a ``|`` that makes a paragraph line a table
header) is an error: ``l10n publish`` keeps the source text of that unit.
The article's format says both (``Format.structure_problems``), for every
place of the article where the entry's source text is a unit; formats
without block structure (plain text) find nothing.
"""

from __future__ import annotations

from ..errors import L10nError
from ..formats.base import Format
from .registry import ERROR, WARNING, Context, check


@check("structure", ERROR, "A translation that would change the page's blocks (Markdown): an error where publish "
                           "keeps the source text, a warning where it escapes a block marker or folds a line break.",
       in_place=True)
def structure_problems(source: str, target: str, context: Context) -> list[tuple[str, str]]:
    """``(severity, message)`` for each way ``target`` would change the structure of the article's page."""
    if not target.strip() or target == source or not context.article_path:
        return []
    try:
        fmt = context.article_format
        if type(fmt).structure_problems is Format.structure_problems:
            return []  # a format without block structure (plain text): no need to read the article
        doc = context.document
    except L10nError:  # the article is gone or unreadable: nothing to compare with
        return []
    if doc is None:
        return []
    return [(ERROR if kept else WARNING, message) for kept, message in fmt.structure_problems(doc, source, target)]
