"""TMX 1.4, read and written with lxml, and the project's imported memory (``locales/memory/<lang>.tmx``).

Reading never resolves entities nor fetches a DTD. (translate-toolkit's
TMX storage is built on lxml too, but takes twice as long to import and is
a much larger dependency.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import L10nError
from ..languages import base_language, normalize_language
from ..project import Project

MEMORY_DIR = "memory"
TMX_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ORIGIN_PROP = "x-l10n-origin"
CONFIDENCE_PROP = "x-l10n-confidence"  # an aligned pair's confidence, 0–1 (``l10n memory align``)
TARGET_PROP = "x-l10n-target-language"

# Characters XML 1.0 cannot hold, not even as character references.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Pair:
    """A source text and its translation; ``origin`` says where it came from (an article, a file).

    ``confidence`` (0–1) is set on pairs that ``l10n memory align`` found by
    aligning an article with its translation; None for any other pair.
    """

    source: str
    target: str
    origin: str = ""
    confidence: float | None = None


@dataclass(frozen=True)
class TmxUnit:
    """A ``<tu>`` as read: its line, its text per language, and our props (origin, confidence)."""

    line: int
    variants: dict[str, str]
    origin: str = ""
    confidence: float | None = None


def memory_path(project: Project, language: str) -> Path:
    """The project's imported memory for ``language``: ``locales/memory/<language>.tmx``."""
    return project.config.locales_path / MEMORY_DIR / f"{language}.tmx"


def tmx_language(code: str) -> str:
    """A gettext language code as TMX (BCP 47) writes it: ``pt_BR`` → ``pt-BR``."""
    return code.replace("_", "-")


# ------------------------------------------------------------------ export



def tmx_bytes(pairs: list[Pair], source_language: str, target_language: str, segtype: str = "sentence") -> bytes:
    """A TMX 1.4 document of ``pairs``: the same pairs give the same bytes (no dates in it)."""
    from lxml import etree

    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header")
    for name, value in (("creationtool", "l10n"), ("creationtoolversion", __version__), ("segtype", segtype),
                        ("o-tmf", "PO"), ("adminlang", "en"), ("srclang", tmx_language(source_language)),
                        ("datatype", "plaintext")):
        header.set(name, value)
    prop = etree.SubElement(header, "prop", type=TARGET_PROP)
    prop.text = tmx_language(target_language)
    body = etree.SubElement(root, "body")
    for pair in pairs:
        tu = etree.SubElement(body, "tu")
        if pair.origin:
            etree.SubElement(tu, "prop", type=ORIGIN_PROP).text = pair.origin
        if pair.confidence is not None:
            etree.SubElement(tu, "prop", type=CONFIDENCE_PROP).text = f"{pair.confidence:.3f}"
        for lang, text in ((source_language, pair.source), (target_language, pair.target)):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(XML_LANG, tmx_language(lang))
            etree.SubElement(tuv, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=TMX_DOCTYPE)



def same_language(code: str, wanted: str) -> bool:
    return code == wanted or base_language(code) == base_language(wanted)


def pick(variants: dict[str, str], wanted: str) -> str | None:
    """The text of ``wanted`` among a unit's variants: the same code, else the same base language."""
    if wanted in variants:
        return variants[wanted]
    return next((text for code, text in variants.items() if same_language(code, wanted)), None)


def read_tmx(path: Path, name: str | None = None) -> tuple[str, list[tuple[int, dict[str, str], str]]]:
    """The units of a TMX file: (header srclang, [(line, {language: text}, origin)]); see :func:`read_units`."""
    srclang, units = read_units(path, name)
    return srclang, [(unit.line, unit.variants, unit.origin) for unit in units]


def read_units(path: Path, name: str | None = None) -> tuple[str, list[TmxUnit]]:
    """The units of a TMX file: (header srclang, units).

    Languages are normalised (``en-US`` → ``en_US``); the text of a segment is
    all its text with inline codes as written (``<ph>&lt;b&gt;</ph>`` → ``<b>``).
    Raises :class:`L10nError` naming ``name`` (default: the path) and the line.
    """
    from lxml import etree

    name = name or str(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True,
                             remove_pis=True, huge_tree=True)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        message = re.sub(r"(, line \d+)+, column \d+$", "", exc.msg or "syntax error")
        raise L10nError(f"{name}:{line}: not well-formed XML: {message}") from None
    except OSError as exc:
        raise L10nError(f"{name}: {exc.strerror or exc}") from None
    root = tree.getroot()
    if not isinstance(root.tag, str) or root.tag != "tmx":
        raise L10nError(f"{name}:{root.sourceline}: not a TMX file (the root element is <{root.tag}>, not <tmx>)")
    header = root.find("header")
    body = root.find("body")
    if body is None:
        raise L10nError(f"{name}:{root.sourceline}: not a TMX file (<tmx> has no <body>)")
    srclang = header.get("srclang", "") if header is not None else ""
    units = []
    for tu in body.iterchildren("tu"):
        variants: dict[str, str] = {}
        origin, confidence = "", None
        for prop in tu.iterchildren("prop"):
            if prop.get("type") == ORIGIN_PROP and prop.text:
                origin = prop.text
            elif prop.get("type") == CONFIDENCE_PROP and prop.text:
                confidence = _confidence(prop.text, name, prop.sourceline)
        for tuv in tu.iterchildren("tuv"):
            code = tuv.get(XML_LANG) or tuv.get("lang")
            if not code:
                raise L10nError(f"{name}:{tuv.sourceline}: <tuv> without xml:lang")
            language = normalize_language(code)
            if language is None:
                raise L10nError(f"{name}:{tuv.sourceline}: unknown language code {code!r} in xml:lang")
            seg = tuv.find("seg")
            if seg is None:
                raise L10nError(f"{name}:{tuv.sourceline}: <tuv> without <seg>")
            for node in seg.iter(etree.Entity):
                raise L10nError(f"{name}:{node.sourceline or seg.sourceline}: entity {node.text} in a segment "
                                "(entities of a DTD are not expanded; write the characters instead)")
            variants.setdefault(language, "".join(seg.itertext()))
        units.append(TmxUnit(tu.sourceline or 0, variants, origin, confidence))
    return srclang, units


def _confidence(text: str, name: str, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise L10nError(f"{name}:{line}: <prop type=\"{CONFIDENCE_PROP}\">: expected a number from 0 to 1, "
                        f"got {text!r}")
    return value



def imported_pairs(project: Project, language: str) -> list[Pair]:
    """The pairs of the project's imported memory of ``language`` (none when it has no file)."""
    path = memory_path(project, language)
    if not path.is_file():
        return []
    source = project.config.source_language
    _srclang, units = read_units(path, project.rel(path))
    pairs = []
    for unit in units:
        text, translation = pick(unit.variants, source), pick(unit.variants, language)
        if text and translation:
            pairs.append(Pair(text, translation, unit.origin, unit.confidence))
    return pairs
