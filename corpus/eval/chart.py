"""The leaderboard as a picture: a PNG bar chart with bootstrap whiskers (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.eval.report import HEADLINE, lookup

COLORS = {"html": "#4c72b0", "text": "#dd8452"}  # bars by what the system reads


def leaderboard_chart(results: list[dict[str, Any]], path: Path, metric: str | None = None) -> None:
    """A horizontal bar chart of one figure per system, with 95% interval whiskers, as PNG
    (bars coloured by the systems' input, HTML or text, when both occur)."""
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
    colors = [COLORS.get(r["system"].get("input"), "#4c72b0") for r in ranked]
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(ranked) + 1.4), dpi=120)
    ax.barh(names, values, xerr=[lo, hi], color=colors, capsize=3)
    inputs = sorted({r["system"].get("input") for r in ranked} & set(COLORS))
    if len(inputs) > 1:
        from matplotlib.patches import Patch

        handles = [Patch(color=COLORS[i], label=f"on {i}") for i in inputs]
        ax.legend(handles=handles, loc="lower right")
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"{key} (%), 95% bootstrap interval")
    ax.set_title(f"{results[0]['task']} on {results[0]['n_documents']} documents")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
