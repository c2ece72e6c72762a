"""Language codes and their gettext plural rules."""

from __future__ import annotations

from functools import lru_cache

# GNU gettext's own Plural-Forms (msginit's table) for common languages; these
# are what Poedit, Lokalize and Weblate expect. Others come from Babel (CLDR).
_GETTEXT_PLURALS = {
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "da": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fi": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "it": "nplurals=2; plural=(n != 1);",
    "ja": "nplurals=1; plural=0;",
    "ko": "nplurals=1; plural=0;",
    "nl": "nplurals=2; plural=(n != 1);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "pt": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "sv": "nplurals=2; plural=(n != 1);",
    "tr": "nplurals=2; plural=(n != 1);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "zh": "nplurals=1; plural=0;",
}


@lru_cache(maxsize=None)
def normalize_language(code: str) -> str | None:
    """The canonical gettext form of a language code (``pt-br`` → ``pt_BR``), or None if unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(code.strip().replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def base_language(code: str) -> str:
    """``pt_BR`` → ``pt``: the language without region or script."""
    return code.split("_")[0]


@lru_cache(maxsize=None)
def plural_forms(code: str) -> str:
    """The Plural-Forms header value for a (normalised) language code."""
    if code in _GETTEXT_PLURALS:
        return _GETTEXT_PLURALS[code]
    if base_language(code) in _GETTEXT_PLURALS:
        return _GETTEXT_PLURALS[base_language(code)]
    from babel import Locale
    from babel.messages.plurals import get_plural

    plural = get_plural(Locale.parse(code))
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def language_name(code: str) -> str:
    """English name of a language, e.g. ``de`` → ``German``."""
    from babel import Locale

    return Locale.parse(code).get_display_name("en") or code
