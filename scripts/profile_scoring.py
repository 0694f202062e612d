"""Profile the scoring harness with pyinstrument on a built corpus (synthetic or real).

    pip install -e ".[test,profile]"
    python scripts/bench.py --sizes 10000 --no-write --work /tmp/bench  # makes syn-10000
    python scripts/profile_scoring.py /tmp/bench/syn-10000

Scores the same deterministic imperfect predictions as scripts/bench.py, in one process (so
the profile sees every call), and prints pyinstrument's call tree for `evaluate_extraction`
and for `evaluate_ner`. Loading the gold and reading the predictions are not profiled.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pyinstrument import Profiler

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import predictions

from corpus.eval.gold import load_gold
from corpus.eval.predictions import read_predictions
from corpus.eval.results import evaluate_extraction, evaluate_ner


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="a corpus folder with data/ built")
    parser.add_argument("--interval", type=float, default=0.001, help="sampling interval, s")
    args = parser.parse_args()
    gold = load_gold(args.root)
    texts = gold.text_of()
    ner, ext = predictions(gold)
    jobs = (
        ("extraction", ext, lambda p: evaluate_extraction(gold, p)),
        ("ner", ner, lambda p: evaluate_ner(gold, p)),
    )
    for task, lines, evaluate in jobs:
        dumped = [json.dumps(x, ensure_ascii=False) for x in lines]
        preds = read_predictions(task, task, texts, gold.all_ids, lines=dumped)
        profiler = Profiler(interval=args.interval)
        profiler.start()
        evaluate(preds)
        profiler.stop()
        print(f"# {task}: {len(gold):,} documents")
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
