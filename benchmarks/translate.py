"""Machine translation throughput: `l10n translate` against the limit and the naive way, side by side.

On one tiny real Argos package (built by ``tests/argos_builder.py``: a real
CTranslate2 model with random weights, so its output is gibberish but every
step costs what it costs), or with ``--model base`` one of the shape of a real
Argos model, and the same N generated German articles, it times:

  (a) the limit: one ``ctranslate2.Translator.translate_batch`` call over the
      distinct units, tokenized beforehand, with l10n's decoding settings
      (beam size, batch size, scores, length cap); and the same work in
      length-sorted chunks of ``batch_size``, the way l10n sends it, for
      several splits of the cores into replicas × threads (one replica on
      every core, one replica on one thread, a replica per core fed
      asynchronously), each with batches of ``batch_size`` texts and with
      batches of at most ``batch_size`` × 64 padded tokens (as l10n sends
      them); the fastest is the limit;
  (b) ``l10n translate`` end to end: a new process, reading the catalogs,
      the translation memory, placeholders, batching, writing the catalogs;
  (c) the naive way: one ``translate_batch`` call per unit (tokenizing and
      decoding included, in this process, no catalogs): timed on a sample
      and scaled to every unit, unless ``--naive-all``.

Throughput is counted in distinct units (what the model has to translate);
(c) translates every unit, duplicates too, as a naive loop would. Then the
time of a second ``l10n translate`` with nothing left to do.

The articles are built from clauses of the sample article, recombined so
that nearly every sentence is new, with the repeated parts real articles
have (picture credits, the byline). By default the project has no glossary:
the random model loses nearly every placeholder, and the retry in pieces that
follows would measure the model's failure, not the pipeline. ``--glossary``
adds the sample's glossary to see that cost.

    python benchmarks/translate.py              # N = 200 articles
    python benchmarks/translate.py -n 50 --glossary --naive-all
    python benchmarks/translate.py -n 1000 -r 1 --fast
    python benchmarks/translate.py --model base -n 10 -r 1 --fast --naive-sample 100
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "open-source-ki-deepseek.txt"
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

ENGINE = {"beam_size": 2, "batch_size": 32}
GLOSSARY = """glossary:
  keep: [DeepSeek, DeepSeek-R1, ChatGPT, OpenAI, Anthropic, Nvidia, High Flyer, Meta, Google, Apple App Store, Llama,
         Liang Wenfeng, Hangzhou, Stanford University, Financial Times, Charlotte Edmond]
  terms:
    KI: {en: AI}
"""


def seed_sentences() -> list[str]:
    text = SEED.read_text(encoding="utf-8").split("Artikel empfehlen")[0]
    blocks = [b for b in text.split("\n\n") if len(b) > 120 and "•" not in b and not b.startswith(("<<", ">>"))]
    return [s for b in blocks for s in re.split(r"(?<=[.?!“])\s+(?=[A-ZÄÖÜ„])", b) if len(s.split()) >= 5]


def make_articles(folder: Path, n: int, seed: int = 11) -> None:
    """N articles of recombined clauses: title, paragraphs, a picture credit, a byline."""
    clauses = []
    for sentence in seed_sentences():
        parts = [p.strip(" .?!") for p in re.split(r",\s+", sentence)]
        clauses.extend(p for p in parts if len(p.split()) >= 3)
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        blocks = [rng.choice(clauses)[:70].rstrip()]
        for _ in range(rng.randint(6, 10)):
            sentences = []
            for _ in range(rng.randint(2, 5)):
                picked = rng.sample(clauses, rng.randint(2, 3))
                sentence = ", ".join(picked)
                sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".....?"))
            blocks.append(" ".join(sentences))
            if rng.random() < 0.2:
                blocks.append("Bildquelle: Stanford University")
        blocks.append("Charlotte Edmond")
        (folder / f"artikel-{i:04d}.txt").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


CPU_SECONDS: dict[str, list[float]] = {}  # processor time (user + system, every thread) by what was timed


def cpu_now(children: bool = False) -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def l10n(*args: str, cwd: Path, env: dict) -> float:
    started, cpu = time.perf_counter(), cpu_now(children=True)
    proc = subprocess.run([sys.executable, "-m", "l10n", *args], cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"l10n {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    CPU_SECONDS.setdefault(" ".join(args), []).append(cpu_now(children=True) - cpu)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=200)
    parser.add_argument("-r", "--repeat", type=int, default=3, help="runs of (a) and (b); medians are shown")
    parser.add_argument("--naive-sample", type=int, default=1000, help="units timed for (c)")
    parser.add_argument("--naive-all", action="store_true", help="time (c) on every unit")
    parser.add_argument("--glossary", action="store_true", help="add the sample's glossary (placeholders)")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--model", default="tiny", choices=("tiny", "base"),
                        help="the tiny test model, or one of the shape of a real Argos model "
                             "(Transformer-base, int8; about 200 times slower: take few articles)")
    parser.add_argument("--fast", action="store_true",
                        help="leave out the splits that spread one replica over every core, and the one call "
                             "over all units (the slowest by far: minutes at 1,000 articles)")
    args = parser.parse_args()

    import ctranslate2
    import sentencepiece as spm

    from argos_builder import build_argos_package
    from l10n.mt.engine import TOKENS_PER_TEXT
    from l10n.mt.limits import max_decoding_length
    from l10n.po import read_catalog

    work = Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    try:
        env = dict(os.environ, PYTHONUTF8="1")
        for name in ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            (work / "argos" / name.lower()).mkdir(parents=True)
            env[name] = str(work / "argos" / name.lower())
        env["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:1/"
        package = build_argos_package(work / "built", "de", "en", seed_sentences(), size=args.model)

        template = work / "template"
        make_articles(template / "source", args.articles)
        engine = "".join(f"  {k}: {v}\n" for k, v in ENGINE.items())
        (template / "l10n.yaml").write_text(
            f"source_language: de\ntarget_languages: [en]\nengine:\n  device: {args.device}\n{engine}"
            + (GLOSSARY if args.glossary else ""), encoding="utf-8")
        l10n("extract", cwd=template, env=env)
        l10n("models", "install", "--file", str(package), cwd=template, env=env)
        folder = next(Path(env["ARGOS_PACKAGES_DIR"]).iterdir())

        catalogs = sorted((template / "locales" / "en").rglob("*.po"))
        units = [e.msgid for p in catalogs for e in read_catalog(p) if not e.obsolete]
        distinct = list(dict.fromkeys(units))
        print(f"{args.articles} articles, {len(units)} units, {len(distinct)} distinct; "
              f"{args.model} model, beam {ENGINE['beam_size']}, batch {ENGINE['batch_size']}, {args.device}, "
              f"{os.cpu_count()} CPUs{', glossary' if args.glossary else ''}")

        sp = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
        cores = os.cpu_count() or 1
        splits = [(1, 0), (1, 1), (cores, 1)] if args.device == "cpu" else [(1, 0)]
        if args.fast and args.device == "cpu":
            splits.remove((1, 0))
        translators = {split: ctranslate2.Translator(str(folder / "model"), device=args.device,
                                                     inter_threads=split[0], intra_threads=split[1])
                       for split in splits}
        translator = translators[splits[0]]
        options = dict(beam_size=ENGINE["beam_size"], num_hypotheses=1, length_penalty=1.0,
                       replace_unknowns=True, return_scores=True, batch_type="examples")
        tokens = [sp.encode(u, out_type=str) for u in distinct]

        def limit_one_call() -> float:
            started = time.perf_counter()
            translator.translate_batch(tokens, max_batch_size=ENGINE["batch_size"],
                                       max_decoding_length=max_decoding_length(max(map(len, tokens))), **options)
            return time.perf_counter() - started

        def limit_chunks(split: tuple[int, int], batch_type: str) -> float:
            """Length-sorted chunks; with several replicas all chunks are queued at once (asynchronous).

            Batches of ``batch_size`` texts, or (``tokens``) of at most ``batch_size`` × TOKENS_PER_TEXT
            padded tokens, as ``l10n translate`` makes them."""
            order = sorted(tokens, key=len)
            size = ENGINE["batch_size"]
            limit = size * TOKENS_PER_TEXT if batch_type == "tokens" else size
            started, cpu = time.perf_counter(), cpu_now()
            pending = []
            for i in range(0, len(order), size):
                chunk = order[i:i + size]
                pending += translators[split].translate_batch(
                    chunk, max_batch_size=limit, max_decoding_length=max_decoding_length(max(map(len, chunk))),
                    asynchronous=split[0] > 1, **(options | {"batch_type": batch_type}))
            for result in pending:
                if split[0] > 1:
                    result.result()
            CPU_SECONDS.setdefault(f"{split} {batch_type}", []).append(cpu_now() - cpu)
            return time.perf_counter() - started

        def end_to_end() -> tuple[float, float]:
            project = work / "run"
            shutil.rmtree(project, ignore_errors=True)
            shutil.copytree(template, project)
            full = l10n("translate", "--quiet", cwd=project, env=env)
            noop = l10n("translate", "--quiet", cwd=project, env=env)
            return full, noop

        a1 = None if args.fast else statistics.median(limit_one_call() for _ in range(args.repeat))
        chunked = {(split, kind): statistics.median(limit_chunks(split, kind) for _ in range(args.repeat))
                   for split in splits for kind in ("examples", "tokens")}
        best = min(chunked, key=chunked.get)
        a2 = chunked[best]
        runs = [end_to_end() for _ in range(args.repeat)]
        b = statistics.median(r[0] for r in runs)
        noop = statistics.median(r[1] for r in runs)

        naive = translators.get((1, 1), translator)  # one call at a time uses one replica
        sample = units if args.naive_all else random.Random(3).sample(units, min(args.naive_sample, len(units)))
        started = time.perf_counter()
        for unit in sample:
            result = naive.translate_batch([sp.encode(unit, out_type=str)], max_batch_size=1,
                                                max_decoding_length=max_decoding_length(len(sp.encode(unit))),
                                                **options)
            sp.decode_pieces(result[0].hypotheses[0])
        c = (time.perf_counter() - started) * len(units) / len(sample)

        rows = [("(a) one translate_batch call, 1 replica × all cores", a1)] * (a1 is not None) + [
            (f"    chunks, {r} replica{'s' if r > 1 else ''} × {t or 'all'} thread{'s' if t != 1 else ''}, "
             f"batches of {kind}" + ("  (the limit)" if key == best else ""), chunked[key])
            for key in chunked for (r, t), kind in [key]] + [
            ("(b) l10n translate, end to end", b),
            ("(c) naive: one call per unit" + ("" if args.naive_all else f" (timed on {len(sample)})"), c),
        ]
        print(f"{'':62} {'seconds':>8} {'distinct units/s':>17}")
        for name, seconds in rows:
            print(f"{name:62} {seconds:8.2f} {len(distinct) / seconds:17.1f}")
        print(f"(b) reaches {100 * a2 / b:.0f} % of the limit's units per second (goal: at least 80 %)"
              + (f", {100 * a1 / b:.0f} % of one call on one replica" if a1 is not None else ""))
        print(f"(b) is {c / b:.1f}× as fast as (c) (goal: at least 5×)")
        print(f"no-op rerun of l10n translate: {noop:.2f} s")
        limit_cpu = statistics.median(CPU_SECONDS[f"{best[0]} {best[1]}"])
        b_cpu = statistics.median(CPU_SECONDS["translate --quiet"][0::2])
        print(f"processor time, all threads (medians): the limit {limit_cpu:.2f} s, (b) {b_cpu:.2f} s: "
              f"{b_cpu - limit_cpu:.2f} s of l10n's own work beside the model, on the same {cores} cores")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
