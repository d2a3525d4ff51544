"""Arabic text core: normalization, tokenization, sentences, stopwords and stems (pure functions)."""

from marsad.arabic.normalize import display_form, matching_form

__all__ = ["display_form", "matching_form"]
