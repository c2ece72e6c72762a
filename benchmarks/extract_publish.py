"""Extract + publish speed: l10n against translate-toolkit's txt2po + po2txt, side by side.

Generates N German articles by recombining the sentences of the sample
article, then times, in the same run and on the same files:

  l10n   extract (templates + one English catalog per article) and publish
  ttk    txt2po (one PO per article) and po2txt (back to text)

and the same again for a second extract with nothing changed. Every step is a
whole command (process start included), repeated; medians are reported.

    python benchmarks/extract_publish.py            # N = 1000, 3 repeats
    python benchmarks/extract_publish.py -n 200 -r 5
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "open-source-ki-deepseek.txt"
CONFIG = """\
source_language: de
target_languages: [en]
skip:
  - match: '^(<<|>>):\\xa0'
    scope: line
    publish: drop
  - match: '^Artikel empfehlen$'
    scope: rest
    publish: drop
"""


def make_articles(folder: Path, n: int, seed: int = 7) -> None:
    """N articles with the seed's layout and paragraphs of recombined seed sentences."""
    blocks = SEED.read_text(encoding="utf-8").split("\n\n")
    sentences = [s for b in blocks for s in re.split(r"(?<=[.?!“])\s+(?=[A-ZÄÖÜ„])", b)
                 if len(s) > 40 and not s.lstrip().startswith(("•", "<<", ">>"))]
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        out = []
        for block in blocks:
            if len(block) > 120 and "•" not in block:
                out.append(" ".join(rng.sample(sentences, rng.randint(1, 4))))
            else:
                out.append(block)
        (folder / f"artikel-{i:05d}.txt").write_text("\n\n".join(out), encoding="utf-8")


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def one_round(articles: Path, work: Path) -> dict[str, float]:
    l10n = [sys.executable, "-m", "l10n"]
    project = work / "l10n"
    ttk = work / "ttk"
    for folder in (project, ttk):
        shutil.rmtree(folder, ignore_errors=True)
    project.mkdir(parents=True)
    (project / "l10n.yaml").write_text(CONFIG, encoding="utf-8")
    shutil.copytree(articles, project / "source")
    ttk.mkdir()
    times = {}
    times["l10n extract"] = timed(l10n + ["extract"], project)
    times["l10n publish"] = timed(l10n + ["publish"], project)
    times["l10n re-extract"] = timed(l10n + ["extract"], project)
    times["ttk txt2po"] = timed(["txt2po", "--progress=none", "-i", str(articles), "-o", str(ttk / "po")], ttk)
    times["ttk po2txt"] = timed(["po2txt", "--progress=none", "-i", str(ttk / "po"), "-o", str(ttk / "out"),
                                 "-t", str(articles)], ttk)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("-r", "--repeat", type=int, default=3, help="rounds; medians are reported (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        make_articles(work / "articles", args.n)
        rounds = [one_round(work / "articles", work) for _ in range(args.repeat)]
    med = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    n = args.n
    print(f"{n} articles, {args.repeat} rounds, medians (whole commands, process start included)\n")
    print(f"{'step':<22}{'seconds':>9}{'ms/article':>12}{'articles/s':>12}")
    for key, seconds in med.items():
        print(f"{key:<22}{seconds:>9.2f}{1000 * seconds / n:>12.2f}{n / seconds:>12.0f}")
    ours = med["l10n extract"] + med["l10n publish"]
    theirs = med["ttk txt2po"] + med["ttk po2txt"]
    print(f"\nextract + publish: l10n {ours:.2f} s, translate-toolkit {theirs:.2f} s, "
          f"ratio l10n/ttk = {ours / theirs:.2f} (goal <= 1.5)")
    print(f"unchanged re-extract: l10n {med['l10n re-extract']:.2f} s vs txt2po {med['ttk txt2po']:.2f} s, "
          f"ratio = {med['l10n re-extract'] / med['ttk txt2po']:.2f} (goal < 1)")


if __name__ == "__main__":
    main()
