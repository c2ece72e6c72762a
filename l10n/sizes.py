"""Sizes of files for people: ``512 B``, ``538.1 kB``, ``3.1 MB``, ``1.6 GB``."""

from __future__ import annotations


def human_size(n: float) -> str:
    """``n`` bytes in decimal units, one decimal from kB on."""
    for unit in ("B", "kB", "MB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"
