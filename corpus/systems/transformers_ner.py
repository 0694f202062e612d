"""transformers:PATH: a local token-classification model directory as an NER system.

The text is cut into windows of the model's length that overlap by a quarter of a window (at
most 64 sub-words); each sub-word gets its arg-max label from the first window that holds it.
Sub-words are aggregated onto the corpus tokenizer's tokens by the "first" strategy (a token
takes the label of its first sub-word), and entities are decoded from those token labels with
conlleval's rules, so every entity starts and ends on a corpus token boundary. Nothing is
downloaded (local_files_only); a fast tokenizer is required for offset mapping.
"""

from __future__ import annotations

from typing import Any

from corpus.core.bio import spans_from_tags
from corpus.core.tokenize import tokenize
from corpus.systems.base import Page, model_digest, package_version

STRIDE = 64


class TransformersNer:
    """Runs AutoModelForTokenClassification from a local directory on the CPU."""

    task = "ner"
    input = "text"

    def __init__(self, path: str) -> None:
        from pathlib import Path

        if not Path(path).is_dir():
            raise FileNotFoundError(
                f"{path}: no such model directory; fix: give the folder of a local "
                "token-classification model (config.json, weights, tokenizer.json)"
            )
        try:
            import torch
            from transformers import AutoModelForTokenClassification, AutoTokenizer
        except ImportError:
            raise ImportError(
                'transformers is not installed; fix: pip install -e ".[transformers]"'
            ) from None

        self.name = f"transformers:{path}"
        self.version = f"{package_version('transformers')}; {model_digest(Path(path))}"
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        if not self.tokenizer.is_fast:
            raise ValueError(
                f"{path}: the tokenizer is not a fast tokenizer; fix: save the "
                "model with a tokenizer.json (offset mapping needs it)"
            )
        self.model = AutoModelForTokenClassification.from_pretrained(path, local_files_only=True)
        self.model.eval()
        self.id2label = {int(k): v for k, v in self.model.config.id2label.items()}
        limit = getattr(self.model.config, "max_position_embeddings", 512)
        self.max_length = min(self.tokenizer.model_max_length, limit, 512)

    def subword_labels(self, text: str) -> dict[int, str]:
        """Label of each sub-word, keyed by the sub-word's start offset in `text`."""
        enc = self.tokenizer(
            text,
            return_offsets_mapping=True,
            truncation=True,
            max_length=self.max_length,
            stride=min(STRIDE, self.max_length // 4),
            return_overflowing_tokens=True,
            padding=True,
            return_tensors="pt",
        )
        offsets = enc.pop("offset_mapping").tolist()
        enc.pop("overflow_to_sample_mapping", None)
        with self.torch.no_grad():
            ids = self.model(**enc).logits.argmax(-1).tolist()
        labels: dict[int, str] = {}
        for window_ids, window_offsets in zip(ids, offsets, strict=True):
            for label_id, (s, e) in zip(window_ids, window_offsets, strict=True):
                if s < e and s not in labels:
                    labels[s] = self.id2label[label_id]
        return labels

    def predict(self, page: Page) -> dict[str, Any]:
        tokens = tokenize(page.text)
        labels = self.subword_labels(page.text) if tokens else {}
        starts = sorted(labels)
        tags, k = [], 0
        for s, e in tokens:
            while k < len(starts) and starts[k] < s:
                k += 1
            tags.append(labels[starts[k]] if k < len(starts) and starts[k] < e else "O")
        entities = [
            {"start": s, "end": e, "label": lab} for s, e, lab in spans_from_tags(tokens, tags)
        ]
        return {"id": page.id, "entities": entities}
