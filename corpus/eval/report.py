"""Formatting results: terminal and Markdown tables, and the leaderboard table (its PNG chart is
corpus.eval.chart)."""

from __future__ import annotations

from typing import Any

from corpus.eval.ner import SCHEMES

HEADLINE = {"ner": "micro.strict.f1", "extraction": "token.micro.f1"}


def replace_block(text: str, start: str, end: str, body: str, name: str = "the file") -> str:
    """`text` with what stands between the marker lines `start` and `end` replaced by `body`
    (the generated parts of README.md and docs/); ValueError if a marker is missing."""
    if start not in text or end not in text:
        raise ValueError(f"{name} lacks the markers {start!r} and {end!r}")
    head, rest = text.split(start, 1)
    return f"{head}{start}\n{body}\n{end}{rest.split(end, 1)[1]}"


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.2f}"


def ci_text(result: dict[str, Any], key: str) -> str:
    ci = result["confidence"].get(key)
    return "n/a" if not ci else f"[{100 * ci[0]:.2f}, {100 * ci[1]:.2f}]"


def lookup(result: dict[str, Any], key: str) -> float | None:
    """A figure of a results dict by its dotted name, e.g. micro.strict.f1 or shingle4.f1."""
    parts = key.split(".")
    if result["task"] == "ner":
        node = result["overall"][parts[0]][parts[1]][parts[2]]
    elif parts[0] == "token":
        node = result["overall"]["token"][parts[1]][parts[2]]
    else:
        node = result["overall"][parts[0]][parts[1]]
    return node


def _table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table with padded columns, so it also reads well in a terminal."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def markdown(result: dict[str, Any]) -> str:
    """The results as Markdown tables: overall with 95% intervals, per label, per language."""
    head = (
        f"**{result['system'].get('name', 'predictions')}** on {result['task']} "
        f"(split {result['split']}, language {result['language'] or 'all'}, scope "
        f"{result['scope']}, {result['n_documents']} documents, corpus "
        f"{result['corpus_version'][:19]})"
    )
    system = result["system"]
    if system.get("version"):
        pps = system.get("pages_per_second")
        head += (
            f"; {system['version']} on {system.get('input', 'text')}, "
            f"{'n/a' if pps is None else f'{pps:,.1f}'} pages/s on one core, "
            f"{system.get('failures', 0)} page(s) failed (scored as empty)"
        )
    if result["task"] == "ner":
        rows = []
        for avg in ("micro", "macro"):
            for s in SCHEMES:
                r = result["overall"][avg][s]
                counts = f"{r['tp']:g} / {r['fp']:g} / {r['fn']:g}" if avg == "micro" else ""
                rows.append(
                    [
                        avg,
                        s,
                        pct(r["precision"]),
                        pct(r["recall"]),
                        pct(r["f1"]),
                        ci_text(result, f"{avg}.{s}.f1"),
                        counts,
                    ]
                )
        parts = [
            head,
            _table(["average", "scheme", "P", "R", "F1", "F1 95% CI", "tp / fp / fn"], rows),
        ]
        label_rows = [
            [lab, *(pct(v[s]["f1"]) for s in SCHEMES), f"{v['strict']['possible']:g}"]
            for lab, v in result["per_label"].items()
        ]
        parts.append(_table(["label", *(f"{s} F1" for s in SCHEMES), "gold"], label_rows))
        lang_rows = [
            [lang, str(v["n_documents"]), *(pct(v["micro"][s]["f1"]) for s in SCHEMES)]
            for lang, v in result["per_language"].items()
        ]
        parts.append(_table(["language", "documents", *(f"{s} F1" for s in SCHEMES)], lang_rows))
        return "\n\n".join(parts) + "\n"
    o = result["overall"]
    rows = [
        [
            f"token {avg}",
            pct(o["token"][avg]["precision"]),
            pct(o["token"][avg]["recall"]),
            pct(o["token"][avg]["f1"]),
            ci_text(result, f"token.{avg}.f1"),
        ]
        for avg in ("micro", "macro")
    ]
    rows.append(
        [
            "shingle4",
            pct(o["shingle4"]["precision"]),
            pct(o["shingle4"]["recall"]),
            pct(o["shingle4"]["f1"]),
            ci_text(result, "shingle4.f1"),
        ]
    )
    lang_rows = [
        [
            lang,
            str(v["n_documents"]),
            pct(v["token"]["micro"]["f1"]),
            pct(v["token"]["macro"]["f1"]),
            pct(v["shingle4"]["f1"]),
        ]
        for lang, v in result["per_language"].items()
    ]
    return (
        "\n\n".join(
            [
                head,
                _table(["measure", "P", "R", "F1", "F1 95% CI"], rows),
                _table(
                    ["language", "documents", "token micro F1", "token macro F1", "shingle4 F1"],
                    lang_rows,
                ),
                f"shingle4 accuracy (identical token sequence): {pct(o['shingle4']['accuracy'])}",
            ]
        )
        + "\n"
    )


def metric_names(task: str) -> list[str]:
    """The figures a leaderboard of `task` can rank by, the default first."""
    from corpus.eval.extraction import statistics
    from corpus.eval.ner import NerLayout

    names = list(NerLayout(()).statistics(()) if task == "ner" else statistics())
    default = HEADLINE[task]
    return [default, *(n for n in names if n != default)]


def leaderboard(results: list[dict[str, Any]], metric: str | None = None) -> str:
    """A Markdown table ranking several results of the same task, scope, split and corpus."""
    first = results[0]
    key = metric or HEADLINE[first["task"]]
    if key not in metric_names(first["task"]):
        raise ValueError(
            f'unknown metric "{key}" for {first["task"]}; fix: use one of '
            + ", ".join(metric_names(first["task"]))
        )
    for r in results[1:]:
        for field in ("task", "scope", "split", "language", "corpus_version"):
            if r[field] != first[field]:
                raise ValueError(
                    f"results differ in {field} ({first[field]} vs {r[field]}); "
                    "fix: only rank results of the same task, scope, split, "
                    "language and corpus version"
                )
    ranked = sorted(results, key=lambda r: -(lookup(r, key) or 0.0))
    rows = [
        [
            str(i),
            r["system"].get("name", "?"),
            pct(lookup(r, key)),
            ci_text(r, key),
            str(r["n_documents"]),
        ]
        for i, r in enumerate(ranked, 1)
    ]
    title = (
        f"{first['task']} · {key} · split {first['split']} · language "
        f"{first['language'] or 'all'} · scope {first['scope']} · corpus "
        f"{first['corpus_version'][:19]}"
    )
    return title + "\n\n" + _table(["rank", "system", key, "95% CI", "documents"], rows) + "\n"
