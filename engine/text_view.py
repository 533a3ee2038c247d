"""`TextView`: one reading of a text, with the offsets that lead back to it.

Its own module so that the modules making views (engine.views,
engine.cipher_views) share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TextView", "identity_view", "split_words"]


@dataclass(frozen=True, slots=True)
class TextView:
    """One reading of a text: ``text[i]`` came from ``input[starts[i]:ends[i]]``."""

    name: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_input(self, start: int, end: int) -> tuple[int, int]:
        """The span of the input text that the view's span [start, end) came from.

        It covers every input character behind the view's characters, whatever
        their order (a reversed view runs backwards), so a wider view span never
        maps to a narrower input span. An empty span maps to an empty span.
        """
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise ValueError(f"span [{start}, {end}) is outside the view (0..{n})")
        if start == end:
            position = self.starts[start] if start < n else (self.ends[-1] if n else 0)
            return position, position
        return min(self.starts[start:end]), max(self.ends[start:end])


def identity_view(name: str, text: str) -> TextView:
    """A view of the same length as its input, character i from character i."""
    n = len(text)
    return TextView(name, text, tuple(range(n)), tuple(range(1, n + 1)))


# ASCII letters kept, everything else ASCII a space: `split` then gives the words
# in C, several times faster than a regex. Non-ASCII letters stay inside words.
_ASCII_NON_LETTERS = str.maketrans(
    {chr(code): " " for code in range(128) if not chr(code).isalpha()}
)


def split_words(text: str) -> list[str]:
    """The lower-cased words of `text`, split at every ASCII character that is no letter."""
    return text.lower().translate(_ASCII_NON_LETTERS).split()
