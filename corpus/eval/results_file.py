"""Reading a results file back (`corpus eval --output`) for compare and leaderboard: its
structure and every figure checked, so that a damaged or edited file is one error naming the
file and the field, never a traceback nor a ranked "150.00"."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

FIGURES = ("precision", "recall", "f1", "accuracy")  # shares: null or from 0 to 1
# counts: non-negative (the partial scheme counts half matches); "partial" is also a scheme's
# name, whose value is a table
COUNTS = ("tp", "fp", "fn", "possible", "actual", "correct", "incorrect", "partial", "missed")
FIELDS: dict[str, type | tuple[type, ...]] = {
    "task": str,
    "scope": str,
    "split": str,
    "corpus_version": str,
    "n_documents": int,
    "overall": dict,
    "system": dict,
    "documents": dict,
}


class ResultsFileError(ValueError):
    """A results file that cannot be used: the message names the file, the field and the fix."""


def _bad(path: Path, field: str, what: str) -> ResultsFileError:
    return ResultsFileError(
        f"{path}: {field} {what}; fix: give a file written by `corpus eval ... --output`, "
        "unedited (score again to rewrite it)"
    )


def _figures(path: Path, value: Any, where: str, depth: int = 0) -> None:
    """Every share in [0, 1] (or null), every count a non-negative integer, in `value`."""
    if depth > 12:
        raise _bad(path, where, "is nested deeper than a results file is")
    if isinstance(value, dict):
        for key, inner in value.items():
            field = f"{where}.{key}"
            if (
                key in FIGURES
                and inner is not None
                and (
                    isinstance(inner, bool)
                    or not isinstance(inner, int | float)
                    or not (0.0 <= inner <= 1.0)
                    or math.isnan(inner)
                )
            ):
                raise _bad(path, field, f"is {inner!r}, not a share from 0 to 1 or null")
            if (
                key in COUNTS
                and not isinstance(inner, dict)
                and (
                    isinstance(inner, bool) or not isinstance(inner, int | float) or not inner >= 0
                )
            ):
                raise _bad(path, field, f"is {inner!r}, not a count (a number from 0)")
            _figures(path, inner, field, depth + 1)


def read_results(path: Path) -> dict[str, Any]:
    """The results dict of `path`, checked (ResultsFileError naming the file and field)."""
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecursionError, json.JSONDecodeError) as err:
        raise _bad(path, "the file", f"cannot be read as JSON ({type(err).__name__})") from None
    if not isinstance(result, dict):
        raise _bad(path, "the file", "is not a JSON object")
    for field, kind in FIELDS.items():
        value = result.get(field)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise _bad(
                path, field, f"is {str(value)[:40]!r}, not a {getattr(kind, '__name__', kind)}"
            )
    if not isinstance(result.get("language"), str | type(None)):
        raise _bad(path, "language", "is neither a language code nor null")
    rows = result["documents"].get("rows")
    if not isinstance(rows, dict) or not all(
        isinstance(r, list) and all(isinstance(x, int | float) for x in r) for r in rows.values()
    ):
        raise _bad(path, "documents.rows", "is not a table of per-document numbers")
    if result["n_documents"] < 0:
        raise _bad(path, "n_documents", "is negative")
    _figures(path, result["overall"], "overall")
    for key in ("per_label", "per_language", "per_source", "per_genre", "per_year"):
        if isinstance(result.get(key), dict):
            _figures(path, result[key], key)
    return result
