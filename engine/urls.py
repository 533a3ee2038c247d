"""URLs, offline: written with a scheme, with ``www.``, or as a bare domain with a path.

Presidio's `UrlRecognizer` is not used: it validates hosts with the module-level
`tldextract.extract`, which downloads the public-suffix list on first use, and it
takes every bare domain (``example.com``) for a URL, so the domain of every
e-mail address would be one too. Here:

- ``https://``, ``http://`` and ``ftp://`` URLs are taken whatever the host
  (``localhost``, an IP address, an intranet name): the scheme says it all.
- ``www.`` forms and bare domains need a host whose suffix is in the
  public-suffix snapshot bundled with tldextract (the same injected extractor as
  e-mail), and bare domains also need a path (``example.com/pricing``): without
  one, ``example.com`` is as often a company or a product as a link.
- A host right after ``@`` or a local-part character is an e-mail domain,
  never a URL; bare and ``www.`` hosts are lower-case (``ASP.NET/Core`` is not a
  link).
- Trailing punctuation is not part of the URL (``see https://x.org/a.``), nor a
  closing parenthesis the URL did not open.

The score, 0.6, decides overlaps: a URL that holds a stronger entity (a Slack
webhook, an e-mail in a query string, a phone after a context word) is
reported as that entity; one whose host is an IP address (0.6 too) is reported
whole, as the longer span, so that redacting it leaves no path behind.
"""

from __future__ import annotations

import re

import tldextract

from engine.lean_imports import HEAVY, without
from engine.recognizers import CodeRecognizer, recognizer_result

with without(*HEAVY):
    from presidio_analyzer import RecognizerResult
    from presidio_analyzer.nlp_engine import NlpArtifacts

__all__ = ["URL_SCORE", "URL_SIGNS", "UrlRecognizer"]

URL_SCORE = 0.6

URL_SIGNS = re.compile(r"://|www\.|[a-z0-9]\.[a-z]{2,24}/", re.IGNORECASE)
"""What every URL the recognizer finds contains: its prefilter."""

_PATH_CHARS = r"[^\s<>\"'`{}|\\^\[\]]"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_HOST = rf"(?:{_LABEL}\.)+[a-z]{{2,24}}"
_NOT_AFTER = r"(?<![\w@.\-/:%+])"

_WITH_SCHEME = re.compile(rf"(?<![\w.+\-])(?i:https?|ftp)://{_PATH_CHARS}+")
_WWW = re.compile(rf"{_NOT_AFTER}(www\.{_HOST})(?::\d{{2,5}})?(?:[/?#]{_PATH_CHARS}*)?(?![\w@\-])")
_BARE = re.compile(rf"{_NOT_AFTER}({_HOST})(?::\d{{2,5}})?/{_PATH_CHARS}*")
_TRAILING = ".,;:!?'\"*"


class UrlRecognizer(CodeRecognizer):
    """URLs with a scheme, ``www.`` URLs and bare domains with a path (see the module)."""

    def __init__(self, suffixes: tldextract.TLDExtract) -> None:
        self._suffixes = suffixes
        super().__init__("URL")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        spans: list[tuple[int, int]] = []
        for match in _WITH_SCHEME.finditer(text):
            end = _trim(text, match.start(), match.end())
            if end - match.start() > len(match.group().split("://", 1)[0]) + 3:
                spans.append((match.start(), end))
        for pattern in (_WWW, _BARE):
            for match in pattern.finditer(text):
                if any(low <= match.start() < high for low, high in spans):
                    continue  # inside a URL with a scheme
                if _followed_by_at(text, match.end(1)) or not self._known_suffix(match.group(1)):
                    continue
                spans.append((match.start(), _trim(text, match.start(), match.end())))
        return [
            recognizer_result(self, "URL", start, end, URL_SCORE) for start, end in sorted(spans)
        ]

    def _known_suffix(self, host: str) -> bool:
        parts = self._suffixes(host)
        return bool(parts.suffix) and bool(parts.domain) and not parts.suffix.isdigit()


def _followed_by_at(text: str, end: int) -> bool:
    """``name.surname@example.com``: the host candidate is an e-mail's local part."""
    return end < len(text) and text[end] == "@"


def _trim(text: str, start: int, end: int) -> int:
    """The end of the URL without trailing punctuation or an unopened ``)``."""
    while end > start:
        last = text[end - 1]
        unopened = last == ")" and text.count("(", start, end) < text.count(")", start, end)
        if last not in _TRAILING and not unopened:
            break
        end -= 1
    return end
