"""Compare German sentence segmenters on the fixture cases and on real articles.

Usage::

    python benchmarks/segmenters.py [ARTICLE.txt ...] [--runs N] [--show-errors]

ARTICLE defaults to the repository's sample article,
``source/open-source-ki-deepseek.txt``.

For every candidate that is installed (pysbd, SoMaJo, syntok, sentencex,
blingfire) and for ``l10n.segment`` it prints

* accuracy: share of the cases in ``tests/data/segmentation_de.yaml`` whose
  sentence list comes out exactly right;
* ms per article: median over ``--runs`` runs of segmenting every paragraph
  (blocks separated by blank lines) of each ARTICLE, averaged over articles;
* µs per case: median over runs of segmenting all fixture cases, per case;
* import time (fresh interpreter) and set-up time;

and ratios of the timings against the fastest candidate.  ``l10n.segment`` is
timed without its cache ("ours") and with a warm cache ("ours, cached").
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "segmentation_de.yaml"
SAMPLE_ARTICLE = ROOT / "source" / "open-source-ki-deepseek.txt"

Segment = Callable[[str], list[str]]


def _from_spans(text: str, spans) -> list[str]:
    out = []
    for a, b in spans:
        s = text[a:b].strip()
        if s:
            out.append(s)
    return out


def make_pysbd() -> Segment:
    import pysbd

    seg = pysbd.Segmenter(language="de", clean=False, char_span=True)
    return lambda text: _from_spans(text, ((s.start, s.end) for s in seg.segment(text)))


def make_somajo() -> Segment:
    from somajo import SoMaJo

    tok = SoMaJo("de_CMC", split_camel_case=False, split_sentences=True, character_offsets=True)

    def segment(text: str) -> list[str]:
        spans = []
        for sent in tok.tokenize_text([text]):
            spans.append((sent[0].character_offset[0], sent[-1].character_offset[1]))
        return _from_spans(text, spans)

    return segment


def make_syntok() -> Segment:
    import syntok.segmenter as syntok_segmenter

    def segment(text: str) -> list[str]:
        spans = []
        for paragraph in syntok_segmenter.analyze(text):
            for sent in paragraph:
                spans.append((sent[0].offset, sent[-1].offset + len(sent[-1].value)))
        return _from_spans(text, spans)

    return segment


def make_sentencex() -> Segment:
    import sentencex

    return lambda text: [s.strip() for s in sentencex.segment("de", text) if s.strip()]


def make_blingfire() -> Segment:
    import blingfire

    def segment(text: str) -> list[str]:
        if not text.strip():
            return []
        return _from_spans(text, blingfire.text_to_sentences_and_offsets(text)[1])

    return segment


def make_sentencex_rules() -> Segment:
    """sentencex, then our German rules veto its boundaries (merge only).

    This is the "rules on top of the fastest library" design; it cannot add
    the boundaries sentencex misses without scanning the text like ours does.
    """
    import sentencex

    from l10n.segment import de as ours

    def segment(text: str) -> list[str]:
        spans: list[list[int]] = []
        pos = 0
        for s in sentencex.segment("de", text):
            s = s.strip()
            i = text.find(s, pos) if s else -1
            if i < 0:
                continue
            if spans and "\n" not in text[spans[-1][1] : i] and not _keep(text, spans[-1][1], i):
                spans[-1][1] = i + len(s)
            else:
                spans.append([i, i + len(s)])
            pos = i + len(s)
        return [text[a:b] for a, b in spans]

    def _keep(text: str, end: int, nxt: int) -> bool:
        te = end
        while te > 0 and text[te - 1] in ours._CLOSERS:
            te -= 1
        ts = te
        while ts > 0 and text[ts - 1] in ours._TERMINATORS:
            ts -= 1
        if ts == te or text[nxt].islower():
            return ts < te
        ls = text.rfind("\n", 0, ts) + 1
        le = text.find("\n", nxt)
        regions = ours._regions(text, ls, len(text) if le < 0 else le)
        return not ours._inside(regions, end) and ours._is_boundary(text, ls, ts, te, end, nxt)

    return segment


def make_ours_uncached() -> Segment:
    from l10n.segment import de as ours

    return lambda text: [text[a:b] for a, b in ours._spans(text)]


def make_ours_cached() -> Segment:
    from l10n.segment.de import sentence_spans

    return lambda text: [text[a:b] for a, b in sentence_spans(text)]


# name, distribution (for the version), module to time the import of, factory
CANDIDATES = [
    ("pysbd", "pysbd", "pysbd", make_pysbd),
    ("SoMaJo", "SoMaJo", "somajo", make_somajo),
    ("syntok", "syntok", "syntok.segmenter", make_syntok),
    ("sentencex", "sentencex", "sentencex", make_sentencex),
    ("blingfire", "blingfire", "blingfire", make_blingfire),
    ("sentencex + our rules", "sentencex", "sentencex", make_sentencex_rules),
    ("ours", None, "l10n.segment", make_ours_uncached),
    ("ours, cached", None, "l10n.segment", make_ours_cached),
]


def import_seconds(module: str) -> float | None:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return float(r.stdout) if r.returncode == 0 else None


def paragraphs(article: str) -> list[str]:
    return [p for p in re.split(r"\n[ \t]*\n", article) if p.strip()]


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("articles", nargs="*", type=Path, help="plain-text articles (paragraphs split by blank lines)")
    ap.add_argument("--runs", type=int, default=20, help="timing runs (default 20)")
    ap.add_argument("--show-errors", action="store_true", help="print every wrong case")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    texts = [c["text"] for c in cases]
    articles = [paragraphs(p.read_text(encoding="utf-8")) for p in args.articles or [SAMPLE_ARTICLE]]
    n_paras = sum(len(a) for a in articles)

    rows = []
    for name, dist, module, factory in CANDIDATES:
        try:
            version = importlib.metadata.version(dist) if dist else "-"
        except importlib.metadata.PackageNotFoundError:
            print(f"{name}: not installed, skipped", file=sys.stderr)
            continue
        imp = import_seconds(module)
        t = time.perf_counter()
        try:
            segment = factory()
        except Exception as exc:  # a candidate that fails to set up is reported, not fatal
            print(f"{name}: set-up failed: {exc!r}", file=sys.stderr)
            continue
        setup = time.perf_counter() - t

        wrong = []
        for c in cases:
            try:
                got = segment(c["text"])
            except Exception as exc:
                got = [f"<error {exc!r}>"]
            if got != c["sentences"]:
                wrong.append((c, got))
        acc = 1 - len(wrong) / len(cases)

        def run_articles() -> None:
            for article in articles:
                for p in article:
                    segment(p)

        def run_cases() -> None:
            for text in texts:
                segment(text)

        run_articles()  # warm-up (lazy set-up inside libraries; fills our cache)
        run_cases()
        per_article = median_seconds(run_articles, args.runs) / len(articles) if articles else None
        per_case = median_seconds(run_cases, args.runs) / len(cases)
        rows.append((name, version, acc, len(cases) - len(wrong), per_article, per_case, imp, setup))

        if args.show_errors and wrong:
            print(f"\n## {name}: {len(wrong)} wrong", file=sys.stderr)
            for c, got in wrong:
                print(f"- {c['id']}\n    got {got}\n    exp {c['sentences']}", file=sys.stderr)

    fastest_article = min((r[4] for r in rows if r[4]), default=None)
    fastest_case = min(r[5] for r in rows)
    print(f"cases: {len(cases)}; articles: {len(articles)} ({n_paras} paragraphs); runs: {args.runs}; "
          f"Python {sys.version.split()[0]}\n")
    print("| segmenter | version | accuracy | ms / article | × fastest | µs / case | × fastest | import ms | set-up ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, version, acc, ok, per_article, per_case, imp, setup in rows:
        pa = f"{per_article * 1e3:.3f}" if per_article is not None else "-"
        ra = f"{per_article / fastest_article:.1f}" if per_article is not None else "-"
        im = f"{imp * 1e3:.0f}" if imp is not None else "?"
        print(f"| {name} | {version} | {acc:.1%} ({ok}/{len(cases)}) | {pa} | {ra} | "
              f"{per_case * 1e6:.1f} | {per_case / fastest_case:.1f} | {im} | {setup * 1e3:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
