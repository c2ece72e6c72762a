"""Corpus scale: N articles × 3 target languages end to end, seconds and peak memory per stage.

In a new project of N generated German articles (``extract_publish.py``'s
generator: the sample article's layout, paragraphs of its sentences
recombined) with three target languages and a tiny real Argos model per
pair (``tests/argos_builder.py``), it runs each stage as a whole command
(a new process, as a user runs it) and prints its seconds and peak RSS:

  extract, translate (tiny models, memory first), status, check, publish

then translate-toolkit's txt2po + po2txt on the same articles, once per
language (the same work as extract + publish: a catalog per article and
language, and the articles back), and the ratio; and, unless
``--index-pairs 0``, the translation-memory index at that many entries
(``memory_index.measure``: build, update after one catalog changed, exact
and similar lookups against the exhaustive scan).

The generated corpus repeats its sentences, so the model translates few
distinct texts: this measures the pipeline around it, not the model
(``benchmarks/translate.py`` measures that).

    python benchmarks/scale.py                          # 10,000 articles, 1,000,000 index entries
    python benchmarks/scale.py -n 30000 --index-pairs 0
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(HERE))

LANGUAGES = ("en", "fr", "es")
ENGINE = "engine:\n  beam_size: 2\n  batch_size: 32\n"


def run(command: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one command, a process of its own; its output is discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode(errors="replace").strip()
    if proc.returncode not in (0, 1):  # check and status say 1 when they find something
        raise SystemExit(f"{' '.join(command)}: exit {proc.returncode}: {errors[-500:]}")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def build_package(folder: Path, lang: str) -> Path:
    """A tiny de→``lang`` package, built in a process of its own.

    The peak RSS a child reports counts what it shared with this process
    when it was forked, so this one stays small (ctranslate2 is not imported here).
    """
    code = ("import sys; from pathlib import Path; from argos_builder import build_argos_package; "
            "from translate import seed_sentences; "
            f"print(build_argos_package(Path(sys.argv[1]), 'de', {lang!r}, seed_sentences()))")
    out = subprocess.run([sys.executable, "-c", code, str(folder)], check=True, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "tests"), str(HERE)])))
    return Path(out.stdout.strip().splitlines()[-1])


def argos_env(work: Path) -> dict:
    env = dict(os.environ, PYTHONUTF8="1", ARGOS_PACKAGE_INDEX="http://127.0.0.1:1/")
    for name in ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        (work / "argos" / name.lower()).mkdir(parents=True)
        env[name] = str(work / "argos" / name.lower())
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="articles (default 10,000)")
    parser.add_argument("--languages", default=",".join(LANGUAGES), help="target languages (default en,fr,es)")
    parser.add_argument("--index-pairs", type=int, default=1_000_000,
                        help="translation-memory index entries to measure (0: skip; default 1,000,000)")
    args = parser.parse_args()
    languages = args.languages.split(",")

    from extract_publish import CONFIG, make_articles

    work = Path(tempfile.mkdtemp(prefix="l10n-scale-"))
    try:
        env = argos_env(work)
        l10n = [sys.executable, "-m", "l10n"]
        project = work / "project"
        make_articles(project / "source", args.n)
        config = CONFIG.replace("target_languages: [en]", f"target_languages: [{', '.join(languages)}]") + ENGINE
        (project / "l10n.yaml").write_text(config, encoding="utf-8")
        for lang in languages:
            package = build_package(work / "built", lang)
            subprocess.run(l10n + ["models", "install", "--file", str(package)], cwd=project, env=env, check=True,
                           stdout=subprocess.DEVNULL)
        print(f"{args.n:,} articles × {len(languages)} languages ({', '.join(languages)}), "
              f"{os.cpu_count()} CPUs; whole commands, one run each\n")
        print(f"{'stage':<28}{'seconds':>9}{'peak RSS MiB':>14}")
        times = {}
        for stage in (["extract"], ["translate", "--quiet"], ["status"], ["check"], ["publish"]):
            seconds, rss = run(l10n + stage, project, env)
            times[stage[0]] = seconds
            print(f"{'l10n ' + stage[0]:<28}{seconds:>9.1f}{rss:>14.0f}", flush=True)

        ttk = work / "ttk"
        ttk.mkdir()
        txt2po, rss1 = run(["txt2po", "--progress=none", "-i", str(project / "source"), "-o", str(ttk / "po")],
                           work, env)
        po2txt, rss2 = run(["po2txt", "--progress=none", "-i", str(ttk / "po"), "-o", str(ttk / "out"),
                            "-t", str(project / "source")], work, env)
        print(f"{'ttk txt2po + po2txt, 1 lang':<28}{txt2po + po2txt:>9.1f}{max(rss1, rss2):>14.0f}")
        ours = times["extract"] + times["publish"]
        theirs = (txt2po + po2txt) * len(languages)
        print(f"\nextract + publish, {len(languages)} languages: l10n {ours:.1f} s; translate-toolkit "
              f"{theirs:.1f} s ({len(languages)} × one language); ratio l10n/ttk = {ours / theirs:.2f} (goal ≤ 1.5)")
        print(f"check / status = {times['check'] / times['status']:.2f} (goal ≤ 2)")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.index_pairs:
        from memory_index import measure

        print(f"\ntranslation-memory index at {args.index_pairs:,} entries")
        for name, value in measure(args.index_pairs).items():
            print(f"  {name:<40}{value}")


if __name__ == "__main__":
    main()
