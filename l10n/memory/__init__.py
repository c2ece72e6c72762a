"""The translation memory: lookups (exact, similar), TMX files, and exchange with other tools (``l10n memory``)."""
