"""Measure ``l10n memory align``: quality on the evaluation set, speed on 1,000 article pairs, splitters.

Usage::

    python benchmarks/align.py [--articles N] [--runs N]   # quality and speed
    python benchmarks/align.py --splitters [--runs N]      # the target-language sentence splitters

*Quality*: precision and recall of the pairs written (at the default
``--min-confidence``) against the gold beads of ``tests/data/align/*/``, per
pair and over the set, for l10n's aligner and, side by side, for the
hunalign-style length-only alignment (Gale-Church cost over all sentences of
an article, no structure, no anchors, every pair written).

*Speed*: N article pairs (default 1,000) made from the evaluation pairs by
shifting every number in both files by the copy's index (so no cache of
sentences or splits helps), written into two folders of a fresh project and
aligned with the library call behind ``l10n memory align DE/ EN/`` (reading,
aligning, writing ``locales/memory/en.tmx``); the median of ``--runs`` runs.

*Splitters*: accuracy (share of cases whose sentence list is exactly right)
and speed of the installed candidates on ``tests/data/segmentation_en.yaml``
and ``segmentation_fr.yaml``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "align"


def quality() -> None:
    from l10n.align.article import Aligner
    from l10n.align.evaluate import Score, load_case, pairs, score
    from l10n.align.run import MIN_CONFIDENCE
    from l10n.config import parse

    totals = {True: Score(0, 0, 0), False: Score(0, 0, 0)}
    print("| pair | gold pairs | l10n P | l10n R | length-only P | length-only R |\n|---|---:|---:|---:|---:|---:|")
    for folder in sorted(p.parent for p in CASES.glob("*/gold.yaml")):
        case = load_case(folder)
        config = parse({"source_language": "de", "target_languages": [case.language]}, folder)
        row = []
        for anchored in (True, False):
            beads = Aligner(config, case.language, anchored).align(case.source.read_bytes(), case.source.name,
                                                                   case.target.read_bytes(), case.target.name)
            found = score(pairs(beads, MIN_CONFIDENCE if anchored else 0.0), case.gold)
            totals[anchored] += found
            row += [f"{found.precision:.3f}", f"{found.recall:.3f}"]
        print(f"| {case.name} | {len(case.gold)} | " + " | ".join(row) + " |")
    ours, base = totals[True], totals[False]
    print(f"| **all** | {ours.gold} | **{ours.precision:.3f}** ({ours.right}/{ours.written}) | "
          f"**{ours.recall:.3f}** | {base.precision:.3f} ({base.right}/{base.written}) | {base.recall:.3f} |")


def _shifted(text: str, k: int) -> str:
    return re.sub(r"\d+", lambda m: str(int(m[0]) + k), text) if k else text


def speed(articles: int, runs: int) -> None:
    from l10n.align.run import align
    from l10n.project import Project

    cases = sorted(p.parent for p in CASES.glob("*/gold.yaml"))
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en]\n", encoding="utf-8")
            (root / "source").mkdir()
            sentences = 0
            for n in range(articles):
                folder = cases[n % len(cases)]
                k = n // len(cases)
                for side in ("de", "en"):
                    src = next(folder.glob(f"{side}.*"))
                    out = root / side / f"{n:04d}-{folder.name}{src.suffix}"
                    out.parent.mkdir(exist_ok=True)
                    out.write_text(_shifted(src.read_text(encoding="utf-8"), k), encoding="utf-8")
            start = time.perf_counter()
            result = align(Project(root), root / "de", root / "en", "en")
            times.append(time.perf_counter() - start)
            sentences = sum(len(b.source) for _a, beads in result.articles for b in beads)
    seconds = statistics.median(times)
    print(f"{articles} article pairs ({sentences} source sentences): {seconds:.1f} s "
          f"(median of {runs}), {articles / seconds:.1f} article pairs/s, {len(result.pairs) / seconds:.0f} "
          f"sentence pairs written/s; {len(result.pairs)} pairs, {result.low} below the threshold")


def splitters(runs: int) -> None:
    import yaml

    from l10n.align.sentences import spans_of

    print("| splitter | language | accuracy | µs / case |\n|---|---|---:|---:|")
    for language in ("en", "fr"):
        path = ROOT / "tests" / "data" / f"segmentation_{language}.yaml"
        if not path.is_file():
            print(f"(no {path.relative_to(ROOT)})")
            continue
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        for name, segment in _candidates(language).items():
            for initials in (False, True):
                split = spans_of(segment, initials).__wrapped__  # uncached: every case is timed
                right = sum(_sentences(split, c["text"]) == [re.sub(r"\s+", " ", s) for s in c["sentences"]]
                            for c in cases)
                timings = []
                for _ in range(runs):
                    start = time.perf_counter()
                    for c in cases:
                        _sentences(split, c["text"])
                    timings.append(time.perf_counter() - start)
                micro = statistics.median(timings) / len(cases) * 1e6
                label = f"{name} + initials" if initials else name
                print(f"| {label} | {language} | {right / len(cases):.1%} ({right}/{len(cases)}) | {micro:.1f} |")


def _sentences(split, text: str) -> list[str]:
    """The sentences of a case as l10n would see them: the formats end a paragraph at a blank line."""
    out = []
    for paragraph in re.split(r"\n[ \t]*\n", text):
        out += [re.sub(r"\s+", " ", paragraph[a:b]) for a, b in split(paragraph)]
    return out


def _candidates(language: str) -> dict:
    """Each installed candidate as ``segment(text) -> sentences``."""
    import blingfire
    import pysbd
    import sentencex
    import syntok.segmenter as syntok

    pysbd_segmenter = pysbd.Segmenter(language=language, clean=False)
    return {
        "pysbd": pysbd_segmenter.segment,
        "syntok": lambda text: ["".join(t.spacing + t.value for t in sentence)
                                for paragraph in syntok.analyze(text) for sentence in paragraph],
        "sentencex": lambda text: sentencex.segment(language, text),
        "blingfire": lambda text: blingfire.text_to_sentences(text).split("\n") if text.strip() else [],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000, help="article pairs for the speed run (default 1000)")
    ap.add_argument("--runs", type=int, default=3, help="timing runs (default 3)")
    ap.add_argument("--splitters", action="store_true", help="compare the target-language sentence splitters")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.splitters:
        splitters(args.runs)
        return 0
    quality()
    print()
    speed(args.articles, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
