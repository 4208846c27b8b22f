"""BERT's uncased tokenizer: basic word splitting, then greedy WordPiece over ``vocab.txt``.

The same steps as the reference tokenizer of all-MiniLM-L6-v2 (lowercase, accents
stripped, punctuation and CJK characters split off, then longest-match word pieces).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

MAX_TOKENS = 128


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def basic_words(text: str) -> list[str]:
    """Split text the way BERT's uncased basic tokenizer does (lowercased, accents removed)."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        category = unicodedata.category(char)
        if char in "\t\n\r" or category == "Zs":
            out.append(" ")
        elif code == 0 or code == 0xFFFD or category.startswith("C"):
            continue
        elif _is_cjk(code):
            out.append(f" {char} ")
        else:
            out.append(char)
    cleaned = unicodedata.normalize("NFD", "".join(out).lower())
    cleaned = "".join(c for c in cleaned if unicodedata.category(c) != "Mn")
    words: list[str] = []
    for chunk in cleaned.split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                    current = ""
                words.append(char)
            else:
                current += char
        if current:
            words.append(current)
    return words


class WordPieceTokenizer:
    """Greedy longest-match WordPiece over a BERT ``vocab.txt``."""

    def __init__(self, vocab_path: Path) -> None:
        tokens = vocab_path.read_text(encoding="utf-8").splitlines()
        self.vocab = {token: index for index, token in enumerate(tokens)}
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self._pieces = lru_cache(maxsize=16_384)(self._word_pieces)  # about 4 MB at most

    def _word_pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > 100:
            return (self.unk,)
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            pieces.append(found)
            start = end
        return tuple(pieces)

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """Return token ids ``[CLS] ... [SEP]``, truncated to ``max_tokens``."""
        ids = [self.cls]
        for word in basic_words(text):
            ids.extend(self._pieces(word))
            if len(ids) >= max_tokens - 1:
                break
        return ids[: max_tokens - 1] + [self.sep]
