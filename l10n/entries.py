"""What a catalog entry's state is, the same for every command."""

from __future__ import annotations

import polib


def is_reviewed(entry: polib.POEntry) -> bool:
    """A translation a person has approved: translated, not fuzzy, not obsolete."""
    return bool(entry.msgstr) and not entry.fuzzy and not entry.obsolete
