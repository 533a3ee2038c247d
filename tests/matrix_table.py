"""Every cell of the client x format x kind matrix: the ones that run, and why the
others do not exist. ``python -m tests.matrix_table`` prints the table that
docs/gateway.md carries (a test keeps the two the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from tests.matrix_cells import Calls, Client, Format
from tests.matrix_clients import CLIENTS
from tests.matrix_kinds import KINDS, ProviderKind

# Cells a client cannot run against a kind, for a reason outside govroute.
CLIENT_LIMITS = {
    ("langchain", Format.COMPLETIONS, "local"): (
        "langchain-openai's legacy OpenAI LLM needs `usage`, which local servers such as "
        "Ollama may omit and govroute does not invent"
    ),
}


@dataclass(frozen=True)
class Cell:
    client: Client
    fmt: Format
    kind: ProviderKind

    @property
    def calls(self) -> Calls | None:
        return self.client.calls(self.fmt)

    @property
    def absent(self) -> str:
        """Why the cell does not exist; empty when it runs."""
        offered = self.client.formats[self.fmt]
        if isinstance(offered, str):
            return offered
        if self.fmt.embeds and self.kind.vector is None:
            return self.kind.no_embeddings or f"kind {self.kind.name} declares no embeddings"
        return CLIENT_LIMITS.get((self.client.name, self.fmt, self.kind.name), "")

    @property
    def paths(self) -> tuple[str, ...]:
        """What runs in the cell: answer and deny always, stream and a streamed deny
        where the format streams."""
        calls = self.calls
        if self.absent or calls is None:
            return ()
        return ("answer", "deny", "stream", "stream deny") if calls.stream else ("answer", "deny")

    @property
    def id(self) -> str:
        return f"{self.client.name}-{self.fmt.name.lower()}-{self.kind.name}"


def cells() -> list[Cell]:
    return [Cell(c, f, k) for c, f, k in product(CLIENTS, Format, KINDS)]


def running(path: str) -> list[Cell]:
    return [cell for cell in cells() if path in cell.paths]


def _shown(cell: Cell) -> str:
    if not cell.paths:
        return f"none: {cell.absent}"
    hidden = cell.calls.hidden if cell.calls else ""
    return ", ".join(cell.paths) + (f" (stream without decision id: {hidden})" if hidden else "")


def markdown() -> str:
    """One row per client and format, one column per kind."""
    kinds = " | ".join(f"kind `{k.name}`" for k in KINDS)
    lines = [
        f"| client | format | {kinds} |",
        "|---|---|" + "---|" * len(KINDS),
    ]
    for client, fmt in product(CLIENTS, Format):
        row = [Cell(client, fmt, kind) for kind in KINDS]
        shown = [_shown(c) for c in row]
        lines.append(f"| {client.name} | `{fmt.value}` | {' | '.join(shown)} |")
    runs = sum(len(c.paths) for c in cells())
    lines += [
        "",
        f"{runs} tests in {len([c for c in cells() if c.paths])} cells; "
        f"{len([c for c in cells() if not c.paths])} cells do not exist, each for the reason "
        "shown. The clients:",
        "",
        *(f"- **{c.name}**: {c.note}" for c in CLIENTS),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
