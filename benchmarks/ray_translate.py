"""Machine translation on a Ray cluster of this machine against the local engine, side by side.

On the tiny real Argos package of the tests and the generated articles of
``benchmarks/translate.py``, it times, medians of ``--repeat`` runs:

  (a) ``l10n translate`` end to end (a new process: catalogs, memory,
      journal, saves), with ``engine.backend: local`` and with
      ``engine.backend: ray`` on a local cluster (``ray start --head``) of
      ``--cpus`` CPUs, one worker per CPU;
  (b) the engines alone on every distinct unit, in this process, once
      loaded: :class:`~l10n.mt.engine.Engine` and the Ray engine with its
      actors started, so (a) minus (b) is what starting costs.

Throughput is counted in distinct units, what the model translates.

    python benchmarks/ray_translate.py                 # 200 articles, 2 CPUs
    python benchmarks/ray_translate.py -n 50 -r 5
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))
_spec = importlib.util.spec_from_file_location("translate_benchmark", REPO / "benchmarks" / "translate.py")
translate_benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translate_benchmark)

ENGINE = "engine:\n  beam_size: 2\n  batch_size: 32\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=200)
    parser.add_argument("-r", "--repeat", type=int, default=3)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster (a worker each)")
    args = parser.parse_args()

    from argos_builder import build_argos_package
    from ray_cluster import LocalCluster

    from l10n.config import EngineConfig
    from l10n.engine_settings import RayConfig
    from l10n.po import read_catalog

    make_articles, l10n = translate_benchmark.make_articles, translate_benchmark.l10n
    work = Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    try:
        env = dict(os.environ, PYTHONUTF8="1")
        for name in ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            (work / "argos" / name.lower()).mkdir(parents=True)
            env[name] = os.environ[name] = str(work / "argos" / name.lower())
        env["ARGOS_PACKAGE_INDEX"] = os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:1/"
        package = build_argos_package(work / "built", "de", "en", translate_benchmark.seed_sentences())
        template = work / "template"
        make_articles(template / "source", args.articles)
        (template / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en]\n" + ENGINE,
                                            encoding="utf-8")
        l10n("extract", cwd=template, env=env)
        l10n("models", "install", "--file", str(package), cwd=template, env=env)
        units = [e.msgid for p in sorted((template / "locales" / "en").rglob("*.po"))
                 for e in read_catalog(p) if not e.obsolete]
        distinct = list(dict.fromkeys(units))
        print(f"{args.articles} articles, {len(units)} units, {len(distinct)} distinct; tiny model, beam 2, "
              f"batch 32; {os.cpu_count()} CPUs here, Ray cluster of {args.cpus}")

        def end_to_end(engine: str) -> float:
            project = work / "run"
            shutil.rmtree(project, ignore_errors=True)
            shutil.copytree(template, project)
            (project / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en]\n" + engine,
                                               encoding="utf-8")
            return l10n("translate", "--quiet", cwd=project, env=env)

        from l10n.mt import models
        from l10n.mt.backends.ray_engine import RayEngine
        from l10n.mt.engine import Engine

        route = models.route("de", "en")

        def engine_alone(engine: Engine, actors: int = 0) -> float:
            engine.start(actors) if actors else engine.load()
            started = time.perf_counter()
            engine.translate(distinct)
            return time.perf_counter() - started

        rows = {}
        rows["(a) l10n translate, local"] = statistics.median(end_to_end(ENGINE) for _ in range(args.repeat))
        rows["(b) Engine alone, loaded"] = statistics.median(
            engine_alone(Engine(route, EngineConfig(batch_size=32))) for _ in range(args.repeat))
        with LocalCluster(cpus=args.cpus) as cluster:
            address = cluster.address
            ray_engine = f"{ENGINE}  backend: ray\n  ray:\n    address: '{address}'\n"
            rows[f"(a) l10n translate, ray ({args.cpus} workers)"] = statistics.median(
                end_to_end(ray_engine) for _ in range(args.repeat))
            settings = EngineConfig(batch_size=32, backend="ray", ray=RayConfig(address=address))
            rows[f"(b) Ray engine alone, {args.cpus} actors started"] = statistics.median(
                engine_alone(RayEngine(route, settings), args.cpus) for _ in range(args.repeat))
        print(f"{'':44} {'seconds':>8} {'distinct units/s':>17}")
        for name, seconds in rows.items():
            print(f"{name:44} {seconds:8.2f} {len(distinct) / seconds:17.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
