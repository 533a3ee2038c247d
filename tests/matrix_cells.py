"""The vocabulary of the client x format x kind matrix: formats, what a call is asked
and answers, and what a client offers for each format.

A client (tests/matrix_clients.py) maps each format either to `Calls` (how it asks,
how it streams, which error it raises on a denial) or to a sentence saying why the
cell does not exist. Nothing here talks to a server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Format(StrEnum):
    CHAT = "/v1/chat/completions"
    RESPONSES = "/v1/responses"
    MESSAGES = "/v1/messages"
    EMBEDDINGS = "/v1/embeddings"
    COMPLETIONS = "/v1/completions"

    @property
    def embeds(self) -> bool:
        return self is Format.EMBEDDINGS


@dataclass(frozen=True)
class Target:
    """One request of a cell: govroute's base URL (no /v1), the caller's key, the model
    named (which picks the provider kind), the prompt or text to embed."""

    url: str
    key: str
    model: str
    prompt: str


@dataclass(frozen=True)
class Reply:
    """What the client got back: the decision id it can see, and the answer."""

    decision_id: str | None  # None: the client shows none (the cell's `Calls.hidden` says why)
    text: str = ""  # the answer's content (every format but embeddings)
    vectors: tuple[tuple[float, ...], ...] = ()  # embeddings, one per input


Call = Callable[[Target], Reply]


@dataclass(frozen=True)
class Calls:
    """How one client speaks one format."""

    ask: Call
    stream: Call | None  # None: the format does not stream (embeddings)
    refused: type[BaseException]  # what the client raises when govroute denies
    # The decision id an application reads off that error; asserts the error says
    # "content policy" in the client's own terms.
    decision_of: Callable[[BaseException], str]
    # Why the client's stream shows no decision id (neither header nor field); empty
    # when it does.
    hidden: str = ""


@dataclass(frozen=True)
class Client:
    name: str
    formats: Mapping[Format, Calls | str]  # a sentence: why the cell does not exist
    note: str = field(default="")  # which library calls, for the docs table

    def calls(self, fmt: Format) -> Calls | None:
        offered = self.formats[fmt]
        return offered if isinstance(offered, Calls) else None
