"""The one exception type that reaches the user as a one-line message."""


class L10nError(Exception):
    """A problem the user must fix: shown as one line on stderr, exit code 1.

    The message names the file (and line or byte where known), for example
    ``locales/en/LC_MESSAGES/seed.po:12: unterminated string``.
    """


def one_line(exc: object) -> str:
    """An exception's message folded onto one line (its type's name when it has none)."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
