"""CUDA for CTranslate2: the cuBLAS it needs, and whether a GPU can actually translate.

CTranslate2 4.x opens ``libcublas.so.12`` (CUDA 12) when it first works on
a GPU; torch, which argostranslate pulls in, brings other CUDA versions. The
``l10n[gpu]`` extra installs NVIDIA's ``nvidia-cublas-cu12`` wheel, and
:func:`load_cublas` loads its libraries into the process before CTranslate2
asks for them: the dynamic loader then hands CTranslate2 the copy already
loaded, so no ``LD_LIBRARY_PATH`` is needed. (This CTranslate2 build opens
no cuDNN: that serves only convolutional models such as Whisper.)
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache
from pathlib import Path

CUBLAS = ("libcublasLt.so.12", "libcublas.so.12")  # Lt first: libcublas needs it
GPU_EXTRA = 'pip install "l10n[gpu]"'


@cache
def load_cublas() -> str:
    """Load the nvidia-cublas-cu12 wheel's cuBLAS, if installed; returns why not ('' when loaded or not there).

    Without the wheel, the loader looks where it always does (a system CUDA 12).
    """
    if not sys.platform.startswith("linux"):
        return ""
    try:
        import nvidia.cublas
    except ImportError:
        return ""
    for folder in nvidia.cublas.__path__:
        lib = Path(folder) / "lib"
        if all((lib / name).is_file() for name in CUBLAS):
            try:
                for name in CUBLAS:
                    ctypes.CDLL(str(lib / name), mode=ctypes.RTLD_GLOBAL)
            except OSError as e:
                return f"cannot load {lib}: {e}"
            return ""
    return "the nvidia-cublas-cu12 package has no libcublas.so.12"


def cuda_devices() -> int:
    """How many GPUs CTranslate2 sees (0 without an NVIDIA driver)."""
    import ctranslate2

    load_cublas()
    try:
        return ctranslate2.get_cuda_device_count()
    except RuntimeError:
        return 0


def trial(translator) -> str:
    """Translate one token on ``translator``; '' if that works, else why not, in one line."""
    try:
        translator.translate_batch([["▁"]], max_decoding_length=1, beam_size=1)
    except (RuntimeError, ValueError, OSError) as e:
        return " ".join(str(e).split())
    return ""
