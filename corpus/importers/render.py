"""HTML bytes -> page text with Resiliparse (default options), then the corpus normalization.

C0 control characters other than tab and line breaks (a stray BEL or backspace in a page's
source) are removed: they are never page text, and the corpus refuses them in raw files.

The defaults of `extract_plain_text` reproduce the seed pages' layout: `  • ` bullets, `  1. `
numbered items, indented continuation lines, no wrapping. Encoding: `detect_encoding` (which
reads a `<meta charset>` and BOMs, and otherwise guesses from the bytes).
"""

from __future__ import annotations

import re
from importlib.metadata import version

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import detect_encoding
from resiliparse.parse.html import HTMLTree

from corpus.core.normalize import normalize_text

RENDERER = "resiliparse"
RENDERER_VERSION = version("resiliparse")
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def parse(data: bytes) -> HTMLTree:
    """Parse HTML bytes with the encoding Resiliparse detects for them."""
    return HTMLTree.parse_from_bytes(data, detect_encoding(data))


def render_tree(tree: HTMLTree) -> str:
    """The plain text of a parsed page (default options), normalized."""
    return normalize_text(CONTROL_RE.sub("", extract_plain_text(tree)))


def render(data: bytes) -> str:
    """HTML bytes -> the normalized text that goes to `raw/<id>.txt`."""
    return render_tree(parse(data))
