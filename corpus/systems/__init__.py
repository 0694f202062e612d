"""Built-in systems and the names that select them (`corpus predict --system NAME`)."""

from __future__ import annotations

from collections.abc import Callable

from corpus.systems.base import Page, System
from corpus.systems.c4_lines import C4Lines
from corpus.systems.justext_system import JusText
from corpus.systems.keep_all import KeepAll
from corpus.systems.rule_ner import RuleNer
from corpus.systems.trafilatura_system import Trafilatura

EXTRACTION: dict[str, Callable[[], System]] = {
    "keep-all": KeepAll,
    "c4-lines": C4Lines,
    "justext": JusText,
    "trafilatura": Trafilatura,
}
NER: dict[str, Callable[[], System]] = {"rules": RuleNer}
PREFIXED = ("spacy:MODEL", "transformers:PATH")

__all__ = ["EXTRACTION", "NER", "Page", "System", "get_system"]


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
        known = ", ".join([*table, *(PREFIXED if task == "ner" else ())])
        raise ValueError(f'unknown {task} system "{name}"; fix: use one of {known}')
    return table[name]()
