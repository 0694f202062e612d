"""`evaluate` module: NER scores of the corpus harness (strict, exact, partial, type).

Load it offline with `evaluate.load("<repo>/metrics/corpus_ner")`. Inputs are, per document,
lists of entities {"start", "end", "label"} with half-open code-point offsets; the result holds
the same figures as `corpus eval ner` (keys such as "micro.strict.f1"), with 95% bootstrap
intervals. Requires the `corpus` package (pip install -e <repo>).
"""

import datasets
import evaluate

from corpus.eval.hf import ner_scores

_ENTITY = {
    "start": datasets.Value("int32"),
    "end": datasets.Value("int32"),
    "label": datasets.Value("string"),
}


class CorpusNer(evaluate.Metric):
    """NER scores with nervaluate's matching rules and conlleval-equal strict micro F1."""

    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=__doc__,
            citation="See docs/metrics.md of the corpus repository.",
            inputs_description="predictions, references: list (documents) of lists of "
            "{'start': int, 'end': int, 'label': str}",
            features=datasets.Features(
                {
                    "predictions": datasets.List(_ENTITY),
                    "references": datasets.List(_ENTITY),
                }
            ),
        )

    def _compute(self, predictions, references):
        return ner_scores(predictions, references)
