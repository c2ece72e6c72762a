"""The CUDA libraries of the ``l10n[gpu]`` extra are found without LD_LIBRARY_PATH (l10n/mt/cuda.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest


def _wheel_lib() -> Path | None:
    spec = importlib.util.find_spec("nvidia.cublas") if importlib.util.find_spec("nvidia") else None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / "lib" / "libcublas.so.12").is_file():
            return Path(folder) / "lib"
    return None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the nvidia wheels are for Linux")
def test_cublas_of_the_gpu_extra_is_loaded_into_the_process():
    lib = _wheel_lib()
    if lib is None:
        pytest.skip('nvidia-cublas-cu12 is not installed (pip install -e ".[gpu]")')
    probe = ("import sys; from l10n.mt.cuda import load_cublas; problem = load_cublas(); "
             "maps = open('/proc/self/maps').read(); "
             "print(problem or ('libcublas.so.12' in maps and 'libcublasLt.so.12' in maps))")
    env = {"PATH": "/usr/bin:/bin"}  # no LD_LIBRARY_PATH
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "True", out.stdout + out.stderr
