"""The leaderboard as a picture: a PNG bar chart with bootstrap whiskers (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.eval.report import HEADLINE, lookup


def leaderboard_chart(results: list[dict[str, Any]], path: Path, metric: str | None = None) -> None:
    """A horizontal bar chart of one figure per system, with 95% interval whiskers, as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    key = metric or HEADLINE[results[0]["task"]]
    ranked = sorted(results, key=lambda r: lookup(r, key) or 0.0)
    names = [r["system"].get("name", "?") for r in ranked]
    values = [100 * (lookup(r, key) or 0.0) for r in ranked]
    lo = [
        v - 100 * (r["confidence"].get(key) or [v / 100, v / 100])[0]
        for v, r in zip(values, ranked, strict=True)
    ]
    hi = [
        100 * (r["confidence"].get(key) or [v / 100, v / 100])[1] - v
        for v, r in zip(values, ranked, strict=True)
    ]
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(ranked) + 1.2), dpi=120)
    ax.barh(names, values, xerr=[lo, hi], color="#4c72b0", capsize=4)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"{key} (%), 95% bootstrap interval")
    ax.set_title(f"{results[0]['task']} on {results[0]['n_documents']} documents")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
