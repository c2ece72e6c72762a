"""How the indexed translation memory (``l10n/memory/index.py``) compares with the linear scan.

Builds a project of ``--pairs`` reviewed pairs of German-like sentences (in
``--files`` catalogs, 100 pairs each unless told), then measures: the index's
build, its update after one catalog changed (three translations revised, a
unit added, one removed), the median exact and similar-unit lookup of the
index and of the linear scan of :class:`l10n.memory.lookup.TranslationMemory`,
and the recall of the index's similar-unit matches against that scan at
``--threshold`` (85, ``l10n translate``'s default).

The sentences recombine the clauses of the sample articles (``source/``) with
their content words replaced by words drawn from a Zipf-distributed
vocabulary of German-like words (400,000 for a million units) (syllables of the sample's words),
so that function words are as common as in German text and most content
words are rare; one unit in twenty is a revision of an earlier one (a word
replaced, added or dropped, a typo). The queries are ``--queries`` edits of
memory units (one or two words replaced, a word added or dropped, a typo) and
as many new sentences. The scan takes about a second per thousand units and
query, so at large sizes it is timed, and the recall measured, on a sample:
``--scan`` edited queries and a quarter as many new ones, spread evenly.

    python benchmarks/memory_index.py --pairs 1000000
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from l10n.memory import index
from l10n.memory.lookup import load as load_linear
from l10n.po.wrap import escape

REPO = Path(__file__).resolve().parent.parent
FUNCTION = frozenset("""
der die das den dem des ein eine einer einem einen eines und oder aber doch sondern denn in im an am auf aus bei
mit nach von vom zu zum zur für über unter vor hinter neben zwischen durch gegen ohne um bis seit ist sind war waren
wird werden wurde wurden hat haben hatte hatten kann können konnte könnte soll sollen muss müssen will nicht auch
noch schon nur sehr mehr so wie als dass ob wenn weil da wo was wer es er sie wir ihr ich man sich sein seine ihre
ihren ihrem ihrer dies diese dieser dieses diesem diesen jeder jede jedes alle allen viele einige kein keine dann
heute jetzt hier dort damit dabei dazu darauf""".split())
_SENTENCE_END = re.compile(r"(?<=[.?!“])\s+(?=[A-ZÄÖÜ„])")
_WORD = re.compile(r"\w+")
_SYLLABLE = re.compile(r"[^aeiouäöüy]*[aeiouäöüy]+(?:[^aeiouäöüy]+$)?")


class Project:
    """Just what the memory needs of a project: its catalogs' places and names."""

    def __init__(self, root: Path):
        self.root = root
        self.config = SimpleNamespace(source_language="de", locales_path=root / "locales")

    def catalog_path(self, lang: str, slug: str) -> Path:
        return self.root / "locales" / lang / "LC_MESSAGES" / f"{slug}.po"

    def articles(self):
        return []

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


class German:
    """German-like sentences: the sample articles' clauses, their content words drawn from a Zipfian vocabulary."""

    def __init__(self, seed: int, size: int = 400_000):
        self.rng = random.Random(seed)
        text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "source").iterdir()))
        sentences = [" ".join(s.replace("*", "").strip(" •#\n").split())
                     for block in text.split("\n\n") for s in _SENTENCE_END.split(block)]
        sentences = [s for s in sentences if len(s.split()) >= 3]
        self.clauses = [self._template(c) for s in sentences for c in re.split(r"[,:;]\s+", s.rstrip(".?!“”"))
                        if len(c.split()) >= 2]
        self.vocabulary = self._words(sentences, size)
        self.weights = list(itertools.accumulate(1 / (rank + 30) for rank in range(len(self.vocabulary))))

    @staticmethod
    def _template(clause: str) -> tuple[str, tuple[bool, ...]]:
        """A clause as a format string, a ``{}`` for each content word; which of them are numbers."""
        slots = []

        def slot(match: re.Match) -> str:
            if match.group(0).lower() in FUNCTION:
                return match.group(0)
            slots.append(match.group(0).isdigit())
            return "{}"

        return _WORD.sub(slot, clause.replace("{", "(").replace("}", ")")), tuple(slots)

    def _words(self, sentences: list[str], size: int) -> list[str]:
        """The sample's content words and new ones made of their syllables (first, middle, last), shuffled."""
        rng = self.rng
        content = sorted({w for s in sentences for w in _WORD.findall(s)
                          if w.lower() not in FUNCTION and w.isalpha() and len(w) > 2})
        split = [_SYLLABLE.findall(w.lower()) for w in content]
        first, middle, last = (sorted({c for cs in split for c in part(cs)}) for part in
                               (lambda cs: cs[:1], lambda cs: cs[1:-1], lambda cs: cs[-1:]))
        found = set(content)
        while len(found) < size:
            n = size - len(found)
            for a, b, k, cap in zip(rng.choices(first, k=n), rng.choices(last, k=n), rng.choices((0, 1, 1, 2), k=n),
                                    rng.choices((True, False), (6, 4), k=n)):
                word = a + "".join(rng.choices(middle, k=k)) + b
                found.add(word.capitalize() if cap else word)
        return rng.sample(sorted(found), len(found))

    def word(self) -> str:
        return self.rng.choices(self.vocabulary, cum_weights=self.weights)[0]

    def sentences(self, n: int) -> list[str]:
        """``n`` sentences of one to three clauses."""
        rng = self.rng
        picks = [rng.sample(self.clauses, k) for k in rng.choices((1, 2, 3), (5, 3, 1), k=n)]
        drawn = iter(rng.choices(self.vocabulary, cum_weights=self.weights,
                                 k=sum(len(slots) for clauses in picks for _t, slots in clauses)))
        out = []
        for clauses, end in zip(picks, rng.choices(".?!", (90, 6, 4), k=n)):
            text = ", ".join(template.format(*[str(rng.randint(1, 2030)) if number else next(drawn)
                                               for number in slots]) for template, slots in clauses)
            out.append(text[0].upper() + text[1:] + end)
        return out

    def edit(self, text: str) -> str:
        """``text`` as an editor revises it: one or two words replaced, a word added or dropped, or a typo."""
        rng = self.rng
        parts = text.split(" ")
        i = rng.randrange(len(parts))
        kind = rng.choice(("replace", "replace", "two", "add", "drop", "typo"))
        if kind in ("replace", "two"):
            parts[i] = self.word()
            if kind == "two":
                parts[rng.randrange(len(parts))] = self.word()
        elif kind == "add" or len(parts) == 1:
            parts.insert(i, self.word())
        elif kind == "drop":
            del parts[i]
        else:
            k = rng.randrange(len(parts[i]))
            parts[i] = parts[i][:k] + rng.choice("aeinrst") + parts[i][k + 1:]
        return " ".join(parts)


def write_catalog(path: Path, pairs: list[tuple[str, str]]) -> None:
    """A PO file of these reviewed pairs (one line per string: valid, if not wrapped as msgcat wraps)."""
    lines = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n']
    lines += [f'msgid "{escape(msgid)}"\nmsgstr "{escape(msgstr)}"\n' for msgid, msgstr in pairs]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def translation(text: str) -> str:
    return "FR " + text[::-1]


def make_project(root: Path, pairs: int, files: int | None = None, seed: int = 1) -> tuple[Project, list[str], German]:
    """A project of ``pairs`` distinct reviewed units in ``files`` catalogs; its units and the generator."""
    german = German(seed, size=min(400_000, max(10_000, pairs // 2)))
    new = german.sentences(pairs)
    units = list(dict.fromkeys(german.edit(new[german.rng.randrange(n)]) if n and n % 20 == 0 else text
                               for n, text in enumerate(new)))
    project = Project(root)
    files = files or max(1, pairs // 100)
    per = -(-len(units) // files)
    for n in range(files):
        write_catalog(project.catalog_path("fr", f"a{n:05d}"),
                      [(u, translation(u)) for u in units[n * per:(n + 1) * per]])
    return project, units, german


def median_ms(call, queries) -> tuple[float, list]:
    times, results = [], []
    for q in queries:
        started = time.perf_counter()
        results.append(call(q))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), results


def change_one_catalog(project: Project, german: German) -> Path:
    """Revise three translations of the first catalog, add a unit to it and remove one."""
    path = project.catalog_path("fr", "a00000")
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    for k in (1, 2, 3):
        blocks[k] = blocks[k].replace('msgstr "FR ', 'msgstr "FR* ')
    new = german.sentences(1)[0]
    blocks[-1] = f'msgid "{escape(new)}"\nmsgstr "{escape(translation(new))}"\n'
    path.write_text("\n\n".join(blocks), encoding="utf-8")
    return path


def measure(pairs: int, files: int | None = None, queries: int = 1000, threshold: float = 85,
            scan: int = 200, log=print) -> dict[str, float]:
    """Build, update, lookups and recall of the index of ``pairs`` entries, against the linear scan."""
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        project, units, german = make_project(Path(folder), pairs, files)
        log(f"memory: {len(units)} pairs in {len(list(Path(folder).rglob('*.po')))} catalogs "
            f"(written in {time.perf_counter() - started:.1f} s)")
        started = time.perf_counter()
        index.load(project, "fr").close()
        out["build (s)"] = round(time.perf_counter() - started, 2)
        change_one_catalog(project, german)
        started = time.perf_counter()
        memory = index.load(project, "fr")
        out["update, one catalog changed (s)"] = round(time.perf_counter() - started, 3)
        assert len(memory.reread) == 1, memory.reread
        near = [german.edit(german.rng.choice(units)) for _ in range(queries)]
        far = german.sentences(queries)
        exact = german.rng.sample(units, min(queries, len(units)))
        out["exact lookup, index (ms)"] = round(median_ms(memory.lookup, exact)[0], 4)
        fuzzy_ms, found = median_ms(lambda q: memory.closest(q, threshold), near + far)
        out["similar-unit lookup, index (ms)"] = round(fuzzy_ms, 3)
        started = time.perf_counter()
        linear = load_linear(project, "fr")
        log(f"linear memory read in {time.perf_counter() - started:.1f} s")
        out["exact lookup, scan (ms)"] = round(median_ms(linear.lookup, exact)[0], 4)
        picked = [*range(0, queries, max(1, queries // scan)), *range(queries, 2 * queries, max(1, 4 * queries // scan))]
        scan_ms, expected = median_ms(lambda q: linear.closest(q, threshold), [(near + far)[i] for i in picked])
        out["similar-unit lookup, scan (ms)"] = round(scan_ms, 3)
        wanted = [(found[i], e) for i, e in zip(picked, expected) if e is not None]
        out["scan queries (sampled)"] = len(picked)
        out["matches the scan found"] = len(wanted)
        out["recall: same match as the scan (%)"] = round(100 * sum(f == e for f, e in wanted) / max(len(wanted), 1), 2)
        out["found where the scan found none"] = sum(found[i] is not None and e is None for i, e in zip(picked, expected))
        memory.close()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=None, help="catalogs (default: one per 100 pairs)")
    parser.add_argument("--queries", type=int, default=1000, help="edited queries, and as many new sentences")
    parser.add_argument("--threshold", type=float, default=85)
    parser.add_argument("--scan", type=int, default=200, help="edited queries also run on the scan (it is slow)")
    args = parser.parse_args(argv)
    for name, value in measure(args.pairs, args.files, args.queries, args.threshold, args.scan).items():
        print(f"{name:<40}{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
