"""Deterministic SYNTHETIC web pages for benchmarks and scale tests — never released data.

Each page has the parts the real ones have (navigation, title, lead, body paragraphs with named
entities, a JavaScript notice, reader comments, teasers for other articles), in one of four
languages, about 4 KB, with gold segments and entities. Ids start with "syn", and pages are
only ever written to folders the caller chooses (temporary ones in tests and benchmarks).
"""

from __future__ import annotations

import random
from pathlib import Path

from corpus.core.annotation_io import dump_annotation
from corpus.core.model import Annotation, Entity, Provenance, Segment, Source
from corpus.core.normalize import sha256_text

WORDS = {
    "de": [
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "mit",
        "auf",
        "für",
        "sich",
        "dem",
        "den",
        "von",
        "eine",
        "einen",
        "werden",
        "hat",
        "auch",
        "nach",
        "wie",
        "bei",
        "über",
        "noch",
        "zum",
        "zur",
        "sagte",
        "heute",
        "Jahr",
        "Stadt",
        "Regierung",
        "Unternehmen",
    ],
    "pl": [
        "i",
        "w",
        "nie",
        "na",
        "się",
        "z",
        "do",
        "to",
        "że",
        "jest",
        "o",
        "jak",
        "po",
        "ale",
        "za",
        "od",
        "tak",
        "jego",
        "już",
        "przez",
        "roku",
        "miasto",
        "rząd",
        "firma",
        "dzisiaj",
        "powiedział",
        "także",
        "bardzo",
    ],
    "en": [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "that",
        "for",
        "it",
        "with",
        "as",
        "was",
        "on",
        "be",
        "by",
        "this",
        "are",
        "from",
        "at",
        "have",
        "said",
        "year",
        "city",
        "government",
        "company",
        "today",
        "also",
    ],
    "fr": [
        "le",
        "la",
        "les",
        "de",
        "des",
        "et",
        "est",
        "un",
        "une",
        "pour",
        "dans",
        "que",
        "qui",
        "sur",
        "pas",
        "par",
        "au",
        "avec",
        "ce",
        "il",
        "a",
        "été",
        "année",
        "ville",
        "gouvernement",
        "entreprise",
        "aujourd",
        "hui",
    ],
}
NAMES = {
    "PER": [
        "Anna Nowak",
        "Jan Kowalski",
        "Maria Schmidt",
        "Peter Müller",
        "Claire Dubois",
        "John Smith",
        "Ewa Zielińska",
        "Luc Martin",
    ],
    "ORG": ["Alibaba", "Cainiao", "Siemens", "Orlen", "Renault", "Reuters", "Europol", "VSSE"],
    "LOC": ["Lüttich", "Warszawa", "Berlin", "Paris", "London", "Kraków", "Lyon", "Hamburg"],
    "MISC": [
        "belgische",
        "Euro",
        "Android",
        "Olympia",
        "Bundesliga",
        "iPhone",
        "Ekstraklasa",
        "Tour de France",
    ],
}
NAV = [
    "Start | News | Sport | Wirtschaft | Kontakt",
    "Home • Kraj • Świat • Biznes",
    "Menu  Login  Abo  Suche",
]
NOTICE = {
    "de": "Bitte aktivieren Sie JavaScript.",
    "pl": "Włącz obsługę JavaScript.",
    "en": "Please enable JavaScript.",
    "fr": "Veuillez activer JavaScript.",
}


class _Page:
    """Builds text line by line, keeping segment and entity offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[Entity] = []
        self.segments: list[Segment] = []
        self.block_start = 0

    def add(self, text: str, label: str | None = None) -> None:
        if label:
            self.entities.append(Entity(self.length, self.length + len(text), label, text))
        self.parts.append(text)
        self.length += len(text)

    def close_block(self, label: str, kind: str | None = None) -> None:
        self.add("\n\n")
        if self.segments and (self.segments[-1].label, self.segments[-1].kind) == (label, kind):
            last = self.segments.pop()
            self.segments.append(Segment(last.start, self.length, label, kind))
        else:
            self.segments.append(Segment(self.block_start, self.length, label, kind))
        self.block_start = self.length


def _sentence(rng: random.Random, page: _Page, lang: str, names: bool) -> None:
    words = WORDS[lang]
    n = rng.randint(8, 16)
    for i in range(n):
        if i:
            page.add(" ")
        if names and rng.random() < 0.12:
            label = rng.choice(list(NAMES))
            page.add(rng.choice(NAMES[label]), label)
        else:
            word = rng.choice(words)
            page.add(word.capitalize() if i == 0 else word)
    page.add(".")


def synthetic_page(i: int, seed: int = 0) -> tuple[str, str, Annotation]:
    """(id, text, annotation) of synthetic page `i`; the same arguments give the same page."""
    rng = random.Random(f"{seed}-{i}")
    lang = ["de", "pl", "en", "fr"][i % 4]
    ident = f"syn{seed:02d}_{i:07d}"
    page = _Page()
    page.add(rng.choice(NAV))
    page.close_block("boilerplate", "navigation")
    _sentence(rng, page, lang, True)
    page.add("\n")
    _sentence(rng, page, lang, True)
    page.close_block("body")
    for _ in range(rng.randint(7, 9)):
        for k in range(rng.randint(5, 7)):
            if k:
                page.add(" ")
            _sentence(rng, page, lang, True)
        page.close_block("body")
    page.add(NOTICE[lang])
    page.close_block("boilerplate", "notice")
    for _ in range(rng.randint(2, 4)):
        page.add(rng.choice(NAMES["PER"]).split()[0], "PER")
        page.add(f"\u00a0{rng.randint(1, 28):02d}.10.2023\n\n")
        _sentence(rng, page, lang, False)
        page.close_block("boilerplate", "comment")
    for n in range(1, 4):
        page.add(f"  {n}. ")
        _sentence(rng, page, lang, True)
        page.close_block("boilerplate", "related-links")
    text = "".join(page.parts)
    annotation = Annotation(
        ident,
        lang,
        Source("SYNTHETIC (corpus.synthetic)", "synthetic, not for release"),
        "test",
        sha256_text(text),
        tuple(page.segments),
        tuple(page.entities),
        provenance=Provenance("manual", "manual", benchmark="synthetic"),
    )
    return ident, text, annotation


def write_synthetic_corpus(root: Path, n: int, seed: int = 0) -> None:
    """Write n synthetic pages into root/raw and root/annotations, and a README stub."""
    (root / "raw").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(parents=True, exist_ok=True)
    readme = root / "README.md"
    if not readme.exists():
        from corpus.build.card import STATS_END, STATS_START

        readme.write_text(
            f"# SYNTHETIC benchmark corpus\n\n{STATS_START}\n{STATS_END}\n", encoding="utf-8"
        )
    for i in range(n):
        ident, text, annotation = synthetic_page(i, seed)
        (root / "raw" / f"{ident}.txt").write_text(text, encoding="utf-8")
        (root / "annotations" / f"{ident}.json").write_text(
            dump_annotation(annotation), encoding="utf-8"
        )
