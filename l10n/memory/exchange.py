"""Translation memory exchange: TMX 1.4 and PO files in and out (``l10n memory``).

*Export* writes every reviewed pair of the project's catalogs of one target
language: as TMX 1.4 (one ``<tu>`` per distinct pair, the languages on the
header and on every ``<tuv>``) or as a PO file (one entry per source text,
with the translation the translation memory would use).

*Import* reads a TMX file or a PO file from elsewhere and adds its pairs to
the project's imported memory, ``locales/memory/<lang>.tmx``: a TMX 1.4 file
per target language, committed and reviewed like the catalogs, that
:func:`l10n.memory.lookup.load` reads after the project's own catalogs. Each
``<tu>`` says where it came from (``<prop type="x-l10n-origin">``). A pair
already there is not added twice. Everything is read and checked before
anything is written: a bad file is one error line naming it and the line,
and nothing changes.

TMX is read and written by :mod:`l10n.memory.tmx`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..entries import is_reviewed
from ..errors import L10nError
from ..languages import normalize_language
from ..project import Project
from .tmx import NOT_XML, Pair, imported_pairs, memory_path, pick, read_tmx, same_language, tmx_bytes

FORMATS = ("tmx", "po")


def project_pairs(project: Project, language: str) -> list[Pair]:
    """Every distinct reviewed (source, translation) pair of the project's catalogs of ``language``.

    In article order, then catalog order; ``origin`` is the article where the
    pair is first found. Plural entries and entries with a context are left out.
    """
    from ..po import read_catalog

    seen: dict[tuple[str, str], Pair] = {}
    for _lang, article, path in project.catalogs([language]):
        if not path.is_file():
            continue
        for entry in read_catalog(path):
            if not is_reviewed(entry) or entry.msgid_plural or entry.msgctxt is not None or not entry.msgid:
                continue
            key = (entry.msgid, entry.msgstr)
            if key not in seen:
                seen[key] = Pair(entry.msgid, entry.msgstr, article.rel)
    return list(seen.values())


def po_bytes(pairs: list[Pair], project: Project, language: str) -> bytes:
    """A PO catalog of ``pairs``: one entry per source text, the first translation given for it."""
    from ..catalog import header, now
    from ..languages import language_name
    from ..po import format_catalog, new_catalog_file

    po = new_catalog_file()
    source = project.config.source_language
    po.header = (f"{language_name(language)} translation memory of {project.config.name or 'an l10n project'}: "
                 f"reviewed translations from {language_name(source)}.")
    po.metadata = header(project.config.name, language, None, now()) | {"X-Source-Language": source}
    entries: dict[str, polib.POEntry] = {}
    for pair in pairs:
        if pair.source not in entries:
            entries[pair.source] = polib.POEntry(msgid=pair.source, msgstr=pair.target,
                                                 comment=f"from {pair.origin}" if pair.origin else "")
            po.append(entries[pair.source])
    return format_catalog(po).encode("utf-8")


def export_file(project: Project, file: Path, language: str, fmt: str | None) -> tuple[int, str]:
    """Write the reviewed pairs of ``language`` to ``file`` (see :func:`export_target`); returns (pairs, format).

    ``fmt`` is ``tmx`` or ``po``; None: ``po`` for a ``.po``/``.pot`` file, else ``tmx``.
    """
    from ..fsutil import atomic_write

    fmt = fmt or ("po" if file.suffix.lower() in (".po", ".pot") else "tmx")
    target = export_target(project, file)
    data, count = export(project, language, fmt)
    atomic_write(target, data)
    return count, fmt


def export(project: Project, language: str, fmt: str) -> tuple[bytes, int]:
    """The project's reviewed pairs of ``language`` as a ``tmx`` or ``po`` file, and how many pairs it holds."""
    from .lookup import TranslationMemory

    pairs = project_pairs(project, language)
    if fmt == "po":
        # one translation per source text: the one the translation memory uses
        memory = TranslationMemory(language)
        for pair in pairs:
            memory.add_pairs([(pair.source, pair.target)], pair.origin, tier=0)
        chosen = []
        for source in dict.fromkeys(p.source for p in pairs):
            match = memory.lookup(source)
            chosen.append(Pair(source, match.msgstr, match.source))
        return po_bytes(chosen, project, language), len(chosen)
    segtype = "paragraph" if project.config.segmentation == "paragraph" else "sentence"
    return tmx_bytes(pairs, project.config.source_language, language, segtype), len(pairs)


def export_target(project: Project, file: Path) -> Path:
    """The file ``l10n memory export FILE`` writes: ``FILE`` itself, or the file the symbolic link ``FILE`` names.

    As ``msgcat -o`` does, an existing file is overwritten (through a link,
    too). Refused, as one line: a folder, a link into the project, and the
    project's own files (``l10n.yaml``, the source and locales folders — the
    imported memory ``locales/memory/`` among them — and ``.l10n/``), so an
    export never replaces a catalog or the memory it came from.
    """
    from ..config import CONFIG_NAME
    from ..fsutil import STATE_DIR
    from ..project import resolved

    root = resolved(project.root, ".")
    if file.is_symlink():
        target = resolved(file, str(file))
        if target.is_relative_to(root):
            raise L10nError(f"{file}: a symbolic link into the project (to {target}); give another file")
    else:
        target = resolved(file.parent, str(file)) / file.name
    if target.is_dir():
        raise L10nError(f"{file}: a folder; give the name of a file")
    config = project.config
    for what, path in (("its settings", root / CONFIG_NAME), ("the source folder", root / config.source_dir),
                       ("the locales folder", root / config.locales_dir), (STATE_DIR, root / STATE_DIR)):
        if target.is_relative_to(path) or target.is_relative_to(resolved(path, str(path))):
            raise L10nError(f"{file}: is part of the project ({what}); export to a file outside it")
    return target


# ------------------------------------------------------------------ import


@dataclass
class Imported:
    """What an import brought for one target language."""

    language: str
    path: str  # the memory file, from the project root
    added: int = 0
    known: int = 0  # pairs already in the memory
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> entries left out
    changed: bool = False


def _read_import(path: Path, project: Project, languages: tuple[str, ...],
                 lang_option: str | None) -> dict[str, tuple[list[Pair], dict[str, int]]]:
    """The pairs a file brings per target language, with the entries left out by reason."""
    source = project.config.source_language
    name = str(path)
    if not path.is_file():
        raise L10nError(f"{name}: no such file")
    with open(path, "rb") as f:
        start = f.read(512)
    if start[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde"):
        raise L10nError(f"{name}: byte 0: a compiled MO catalog; turn it into a PO file with "
                        "`msgunfmt FILE.mo -o FILE.po` and import that")
    is_xml = path.suffix.lower() in (".tmx", ".xml") or start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    out: dict[str, tuple[list[Pair], dict[str, int]]] = {lang: ([], {}) for lang in languages}
    origin_default = path.name
    if is_xml:
        _srclang, units = read_tmx(path)
        if not units:
            raise L10nError(f"{name}: no translation units in the file")
        for _line, variants, _origin in units:
            text = pick(variants, source)
            for lang in languages:
                pairs, skipped = out[lang]
                translation = pick(variants, lang)
                if text is None or translation is None:
                    skipped["without both languages"] = skipped.get("without both languages", 0) + 1
                    continue
                _add(pairs, skipped, text, translation, origin_default)
        found = {code for _l, variants, _o in units for code in variants}
        if not any(pairs for pairs, _ in out.values()):
            have = ", ".join(sorted(found)) or "none"
            wanted = ", ".join(f"{source}→{lang}" for lang in languages)
            raise L10nError(f"{name}: no {wanted} pairs in the file (its languages: {have})")
        return out

    from ..po import read_catalog

    po = read_catalog(path)
    declared = (po.metadata.get("Language") or "").strip()
    target = normalize_language(declared) if declared else None
    if declared and target is None:
        raise L10nError(f"{name}: unknown language code {declared!r} in the Language header")
    if lang_option and target and not same_language(target, lang_option):
        raise L10nError(f"{name}: the catalog says Language: {declared}, not {lang_option}")
    target = lang_option or target
    if target is None:
        raise L10nError(f"{name}: no Language in the catalog's header; say which with --lang")
    lang = target if target in languages else next((c for c in languages if same_language(target, c)), None)
    if lang is None:
        what = "this project's source language" if same_language(target, source) else \
            f"not a target language of this project ({', '.join(languages)})"
        raise L10nError(f"{name}: the catalog translates into {target}, {what}")
    declared_source = (po.metadata.get("X-Source-Language") or "").strip()
    if declared_source and not same_language(normalize_language(declared_source) or declared_source, source):
        raise L10nError(f"{name}: the catalog translates from {declared_source}, this project from {source}")
    pairs, skipped = out[lang]
    for entry in po:
        if not entry.msgid and not entry.msgctxt:
            continue  # the header
        reason = ("obsolete" if entry.obsolete else "plural" if entry.msgid_plural else
                  "with context" if entry.msgctxt is not None else "fuzzy" if entry.fuzzy else
                  "untranslated" if not entry.msgstr else "")
        if reason:
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        _add(pairs, skipped, entry.msgid, entry.msgstr, origin_default)
    return {lang: out[lang]}


def _add(pairs: list[Pair], skipped: dict[str, int], source: str, target: str, origin: str) -> None:
    if not source.strip() or not target.strip():
        skipped["empty"] = skipped.get("empty", 0) + 1
    elif NOT_XML.search(source) or NOT_XML.search(target):
        skipped["control characters"] = skipped.get("control characters", 0) + 1
    else:
        pairs.append(Pair(source, target, origin))


def import_file(project: Project, path: Path, languages: list[str] | None = None) -> list[Imported]:
    """Add the pairs of a TMX or PO file to the project's imported memory; see the module docstring."""
    from ..fsutil import atomic_write_many

    chosen = project.languages(languages)
    lang_option = chosen[0] if languages and len(chosen) == 1 else None
    incoming = _read_import(path, project, chosen, lang_option)
    results = []
    files = []
    segtype = "paragraph" if project.config.segmentation == "paragraph" else "sentence"
    for lang, (pairs, skipped) in incoming.items():
        target = memory_path(project, lang)
        existing = imported_pairs(project, lang)
        known = {(p.source, p.target) for p in existing}
        result = Imported(lang, project.rel(target), skipped=skipped)
        added = []
        for pair in pairs:
            key = (pair.source, pair.target)
            if key in known:
                result.known += 1
                continue
            known.add(key)
            added.append(pair)
        result.added = len(added)
        if added:
            files.append((target, tmx_bytes(existing + added, project.config.source_language, lang, segtype)))
        results.append(result)
    changed = set(atomic_write_many(files))
    for result in results:
        result.changed = memory_path(project, result.language) in changed
    return results
