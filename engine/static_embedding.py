"""The static embedding model: MiniLM's vocabulary as a token -> vector table.

    StaticEmbedder            dim, embed(texts), windows(text, max_windows), version

Built offline by training/static/distill.py from the all-MiniLM-L6-v2 the project
ships (engine/data/static_model/, card in MODEL_CARD.md there). A text's embedding
is the mean of its tokens' rows, L2-normalized: one tokenization (the source
model's own tokenizer.json, whose SHA-256 the artifact names and `load` checks)
and a gather. No onnxruntime, no torch: numpy and `tokenizers`, which the request
path loads anyway. The table is int8 with one float32 scale per row; rows are
dequantized as they are gathered.

A static model has no attention window: a long text is one mean over all of it,
so `windows` returns the text whole. The intent cascade (engine.cascade) decides
what a static vector may settle and when MiniLM must embed the prompt after all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.embedding import EmbeddingModelError, Vectors, default_model_dir

__all__ = ["DEFAULT_STATIC_DIR", "StaticEmbedder", "file_sha256"]

DEFAULT_STATIC_DIR = Path(__file__).resolve().parent / "data" / "static_model"
_TABLE, _SCALES, _META = "table.int8.npy", "scales.f32.npy", "meta.json"


def file_sha256(path: Path) -> str:
    """The file's SHA-256 (hex): what meta.json records for the table and tokenizer."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class StaticEmbedder:
    """Mean of token rows from the distilled table; thread-safe (read-only at query time)."""

    def __init__(self, directory: Path | None = None, tokenizer_dir: Path | None = None) -> None:
        from tokenizers import Tokenizer

        self.directory = directory or DEFAULT_STATIC_DIR
        try:
            meta: dict[str, Any] = json.loads((self.directory / _META).read_text())
            table = np.load(self.directory / _TABLE, allow_pickle=False)
            scales = np.load(self.directory / _SCALES, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise EmbeddingModelError(
                f"static model in {self.directory} cannot be read ({exc}); "
                "rebuild it with python -m training.static.distill"
            ) from exc
        digest = hashlib.sha256(table.tobytes() + scales.tobytes()).hexdigest()
        if digest != meta.get("table_sha256"):
            raise EmbeddingModelError(
                f"static model in {self.directory}: table checksum {digest[:12]} is not the "
                f"one meta.json names ({str(meta.get('table_sha256'))[:12]}): a partial or "
                "edited file"
            )
        tokenizer_file = (tokenizer_dir or default_model_dir()) / "tokenizer.json"
        if file_sha256(tokenizer_file) != meta.get("tokenizer_sha256"):
            raise EmbeddingModelError(
                f"{tokenizer_file} is not the tokenizer the static model was distilled with: "
                "its rows would be read for the wrong tokens"
            )
        if table.shape != (int(meta["vocab_size"]), int(meta["dims"])):
            raise EmbeddingModelError(f"static table shape {table.shape} disagrees with meta.json")
        self.meta = meta
        self.version = str(meta["version"])
        self.sha256 = digest
        self._table: npt.NDArray[np.int8] = table
        self._scales: npt.NDArray[np.float32] = scales.astype(np.float32)
        self._dim = int(meta["dims"])
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    @property
    def dim(self) -> int:
        return self._dim

    def token_ids(self, text: str) -> list[int]:
        """The text's token ids, without [CLS]/[SEP] (the distilled rows are the tokens')."""
        ids: list[int] = self._tokenizer.encode(text, add_special_tokens=False).ids
        return ids

    def embed_ids(self, ids: Sequence[int]) -> Vectors:
        """One unit row for one tokenized text (zeros for a text with no tokens)."""
        out = np.zeros((1, self._dim), dtype=np.float32)
        if ids:
            index = np.asarray(ids, dtype=np.int64)
            rows = self._table[index].astype(np.float32) * self._scales[index, None]
            mean = rows.mean(axis=0)
            norm = float(np.linalg.norm(mean))
            if norm > 1e-12:
                out[0] = mean / norm
        return out

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.empty((0, self._dim), dtype=np.float32)
        return np.vstack([self.embed_ids(self.token_ids(text)) for text in texts])

    def windows(self, text: str, max_windows: int) -> tuple[str, ...]:
        return (text,)
