"""spacy:MODEL: any installed spaCy pipeline (package name or path) as an NER system.

OntoNotes labels are mapped to CoNLL types (PERSON -> PER, GPE/LOC/FAC -> LOC, ORG -> ORG,
NORP/PRODUCT/EVENT/WORK_OF_ART/LANGUAGE/LAW -> MISC), as are the Polish NKJP labels
(persName, placeName, geogName, orgName); numeric and temporal types are dropped. Labels the
map does not know pass through, so the predictions check names them (fix with --label-map).
"""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, package_version, stripped

LABEL_MAP = {
    "PERSON": "PER", "PER": "PER", "persName": "PER",
    "ORG": "ORG", "orgName": "ORG",
    "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "placeName": "LOC", "geogName": "LOC",
    "NORP": "MISC", "PRODUCT": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC", "LAW": "MISC", "MISC": "MISC",
    "DATE": "", "TIME": "", "PERCENT": "", "MONEY": "", "QUANTITY": "", "ORDINAL": "",
    "CARDINAL": "", "date": "", "time": "",
}  # fmt: skip


class SpacyNer:
    """Runs `spacy.load(model)` and reports `doc.ents` with character offsets."""

    task = "ner"
    input = "text"

    def __init__(self, model: str) -> None:
        try:
            import spacy
        except ImportError:
            raise ImportError('spaCy is not installed; fix: pip install -e ".[spacy]"') from None

        self.name = f"spacy:{model}"
        self.nlp = spacy.load(model)
        meta = self.nlp.meta
        self.version = (
            f"{package_version('spacy')}; {meta['lang']}_{meta['name']} {meta['version']}"
        )

    def predict(self, page: Page) -> dict[str, Any]:
        entities = []
        for ent in self.nlp(page.text).ents:
            label = LABEL_MAP.get(ent.label_, ent.label_)
            start, end = stripped(page.text, ent.start_char, ent.end_char)
            if label and start < end:
                entities.append({"start": start, "end": end, "label": label})
        return {"id": page.id, "entities": entities}
