"""Built-in systems: rule behaviour by hand, and the spaCy and transformers adapters offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.core.tokenize import tokenize
from corpus.eval.predictions import read_predictions
from corpus.systems import Page, get_system
from corpus.systems.c4_lines import kept_lines
from corpus.systems.rule_ner import rule_entities

ARTICLE = (
    "Menü Start Kontakt\n"
    "Die Behörde überwacht das Lager seit Monaten sehr genau. Das sagte ein Sprecher.\n"
    "Bitte aktivieren Sie JavaScript, um alle Inhalte zu sehen.\n"
    "Der Konzern hat die Vorwürfe zurückgewiesen und spricht von Gerüchten.\n"
    "Weitere Artikel...\n"
)


def test_c4_keeps_sentence_lines_and_drops_the_rest() -> None:
    kept = [ARTICLE[s:e] for s, e in kept_lines(ARTICLE)]
    assert kept == [
        "Die Behörde überwacht das Lager seit Monaten sehr genau. Das sagte ein Sprecher.",
        "Der Konzern hat die Vorwürfe zurückgewiesen und spricht von Gerüchten.",
    ]


def test_c4_drops_pages_with_too_few_sentences_or_curly_brackets() -> None:
    assert kept_lines("Only one line here that ends with a stop.\n") == []
    assert kept_lines(ARTICLE + "Some code looks like this { x } and is dropped.\n") == []


def test_rule_baseline_by_hand() -> None:
    text = "We met Vincent van Quickenborne and the head of AliExpress in Liège."
    found = {(text[e["start"] : e["end"]], e["label"]) for e in rule_entities(text, "en")}
    assert found == {("Vincent van Quickenborne", "PER"), ("AliExpress", "ORG"), ("Liège", "LOC")}
    text = "Gestern traf Vincent van Quickenborne den Chef von AliExpress in Lüttich."
    german = {text[e["start"] : e["end"]] for e in rule_entities(text, "de")}
    assert "Lüttich" not in german and "Vincent van Quickenborne" in german


def test_unknown_system_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"keep-all, c4-lines, justext-lines, .*, trafilatura"):
        get_system("extraction", "dragnet")


def check_predictions(lines: list[dict], pages: list[Page]) -> None:
    texts = {p.id: p.text for p in pages}
    raw = [json.dumps(x) for x in lines]
    read_predictions("x", "ner", texts, set(texts), lines=raw)  # raises on any problem


@pytest.fixture(scope="module")
def spacy_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "GPE", "pattern": "Lüttich"},
            {
                "label": "PERSON",
                "pattern": [{"LOWER": "vincent"}, {"LOWER": "van"}, {"LOWER": "quickenborne"}],
            },
            {"label": "ORG", "pattern": "Alibaba"},
            {"label": "DATE", "pattern": "2023"},
        ]
    )
    path = tmp_path_factory.mktemp("spacy") / "model"
    nlp.to_disk(path)
    return path


def test_spacy_adapter_maps_labels_and_offsets(spacy_model: Path) -> None:
    system = get_system("ner", f"spacy:{spacy_model}")
    page = Page("p", "Vincent van Quickenborne besuchte 2023 Lüttich und Alibaba.", "de")
    out = system.predict(page)
    got = [(page.text[e["start"] : e["end"]], e["label"]) for e in out["entities"]]
    assert got == [("Vincent van Quickenborne", "PER"), ("Lüttich", "LOC"), ("Alibaba", "ORG")]
    check_predictions([out], [page])


@pytest.fixture(scope="module")
def tiny_transformer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    from corpus.core.labels import NER_TAGS

    path = tmp_path_factory.mktemp("tiny") / "model"
    corpus_text = [
        "Die belgische Staatssicherheit überwacht Alibabas Logistikzentrum in Lüttich.",
        "Belgijska Służba Bezpieczeństwa Państwowego podjęła kroki wobec AliExpress.",
    ]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(
        corpus_text,
        trainers.WordPieceTrainer(
            vocab_size=120, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
        ),
    )
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        model_max_length=32,
    )
    fast.save_pretrained(path)
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=fast.vocab_size,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
        id2label=dict(enumerate(NER_TAGS)),
        label2id={t: i for i, t in enumerate(NER_TAGS)},
    )
    model = transformers.BertForTokenClassification(config)
    with torch.no_grad():  # make every sub-word I-LOC, so the expected output is known
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0, 0, 0, 0, 0, 0, 5.0, 0, 0]))
    model.save_pretrained(path)
    return path


def test_transformers_adapter_aggregates_subwords_onto_corpus_tokens(
    tiny_transformer: Path,
) -> None:
    system = get_system("ner", f"transformers:{tiny_transformer}")
    # long enough to need several windows of 32 sub-words; words unseen in training split up
    text = " ".join(["Lüttich überwacht Quickenborne-Verträge, Alibaba."] * 12)
    page = Page("p", text, "de")
    out = system.predict(page)
    check_predictions([out], [page])
    tokens = tokenize(text)
    starts, ends = {s for s, _ in tokens}, {e for _, e in tokens}
    assert all(e["start"] in starts and e["end"] in ends for e in out["entities"])
    # all-I-LOC tags decode (conlleval) to one chunk per run of tagged tokens: the whole text
    assert out["entities"] == [{"start": 0, "end": len(text), "label": "LOC"}]


def test_transformers_adapter_runs_on_the_corpus(tiny_transformer: Path, seed_corpus: Path) -> None:
    from corpus.eval import load_gold

    gold = load_gold(seed_corpus)
    system = get_system("ner", f"transformers:{tiny_transformer}")
    pages = list(gold.pages())
    check_predictions([system.predict(p) for p in pages], pages)
