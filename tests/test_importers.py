"""Importers: tiny made-up pages in archives built at test time, and invariants on the real
archives (skipped when ../shared/sources is absent)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import write_tar

from corpus.core.labels import GENRES
from corpus.core.model import Disagreement, Quality
from corpus.importers import REGISTRY, l3s_gn1
from corpus.importers.align import BODY, align_gold, is_ambiguous, segments_from_lines
from corpus.importers.base import document_id, split_for
from corpus.importers.run import import_source
from corpus.importers.write import annotation, write_document

SOURCES = Path(__file__).parents[1].parent / "shared" / "sources"

AEB_PAGE = (
    "<html><head><title>Big News Today | Site</title></head><body>"
    "<ul><li>Home</li><li>World</li></ul><h1>Big News Today</h1><p>By Jane Doe</p>"
    "<p>First paragraph of the story is here.</p><p>Second paragraph ends the story.</p>"
    "<p>Related: other things</p></body></html>"
)
AEB_GOLD = "First paragraph of the story is here.\n\nSecond paragraph ends the story."
DANIEL_PAGE = (
    "<html><head><meta charset='utf-8'><title>大新闻</title></head><body><div>首页 新闻</div>"
    "<h1>大新闻</h1><p>2012-01-12 19:17</p><p>来源: 网</p><p>今天北京下雪了。</p>"
    "<p>学校放假。</p><div>版权所有</div></body></html>"
)
DANIEL_GOLD = "<p>大新闻</p>\n<p>2012-01-12 19:17</p>\n<p>今天北京下雪了。</p><p>学校放假。</p>"
L3S_PAGE = (
    "<html><body><div>Menu <a href='#'>Home</a></div>"
    '<h1><span class="x-nc-sel1">The Headline Here</span></h1>'
    '<p><span class="x-nc-sel3">Photo: a cat on a mat</span></p>'
    '<p><span class="x-nc-sel2">Body text one, with <b>bold</b> words.</span></p>'
    '<p><span class="x-nc-sel2">Body text two.</span></p>'
    '<ul><li><span class="x-nc-sel4">Other story</span></li></ul>'
    '<p><span class="x-nc-sel5">Great article, says Bob</span></p></body></html>'
)


def make_sources(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    origin = b"origin: github:example/x\ncommit: 0123456789abcdef\n"
    truth = {"p1": {"articleBody": AEB_GOLD, "url": "https://www.Example.com/a"}}
    write_tar(
        d / "aeb.tar.xz",
        {
            "aeb/html/p1.html.gz": gzip.compress(AEB_PAGE.encode(), mtime=0),
            "aeb/ground-truth.json": json.dumps(truth).encode(),
            "aeb/ORIGIN.txt": origin,
        },
    )
    base = "daniel-v2.1/corpora/Corpus_daniel_v2.1/"
    key = "20120112_news.example.cn_abc"
    write_tar(
        d / "daniel-v2.1.tar.xz",
        {
            "daniel-v2.1/ORIGIN.txt": origin,
            base + "html/" + key: DANIEL_PAGE.encode(),
            base + "doc_lg.json": json.dumps({key: "Chinese"}).encode(),
            base + "reference/" + key: DANIEL_GOLD.encode(),
        },
    )
    l3s = "l3s-gn1/L3S-GN1-x/"
    write_tar(
        d / "l3s-gn1.tar.xz",
        {
            "l3s-gn1/ORIGIN.txt": origin,
            l3s + "url-mapping.txt": b"<urn:uuid:u1>\thttp://news.example.org/s\n",
            l3s + "annotated/u1.html": L3S_PAGE.encode(),
        },
    )
    wcxb = "wcxb/"
    truth = {
        "url": "https://forum.example.net/t/1",
        "file_id": "0001",
        "_internal": {"page_type": {"primary": "forum"}},
        "ground_truth": {
            "title": "Big News Today",
            "publish_date": "2025-03-01",
            "main_content": WCXB_GOLD,
            "with": ["Second paragraph ends the", "By Jane Doe"],
            "without": ["Related: other things", "not on the page at all"],
        },
    }
    empty = {"url": "https://forum.example.net/t/2", "ground_truth": {"main_content": ""}}
    meta = {"files": {"0001": {"page_type": "forum"}, "0002": {"page_type": "listing"}}}
    write_tar(
        d / "wcxb.tar.xz",
        {
            wcxb + "dev/html/0001.html": AEB_PAGE.encode(),
            wcxb + "dev/html/0002.html": AEB_PAGE.replace("Big", "Small").encode(),
            wcxb + "dev/ground-truth/0001.json": json.dumps(truth).encode(),
            wcxb + "dev/ground-truth/0002.json": json.dumps(empty).encode(),
            wcxb + "test/html/0001.html": AEB_PAGE.encode(),
            wcxb + "test/ground-truth/0001.json": json.dumps(truth).encode(),
            wcxb + "ORIGIN.txt": origin,
            wcxb + "metadata.json": json.dumps(meta).encode(),
        },
    )
    gt = "googletrends-2017/datasets/googletrends/"
    write_tar(
        d / "googletrends-2017.tar.xz",
        {
            "googletrends-2017/ORIGIN.txt": origin,
            gt + "raw_html/x-001.html": GT_RAW.encode(),  # no genre decided: held back
            gt + "prepared_html/gt_1.html": _prepared({}).encode(),
        },
    )
    return d


def _lines(doc) -> list[tuple[str, str, str | None]]:
    return [(doc.text[s["start"] : s["end"]], s["label"], s.get("kind")) for s in doc.segments]


def _check_partition(text: str, segments) -> None:
    pos = 0
    for i, s in enumerate(segments):
        assert s["start"] == pos < s["end"]
        if i:
            assert text[s["start"] - 1] == "\n" and text[s["start"]] != "\n"
        pos = s["end"]
    assert pos == len(text)


def documents(name: str, src: Path) -> list:
    importer = REGISTRY[name]
    return [importer.build(it) for it in importer.iter_items(src / importer.archive)]


_FIXTURE_DOC: list = []


def documents_from_fixture():
    """The AEB fixture page as a document (made once)."""
    if not _FIXTURE_DOC:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            _FIXTURE_DOC.extend(documents("aeb", make_sources(Path(tmp))))
    return _FIXTURE_DOC[0]


def test_aeb_fixture(tmp_path: Path) -> None:
    src = make_sources(tmp_path / "src")
    [doc] = documents("aeb", src)
    assert _lines(doc) == EXPECTED_AEB
    assert doc.id == document_id("aeb", "aeb", "aeb/html/p1.html.gz")
    assert doc.provenance.corrections == ("headline-added",)
    assert doc.provenance.quality == Quality(1.0, 1.0, False)
    assert (doc.provenance.segments, doc.provenance.entities) == ("aligned:aeb", None)
    assert doc.released and doc.split == split_for("example.com")
    assert doc.source["publisher"] == "example.com"


def test_daniel_fixture_han_and_dateline(tmp_path: Path) -> None:
    src = make_sources(tmp_path / "src")
    [doc] = documents("daniel", src)
    assert doc.language == "zh"
    assert _lines(doc) == EXPECTED_DANIEL
    assert doc.provenance.corrections == ("dateline-removed",)


def test_l3s_fixture_markers(tmp_path: Path) -> None:
    src = make_sources(tmp_path / "src")
    [doc] = documents("l3s-gn1", src)
    assert _lines(doc) == EXPECTED_L3S
    assert doc.released and doc.source["url"] == "http://news.example.org/s"
    tree = l3s_gn1.parse(L3S_PAGE.encode())
    l3s_gn1.mark(tree)
    stripped, classes = l3s_gn1.classify(l3s_gn1.render_tree(tree))
    assert stripped == doc.text and len(classes) == len(stripped)
    assert classes[stripped.index("bold")] == 2 and classes[stripped.index("Bob")] == 5


def test_quality_gate_and_ambiguity() -> None:
    text = "Menu\nThe same long sentence.\nThe same long sentence.\nFooter\n"
    a = align_gold(text, "The same long sentence.")
    assert a.ambiguous
    assert is_ambiguous(["a", "b"], ["a", "b", "x", "a", "b"])
    assert not is_ambiguous(["a", "b"], ["a", "b", "x"])
    a = align_gold("Menu\nOnly half here.\n", "Only half here. And more words missing from page.")
    from corpus.importers.align import quality

    q = quality(a.lines, a.labels, a.aligned, a.gold_tokens, a.ambiguous)
    assert q["gold_in_body"] < 0.95


def test_gate_keeps_unreleased_out(tmp_path: Path) -> None:
    src = make_sources(tmp_path / "src")
    truth = {"p1": {"articleBody": AEB_GOLD + " Words not on the page at all here.", "url": None}}
    write_tar(
        src / "aeb.tar.xz",
        {
            "aeb/html/p1.html.gz": gzip.compress(AEB_PAGE.encode(), mtime=0),
            "aeb/ground-truth.json": json.dumps(truth).encode(),
        },
    )
    s = import_source("aeb", src, tmp_path / "out", jobs=1)
    assert s["released"] == 0 and s["not_released"] == {"gold_in_body<0.95": 1}
    assert not (tmp_path / "out" / "raw").exists()
    review = (tmp_path / "out" / "imports" / "aeb-review.tsv").read_text().splitlines()
    assert len(review) == 2 and review[1].endswith("gold_in_body<0.95")


def test_import_deterministic(tmp_path: Path) -> None:
    src = make_sources(tmp_path / "src")
    outs = []
    for k, jobs in ((1, 1), (2, 2)):
        root = tmp_path / f"out{k}"
        for name in REGISTRY:
            import_source(name, src, root, jobs=jobs)
        outs.append(
            {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
        )
    for o in outs:  # the timing is the only thing that may differ
        for p in list(o):
            if p.name.endswith("-summary.json"):
                o[p] = json.dumps({**json.loads(o[p]), "seconds": 0}).encode()
    # three released pages (the WCXB fixture repeats the AEB page: held back as its duplicate;
    # the GoogleTrends page has no genre decided), a review list and a summary per source
    assert outs[0] == outs[1] and len(outs[0]) == 3 * 2 + len(REGISTRY) * 2


def test_splits_by_host() -> None:
    assert split_for("www.Example.com") == split_for("example.com")
    hosts = [f"site{i}.example" for i in range(2000)]
    share = sum(split_for(h) == "validation" for h in hosts) / len(hosts)
    assert 0.15 < share < 0.25


def test_segments_blank_lines_follow_preceding() -> None:
    text = "nav\n\nbody one\nbody two\n\n\nfooter\n"
    a = align_gold(text, "body one body two")
    segs = segments_from_lines(a.lines, a.labels)
    assert [(text[s["start"] : s["end"]], s["label"]) for s in segs] == [
        ("nav\n\n", "boilerplate"),
        ("body one\nbody two\n\n\n", "body"),
        ("footer\n", "boilerplate"),
    ]


def test_written_annotation_is_valid_and_canonical(tmp_path: Path) -> None:
    """The writer goes through the model: the file reads back to the same annotation and
    passes every check of `corpus validate`."""
    from corpus.build.checks import validate_bytes
    from corpus.core.annotation_io import dump_annotation

    src = make_sources(tmp_path / "src")
    [doc] = documents("aeb", src)
    write_document(doc, tmp_path)
    raw = (tmp_path / "raw" / f"{doc.id}.txt").read_bytes()
    ann = (tmp_path / "annotations" / f"{doc.id}.json").read_bytes()
    checked, problems = validate_bytes(doc.id, raw, ann)
    assert checked is not None and not [p for p in problems if p.severity == "error"]
    assert checked.annotation == annotation(doc)
    assert ann.decode() == dump_annotation(annotation(doc))
    assert list(json.loads(ann))[:5] == ["id", "language", "source", "provenance", "split"]


def test_reviewed_documents_are_kept_and_stale_ones_deleted(tmp_path: Path) -> None:
    src = make_sources(tmp_path / "src")
    out = tmp_path / "out"
    import_source("aeb", src, out, jobs=1)
    [path] = (out / "annotations").glob("aeb_*.json")
    reviewed = path.read_text().replace('"reviewed": false', '"reviewed": true')
    path.write_text(reviewed)
    stale = out / "annotations" / "aeb_0000000000000000.json"
    stale.write_text(path.read_text().replace('"reviewed": true', '"reviewed": false'))
    (out / "raw" / "aeb_0000000000000000.txt").write_text("old")
    s = import_source("aeb", src, out, jobs=1)
    assert path.read_text() == reviewed and not stale.exists()
    assert (s["kept_reviewed"], s["deleted"]) == (1, 1)
    with_entities = path.read_text().replace('"reviewed": true', '"reviewed": false')
    with_entities = with_entities.replace('"entities": null', '"entities": "manual"')
    path.write_text(with_entities)
    import_source("aeb", src, out, jobs=1)
    assert path.read_text() == with_entities  # hand-made entities are kept too


def test_pages_crawled_twice_are_released_once() -> None:
    from dataclasses import replace

    from corpus.importers.run import drop_duplicates

    doc = documents_from_fixture()
    twin = replace(doc, id="aeb_twin", provenance=replace(doc.provenance, item="zzz"))
    kept, held = drop_duplicates([twin, doc])
    assert not kept.released and kept.review_reason == f"duplicate of {doc.id}"
    assert held.released


def test_credit_lines_become_metadata() -> None:
    from corpus.importers.corrections import remove_credits

    text = (
        "Copyright 2019 Hawaii News Now. All rights reserved.\n"
        "Copyright law is changing fast, the minister said on Monday.\n"
        "Źródło: PAP\n"
        "The source: a long report says so.\n"
    )
    a = align_gold(text, text)
    labels = list(a.labels)
    assert remove_credits(text, a.lines, labels)
    assert labels == [("boilerplate", "metadata"), BODY, ("boilerplate", "metadata"), BODY]


@pytest.mark.skipif(not SOURCES.is_dir(), reason=f"real benchmark archives not found at {SOURCES}")
@pytest.mark.parametrize("name", ["aeb", "daniel", "l3s-gn1", "wcxb", "googletrends-2017"])
def test_real_archive_invariants(name: str) -> None:
    importer = REGISTRY[name]
    n = 0
    for i, it in enumerate(importer.iter_items(SOURCES / importer.archive)):
        if i % 25:
            continue
        doc = importer.build(it)
        n += 1
        _check_partition(doc.text, doc.segments)
        assert doc.id.startswith(f"{importer.prefix}_")
        assert doc.source["genre"] in GENRES
        assert doc.source["year"] is None or 1991 <= doc.source["year"] <= 2026
        assert doc.split in ("test", "validation")
        assert doc.released == (doc.review_reason is None)
        q = doc.provenance.quality
        assert q is not None and 0 <= q.gold_in_body <= 1 and 0 <= q.body_is_gold <= 1
    assert n > 0


EXPECTED_AEB = [
    ("  • Home\n  • World\n\n", "boilerplate", None),
    ("Big News Today\n\n", "body", None),
    ("By Jane Doe\n\n", "boilerplate", None),
    ("First paragraph of the story is here.\n\nSecond paragraph ends the story.\n\n", "body", None),
    ("Related: other things", "boilerplate", None),
]
EXPECTED_DANIEL = [
    ("首页 新闻\n\n", "boilerplate", None),
    ("大新闻\n\n", "body", None),
    ("2012-01-12 19:17\n\n", "boilerplate", "metadata"),
    ("来源: 网\n\n", "boilerplate", None),
    ("今天北京下雪了。\n\n学校放假。\n\n", "body", None),
    ("版权所有", "boilerplate", None),
]
EXPECTED_L3S = [
    ("Menu Home\n\n", "boilerplate", None),
    ("The Headline Here\n\n", "body", None),
    ("Photo: a cat on a mat\n\n", "boilerplate", "caption"),
    ("Body text one, with bold words.\n\nBody text two.\n\n", "body", None),
    ("  • Other story\n\n", "boilerplate", "related-links"),
    ("Great article, says Bob", "boilerplate", "comment"),
]


WCXB_GOLD = "First paragraph of the story is here.\n\nSecond paragraph ends the story."


def test_wcxb_fixture_one_document_per_url_genre_year_and_snippets(tmp_path: Path) -> None:
    """A URL in both splits is released once; empty gold is held back; the page type is the
    genre, publish_date the year; snippets on the other side are recorded as disagreements, and
    the written documents pass `corpus validate`'s checks."""
    from corpus.build.checks import validate_bytes

    src = make_sources(tmp_path / "src")
    docs = documents("wcxb", src)
    assert [d.provenance.item for d in docs] == [
        "wcxb/dev/html/0001.html", "wcxb/dev/html/0002.html", "wcxb/test/html/0001.html",
    ]  # fmt: skip
    assert docs[1].review_reason == "empty-gold" and not docs[1].released
    summary = import_source("wcxb", src, tmp_path / "out", jobs=1)
    assert (summary["released"], summary["drafts"]) == (0, 1)  # drafts until reviewed
    review = (tmp_path / "out" / "imports" / "wcxb-review.tsv").read_text()
    assert f"duplicate of {docs[0].id}" in review  # the same gold: the smaller item wins
    doc = docs[0]
    assert (doc.source["genre"], doc.source["year"], doc.source["date"]) == (
        "forum", 2025, "2025-03-01",
    )  # fmt: skip
    assert doc.provenance.segments == "aligned:wcxb" and doc.language == "en"
    assert doc.status == "draft"
    assert _lines(doc) == EXPECTED_AEB
    snippets = doc.provenance.snippets
    assert snippets is not None and snippets.keep[0] == "Second paragraph ends the"
    from corpus.importers.wcxb import DISAGREE

    assert snippets.disagreements == (Disagreement("By Jane Doe", "body", DISAGREE),)
    raw = (tmp_path / "out" / "raw" / f"{doc.id}.txt").read_bytes()
    ann = (tmp_path / "out" / "annotations" / f"{doc.id}.json").read_bytes()
    checked, problems = validate_bytes(doc.id, raw, ann)
    assert checked is not None and not [p for p in problems if p.severity == "error"]
    assert checked.annotation.source.genre == "forum" and checked.annotation.status == "draft"


def test_ambiguity_counts_repeats_the_gold_has_too() -> None:
    """A run quoted twice on the page and twice in the gold leaves nothing to choose."""
    run = [f"w{i}" for i in range(25)]
    page = ["nav", *run, "x", *run, "foot"]
    assert is_ambiguous(run, page)
    assert not is_ambiguous([*run, "x", *run], page, repeats=True)
    assert is_ambiguous(run, page, repeats=True)


def test_near_copies_within_and_across_sources(tmp_path: Path) -> None:
    """Near copies (>= 90% of word 5-shingles shared) and shared URLs are released once;
    a page already in the corpus from another source stays, the import's copy is held back."""
    from dataclasses import replace

    from corpus.importers.dedup import jaccard, near_pairs, shingles
    from corpus.importers.run import drop_corpus_duplicates, drop_duplicates

    words = " ".join(f"word{i}" for i in range(200))
    a, b = shingles(words), shingles(words + " one more")
    assert jaccard(a, b) == len(a) / len(b) and jaccard(a, b) > 0.9
    assert near_pairs({"x": a, "y": b, "z": shingles("other text " * 40)}) == [
        ("x", "y", round(len(a) / len(b), 4))
    ]
    assert near_pairs({"x": a, "y": shingles(" ".join(f"word{i}" for i in range(150)))}) == []
    doc = documents_from_fixture()
    other_url = {**doc.source, "url": "https://other.example/x"}
    longer = replace(doc, id="aeb_near", text=doc.text + "\nMore.\n", source=other_url)
    assert 0.9 <= jaccard(shingles(doc.text), shingles(longer.text)) < 1
    worse = Quality(0.96, 0.9, False)  # the worse gold is held back, whatever its item
    near = replace(longer, provenance=replace(doc.provenance, item="a-first", quality=worse))
    kept, held = drop_duplicates([doc, near])
    assert kept.released and held.review_reason == f"duplicate of {doc.id}"
    kept, held = drop_duplicates([doc, near], reviewed=frozenset({near.id}))
    assert held.released and kept.review_reason == f"duplicate of {near.id}"  # reviewed first
    same_url = replace(doc, id="aeb_url", text="Totally different text here.\n")
    assert drop_duplicates([doc, same_url])[1].review_reason == f"duplicate of {doc.id}"
    others = {"wcxb_x": (None, longer.text)}
    [out] = drop_corpus_duplicates([doc], others)
    assert out.review_reason == "duplicate of wcxb_x"
    [out] = drop_corpus_duplicates([doc], {"teval_y": (doc.source["url"], "unrelated")})
    assert out.review_reason == "duplicate of teval_y"


def test_every_importer_has_its_pages_for_html_systems() -> None:
    """HTML systems read an imported document's page back from its archive: a source without
    a page source would be left out of every HTML system's scores without a word."""
    from corpus.importers.pages import PAGE_SOURCES

    for name, importer in REGISTRY.items():
        assert name in PAGE_SOURCES and PAGE_SOURCES[name].archive == importer.archive


GT_RAW = (
    "<html><head><link rel='canonical' href='https://news.example.com/story'>"
    "<title>Big News Today | Site</title></head><body><ul><li>Home</li><li>World</li></ul>"
    "<h1>Big News Today</h1><p>By Jane Doe</p>"
    "<p>First paragraph of the <b>story</b> is here.</p><p>Second paragraph ends the story.</p>"
    "<p>Related: other things</p></body></html>"
)


def _prepared(labels: dict[str, str]) -> str:
    """BoilerNet's prepared copy of GT_RAW: prettified, every text node wrapped in a span with
    its hand label (`labels`: text -> "0" or "1")."""

    def span(text: str) -> str:
        label = labels.get(text, "0")
        return f'\n   <span __boilernet_label="{label}" __num="0">\n    {text}\n   </span>\n'

    return (
        "<html>\n <body>\n  <ul>\n   <li>" + span("Home") + "</li>\n   <li>" + span("World")
        + "</li>\n  </ul>\n  <h1>" + span("Big News Today") + "</h1>\n  <p>" + span("By Jane Doe")
        + "</p>\n  <p>" + span("First paragraph of the") + "<b>" + span("story") + "</b>"
        + span("is here.") + "</p>\n  <p>" + span("Second paragraph ends the story.")
        + "</p>\n  <p>" + span("Related: other things") + "</p>\n </body>\n</html>\n"
    )  # fmt: skip


def test_googletrends_labels_are_carried_to_the_page_as_crawled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text is the crawled page's rendering; the hand labels of the prettified copy reach
    it through the word alignment; pages pair with the prepared copies in sorted file order;
    the genre comes from the annotator's table; pages are drafts until reviewed."""
    from corpus.importers import googletrends

    content = {"Big News Today", "First paragraph of the", "story", "is here."}
    content |= {"Second paragraph ends the story."}
    texts = ["Home", "World", "By Jane Doe", "Related: other things", *content]
    labels = {t: "1" if t in content else "0" for t in texts}
    root = "googletrends-2017/datasets/googletrends/"
    other = GT_RAW.replace("news.example.com/story", "blog.example.org/other")
    write_tar(
        tmp_path / "googletrends-2017.tar.xz",
        {
            "googletrends-2017/ORIGIN.txt": b"origin: github:example/x\ncommit: 0123456789ab\n",
            root + "raw_html/M-001.html": other.replace("Big News", "Other News").encode(),
            root + "raw_html/001.html": GT_RAW.encode(),
            root + "prepared_html/gt_1.html": _prepared(labels).encode(),
            root + "prepared_html/gt_2.html": _prepared({t: "0" for t in texts}).encode(),
        },
    )
    genres = tmp_path / "genres.tsv"
    genres.write_text("id\tgenre\treason\n001\tarticle\tnews story\n", encoding="utf-8")
    monkeypatch.setattr(googletrends, "GENRES_FILE", genres)
    googletrends.genres.cache_clear()
    try:
        first, second = documents("googletrends-2017", tmp_path)
    finally:
        googletrends.genres.cache_clear()
    assert first.provenance.item.endswith("raw_html/001.html")  # "001" sorts before "M-001"
    assert "Big News Today" in first.text and "<" not in first.text
    assert [(t.strip(), lab) for t, lab, _ in _lines(first)] == [
        ("• Home\n  • World", "boilerplate"),
        ("Big News Today", "body"),
        ("By Jane Doe", "boilerplate"),
        ("First paragraph of the story is here.\n\nSecond paragraph ends the story.", "body"),
        ("Related: other things", "boilerplate"),
    ]
    assert first.provenance.quality == Quality(1.0, 1.0, False) and first.released
    assert (first.source["genre"], first.source["year"]) == ("article", 2017)
    assert first.source["url"] == "https://news.example.com/story"
    assert first.status == "draft" and first.provenance.segments == "converted:googletrends-2017"
    # the second page's copy has no content at all: below the gate, and no genre was decided
    assert not second.released and second.review_reason.startswith("no-genre")


def test_marking_the_source_is_exact_and_linear() -> None:
    """Markers go around the text of each labelled element, whatever its white space."""
    import re

    from corpus.importers.carry import MARK0, classify, mark_source

    pattern = re.compile(r'(<s l="(\d)">)([^<]*)(</s>)')
    html = '<p><s l="1">\n  Hello world\n</s> plain <s l="0"> </s><s l="0">Menu</s></p>'
    marked = mark_source(html, pattern, int, 2)
    assert marked == (
        f'<p><s l="1">\n  {chr(MARK0 + 1)}Hello world{chr(MARK0 + 2)}\n</s> plain <s l="0"> </s>'
        f'<s l="0">{chr(MARK0)}Menu{chr(MARK0 + 2)}</s></p>'
    )
    text, classes = classify(marked, 3, 2)
    assert text == html
    assert [classes[text.index(w)] for w in ("Hello", "world", "plain", "Menu")] == [1, 1, 2, 0]


def _aeb_tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_an_archive_without_its_index_deletes_nothing(tmp_path: Path) -> None:
    """An AEB archive without ground-truth.json reads no page: an error naming the archive,
    and every document stays (it used to delete the whole source)."""
    src = make_sources(tmp_path / "src")
    out = tmp_path / "out"
    import_source("aeb", src, out, jobs=1)
    before = _aeb_tree(out)
    broken = tmp_path / "broken"
    broken.mkdir()
    write_tar(broken / "aeb.tar.xz", {"aeb/html/p1.html.gz": gzip.compress(AEB_PAGE.encode())})
    with pytest.raises(ValueError, match=r"aeb\.tar\.xz: no page read.*nothing written"):
        import_source("aeb", broken, out, jobs=1)
    wrong = json.dumps({"p1": {"articleBody": "Words that are on no page at all, none."}})
    write_tar(
        broken / "aeb.tar.xz",
        {
            "aeb/html/p1.html.gz": gzip.compress(AEB_PAGE.encode()),
            "aeb/ground-truth.json": wrong.encode(),
        },
    )
    from corpus.importers.write import ImportRefused

    with pytest.raises(ImportRefused, match="would delete all 1 of its documents"):
        import_source("aeb", broken, out, jobs=1)
    (broken / "aeb.tar.xz").write_bytes(b"not an xz archive")
    with pytest.raises(ValueError, match=r"not a readable aeb\.tar\.xz archive .*fix:"):
        import_source("aeb", broken, out, jobs=1)
    assert _aeb_tree(out) == before


def test_a_large_drop_needs_allow_deletions(tmp_path: Path) -> None:
    from dataclasses import replace

    from corpus.importers.write import ImportRefused, write_source

    doc = documents_from_fixture()
    many = [replace(doc, id=f"aeb_{i:016x}", text=f"{doc.text}{i}\n") for i in range(12)]
    write_source("aeb", "aeb", many, tmp_path)
    with pytest.raises(ImportRefused, match="would delete 11 of the source's 12 documents"):
        write_source("aeb", "aeb", many[:1], tmp_path)
    assert len(list((tmp_path / "annotations").glob("*.json"))) == 12
    assert write_source("aeb", "aeb", many[:1], tmp_path, allow_deletions=True)["deleted"] == 11


def test_an_unreadable_annotation_is_never_overwritten(tmp_path: Path) -> None:
    """A reviewed annotation with merge-conflict markers does not parse: the import keeps it
    byte for byte, writes the rest, and the command fails naming the file and the fix."""
    from typer.testing import CliRunner

    from corpus.cli import app

    src = make_sources(tmp_path / "src")
    out = tmp_path / "out"
    import_source("aeb", src, out, jobs=1)
    [path] = (out / "annotations").glob("aeb_*.json")
    conflicted = "<<<<<<< HEAD\n" + path.read_text().replace("false", "true") + "=======\n"
    path.write_text(conflicted)
    summary = import_source("aeb", src, out, jobs=1)
    assert path.read_text() == conflicted and summary["unreadable"] == [f"annotations/{path.name}"]
    result = CliRunner().invoke(
        app, ["import-source", "aeb", "--from", str(src), "--root", str(out)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"annotations/{path.name}: error[json]: does not parse" in result.output
    assert path.read_text() == conflicted


def test_files_are_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Interrupted between writing and renaming, the old file is intact and no part is left."""
    import os

    from corpus.core.files import write_atomic

    target = tmp_path / "a.json"
    write_atomic(target, b"old")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new and longer")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_the_cli_names_every_registered_source() -> None:
    from corpus.cli.sources import NAMES

    assert NAMES.split(", ") == list(REGISTRY)


@pytest.mark.parametrize("member", ["../aeb/html/p1.html.gz", "/etc/aeb/html/p1.html.gz"])
def test_archive_members_must_be_plain_relative_paths(tmp_path: Path, member: str) -> None:
    """A member named with `..` or from the root is never read, nor released as an item."""
    truth = {"p1": {"articleBody": AEB_GOLD, "url": "https://example.com/a"}}
    write_tar(
        tmp_path / "aeb.tar.xz",
        {
            member: gzip.compress(AEB_PAGE.encode()),
            "aeb/ground-truth.json": json.dumps(truth).encode(),
        },
    )
    with pytest.raises(ValueError, match=r"is not a plain relative path.*nothing written"):
        import_source("aeb", tmp_path, tmp_path / "out", jobs=1)
    assert not (tmp_path / "out" / "annotations").exists()


def test_segments_corrected_with_import_lines_survive_a_re_import(tmp_path: Path) -> None:
    """`corpus import lines` without --gold changed an imported page's segments; the next
    import-source reverted them and the provenance still said aligned:aeb (issue 24.3)."""
    from typer.testing import CliRunner

    from corpus.cli import app

    src = make_sources(tmp_path / "src")
    out = tmp_path / "out"
    import_source("aeb", src, out, jobs=1)
    (out / "README.md").write_text("x", encoding="utf-8")
    [path] = (out / "annotations").glob("aeb_*.json")
    ident = path.stem
    work = tmp_path / "work"
    runner = CliRunner()
    assert (
        runner.invoke(
            app, ["export", "lines", str(work), "--id", ident, "--root", str(out)]
        ).exit_code
        == 0
    )
    lines = (work / f"{ident}.lines").read_text(encoding="utf-8")
    fixed = lines.replace("K| By Jane Doe", "M| By Jane Doe")  # a byline: metadata
    assert fixed != lines
    (work / f"{ident}.lines").write_text(fixed, encoding="utf-8")
    result = runner.invoke(
        app, ["import", "lines", str(work / f"{ident}.lines"), "--root", str(out)]
    )
    assert result.exit_code == 0, result.output
    corrected = path.read_text(encoding="utf-8")
    provenance = json.loads(corrected)["provenance"]
    assert provenance["layers"]["segments"] == "manual" and provenance["benchmark"] == "aeb"
    import_source("aeb", src, out, jobs=1)
    assert path.read_text(encoding="utf-8") == corrected


def test_a_gzip_bomb_is_refused_before_it_fills_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small archive whose page decompresses past the cap is one error, nothing written
    (a 343 KB archive with a 2 GiB page ended in MemoryError)."""
    from corpus.importers import base

    monkeypatch.setattr(base, "MAX_MEMBER_BYTES", 1 << 20)  # 1 MiB for the test
    bomb = gzip.compress(b"<p>" + b"a" * (2 << 20) + b"</p>")
    assert len(bomb) < 10_000
    truth = {"p1": {"articleBody": AEB_GOLD, "url": "https://example.com/a"}}
    write_tar(
        tmp_path / "aeb.tar.xz",
        {"aeb/html/p1.html.gz": bomb, "aeb/ground-truth.json": json.dumps(truth).encode()},
    )
    with pytest.raises(ValueError, match=r"decompresses to over 1,048,576 bytes"):
        import_source("aeb", tmp_path, tmp_path / "out", jobs=1)
    assert not (tmp_path / "out" / "annotations").exists()
    big = tmp_path / "big"
    big.mkdir()
    write_tar(big / "aeb.tar.xz", {"aeb/ground-truth.json": b" " * (2 << 20)})
    with pytest.raises(ValueError, match=r"is 2,097,152 bytes, over the 1,048,576"):
        import_source("aeb", big, tmp_path / "out", jobs=1)
