"""l10n.segment: German sentence segmentation of news paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from l10n.segment import de as segment
from l10n.segment.de import sentence_spans

DATA = Path(__file__).resolve().parent / "data" / "segmentation_de.yaml"
SAMPLE_ARTICLE = Path(__file__).resolve().parent.parent / "source" / "open-source-ki-deepseek.txt"
CASES = yaml.safe_load(DATA.read_text(encoding="utf-8"))["cases"]


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_fixture_is_large_and_consistent():
    assert len(CASES) >= 60
    assert len({c["id"] for c in CASES}) == len(CASES)
    for c in CASES:
        # the expected sentences are the text, in order, with only whitespace between them
        rest = c["text"]
        for s in c["sentences"]:
            before, found, rest = rest.partition(s)
            assert found and not before.strip(), (c["id"], s)
        assert not rest.strip(), c["id"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_fixture_case(case):
    assert sentences(case["text"]) == case["sentences"]


MUST_NOT_SPLIT = [
    "d. h.", "z. B.", "u. a.", "bzw.", "usw.", "Dr. med.", "Prof.", "S. 225", "12. Juni",
    "1. -3. Jahrhundert", "5,6 Millionen", "1.000.000 Euro", "10 %",
]
# each puts the item mid-sentence (before a capitalised noun, a lower-case word, a number)
TEMPLATES = [
    "Der Bericht nennt {} Zahlen aus Berlin.",
    "Laut Bericht betrifft das {} und weitere Fälle.",
    "Der Bericht nennt {} 2024 als Stichjahr.",
]
QUOTES = ["„Kommt er? Nein! Doch. Vielleicht …“", "„Wir schaffen das. Ganz sicher.“", "»Wer? Ich!«", "“Why? Because.”"]
QUOTE_TEMPLATES = ["{}, sagte er.", "Sie rief {} und ging.", "Er antwortete: {}"]


def _in_context(middle: str) -> None:
    text = f"Vorher geschah nichts. {middle} Danach geschah nichts."
    assert sentences(text) == ["Vorher geschah nichts.", middle, "Danach geschah nichts."]


@pytest.mark.parametrize("item", MUST_NOT_SPLIT)
@pytest.mark.parametrize("template", TEMPLATES)
def test_must_not_split_inside(item, template):
    _in_context(template.format(item))


@pytest.mark.parametrize("quote", QUOTES)
@pytest.mark.parametrize("template", QUOTE_TEMPLATES)
def test_quotes_are_not_split_inside(quote, template):
    _in_context(template.format(quote))


def test_seed_hangzhou_paragraph_is_four_sentences():
    article = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    paragraph = next(p for p in article.split("\n\n") if p.startswith("DeepSeek hat seinen Hauptsitz in Hangzhou"))
    got = sentences(paragraph)
    assert len(got) == 4, got
    assert got[1] == "Es wurde erst im Jahr 2023 gegründet."


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\u00a0\t \n"])
def test_blank_text_gives_no_sentences(text):
    assert sentence_spans(text) == []


def test_result_is_a_fresh_list_and_the_cache_is_bounded():
    text = "Erster Satz. Zweiter Satz."
    first = sentence_spans(text)
    first.append((0, 0))
    assert sentence_spans(text) == [(0, 12), (13, 26)]
    assert segment._cached_spans.cache_info().maxsize is not None


def test_offsets_survive_surrounding_whitespace():
    text = "\n  Erster Satz.\u00a0 Zweiter Satz?  \n"
    assert sentence_spans(text) == [(3, 15), (17, 30)]


# Texts built from pieces that exercise every rule, plus arbitrary characters.
PIECES = [
    "Der", "Satz", "endet", "hier", ".", ". ", "! ", "? ", "… ", "...", " ", "  ", "\n", "\n\n", "\u00a0", "\t",
    "z. B.", "d.h.", "u. a.", "usw.", "Dr.", "S.", "12.", "1. -3.", "2023.", "5,6", "14.30", "Juni", "Platz",
    "den", "„", "“", "”", "»", "«", "‚", "‘", '"', "(", ")", "[", "]", "(!)", "www.example.de", "J. R. R.",
    "iPhone", "a", "Ä", "ß", "x", "\u2028", "\r\n",
]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=30).map("".join),
)


@given(texts)
def test_spans_partition_the_text(text):
    spans = sentence_spans(text)
    assert spans == segment._spans(text)  # the cache gives what the splitter gives
    pos = 0
    for start, end in spans:
        assert pos <= start < end <= len(text)  # ordered, non-overlapping, non-empty
        assert not text[pos:start].strip()  # only whitespace between spans
        assert not text[start].isspace() and not text[end - 1].isspace()  # stripped
        pos = end
    assert not text[pos:].strip()  # so every non-whitespace character is in a span
    if text.strip():
        assert spans
