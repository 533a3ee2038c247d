"""An embedder that keeps the rows it computes, for benchmarks that embed a text more
than once (bench/detection.py's ablations, bench/tune_thresholds.py's sweeps).

int8 embeds a list one text at a time (engine.embedding), so a kept row equals a
fresh one: reusing it changes no figure, only the time a run takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from engine.embedding import Embedder

Rows = dict[str, npt.NDArray[np.float32]]


class StoredEmbedder:
    """Embeds through `inner` and keeps each row in `rows` (shared between instances).

    `reuse=True` answers from `rows` when it holds the text; `reuse=False` always
    computes (and keeps what it computed), for runs whose timing is measured.
    """

    def __init__(self, inner: Embedder, rows: Rows, *, reuse: bool = True) -> None:
        self._inner = inner
        self._rows = rows
        self._reuse = reuse

    @property
    def dim(self) -> int:
        return self._inner.dim

    def windows(self, text: str, max_windows: int) -> tuple[str, ...]:
        return self._inner.windows(text, max_windows)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = []
        for text in texts:
            row = self._rows.get(text) if self._reuse else None
            if row is None:
                row = self._rows[text] = self._inner.embed([text])[0]
            out.append(row)
        return np.vstack(out) if out else np.empty((0, self.dim), dtype=np.float32)


def load_rows(path: Path | None) -> Rows:
    """Rows kept by `save_rows`, or none when there is no such file."""
    if path is None or not path.is_file():
        return {}
    with np.load(path, allow_pickle=False) as saved:
        return dict(zip(saved["texts"].tolist(), saved["rows"], strict=True))


def save_rows(path: Path | None, rows: Rows) -> None:
    if path is not None and rows:
        np.savez(path, texts=np.array(list(rows)), rows=np.vstack(list(rows.values())))
