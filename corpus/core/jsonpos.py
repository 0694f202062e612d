"""Source positions of the values in a JSON document, so errors can name the line to edit.

`json` gives no positions, so this walks text that `json.loads` has already accepted and maps
each value's path (for example ``("entities", 3, "end")``) to its 1-based line and column.
"""

from __future__ import annotations

import json

Path = tuple[str | int, ...]
_WS = " \t\n\r"
_scan_string = json.decoder.scanstring  # type: ignore[attr-defined]


def value_positions(
    text: str, duplicates: list[tuple[Path, int, int]] | None = None
) -> dict[Path, tuple[int, int]]:
    """Map the path of every value in valid JSON `text` to its (line, column); a key repeated
    in one object is appended to `duplicates` as (path, line, column) of the repetition."""
    positions: dict[Path, tuple[int, int]] = {}
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def where(i: int) -> tuple[int, int]:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= i:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, i - line_starts[lo] + 1

    def skip(i: int) -> int:
        while i < len(text) and text[i] in _WS:
            i += 1
        return i

    def value(i: int, path: Path) -> int:
        i = skip(i)
        positions[path] = where(i)
        ch = text[i]
        if ch == "{":
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            seen: set[str] = set()
            while True:
                key_at = skip(i)
                key, i = _scan_string(text, key_at + 1)
                if key in seen and duplicates is not None:
                    duplicates.append(((*path, key), *where(key_at)))
                seen.add(key)
                i = skip(i) + 1  # past ':'
                i = skip(value(i, (*path, key)))
                if text[i] == "}":
                    return i + 1
                i += 1  # past ','
        if ch == "[":
            i = skip(i + 1)
            if text[i] == "]":
                return i + 1
            k = 0
            while True:
                i = skip(value(i, (*path, k)))
                k += 1
                if text[i] == "]":
                    return i + 1
                i += 1
        if ch == '"':
            return _scan_string(text, i + 1)[1]
        _, end = json.JSONDecoder().raw_decode(text, i)
        return end

    if text.strip():
        value(0, ())
    return positions
