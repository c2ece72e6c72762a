"""Machine translation on an NVIDIA GPU against the CPU, side by side: one short script to run in one go.

Builds the tiny real test model (``tests/argos_builder.py``: a CTranslate2
transformer with random weights, so its output is gibberish but every step
costs what it costs), then translates the same N German sentences through
:class:`l10n.mt.engine.Engine` with ``device: cuda`` and ``device: cpu``, and
prints units/s for each and their ratio. Nothing is downloaded: the CUDA
libraries come from ``pip install -e ".[gpu]"`` (see ``l10n/mt/cuda.py``).

    python benchmarks/gpu.py                # N = 50,000 units
    python benchmarks/gpu.py -n 5000 --cpu-sample 2000
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))


def sentences(n: int, seed: int = 3) -> list[str]:
    """N German sentences recombined from clauses of the sample article, nearly all different."""
    text = (REPO / "source" / "open-source-ki-deepseek.txt").read_text(encoding="utf-8")
    clauses = [c.strip() for c in re.split(r"[,.;:?!]\s+", text) if len(c.split()) >= 3]
    rng = random.Random(seed)
    return [", ".join(rng.sample(clauses, rng.randint(1, 3))) + "." for _ in range(n)]


def timed(package, texts: list[str], device: str, batch_size: int) -> tuple[float, str]:
    """Seconds to translate ``texts`` on ``device`` (model loading excluded), and where it ran."""
    from l10n.config import EngineConfig
    from l10n.mt.engine import Engine

    engine = Engine([package], EngineConfig(device=device, beam_size=2, batch_size=batch_size))
    engine.load()
    engine.translate(texts[:64])  # warm up: CUDA kernels, memory pools
    start = time.perf_counter()
    engine.translate(texts)
    return time.perf_counter() - start, engine.where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50_000, help="units to translate (default 50,000)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--cpu-sample", type=int, default=5_000,
                        help="units the CPU translates (its rate is per unit; default 5,000)")
    args = parser.parse_args()

    from argos_builder import build_argos_package

    from l10n.errors import L10nError
    from l10n.mt.cuda import cuda_devices, load_cublas
    from l10n.mt.models import ModelPackage

    with tempfile.TemporaryDirectory() as tmp:
        corpus = sentences(400, seed=1)
        archive = build_argos_package(Path(tmp), "de", "en", corpus)
        with zipfile.ZipFile(archive) as z:
            z.extractall(tmp)
        folder = next(p for p in Path(tmp).iterdir() if p.is_dir() and (p / "metadata.json").is_file())
        package = ModelPackage("de", "en", "1.0", 0, folder)
        texts = sentences(args.n)
        print(f"{args.n:,} units, batch size {args.batch_size}, beam 2; tiny test model")
        print(f"cuBLAS from the [gpu] extra: {load_cublas() or 'loaded, or not installed'}; "
              f"CUDA devices: {cuda_devices()}")
        cpu_texts = texts[:args.cpu_sample]
        cpu_s, cpu_where = timed(package, cpu_texts, "cpu", args.batch_size)
        cpu_rate = len(cpu_texts) / cpu_s
        print(f"cpu : {cpu_rate:10.1f} units/s  ({len(cpu_texts):,} units in {cpu_s:.1f} s, on {cpu_where})")
        try:
            gpu_s, gpu_where = timed(package, texts, "cuda", args.batch_size)
        except L10nError as e:
            print(f"cuda: not run: {e}")
            return
        gpu_rate = len(texts) / gpu_s
        print(f"cuda: {gpu_rate:10.1f} units/s  ({len(texts):,} units in {gpu_s:.1f} s, on {gpu_where})")
        print(f"cuda / cpu: {gpu_rate / cpu_rate:.1f}x")


if __name__ == "__main__":
    main()
