"""How long the small commands take, whole process included, beside ``python -c pass``.

On a copy of the repository's sample project (after ``l10n extract``, as a
project that has been worked on has its ``.l10n/`` folder), runs each command
``--runs`` times, the commands taking turns so that a change of load on the
machine hits them alike, and prints the median wall time of each and the
median processor time (user + system) of its process, which other work on
the machine disturbs less. The package is byte-compiled first, as an
installed one is (where ``PYTHONDONTWRITEBYTECODE`` is set, Python would
otherwise compile every module it loads on every run):

  python -c pass         the interpreter's own start
  l10n --help
  l10n status            counts cached from an earlier run (the usual case)
  l10n check             findings cached from an earlier run
  l10n status, no cache  (``.l10n/`` removed: the first run, or a fresh clone)
  l10n check, no cache

With ``--articles N`` it then generates N articles (``extract_publish.py``'s
generator), extracts them, fills every entry with a translation (lower-case
words reversed, quotation marks made English, KI → AI: reviewed, with a few
findings left for check) and times status and check on that project, with and
without their caches, and prints check / status.

With ``--distinct`` the generated project is instead the one of
``tests/support.py``'s ``big_project`` (40 sentences an article, every unit
different, each with a number), translated the same way: no two entries
alike, so nothing a check said is met again.

    python benchmarks/startup.py                   # 20 runs of each
    python benchmarks/startup.py --articles 1000 --big-runs 3
    python benchmarks/startup.py --runs 5 --articles 300 --distinct
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extract_publish import CONFIG, make_articles

REPO = Path(__file__).resolve().parent.parent
L10N = [sys.executable, "-m", "l10n"]


def timed(command: list[str], cwd: Path, fresh: bool = False) -> tuple[float, float]:
    """Wall and processor seconds of the command, process start included; ``fresh``: without its cache."""
    if fresh:
        (cwd / ".l10n" / f"{command[-1]}-cache.sqlite").unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # check says 1 where it finds errors
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr.decode()}")
    return seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def medians(cases: dict[str, tuple[list[str], bool]], cwd: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and processor seconds of each case, taking turns ``runs`` times (after one untimed round)."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for round_ in range(runs + 1):
        for name, (command, fresh) in cases.items():
            measured = timed(command, cwd, fresh)
            if round_:
                times[name].append(measured)
    _prime(cwd)
    return {name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
            for name, values in times.items()}


def _prime(project: Path) -> None:
    """Leave the caches filled, as the runs of a user leave them."""
    for command in ("status", "check"):
        timed(L10N + [command], project)


def sample_project(work: Path) -> Path:
    project = work / "sample"
    project.mkdir()
    shutil.copy(REPO / "l10n.yaml", project / "l10n.yaml")
    for folder in ("source", "locales"):
        shutil.copytree(REPO / folder, project / folder)
    subprocess.run(L10N + ["extract"], cwd=project, check=True, stdout=subprocess.DEVNULL)
    return project


def big_project(work: Path, articles: int, distinct: bool = False) -> Path:
    """``articles`` generated articles, extracted, every entry translated and reviewed."""
    import polib

    project = work / "big"
    if distinct:
        sys.path.insert(0, str(REPO / "tests"))
        from support import big_project as distinct_project

        distinct_project(project, articles, 40)
    else:
        project.mkdir()
        (project / "l10n.yaml").write_text(CONFIG, encoding="utf-8")
        make_articles(project / "source", articles)
        subprocess.run(L10N + ["extract"], cwd=project, check=True, stdout=subprocess.DEVNULL)
    lower = re.compile(r"\b[a-zäöüß]{3,}\b")
    for path in sorted((project / "locales" / "en").rglob("*.po")):
        po = polib.pofile(str(path), wrapwidth=79)
        for entry in po:
            text = lower.sub(lambda m: m.group()[::-1], entry.msgid)
            entry.msgstr = text.replace("“", "”").replace("„", "“").replace("KI", "AI")
        po.save()
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each command on the sample (default 20)")
    parser.add_argument("--articles", type=int, default=0, help="also time a generated project of N articles")
    parser.add_argument("--big-runs", type=int, default=3, help="runs of each command on that project (default 3)")
    parser.add_argument("--distinct", action="store_true", help="generate a project whose units are all different")
    args = parser.parse_args()
    import l10n

    compileall.compile_dir(Path(l10n.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sample = sample_project(work)
        cases = {
            "python -c pass": ([sys.executable, "-c", "pass"], False),
            "l10n --help": (L10N + ["--help"], False),
            "l10n status": (L10N + ["status"], False),
            "l10n check": (L10N + ["check"], False),
            "l10n status, no cache": (L10N + ["status"], True),
            "l10n check, no cache": (L10N + ["check"], True),
        }
        sample_times = medians(cases, sample, args.runs)
        print(f"sample project (2 articles), medians of {args.runs} runs, whole process, "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:")
        print(f"  {'':<24}{'wall':>7}  {'× pass':>6}  {'cpu':>7}  {'× pass':>6}")
        base_wall, base_cpu = sample_times["python -c pass"]
        for name, (wall, cpu) in sample_times.items():
            print(f"  {name:<24}{wall:6.3f}s  {wall / base_wall:6.1f}  {cpu:6.3f}s  {cpu / base_cpu:6.1f}")
        if args.articles:
            big = big_project(work, args.articles, args.distinct)
            big_cases = {
                "status, no cache": (L10N + ["status"], True),
                "check, no cache": (L10N + ["check"], True),
                "status": (L10N + ["status"], False),
                "check": (L10N + ["check"], False),
            }
            big_times = medians(big_cases, big, args.big_runs)
            kind = "units all different" if args.distinct else "sentences of the sample recombined"
            print(f"\n{args.articles} articles ({kind}), every entry translated, medians of {args.big_runs} runs:")
            for name, (wall, cpu) in big_times.items():
                print(f"  {name:<24}{wall:6.2f}s wall  {cpu:6.2f}s cpu")
            for label, i in (("wall", 0), ("cpu", 1)):
                cold = big_times["check, no cache"][i] / big_times["status, no cache"][i]
                warm = big_times["check"][i] / big_times["status"][i]
                print(f"  check / status ({label}): {cold:.2f} without caches, {warm:.2f} with them (goal <= 2)")


if __name__ == "__main__":
    main()
