"""``l10n check``: quality checks over every translated catalog entry.

Each check is a small function registered with a name, a severity
(``error`` or ``warning``) and a one-line description
(:data:`l10n.qa.registry.CHECKS`), as in Babel's ``babel.messages.checkers``:
checks are plain functions found through a registry. A check looks at one
pair of source text and translation and yields messages that quote the
offending part; :func:`l10n.qa.registry.check_entry` turns them into
findings for one catalog entry, and :func:`l10n.qa.run.run_checks` runs every
check over the chosen catalogs of a project.

Every live entry with a translation is checked, fuzzy or reviewed (plural
entries form by form); untranslated entries are not. A translator silences
checks on one entry with a translator comment line ``# l10n-ignore: numbers,
quotes`` (see :mod:`l10n.qa.registry`).

The checks by topic: :mod:`~l10n.qa.text` (the text itself),
:mod:`~l10n.qa.numbers` (numbers by value, Babel/CLDR and num2words),
:mod:`~l10n.qa.markup` (inline markup), :mod:`~l10n.qa.structure` (the
blocks of a Markdown page), :mod:`~l10n.qa.terms` (URLs and
e-mail addresses, glossary terms). Importing any of them registers all of
them, in the order below: the order ``l10n check --list-checks`` lists and
findings sort by.
"""

from __future__ import annotations

from . import markup, numbers, structure, terms, text
from .registry import register

register(text.empty, text.untranslated, text.whitespace, text.punctuation, numbers.numbers, terms.placeholders,
         markup.markup_problems, structure.structure_problems, terms.glossary_keep, terms.glossary_terms,
         text.quote_marks, text.repetition, text.length)
