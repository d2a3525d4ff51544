"""Arabic text core: normalization, tokenization, sentences, stopwords and stems (pure functions)."""

from marsad.arabic.normalize import display_form, matching_form
from marsad.arabic.sentences import paragraphs, split_clauses, split_sentences
from marsad.arabic.stem import stem, stems
from marsad.arabic.stopwords import is_stopword
from marsad.arabic.tokenize import Token, tokens, words

__all__ = [
    "Token",
    "display_form",
    "is_stopword",
    "matching_form",
    "paragraphs",
    "split_clauses",
    "split_sentences",
    "stem",
    "stems",
    "tokens",
    "words",
]
