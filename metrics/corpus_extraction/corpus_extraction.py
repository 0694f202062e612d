"""`evaluate` module: main-content extraction scores of the corpus harness.

Load it offline with `evaluate.load("<repo>/metrics/corpus_extraction")`. Per document:
`predictions` is the extracted text; `references` is {"text": the page text, "body_spans":
[[start, end], ...] gold body spans}. The result holds the figures of `corpus eval extraction`
(token micro/macro after alignment, and the shingle4 benchmark measure) with 95% intervals.
Requires the `corpus` package (pip install -e <repo>).
"""

import datasets
import evaluate

from corpus.eval.hf import extraction_scores


class CorpusExtraction(evaluate.Metric):
    """Body-token and shingle scores of extracted texts."""

    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=__doc__,
            citation="See docs/metrics.md of the corpus repository.",
            inputs_description="predictions: list of extracted texts; references: list of "
            "{'text': str, 'body_spans': [[start, end], ...]}",
            features=datasets.Features(
                {
                    "predictions": datasets.Value("string"),
                    "references": {
                        "text": datasets.Value("string"),
                        "body_spans": datasets.List(datasets.List(datasets.Value("int32"))),
                    },
                }
            ),
        )

    def _compute(self, predictions, references):
        texts = [r["text"] for r in references]
        spans = [r["body_spans"] for r in references]
        return extraction_scores(predictions, texts, spans)
