"""Built-in systems and the names that select them (`corpus eval --system NAME`).

Extraction systems work on the page text (`input = "text"`: what a pretraining pipeline sees
of a WET record) or on the page's original HTML (`input = "html"`, read from the benchmark
archive the document was imported from). Each adapter lives in its own module and imports
its library only when it runs.
"""

from __future__ import annotations

from collections.abc import Callable

from corpus.systems.base import Page, System
from corpus.systems.boilerpy3_system import Boilerpy3
from corpus.systems.c4_lines import C4Lines
from corpus.systems.fineweb_lines import FineWebLines
from corpus.systems.goose3_system import Goose3
from corpus.systems.html_text_system import HtmlText
from corpus.systems.inscriptis_system import Inscriptis
from corpus.systems.jieba_ner import JiebaNer
from corpus.systems.justext_html import JusTextHtml
from corpus.systems.justext_system import JusTextLines
from corpus.systems.keep_all import KeepAll
from corpus.systems.natasha_ner import NatashaNer
from corpus.systems.newspaper_system import Newspaper4k
from corpus.systems.readability_system import Readability
from corpus.systems.resiliparse_full import ResiliparseFull
from corpus.systems.resiliparse_main import ResiliparseMain
from corpus.systems.rule_ner import RuleNer
from corpus.systems.trafilatura_system import Trafilatura

TEXT_EXTRACTION: dict[str, Callable[[], System]] = {
    "keep-all": KeepAll,
    "c4-lines": C4Lines,
    "justext-lines": JusTextLines,
    "fineweb-lines": FineWebLines,
}
HTML_EXTRACTION: dict[str, Callable[[], System]] = {
    "trafilatura": Trafilatura,
    "resiliparse": ResiliparseMain,
    "readability": Readability,
    "justext": JusTextHtml,
    "boilerpy3": Boilerpy3,
    "goose3": Goose3,
    "newspaper4k": Newspaper4k,
    "resiliparse-full": ResiliparseFull,
    "html-text": HtmlText,
    "inscriptis": Inscriptis,
}
EXTRACTION: dict[str, Callable[[], System]] = {**TEXT_EXTRACTION, **HTML_EXTRACTION}
NER: dict[str, Callable[[], System]] = {"rules": RuleNer, "natasha": NatashaNer, "jieba": JiebaNer}
PREFIXED = ("spacy:MODEL", "transformers:PATH")

__all__ = ["EXTRACTION", "HTML_EXTRACTION", "NER", "TEXT_EXTRACTION", "Page", "System"]
__all__ += ["get_system", "system_names"]


def system_names(task: str) -> str:
    """The built-in names for `task`, comma-separated (for help texts and error messages)."""
    return ", ".join(
        [*(NER if task == "ner" else EXTRACTION), *(PREFIXED if task == "ner" else ())]
    )


def get_system(task: str, name: str) -> System:
    """The built-in system `name` for `task`; spacy:MODEL and transformers:PATH for NER."""
    if task == "ner" and name.startswith("spacy:"):
        from corpus.systems.spacy_ner import SpacyNer

        return SpacyNer(name.split(":", 1)[1])
    if task == "ner" and name.startswith("transformers:"):
        from corpus.systems.transformers_ner import TransformersNer

        return TransformersNer(name.split(":", 1)[1])
    table = NER if task == "ner" else EXTRACTION
    if name not in table:
        raise ValueError(f'unknown {task} system "{name}"; fix: use one of {system_names(task)}')
    return table[name]()
