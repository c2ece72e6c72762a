"""The sentence aligner's evaluation set, tests/data/align/, agrees with the articles it describes.

Each pair folder holds a German article, its English translation and
``gold.yaml``, the beads a translator's work gives, in document order. The
German side of the beads must be exactly the units l10n extracts from the
German file (its own format and German sentence rules); the English side must
be the English file's text, in order, nothing left out. Both files are also
read one unit per block (``segmentation: paragraph``) to check that a bead
never crosses a block and that the blocks of the two files pair up in order.
The README's table of bead types must match the gold files, and the English and
French sentence segmentation cases (tests/data/segmentation_en.yaml, _fr.yaml)
must be consistent.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from l10n import formats
from l10n.formats import FormatSettings

ALIGN = Path(__file__).resolve().parent / "data" / "align"
PAIRS = sorted(path for path in ALIGN.iterdir() if path.is_dir())
GERMAN = FormatSettings("de")
ORDER = ("1-1", "2-1", "1-2", "2-2", "3-1", "1-3", "1-0", "0-1")  # the README's columns


def _space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def gold(pair: Path) -> dict:
    return yaml.safe_load((pair / "gold.yaml").read_text(encoding="utf-8"))


def units(path: Path, settings: FormatSettings) -> list:
    return list(formats.read(path.read_bytes(), path.name, settings).units())


def blocks(path: Path, language: str) -> list:
    """The file's units one per block: titles, headings, items, captions and whole paragraphs."""
    return units(path, FormatSettings(language, "paragraph"))


def tile(sentences: list[str], block_texts: list[str], label: str) -> list[int]:
    """The block index of each sentence, where the sentences in order make up the blocks exactly."""
    owner: list[int] = []
    i = 0
    for index, text in enumerate(block_texts):
        text = _space(text)
        taken: list[str] = []
        while i < len(sentences) and len(" ".join(taken)) < len(text):
            taken.append(sentences[i])
            owner.append(index)
            i += 1
        assert " ".join(taken) == text, f"{label}: block {index + 1} is {text!r}, the gold sentences give {taken!r}"
    assert i == len(sentences), f"{label}: gold sentences beyond the last block: {sentences[i:]!r}"
    return owner


def bead_types(pair: Path) -> Counter:
    return Counter(f"{len(bead['de'])}-{len(bead['en'])}" for bead in gold(pair)["beads"])


def files(pair: Path) -> tuple[Path, Path]:
    data = gold(pair)
    return pair / data["source"], pair / data["translation"]


@pytest.mark.parametrize("pair", PAIRS, ids=[pair.name for pair in PAIRS])
def test_gold_file_is_well_formed(pair):
    data = gold(pair)
    assert sorted(data) == ["beads", "source", "translation"]
    source, translation = files(pair)
    assert source.name.startswith("de.") and translation.name.startswith("en.")
    assert source.suffix == translation.suffix and source.is_file() and translation.is_file()
    for n, bead in enumerate(data["beads"], 1):
        assert sorted(bead) == ["de", "en"], f"bead {n}: keys {sorted(bead)}"
        assert bead["de"] or bead["en"], f"bead {n} is empty"
        for sentence in bead["de"] + bead["en"]:
            assert isinstance(sentence, str) and sentence == _space(sentence) and sentence, f"bead {n}: {sentence!r}"


@pytest.mark.parametrize("pair", PAIRS, ids=[pair.name for pair in PAIRS])
def test_german_side_is_what_l10n_extracts(pair):
    source, _ = files(pair)
    german = [s for bead in gold(pair)["beads"] for s in bead["de"]]
    assert german == [unit.text for unit in units(source, GERMAN)]


@pytest.mark.parametrize("pair", PAIRS, ids=[pair.name for pair in PAIRS])
def test_english_sentences_occur_in_order_without_overlap(pair):
    _, translation = files(pair)
    text = _space(translation.read_text(encoding="utf-8"))
    position = 0
    for sentence in (s for bead in gold(pair)["beads"] for s in bead["en"]):
        found = text.find(sentence, position)
        assert found >= 0, f"{translation.name}: {sentence!r} not found after offset {position}"
        position = found + len(sentence)


@pytest.mark.parametrize("pair", PAIRS, ids=[pair.name for pair in PAIRS])
def test_beads_keep_within_blocks_and_blocks_pair_up(pair):
    source, translation = files(pair)
    beads = gold(pair)["beads"]
    sides = {}
    for side, path in (("de", source), ("en", translation)):
        found = blocks(path, side)
        owner = iter(tile([s for b in beads for s in b[side]], [u.text for u in found], path.name))
        sides[side] = (found, [{next(owner) for _ in bead[side]} for bead in beads])
    pairs = set()
    for n, (de, en) in enumerate(zip(sides["de"][1], sides["en"][1]), 1):
        assert len(de) <= 1 and len(en) <= 1, f"bead {n} crosses a block"
        if de and en:
            pairs.add((de.pop(), en.pop()))
    # one German block to one English block, in order on both sides
    assert len({d for d, _ in pairs}) == len({e for _, e in pairs}) == len(pairs)
    assert [e for _, e in sorted(pairs)] == sorted(e for _, e in pairs)
    for d, e in pairs:
        kind_de, kind_en = sides["de"][0][d].kind, sides["en"][0][e].kind
        # l10n knows no English image-credit words: an English plain-text caption reads as a heading or paragraph
        assert kind_de == kind_en or (source.suffix == ".txt" and kind_de == "caption"
                                      and kind_en in ("heading", "paragraph")), \
            f"block {d + 1} of {source.name} is a {kind_de}, block {e + 1} of {translation.name} a {kind_en}"


def test_set_is_large_and_varied():
    suffixes = Counter(files(pair)[0].suffix for pair in PAIRS)
    assert len(PAIRS) >= 8 and suffixes[".txt"] >= 4 and suffixes[".md"] >= 4
    for pair in PAIRS:
        beads = gold(pair)["beads"]
        for side in ("de", "en"):
            assert 20 <= sum(len(bead[side]) for bead in beads) <= 45, f"{pair.name}: {side} sentences"
    total = sum((bead_types(pair) for pair in PAIRS), Counter())
    assert total["2-1"] >= 8 and total["1-2"] >= 8 and total["1-0"] >= 4 and total["0-1"] >= 4
    assert total["2-2"] >= 2 and total["3-1"] + total["1-3"] >= 2


def readme_table() -> str:
    """The README's table of bead types per pair, as the gold files give it."""
    found = {t for pair in PAIRS for t in bead_types(pair)}
    types = [t for t in ORDER if t in found] + sorted(found - set(ORDER))
    lines = ["| pair | " + " | ".join(types) + " | beads | de | en |", "|---" * (len(types) + 4) + "|"]
    total: Counter = Counter()
    for pair in PAIRS + [None]:
        if pair is None:
            counts, name = total, "total"
        else:
            counts, name = bead_types(pair), pair.name
            beads = gold(pair)["beads"]
            counts = counts + Counter(de=sum(len(b["de"]) for b in beads), en=sum(len(b["en"]) for b in beads))
            total += counts
        row = [str(counts[t]) for t in types] + [str(sum(counts[t] for t in types)), str(counts["de"]),
                                                 str(counts["en"])]
        lines.append(f"| {name} | " + " | ".join(row) + " |")
    return "\n".join(lines)


def test_readme_counts_match_the_gold_files():
    assert readme_table() in (ALIGN / "README.md").read_text(encoding="utf-8"), readme_table()


SEGMENTATION = {language: Path(__file__).resolve().parent / "data" / f"segmentation_{language}.yaml"
                for language in ("en", "fr")}


@pytest.mark.parametrize("language", sorted(SEGMENTATION))
def test_target_language_segmentation_cases_are_consistent(language):
    """The English and French cases the target-language splitter is chosen on: each case's sentences are its
    text, in order, with only white space between them."""
    cases = yaml.safe_load(SEGMENTATION[language].read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 40 and len({case["id"] for case in cases}) == len(cases)
    for case in cases:
        assert sorted(case) == ["id", "sentences", "text", "topic"], case["id"]
        rest = case["text"]
        for sentence in case["sentences"]:
            before, found, rest = rest.partition(sentence)
            assert found and not before.strip() and sentence == sentence.strip(), (case["id"], sentence)
        assert not rest.strip(), case["id"]
