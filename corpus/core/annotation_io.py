"""Reading and writing annotation files: structural checks with positions, canonical JSON output."""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import urlsplit

from corpus.core.jsonpos import Path, value_positions
from corpus.core.labels import FIRST_YEAR, GENRES
from corpus.core.model import (
    Annotation,
    Disagreement,
    Entity,
    Provenance,
    Quality,
    Segment,
    Snippets,
    Source,
)
from corpus.core.problems import Problem

TOP_KEYS = (
    "id", "status", "language", "source", "provenance", "split", "text_sha256", "segments",
    "entities",
)  # fmt: skip
REQUIRED_KEYS = tuple(k for k in TOP_KEYS if k != "status")
SOURCE_KEYS = ("publisher", "url", "date", "license", "note", "genre", "year")
PROVENANCE_KEYS = (
    "benchmark", "item", "license", "url", "renderer", "renderer_version", "layers", "quality",
    "corrections", "reviewed", "snippets",
)  # fmt: skip
OPTIONAL_PROVENANCE_KEYS = ("snippets",)
SNIPPET_KEYS = ("with", "without", "disagreements")
DISAGREEMENT_KEYS = ("snippet", "expected", "reason")
LAYER_KEYS = ("segments", "entities")
QUALITY_KEYS = ("gold_in_body", "body_is_gold", "ambiguous")
SEGMENT_KEYS = ("start", "end", "label", "kind")
ENTITY_KEYS = ("start", "end", "label", "text")


def url_error(url: str) -> tuple[str, str] | None:
    """(message, fix) if `url` is not an http or https URL with a host: a `javascript:` or
    `data:` URL would run in a reviewer's browser from the review pages."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        return None
    return (
        f'"url" must be an http or https URL, got {url[:80]!r}',
        "write the page's http(s) address, or null when it is not known",
    )


def _keep_first(repeated: list[str]) -> Any:
    """A json object_pairs_hook that notes repeated keys in `repeated` and builds the dict."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        built = dict(pairs)
        if len(built) < len(pairs):
            repeated.append("")  # where: value_positions finds it, only when needed
        return built

    return hook


class AnnotationReader:
    """Parses one annotation file's text, collecting every structural problem with its position."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.problems: list[Problem] = []
        self.parsed = False
        self._positions: dict[Path, tuple[int, int]] | None = None

    @property
    def positions(self) -> dict[Path, tuple[int, int]]:
        """Source positions of the JSON values, computed on first use (only errors need them)."""
        if self._positions is None:
            self._positions = value_positions(self.text) if self.parsed else {}
        return self._positions

    def at(self, path: Path) -> tuple[int | None, int | None]:
        """Line and column of the value at `path`, or of its nearest enclosing value."""
        positions = self.positions
        while path not in positions and path:
            path = path[:-1]
        return positions.get(path, (None, None))

    def error(self, path: Path, code: str, message: str, fix: str) -> None:
        """Record an error at the JSON value `path`."""
        line, col = self.at(path)
        self.problems.append(Problem(self.file, line, col, "error", code, message, fix))

    def read(self) -> Annotation | None:
        """Return the parsed Annotation, or None if it is too broken to check further."""
        repeated: list[str] = []
        try:
            data = json.loads(self.text, object_pairs_hook=_keep_first(repeated))
        except json.JSONDecodeError as err:
            self.problems.append(
                Problem(
                    self.file,
                    err.lineno,
                    err.colno,
                    "error",
                    "json",
                    f"not valid JSON: {err.msg}",
                    "correct the JSON syntax at this position (check commas, quotes and brackets)",
                )
            )
            return None
        self.parsed = True
        if repeated:
            found: list[tuple[Path, int, int]] = []
            value_positions(self.text, found)
            for path, line, column in found:
                self.problems.append(
                    Problem(
                        self.file,
                        line,
                        column,
                        "error",
                        "duplicate-key",
                        f'key "{path[-1]}" appears twice in one object',
                        "keep one of the two (JSON readers differ on which one wins)",
                    )
                )
            return None
        if not isinstance(data, dict):
            self.error((), "type", "the file must hold one JSON object", 'wrap it in {"id": ...}')
            return None
        self._keys(data, (), TOP_KEYS, required=REQUIRED_KEYS)
        ident = self._str(data, ("id",))
        status = self._str(data, ("status",), optional=True) or "gold"
        language = self._str(data, ("language",))
        split = self._str(data, ("split",))
        sha = self._str(data, ("text_sha256",))
        source = self._source(data.get("source"))
        provenance = self._provenance(data.get("provenance"))
        segments = self._list(data, "segments", self._segment)
        entities = self._list(data, "entities", self._entity)
        if any(p.severity == "error" for p in self.problems):
            return None
        assert ident and language and split and sha and source and segments is not None
        assert provenance is not None
        return Annotation(
            ident,
            language,
            source,
            split,
            sha,
            tuple(segments),
            tuple(entities or ()),
            status,
            provenance,
        )

    def _keys(
        self, obj: dict[str, Any], path: Path, allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> None:
        where = ".".join(map(str, path)) or "the top level"
        for key in required:
            if key not in obj:
                self.error(
                    path,
                    "missing-key",
                    f'"{key}" is missing at {where}',
                    f'add "{key}" (see ANNOTATION_GUIDELINES.md)',
                )
        for key in obj:
            if key not in allowed:
                self.error(
                    (*path, key),
                    "unknown-key",
                    f'unknown key "{key}" at {where}',
                    f"remove it or rename it to one of: {', '.join(allowed)}",
                )

    def _str(self, obj: dict[str, Any], path: Path, optional: bool = False) -> str | None:
        value = obj.get(path[-1])
        if value is None and (optional or path[-1] not in obj):
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(
                path,
                "type",
                f'"{path[-1]}" must be a non-empty string, got {value!r}',
                "write a non-empty string in double quotes" + (" or null" if optional else ""),
            )
            return None
        return value

    def _int(self, obj: dict[str, Any], path: Path) -> int | None:
        value = obj.get(path[-1])
        if path[-1] not in obj:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.error(
                path,
                "type",
                f'"{path[-1]}" must be a non-negative integer, got {value!r}',
                "write a code-point offset into the normalized text, e.g. 42",
            )
            return None
        return value

    def _source(self, obj: Any) -> Source | None:
        path: Path = ("source",)
        if obj is None:
            return None
        if not isinstance(obj, dict):
            self.error(
                path,
                "type",
                '"source" must be an object',
                'write {"publisher": ..., "license": ..., "url": ..., "date": ...}',
            )
            return None
        self._keys(obj, path, SOURCE_KEYS, required=("publisher", "license", "genre", "year"))
        publisher = self._str(obj, (*path, "publisher"))
        license_ = self._str(obj, (*path, "license"))
        url = self._url(obj, (*path, "url"))
        date = self._str(obj, (*path, "date"), optional=True)
        note = self._str(obj, (*path, "note"), optional=True)
        genre = self._genre(obj, (*path, "genre"))
        year = self._year(obj, (*path, "year"))
        if publisher is None or license_ is None or genre is None:
            return None
        return Source(publisher, license_, url, date, note, genre, year)

    def _url(self, obj: dict[str, Any], path: Path) -> str | None:
        value = self._str(obj, path, optional=True)
        wrong = url_error(value) if value is not None else None
        if wrong is not None:
            self.error(path, "url", *wrong)
            return None
        return value

    def _genre(self, obj: dict[str, Any], path: Path) -> str | None:
        value = obj.get(path[-1])
        if path[-1] not in obj:
            return None
        if value not in GENRES:
            self.error(
                path,
                "genre",
                f'"genre" must be one of the closed set, got {value!r}',
                f"write one of {', '.join(GENRES)} (ANNOTATION_GUIDELINES.md, 'Genres')",
            )
            return None
        return value

    def _year(self, obj: dict[str, Any], path: Path) -> int | None:
        value = obj.get(path[-1])
        last = datetime.date.today().year + 1
        if value is None:
            return None
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not (FIRST_YEAR <= value <= last)
        ):
            self.error(
                path,
                "year",
                f'"year" must be a year from {FIRST_YEAR} to {last} or null, got {value!r}',
                "write the year of publication (else of the crawl) as a number, e.g. 2024, "
                "or null when neither is known",
            )
            return None
        return value

    def _object(
        self, obj: Any, path: Path, keys: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        """`obj` if it is a JSON object with only `keys` (all required but `optional`), else
        None (reported)."""
        if not isinstance(obj, dict):
            self.error(
                path,
                "type",
                f'"{".".join(map(str, path))}" must be an object',
                "write {" + ", ".join(f'"{k}": ...' for k in keys) + "}",
            )
            return None
        self._keys(obj, path, keys, required=tuple(k for k in keys if k not in optional))
        return obj

    def _bool(self, obj: dict[str, Any], path: Path) -> bool | None:
        value = obj.get(path[-1])
        if not isinstance(value, bool):
            self.error(path, "type", f'"{path[-1]}" must be true or false', "write true or false")
            return None
        return value

    def _share(self, obj: dict[str, Any], path: Path) -> float | None:
        value = obj.get(path[-1])
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            self.error(
                path,
                "type",
                f'"{path[-1]}" must be a number from 0 to 1, got {value!r}',
                "write the share as a decimal number, e.g. 0.97",
            )
            return None
        return float(value)

    def _provenance(self, obj: Any) -> Provenance | None:
        path: Path = ("provenance",)
        if obj is None:
            return None
        prov = self._object(obj, path, PROVENANCE_KEYS, OPTIONAL_PROVENANCE_KEYS)
        if prov is None:
            return None
        texts = {
            k: self._str(prov, (*path, k), optional=True)
            for k in ("benchmark", "item", "license", "renderer", "renderer_version")
        }
        texts["url"] = self._url(prov, (*path, "url"))
        layers = self._object(prov.get("layers"), (*path, "layers"), LAYER_KEYS)
        segments = entities = None
        if layers is not None:
            segments = self._str(layers, (*path, "layers", "segments"))
            entities = self._str(layers, (*path, "layers", "entities"), optional=True)
        quality = None
        if prov.get("quality") is not None:
            q = self._object(prov["quality"], (*path, "quality"), QUALITY_KEYS)
            if q is not None:
                shares = [self._share(q, (*path, "quality", k)) for k in QUALITY_KEYS[:2]]
                ambiguous = self._bool(q, (*path, "quality", "ambiguous"))
                if None not in shares and ambiguous is not None:
                    quality = Quality(shares[0], shares[1], ambiguous)  # type: ignore[arg-type]
        corrections = prov.get("corrections")
        if not isinstance(corrections, list) or not all(isinstance(c, str) for c in corrections):
            self.error(
                (*path, "corrections"),
                "type",
                '"corrections" must be a list of strings',
                'write [] or ["headline-added", ...]',
            )
            corrections = []
        reviewed = self._bool(prov, (*path, "reviewed"))
        snippets = None
        if prov.get("snippets") is not None:
            snippets = self._snippets(prov["snippets"], (*path, "snippets"))
        if segments is None or reviewed is None:
            return None
        return Provenance(
            segments,
            entities,
            quality=quality,
            corrections=tuple(corrections),
            reviewed=reviewed,
            snippets=snippets,
            **texts,
        )

    def _strings(self, obj: dict[str, Any], path: Path) -> tuple[str, ...]:
        value = obj.get(path[-1])
        if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
            self.error(path, "type", f'"{path[-1]}" must be a list of strings', 'write ["..."]')
            return ()
        return tuple(value)

    def _snippets(self, obj: Any, path: Path) -> Snippets | None:
        snip = self._object(obj, path, SNIPPET_KEYS)
        if snip is None:
            return None
        disagreements = []
        items = snip.get("disagreements")
        if not isinstance(items, list):
            self.error((*path, "disagreements"), "type", '"disagreements" must be a list', "[]")
            items = []
        for i, item in enumerate(items):
            where = (*path, "disagreements", i)
            d = self._object(item, where, DISAGREEMENT_KEYS)
            if d is None:
                continue
            texts = [self._str(d, (*where, k)) for k in DISAGREEMENT_KEYS]
            if texts[1] not in (None, "body", "boilerplate"):
                self.error(
                    (*where, "expected"),
                    "type",
                    f'"expected" must be "body" or "boilerplate", got {texts[1]!r}',
                    'write "body" (a `with` snippet) or "boilerplate" (a `without` one)',
                )
            elif None not in texts:
                disagreements.append(Disagreement(*texts))  # type: ignore[arg-type]
        keep = self._strings(snip, (*path, "with"))
        drop = self._strings(snip, (*path, "without"))
        return Snippets(keep, drop, tuple(disagreements))

    def _list(self, data: dict[str, Any], key: str, item: Any) -> list[Any] | None:
        value = data.get(key)
        if key not in data:
            return None
        if not isinstance(value, list):
            self.error((key,), "type", f'"{key}" must be a list', f'write "{key}": [ ... ]')
            return None
        out = [item(v, (key, i)) for i, v in enumerate(value)]
        return [x for x in out if x is not None]

    def _span(
        self, obj: Any, path: Path, keys: tuple[str, ...], required: tuple[str, ...]
    ) -> tuple[int, int, str] | None:
        if not isinstance(obj, dict):
            self.error(
                path,
                "type",
                f"{path[0]}[{path[1]}] must be an object",
                'write {"start": ..., "end": ..., "label": ...}',
            )
            return None
        self._keys(obj, path, keys, required=required)
        start, end = self._int(obj, (*path, "start")), self._int(obj, (*path, "end"))
        label = self._str(obj, (*path, "label"))
        if start is None or end is None or label is None:
            return None
        return start, end, label

    def _segment(self, obj: Any, path: Path) -> Segment | None:
        span = self._span(obj, path, SEGMENT_KEYS, required=("start", "end", "label"))
        if span is None:
            return None
        kind = self._str(obj, (*path, "kind"), optional=True)
        return Segment(*span, kind)

    def _entity(self, obj: Any, path: Path) -> Entity | None:
        span = self._span(obj, path, ENTITY_KEYS, required=ENTITY_KEYS)
        text = obj.get("text") if isinstance(obj, dict) else None
        if span is None or not isinstance(text, str):
            if span is not None:
                self.error(
                    (*path, "text"),
                    "type",
                    '"text" must be a string',
                    "copy the covered text between double quotes",
                )
            return None
        return Entity(*span, text)


def dump_annotation(annotation: Annotation) -> str:
    """Canonical JSON for an annotation: two-space indent, one segment or entity per line."""
    d = annotation.to_json_dict()
    head = {k: v for k, v in d.items() if k not in ("segments", "entities")}
    lines = json.dumps(head, ensure_ascii=False, indent=2).rstrip("}").rstrip()
    parts = [lines + ","]
    for key in ("segments", "entities"):
        items = [json.dumps(x, ensure_ascii=False) for x in d[key]]
        body = ",\n".join("    " + x for x in items)
        parts.append(f'  "{key}": [\n{body}\n  ]' if items else f'  "{key}": []')
    return parts[0] + "\n" + ",\n".join(parts[1:]) + "\n}\n"
