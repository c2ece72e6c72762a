"""The plain-text article format: units, skeleton, and exact round trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n import config as config_module
from l10n.errors import L10nError
from l10n.formats import text
from l10n.formats.lines import split_lines

from support import REPO, SEED

SAMPLE_CONFIG = config_module.load(REPO)
PLAIN = config_module.parse({"source_language": "de", "target_languages": ["en"]}, Path("."))


def units(data: bytes, cfg=PLAIN):
    return list(text.read(data, "a.txt", cfg).units())


def identity(data: bytes, cfg=PLAIN) -> bytes:
    doc = text.read(data, "a.txt", cfg)
    return doc.render(lambda unit: unit.text)


def test_seed_round_trips_exactly():
    data = SEED.read_bytes()
    assert identity(data, SAMPLE_CONFIG) == data
    assert text.read(data, "a.txt", SAMPLE_CONFIG).render() == data


@pytest.mark.parametrize("transform", [
    lambda b: b.replace(b"\n", b"\r\n"),
    lambda b: b"\xef\xbb\xbf" + b,
    lambda b: b.rstrip(b"\n"),
    lambda b: b + b"\n\n\n",
    lambda b: b"\n\n" + b.replace(b"\n", b"  \n"),
    lambda b: b.replace(b"  \xe2\x80\xa2 ", b"\t- "),
    lambda b: b.replace(b"\n", b"\r"),
])
def test_seed_variants_round_trip(transform):
    data = transform(SEED.read_bytes())
    assert identity(data, SAMPLE_CONFIG) == data
    assert identity(data) == data


def test_seed_units_and_kinds():
    found = units(SEED.read_bytes(), SAMPLE_CONFIG)
    kinds = {}
    for unit in found:
        kinds.setdefault(unit.kind, []).append(unit.text)
    title = "Was bedeutet Open-Source-KI und warum ist DeepSeek anders?"
    assert found[0].kind == "title" and found[0].text == title and found[0].line == 1
    assert found[1].text == title and found[1].line == 3
    assert [u.text[:20] for u in found if u.kind == "item"] == [
        "DeepSeek hat die KI-", "Das entscheidende Un", "Die Initiative „AI f"]
    assert "Was macht DeepSeek anders?" in kinds["heading"]
    assert "Geringere Kosten, höhere Energieeffizienz" in kinds["heading"]
    assert "Bildquelle: Stanford University" in kinds["caption"]
    assert "Die USA bleiben die wichtigste Quelle für KI-Modelle." in kinds["caption"]
    assert kinds["byline"] == ["Charlotte Edmond", "Leitender Redakteur, Forumsagenda"]
    # the skip rules take the navigation lines and the teaser block out of translation
    assert not any(u.text.startswith(("<<", ">>", "Artikel empfehlen", "So praktizieren")) for u in found)
    hangzhou = [u for u in found if u.note.startswith("paragraph 5,")]
    assert [u.text for u in hangzhou] == [
        "DeepSeek hat seinen Hauptsitz in Hangzhou und wird vom chinesischen Hedgefonds-Unternehmen High Flyer finanziert.",
        "Es wurde erst im Jahr 2023 gegründet.",
        "Sein Flaggschiffmodell DeepSeek-R1, das im Januar 2025 auf den Markt kam, hat Denk- und "
        "Mathematikfähigkeiten bewiesen, die mit denen anderer führender KI-Modelle vergleichbar sind.",
        "Der Entwicklungsprozess unterscheidet sich jedoch in einigen wesentlichen Punkten von anderen KI-Modellen.",
    ]
    assert hangzhou[0].note == "paragraph 5, sentence 1 of 4"


def test_item_marker_and_indentation_are_skeleton():
    doc = text.read("Titel\n\n  • Erster Punkt.\n\t- Zweiter Punkt.\n* Dritter\n".encode(), "a.txt", PLAIN)
    items = [u for u in doc.units() if u.kind == "item"]
    assert [u.text for u in items] == ["Erster Punkt.", "Zweiter Punkt.", "Dritter"]
    rendered = doc.render(lambda u: u.text.upper()).decode()
    assert rendered == "TITEL\n\n  • ERSTER PUNKT.\n\t- ZWEITER PUNKT.\n* DRITTER\n"


def test_publish_drops_skipped_blocks_and_their_separators():
    data = SEED.read_bytes()
    doc = text.read(data, "a.txt", SAMPLE_CONFIG)
    published = doc.render(publish=True).decode()
    assert published.endswith("Charlotte Edmond\n\nLeitender Redakteur, Forumsagenda\n")
    assert "<<:" not in published and "Artikel empfehlen" not in published
    assert "\n\n\n" not in published
    kept = doc.render().decode()
    assert kept == data.decode()


def test_skip_rule_keep_leaves_text_verbatim_and_untranslated():
    cfg = config_module.parse({"source_language": "de", "target_languages": ["en"],
                               "skip": [{"match": "^Foto:", "scope": "line", "publish": "keep"}]}, Path("."))
    doc = text.read("Titel\n\nFoto: dpa\n\nEin Satz. Noch einer.\n".encode(), "a.txt", cfg)
    assert [u.text for u in doc.units()] == ["Titel", "Ein Satz.", "Noch einer."]
    assert doc.render(lambda u: "X", publish=True).decode() == "X\n\nFoto: dpa\n\nX X\n"


def test_block_scope_skips_the_whole_block():
    cfg = config_module.parse({"source_language": "de", "target_languages": ["en"],
                               "skip": [{"match": "^Anzeige$", "scope": "block", "publish": "drop"}]}, Path("."))
    doc = text.read("Titel\n\nAnzeige\nKaufen Sie jetzt.\n\nText hier.\n".encode(), "a.txt", cfg)
    assert [u.text for u in doc.units()] == ["Titel", "Text hier."]
    assert doc.render(publish=True).decode() == "Titel\n\nText hier.\n"


def test_paragraph_segmentation_keeps_paragraphs_whole():
    cfg = config_module.parse({"source_language": "de", "target_languages": ["en"], "segmentation": "paragraph"},
                              Path("."))
    found = units("Titel\n\nEin Satz. Noch ein Satz.\n".encode(), cfg)
    assert [(u.kind, u.text) for u in found] == [("title", "Titel"), ("paragraph", "Ein Satz. Noch ein Satz.")]


def test_wrapped_paragraph_lines_fold_into_one_message():
    data = "Titel\n\nEin langer Satz,\n  der umbrochen ist. Zweiter Satz.\n".encode()
    doc = text.read(data, "a.txt", PLAIN)
    found = list(doc.units())
    assert found[1].text == "Ein langer Satz, der umbrochen ist." and found[1].line == 3
    assert found[2].line == 4
    assert doc.render(lambda u: u.text) == data


@pytest.mark.parametrize("data, message", [
    (b"", "a.txt: empty file"),
    (b" \n\n", "a.txt: empty file"),
    (b"Titel\n\xff\xfe kaputt\n", "a.txt: byte 6: not valid UTF-8"),
    (b"PK\x03\x04\x00\x00binary", "a.txt: byte 4: binary file"),
])
def test_bad_input_is_one_clear_line(data, message):
    with pytest.raises(L10nError) as info:
        text.read(data, "a.txt", PLAIN)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_lines_end_at_crlf_cr_and_lf_only():
    source = "\ufeffa\x85b\u2028c\r\n\v\x1c \r\nd\re\n\nf\f"
    lines = split_lines(source)
    assert [(source[ln.start:ln.end], source[ln.end:ln.stop], ln.number, ln.blank) for ln in lines] == [
        ("a\x85b\u2028c", "\r\n", 1, False), ("\v\x1c ", "\r\n", 2, True), ("d", "\r", 3, False),
        ("e", "\n", 4, False), ("", "\n", 5, True), ("f\f", "", 6, False)]
    assert lines[0].start == 1  # after the byte order mark
    assert split_lines("") == split_lines("\ufeff") == []


_ALPHABET = st.sampled_from(list("ab cdÄß.,?!:;-–•*\t\n\r\u00a0\u2028\x85„“\"'0123456789%") + ["\r\n", "\n\n", "  • ", "z. B.", "<<:\u00a0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, min_size=1, max_size=80).map("".join), st.booleans())
def test_any_text_round_trips(body, bom):
    data = (("\ufeff" if bom else "") + body).encode()
    if not data.replace(b"\xef\xbb\xbf", b"").strip():
        return
    for cfg in (PLAIN, SAMPLE_CONFIG):
        doc = text.read(data, "a.txt", cfg)
        assert doc.render(lambda unit: unit.text) == data
        assert doc.render() == data
        for unit in doc.units():
            assert unit.text == unit.text.strip() and unit.text
            assert not re.search(r"[\r\n]", unit.text)


# ------------------------------------------------------------------ numbered lists and captions (held-out articles)

def test_numbered_lines_are_list_items_like_bullets():
    source = ("Zehn Tipps für heiße Tage\n\nSo kommen Sie durch den Sommer:\n\n"
              "1. Früh aufstehen … und die kühlen Morgenstunden nutzen.\n2. Viel trinken.\n"
              "   a) Wasser\n   b) ungesüßten Tee\n3) Schatten suchen.\n  4) Leichte Kleidung tragen.\n\n"
              "Wer das beherzigt, kommt gut durch den Sommer. Das sagen Ärzte.\n")
    doc = text.read(source.encode(), "a.txt", PLAIN)
    found = [(u.kind, u.text) for u in doc.units()]
    assert found[2:8] == [("item", "Früh aufstehen … und die kühlen Morgenstunden nutzen."),
                          ("item", "Viel trinken."), ("item", "Wasser"), ("item", "ungesüßten Tee"),
                          ("item", "Schatten suchen."), ("item", "Leichte Kleidung tragen.")]
    assert [u.note for u in doc.units() if u.kind == "item"] == ["list item"] * 6
    assert not any(u.text in ("2.", "3)") for u in doc.units())
    rendered = doc.render(lambda u: u.text.upper()).decode()
    assert "\n1. FRÜH AUFSTEHEN … UND DIE KÜHLEN MORGENSTUNDEN NUTZEN.\n2. VIEL TRINKEN.\n" in rendered
    assert "\n   a) WASSER\n   b) UNGESÜSSTEN TEE\n" in rendered
    assert "\n3) SCHATTEN SUCHEN.\n  4) LEICHTE KLEIDUNG TRAGEN.\n" in rendered
    assert doc.render(lambda u: u.text) == source.encode()


def test_numbered_items_separated_by_blank_lines_and_indented_continuations():
    source = ("Titel\n\n1. Früh aufstehen, solange es kühl ist.\n   Dann läuft es sich leichter.\n\n"
              "2. Viel trinken. Wasser ist am besten.\n\nEnde des Textes. Wirklich.\n")
    found = [(u.kind, u.text) for u in units(source.encode())]
    assert found == [("title", "Titel"),
                     ("item", "Früh aufstehen, solange es kühl ist. Dann läuft es sich leichter."),
                     ("item", "Viel trinken. Wasser ist am besten."),
                     ("sentence", "Ende des Textes."), ("sentence", "Wirklich.")]
    assert identity(source.encode()) == source.encode()


def test_a_numbered_line_without_its_neighbour_stays_prose():
    source = ("Titel\n\n1. Mai: Tausende gingen auf die Straße. Die Polizei blieb gelassen.\n\n"
              "Ein Absatz dazwischen. Er trennt die Zeilen.\n\n2. Juni: Der Regen kam. Niemand war draußen.\n\n"
              "Am Ende des Jahres stand fest, dass der\n3. Platz reicht.\n")
    found = [(u.kind, u.text) for u in units(source.encode())]
    assert ("sentence", "1. Mai: Tausende gingen auf die Straße.") in found
    assert ("sentence", "2. Juni: Der Regen kam.") in found
    assert ("sentence", "Am Ende des Jahres stand fest, dass der 3. Platz reicht.") in found
    assert not any(kind == "item" for kind, _ in found)


def test_only_a_caption_like_line_before_an_image_credit_is_a_caption():
    long = ("Der Stausee liegt seit Wochen fast trocken, und die Behörden haben die Entnahme von Wasser für die "
            "Landwirtschaft verboten. Die Bauern der Region fürchten um ihre Ernte. Sie fordern Hilfen vom Land. "
            "Ob es die gibt, ist offen.")
    source = (f"Titel\n\nEin Absatz vorweg. Mit zwei Sätzen.\n\n{long}\n\nBildquelle: dpa\n\n"
              "Ein Landwirt steht auf seinem vertrockneten Feld bei Magdeburg.\n\nFoto: Max Muster\n\n"
              "Mehr Text. Noch mehr.\n")
    found = [(u.kind, u.text, u.note) for u in units(source.encode())]
    assert ("caption", "Bildquelle: dpa", "caption") in found
    assert ("caption", "Ein Landwirt steht auf seinem vertrockneten Feld bei Magdeburg.", "caption") in found
    assert ("caption", "Foto: Max Muster", "caption") in found
    paragraph = [(kind, t, note) for kind, t, note in found if note.startswith("paragraph 2,")]
    assert [t for _, t, _ in paragraph] == [
        "Der Stausee liegt seit Wochen fast trocken, und die Behörden haben die Entnahme von Wasser für die "
        "Landwirtschaft verboten.", "Die Bauern der Region fürchten um ihre Ernte.", "Sie fordern Hilfen vom Land.",
        "Ob es die gibt, ist offen."]
    assert paragraph[0][2] == "paragraph 2, sentence 1 of 4"
    assert identity(source.encode()) == source.encode()


def test_a_long_sentence_or_three_sentences_before_an_image_credit_are_no_caption():
    sentence = " ".join(["Wort"] * 41) + "."
    found = [(u.kind, u.text) for u in units(f"Titel\n\nEin Satz vorweg.\n\n{sentence}\n\nFoto: dpa\n".encode())]
    assert ("sentence", sentence) in found and ("caption", "Foto: dpa") in found
    three = "Ein Mann geht. Er trägt einen Hut. Es regnet."
    found = [(u.kind, u.text) for u in units(f"Titel\n\nEin Satz vorweg.\n\n{three}\n\nFoto: dpa\n".encode())]
    assert [t for k, t in found if k == "sentence"][1:] == ["Ein Mann geht.", "Er trägt einen Hut.", "Es regnet."]
    two = "Ein Mann geht durch den Regen. Er trägt einen Hut."
    found = [(u.kind, u.text) for u in units(f"Titel\n\nEin Satz vorweg.\n\n{two}\n\nFoto: dpa\n".encode())]
    assert ("caption", two) in found
