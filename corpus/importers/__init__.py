"""Importers that turn published extraction benchmarks into corpus documents."""

from __future__ import annotations

from corpus.importers.aeb import AebImporter
from corpus.importers.base import Importer
from corpus.importers.daniel import DanielImporter
from corpus.importers.googletrends import GoogleTrendsImporter
from corpus.importers.l3s_gn1 import L3sImporter
from corpus.importers.wcxb import WcxbImporter

REGISTRY: dict[str, Importer] = {
    "aeb": AebImporter(),
    "daniel": DanielImporter(),
    "l3s-gn1": L3sImporter(),
    "wcxb": WcxbImporter(),
    "googletrends-2017": GoogleTrendsImporter(),
}
