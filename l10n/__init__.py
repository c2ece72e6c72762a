"""l10n: an offline localisation pipeline for articles."""

__version__ = "0.1.0"
