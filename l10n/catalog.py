"""Units → POT template, and template + old catalog → updated catalog (msgmerge semantics).

Merging never loses a translation: unchanged units keep theirs with its state;
a changed unit gets the most similar old translation as a fuzzy suggestion,
with the old source as ``#| msgid``; a unit that left the source becomes an
obsolete (``#~``) entry; comments and flags translators wrote are kept.

Beyond msgmerge, a reviewed entry whose translation becomes such a
suggestion is also kept as an obsolete entry, reviewed (not fuzzy): that is
the record that this pair was reviewed. When the edit is undone and the
unit's text returns, the obsolete entry is revived as it was, reviewed,
instead of the fuzzy suggestion (msgmerge would leave it fuzzy). A plural
entry a translator made of a unit's entry is kept as the unit's entry.
"""

from __future__ import annotations

from datetime import datetime, timezone
from difflib import SequenceMatcher

import polib

from . import __version__
from .document import Document
from .languages import language_name, plural_forms
from .po import new_catalog_file

FUZZY_THRESHOLD = 0.6  # msgmerge's own threshold for fuzzy matches
GENERATOR = f"l10n {__version__}"


def now() -> str:
    """A header date as gettext writes it."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def header(project_id: str, language: str, created: str | None, revised: str) -> dict[str, str]:
    """A catalog's header fields in gettext's order; ``language`` is "" for a template, ``created`` None for none."""
    fields = {"Project-Id-Version": project_id}
    if created is not None:
        fields["POT-Creation-Date"] = created
    fields["PO-Revision-Date"] = revised
    if language:
        fields |= {"Last-Translator": "", "Language-Team": ""}
    fields |= {"Language": language, "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
               "Content-Transfer-Encoding": "8bit"}
    if language:
        fields["Plural-Forms"] = plural_forms(language)
    fields["X-Generator"] = GENERATOR
    return fields


def template(doc: Document, project_id: str, created: str) -> polib.POFile:
    """The POT of one article: one entry per distinct unit text, with every place it occurs."""
    pot = new_catalog_file()
    pot.header = f"Translation template for {doc.path}, made by `l10n extract`: do not edit."
    pot.metadata = header(project_id, "", created, "YEAR-MO-DA HO:MI+ZONE")
    entries: dict[str, polib.POEntry] = {}
    for unit in doc.units():
        entry = entries.get(unit.text)
        if entry is None:
            entry = entries[unit.text] = polib.POEntry(msgid=unit.text, msgstr="", comment=unit.note)
            pot.append(entry)
        elif unit.note not in entry.comment.split("\n"):
            entry.comment += "\n" + unit.note
        entry.occurrences.append((doc.path, str(unit.line)))
    return pot


def same_template(new: polib.POFile, old: polib.POFile) -> bool:
    """True when two templates differ at most in their creation date."""
    return _signature(new) == _signature(old)


def _signature(pot: polib.POFile):
    return [(e.msgid, e.comment, tuple(e.occurrences)) for e in pot], pot.header


def new_catalog(pot: polib.POFile, lang: str, source: str) -> polib.POFile:
    """An empty catalog for ``lang`` with a complete header."""
    po = new_catalog_file()
    po.header = (f"{language_name(lang)} translation of {source}.\n"
                 "Mark an entry reviewed by removing its fuzzy flag; see the README's guide for translators.")
    po.metadata = header(pot.metadata["Project-Id-Version"], lang, pot.metadata["POT-Creation-Date"], now())
    return po


def merge(pot: polib.POFile, old: polib.POFile | None, lang: str, source: str) -> polib.POFile:
    """The catalog for ``lang`` updated to the template ``pot``, keeping all translators' work."""
    if old is None:
        po = new_catalog(pot, lang, source)
        old_entries: dict[str, polib.POEntry] = {}
        old_obsolete: list[polib.POEntry] = []
    else:
        po = new_catalog_file()
        po.header = old.header
        po.metadata = dict(old.metadata)
        po.metadata_is_fuzzy = old.metadata_is_fuzzy
        po.metadata["POT-Creation-Date"] = pot.metadata["POT-Creation-Date"]
        old_entries = {(e.msgctxt, e.msgid): e for e in old}
        old_obsolete = [e for e in old if e.obsolete]
    used: set[int] = set()
    unmatched = []
    for ref in pot:
        entry = old_entries.get((None, ref.msgid))
        if entry is None:
            entry = polib.POEntry(msgid=ref.msgid, msgstr="")
            unmatched.append(entry)
        else:
            used.add(id(entry))
            entry.obsolete = False
        entry.comment = ref.comment
        entry.occurrences = list(ref.occurrences)
        po.append(entry)
    candidates = [e for e in old_entries.values() if e.msgstr and not e.obsolete and not e.msgid_plural]
    candidates += [e for e in old_obsolete if e.msgstr and not e.msgid_plural]
    suggested = _suggest(unmatched, candidates) if unmatched and candidates else set()
    for entry in (old or []):
        if id(entry) in used:
            continue
        if entry.msgid_plural:
            po.append(entry)  # l10n makes none: a translator's, kept as it is
            continue
        if id(entry) in suggested and (entry.fuzzy or not entry.msgstr):
            continue  # an unreviewed translation lives on in the suggestion, as with msgmerge
        if entry.obsolete or entry.msgstr:
            entry.obsolete = True
            entry.occurrences = []
            entry.comment = ""
            po.append(entry)
    return po


def _suggest(entries: list[polib.POEntry], candidates: list[polib.POEntry]) -> set[int]:
    """Give each new entry the translation of the most similar old one, as fuzzy.

    Returns the ids of the old entries used: like msgmerge, their translation
    lives on in the suggestion (with the old text as ``#| msgid``), so they
    are not kept a second time as obsolete entries.
    """
    used = set()
    for entry in entries:
        best, best_ratio = None, FUZZY_THRESHOLD
        matcher = SequenceMatcher(None, "", entry.msgid, autojunk=False)
        for candidate in candidates:
            matcher.set_seq1(candidate.msgid)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = candidate, ratio
        if best is not None:
            entry.msgstr = best.msgstr
            entry.flags = ["fuzzy"]
            entry.previous_msgid = best.msgid
            used.add(id(best))
    return used
