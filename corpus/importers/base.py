"""What an importer produces: ImportedDocument, the Importer protocol, ids and splits."""

from __future__ import annotations

import hashlib
import tarfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from corpus.core.model import Provenance, Quality, Snippets

# Quality gate: a document whose gold does not land in its body lines well enough, or whose gold
# occurs more than once on the page, is not released (it goes to the review list).
MIN_GOLD_IN_BODY = 0.95
# No page or gold file of a benchmark is larger (the largest real one is about 5 MB).
MAX_MEMBER_BYTES = 64 * 1024 * 1024
VALIDATION_SHARE = 0.2


@dataclass(frozen=True)
class ImportedDocument:
    """One benchmark page turned into a corpus document (text + segments + provenance)."""

    id: str
    text: str
    language: str
    source: dict[str, Any]
    split: str
    segments: tuple[dict[str, Any], ...]
    provenance: Provenance
    released: bool
    review_reason: str | None
    status: str = "gold"  # "draft": written, but left out of the released data until reviewed


class Importer(Protocol):
    """A benchmark importer: `iter_items` reads its archive in one sequential pass and yields
    picklable items; `build` (pure, run on worker processes) turns one into a document."""

    name: str  # the benchmark's name in provenance and the dataset's source config
    prefix: str  # the ids' prefix
    archive: str  # the archive's file name in the sources folder

    def iter_items(self, archive_path: Path) -> Iterator[Any]: ...

    def build(self, item: Any) -> ImportedDocument: ...


def archive_files(
    archive_path: Path, wanted: Callable[[str], bool] = lambda name: True
) -> Iterator[tuple[str, bytes]]:
    """(member name, bytes) of the archive's regular files that `wanted` accepts, in archive
    order: one sequential pass, the only way to read a .tar.xz without decompressing it twice."""
    with tarfile.open(archive_path, "r:xz") as tar:
        for m in tar:
            if m.isfile() and wanted(m.name):
                check_member_name(archive_path, m.name)
                if m.size > MAX_MEMBER_BYTES:
                    raise ValueError(
                        f"{archive_path}: member {m.name!r} is {m.size:,} bytes, over the "
                        f"{MAX_MEMBER_BYTES:,} a benchmark's page or gold file can be; nothing "
                        "written; fix: check the archive"
                    )
                yield m.name, tar.extractfile(m).read()  # type: ignore[union-attr]


def gunzip(data: bytes, where: str) -> bytes:
    """A gzip-compressed page, decompressed to at most MAX_MEMBER_BYTES (a 343 KB gzip bomb
    of a 2 GiB page ended in MemoryError); ValueError naming `where` beyond that."""
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflate.decompress(data, MAX_MEMBER_BYTES + 1)
    if len(out) > MAX_MEMBER_BYTES:
        raise ValueError(
            f"{where}: decompresses to over {MAX_MEMBER_BYTES:,} bytes; nothing written; "
            "fix: check the archive (no web page is that large)"
        )
    return out


def check_member_name(archive_path: Path, name: str) -> None:
    """ValueError unless `name` is a plain relative path: a member named with `..` or from the
    root would be released as a document's provenance.item (and could point anywhere)."""
    parts = name.split("/")
    if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or ":" in parts[0]:
        raise ValueError(
            f"{archive_path}: member {name!r} is not a plain relative path; nothing written; "
            "fix: use an archive packed from its own folder (../shared/sources/README.md)"
        )


def document_id(prefix: str, source: str, item: str) -> str:
    """`<prefix>_<first 16 hex of sha256("<source>/<item path>")>`."""
    digest = hashlib.sha256(f"{source}/{item}".encode()).hexdigest()
    return f"{prefix}_{digest[:16]}"


def normalize_host(host: str) -> str:
    """Lower-cased host without a leading `www.`."""
    host = host.lower().strip()
    return host[4:] if host.startswith("www.") else host


def host_of(url: str | None) -> str | None:
    """The normalized host of a URL, or None."""
    if not url:
        return None
    host = urlsplit(url).hostname
    return normalize_host(host) if host else None


def split_for(host: str) -> str:
    """Deterministic split by site host: ~20 % of hosts are `validation`, the rest `test`."""
    h = normalize_host(host)
    value = int(hashlib.sha256(h.encode("utf-8")).hexdigest()[:8], 16) / 2**32
    return "validation" if value < VALIDATION_SHARE else "test"


def gate(quality: dict[str, Any]) -> str | None:
    """The reason a document is not released, or None if it passes the quality gate."""
    reasons = []
    if quality["gold_in_body"] < MIN_GOLD_IN_BODY:
        reasons.append(f"gold_in_body<{MIN_GOLD_IN_BODY}")
    if quality["ambiguous"]:
        reasons.append("ambiguous")
    return "; ".join(reasons) or None


def make_document(
    *,
    prefix: str,
    benchmark: str,
    item: str,
    text: str,
    language: str,
    source: dict[str, Any],
    host: str,
    segments: list[dict[str, Any]],
    layer: str,
    quality: dict[str, Any],
    corrections: list[str],
    renderer_version: str,
    snippets: Snippets | None = None,
) -> ImportedDocument:
    """Assemble an ImportedDocument with its provenance and the quality gate's verdict."""
    reason = gate(quality)
    provenance = Provenance(
        layer,
        None,
        benchmark=benchmark,
        item=item,
        license=source["license"],
        url=source.get("url"),
        renderer="resiliparse",
        renderer_version=renderer_version,
        quality=Quality(quality["gold_in_body"], quality["body_is_gold"], quality["ambiguous"]),
        corrections=tuple(sorted(corrections)),
        snippets=snippets,
    )
    return ImportedDocument(
        id=document_id(prefix, benchmark, item),
        text=text,
        language=language,
        source=source,
        split=split_for(host),
        segments=tuple(segments),
        provenance=provenance,
        released=reason is None,
        review_reason=reason,
    )


def read_origin(data: bytes) -> str:
    """`origin@commit` from an archive's ORIGIN.txt."""
    fields = dict(line.split(":", 1) for line in data.decode("utf-8").splitlines() if ":" in line)
    origin = fields.get("origin", "").strip()
    commit = fields.get("commit", "").strip()
    return f"{origin}@{commit[:12]}" if commit else origin
