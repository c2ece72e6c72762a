"""Machine translation: Argos packages and routes, the CTranslate2 engine, placeholders, and ``l10n translate``."""
