"""How the indexed translation memory (``l10n/memory/index.py``) compares with the linear scan.

Builds a project of ``--pairs`` reviewed pairs (in ``--files`` catalogs),
then measures: the index's build time, its update after one catalog
changed, the median exact and similar-unit lookup, and the recall of the
similar-unit matches (at or above ``--threshold``) against the exhaustive
scan of :class:`l10n.memory.lookup.TranslationMemory`, over ``--queries``
one-word edits of memory units and as many unrelated sentences.

    python benchmarks/memory_index.py --pairs 100000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import polib

from l10n.memory import index
from l10n.memory.lookup import load as load_linear

SYLLABLES = [a + b for a in "bcdfghjklmnprstvwz" for b in ("a", "e", "i", "o", "u", "ai", "ou", "ie")]


class Project:
    """Just what the memory needs of a project: its catalogs' places and names."""

    def __init__(self, root: Path):
        self.root = root
        self.config = SimpleNamespace(source_language="en", locales_path=root / "locales")

    def catalog_path(self, lang: str, slug: str) -> Path:
        return self.root / "locales" / lang / "LC_MESSAGES" / f"{slug}.po"

    def articles(self):
        return []

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(count)]


def sentence(rng: random.Random, vocabulary: list[str]) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(5, 14))).capitalize() + "."


def one_word_edit(rng: random.Random, text: str, vocabulary: list[str]) -> str:
    parts = text[:-1].split(" ")
    parts[rng.randrange(len(parts))] = rng.choice(vocabulary)
    return " ".join(parts) + "."


def write_catalog(path: Path, pairs: list[tuple[str, str]]) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    for msgid, msgstr in pairs:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def make_project(root: Path, pairs: int, files: int, seed: int = 1) -> tuple[Project, list[str], list[str]]:
    """A project of ``pairs`` distinct reviewed units in ``files`` catalogs; its units and its vocabulary."""
    rng = random.Random(seed)
    vocabulary = words(rng, 20000)
    units = list(dict.fromkeys(sentence(rng, vocabulary) for _ in range(pairs)))
    project = Project(root)
    per = -(-len(units) // files)
    for n in range(files):
        chunk = units[n * per:(n + 1) * per]
        write_catalog(project.catalog_path("fr", f"a{n:04d}"), [(u, "FR " + u) for u in chunk])
    return project, units, vocabulary


def median_ms(call, queries) -> tuple[float, list]:
    times, results = [], []
    for q in queries:
        started = time.perf_counter()
        results.append(call(q))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--threshold", type=float, default=85)
    parser.add_argument("--linear", type=int, default=100, help="queries timed on the linear scan (it is slow)")
    args = parser.parse_args(argv)
    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        project, units, vocabulary = make_project(Path(folder), args.pairs, args.files)
        print(f"memory: {len(units)} pairs in {args.files} catalogs (written in {time.perf_counter() - started:.1f} s)")
        started = time.perf_counter()
        memory = index.load(project, "fr")
        print(f"build: {time.perf_counter() - started:.2f} s")
        memory.close()
        changed = project.catalog_path("fr", "a0000")
        text = changed.read_text(encoding="utf-8").replace('msgstr "FR ', 'msgstr "FR* ', 1)
        changed.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        memory = index.load(project, "fr")
        print(f"update after one catalog changed: {time.perf_counter() - started:.3f} s "
              f"({len(memory.reread)} file read again)")
        near = [one_word_edit(rng, rng.choice(units), vocabulary) for _ in range(args.queries)]
        far = [sentence(rng, vocabulary) for _ in range(args.queries)]
        exact_ms, _ = median_ms(memory.lookup, rng.sample(units, min(args.queries, len(units))))
        print(f"exact lookup: median {exact_ms:.3f} ms")
        fuzzy_ms, found = median_ms(lambda q: memory.closest(q, args.threshold), near + far)
        print(f"similar-unit lookup: median {fuzzy_ms:.2f} ms")
        started = time.perf_counter()
        linear = load_linear(project, "fr")
        print(f"linear memory read: {time.perf_counter() - started:.2f} s")
        expected = [linear.closest(q, args.threshold) for q in near + far]
        wanted = [i for i, m in enumerate(expected) if m is not None]
        same = sum(found[i] == expected[i] for i in wanted)
        score = sum(found[i] is not None and found[i].score == expected[i].score for i in wanted)
        extra = sum(found[i] is not None and expected[i] is None for i in range(len(found)))
        print(f"recall: {same}/{len(wanted)} = {100 * same / max(len(wanted), 1):.2f} % identical matches "
              f"({score} with the same score; {extra} found that the scan did not)")
        linear_ms, _ = median_ms(lambda q: linear.closest(q, args.threshold), (near + far)[::max(1, 2 * args.queries // args.linear)])
        print(f"linear scan: median {linear_ms:.2f} ms per similar-unit lookup")
    return 0


if __name__ == "__main__":
    sys.exit(main())
