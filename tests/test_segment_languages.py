"""Segmentation per source language: German rules for German, no other language's rules for any other."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n import config as config_module
from l10n import formats, segment
from l10n.errors import L10nError
from l10n.formats import FormatSettings
from l10n.segment import de

from support import run_l10n, snapshot

FRENCH = ("Le titre\n\n"
          "Le Dr. Martin est arrivé. Il a parlé pendant une heure. Puis il est parti.\n\n"
          "Un deuxième paragraphe. Avec deux phrases.\n")


def _config(language: str, segmentation: str | None = None):
    data = {"source_language": language, "target_languages": ["en" if language != "en" else "de"]}
    if segmentation:
        data["segmentation"] = segmentation
    return config_module.parse(data, Path("."))


def test_the_registry_picks_the_rules_of_the_base_language():
    assert segment.LANGUAGES == ("de",)
    for code in ("de", "de_AT", "de_CH"):
        assert segment.splitter_for(code) is de.sentence_spans
        assert segment.caption_credit(code) is de.CAPTION_CREDIT
    for code in ("fr", "en", "pt_BR", "dk"):
        assert segment.rules_for(code) is None
        assert segment.splitter_for(code) is segment.paragraph_spans
        assert segment.caption_credit(code) is None
    assert segment.sentence_spans("Erster Satz. Zweiter Satz.", "de") == [(0, 12), (13, 26)]
    assert segment.sentence_spans("Première phrase. Deuxième phrase.", "fr") == [(0, 33)]


@pytest.mark.parametrize("text, spans", [
    ("", []), (" \n\t", []),
    ("  Une phrase. Une autre.  ", [(2, 24)]),
    ("Un bloc.\nSur deux lignes.", [(0, 25)]),
    ("Un bloc.\n\n  Un autre.\n", [(0, 8), (12, 21)]),  # a blank line still ends a unit, as with the rules
])
def test_without_rules_a_paragraph_stays_whole(text, spans):
    assert segment.paragraph_spans(text) == spans


@given(st.text(alphabet=" \n\t.aZ\u00a0", max_size=40))
def test_paragraph_spans_keep_the_splitter_contract(text):
    pos = 0
    for start, end in segment.paragraph_spans(text):
        assert pos <= start < end <= len(text) and not text[pos:start].strip()
        assert not text[start].isspace() and not text[end - 1].isspace()
        pos = end
    assert not text[pos:].strip()


def test_sentence_segmentation_without_rules_is_refused_in_one_line():
    with pytest.raises(L10nError) as info:
        FormatSettings("fr")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("l10n.yaml: segmentation: sentence: ")
    assert "not for the source language fr" in message and "set `segmentation: paragraph`" in message
    with pytest.raises(L10nError, match="source language en"):
        FormatSettings.from_config(_config("en"))
    assert FormatSettings("fr", "paragraph").splitter is segment.paragraph_spans
    assert FormatSettings.from_config(_config("de_AT")).splitter is de.sentence_spans


def test_a_french_text_article_by_paragraph_is_cut_by_paragraphs_only():
    cfg = _config("fr", "paragraph")
    doc = formats.for_path("a.txt").read(FRENCH.encode(), "a.txt", FormatSettings.from_config(cfg))
    assert [(u.kind, u.text) for u in doc.units()] == [
        ("title", "Le titre"),
        ("paragraph", "Le Dr. Martin est arrivé. Il a parlé pendant une heure. Puis il est parti."),
        ("paragraph", "Un deuxième paragraphe. Avec deux phrases."),
    ]
    assert doc.render() == FRENCH.encode()


def test_german_credit_words_make_captions_in_german_articles_only():
    text = "Titel\n\nEin Absatz mit Text. Noch ein Satz.\n\nFoto: dpa\n\nLetzter Absatz hier. Ende.\n"
    kinds = {lang: [u.kind for u in formats.read(text.encode(), "a.txt", _config(lang, "paragraph")).units()]
             for lang in ("de", "fr")}
    assert kinds["de"] == ["title", "caption", "caption", "paragraph"]  # the credit and the line before it
    assert kinds["fr"] == ["title", "paragraph", "heading", "paragraph"]


def test_a_french_markdown_article_by_paragraph_keeps_its_paragraphs_whole():
    source = "# Titre\n\nLe Dr. Martin est arrivé. Il est parti.\n\n- Un point. Encore un.\n"
    doc = formats.for_path("a.md").read(source.encode(), "a.md", FormatSettings("fr", "paragraph"))
    assert [u.text for u in doc.units()] == ["Titre", "Le Dr. Martin est arrivé. Il est parti.",
                                            "Un point. Encore un."]
    assert doc.render() == source.encode()
    with pytest.raises(L10nError, match="segmentation: paragraph"):
        formats.for_path("a.md").read(source.encode(), "a.md", _config("fr"))


def test_extract_refuses_sentences_in_a_language_without_rules_then_works_by_paragraph(tmp_path: Path):
    run_l10n("init", ".", "-s", "fr", "-t", "en", cwd=tmp_path)
    config = tmp_path / "l10n.yaml"
    text = config.read_text(encoding="utf-8")
    assert "segmentation: paragraph" in text  # init knows l10n has no French sentence rules
    config.write_text(text.replace("segmentation: paragraph", "segmentation: sentence"), encoding="utf-8")
    (tmp_path / "source" / "article.txt").write_text(FRENCH, encoding="utf-8")
    before = snapshot(tmp_path)
    proc = run_l10n("extract", cwd=tmp_path, check=False)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "segmentation: paragraph" in lines[0] and "source language fr" in lines[0], lines
    assert snapshot(tmp_path) == before  # nothing written
    config.write_text(text, encoding="utf-8")
    run_l10n("extract", cwd=tmp_path)
    pot = polib.pofile(str(tmp_path / "locales" / "templates" / "article.pot"))
    assert [(e.comment, e.msgid) for e in pot] == [
        ("title", "Le titre"),
        ("paragraph 1", "Le Dr. Martin est arrivé. Il a parlé pendant une heure. Puis il est parti."),
        ("paragraph 2", "Un deuxième paragraphe. Avec deux phrases."),
    ]


def test_a_regional_german_source_uses_the_german_rules():
    doc = formats.read("Titel\n\nDer Dr. Huber kam. Er ging.\n".encode(), "a.txt", _config("de_AT"))
    assert [u.text for u in doc.units()] == ["Titel", "Der Dr. Huber kam.", "Er ging."]
