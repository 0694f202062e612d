"""The contributor side: adding documents, import/export formats, HTML views, agreement."""

from corpus.contrib.add import add_document
from corpus.contrib.agreement import agreement

__all__ = ["add_document", "agreement"]
