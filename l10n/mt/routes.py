"""Which Argos packages serve a language pair: Argos's own codes, pivots, what to install."""

from __future__ import annotations

from ..errors import L10nError
from ..languages import base_language
from ..project import Project

# Argos codes for languages it names differently from gettext, tried before the base language.
_ARGOS_CODES = {"pt_BR": "pb", "zh_Hant": "zt", "zh_TW": "zt", "zh_HK": "zt", "zh_Hant_TW": "zt"}


def route_for(source: str, target: str):
    """The Argos packages for ``source``→``target``, trying Argos's own codes (``pb`` for ``pt_BR``) first."""
    from . import models

    sources = _argos_codes(source)
    targets = _argos_codes(target)
    error: L10nError | None = None
    for s in sources:
        for t in targets:
            try:
                return models.route(s, t)
            except L10nError as e:
                error = e  # the last one tried names the base languages: the likeliest install
    assert error is not None
    raise error


def argos_code(code: str) -> str:
    """The Argos code for a language code as a user types it (``DE`` → ``de``, ``pt-BR`` → ``pb``)."""
    from ..languages import normalize_language

    normal = normalize_language(code)
    return _argos_codes(normal)[0] if normal else code.strip().lower()


def project_routes(project: Project) -> list[tuple[str, str]]:
    """For each target language: (``de → fr``, how it is served or what to install)."""
    source = project.config.source_language
    out = []
    for lang in project.config.target_languages:
        pair = f"{source} → {lang}"
        try:
            route = route_for(source, lang)
        except L10nError as e:
            out.append((pair, f"not served: {e}"))
            continue
        via = f"via {route[0].to_code}: " if len(route) > 1 else ""
        out.append((pair, via + engine_name(route)))
    return out


def _argos_codes(language: str) -> list[str]:
    codes = [_ARGOS_CODES[language]] if language in _ARGOS_CODES else []
    return codes + [base_language(language).lower()]


def engine_name(route) -> str:
    return "argos " + " + ".join(f"{p.pair} {p.version}".rstrip() for p in route)


def label(route, fallback: str) -> str:
    if len(route) == 2:
        return f"{route[0].from_code}→{route[-1].to_code} (via {route[0].to_code})"
    return f"{route[0].from_code}→{route[0].to_code}" if route else fallback
