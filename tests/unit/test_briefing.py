"""The bilateral briefing: its figures are the store's, in two languages, in PDF and PPTX."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from geo.cli import main
from geo.report import briefing_pdf, views
from geo.report.brief import briefing_file, parse_languages, write_briefing
from geo.report.briefing import build_briefing
from geo.report.briefing_words import Words
from geo.store import aggregates
from geo.store.query import Query
from geo.store.store import Store

POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")
QUERY = Query(pair="CN-LA", date_from=dt.date(2021, 1, 1), date_to=dt.date(2024, 12, 31))
NOW = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)
HEADINGS = ("title", "key_figures", "hotspots", "trend", "top_taxa", "routes", "caveats")


@pytest.fixture(scope="module")
def store(sample_store_file):
    with Store(str(sample_store_file)) as opened:
        yield opened


@pytest.fixture(scope="module")
def briefing(store):
    return build_briefing(store, QUERY, now=NOW)


@pytest.fixture(scope="module")
def few_ids(request):
    """Print a few ids per figure: the appendix stays short, the pages render faster."""
    patch = pytest.MonkeyPatch()
    patch.setattr(briefing_pdf, "IDS_PER_FIGURE", 5)
    request.addfinalizer(patch.undo)


def _comparable(text: str) -> str:
    """Text as pdftotext gives it back whatever the script: no spaces, no Lao marks.

    pdftotext puts Lao vowel and tone marks (drawn above or below a consonant) out of
    order or after a space, and one glyph draws Lao AA (U+0EB2) and the vowel part of AM
    (U+0EB3), so the text map may swap them.  The letters themselves come back in order.
    """
    text = re.sub(r"[\s\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd]", "", text)
    return text.replace("\u0eb3", "\u0eb2")


def _pdf_text(path: Path) -> str:
    # -raw: the order the text was written in (reading order puts Lao marks astray)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True
    ).stdout
    return _comparable(text)


def test_key_figures_are_the_stores_own(store, briefing):
    assert briefing.records == aggregates.count(store, QUERY)
    by_taxon = aggregates.grouped(store, QUERY, ["taxon"]).set_index("taxon")["weight"]
    for row in briefing.top_taxa.itertuples():
        assert row.seizures == by_taxon[row.taxon]
    start, end = briefing.previous
    assert (start, end) == (dt.date(2017, 1, 1), dt.date(2020, 12, 31))
    before = aggregates.count(store, QUERY.with_changes(date_from=start, date_to=end))
    assert briefing.figures["change"]["seizures"]["previous"] == before
    assert briefing.trend["seizures"].sum() == briefing.records


def test_hot_spots_are_the_dashboards_answer(store, briefing):
    answer = views.hotspot_ranking(store, QUERY)
    assert list(briefing.hotspots.ranking["place"]) == list(answer.ranking["place"])
    assert briefing.hotspots.ranking["place"].iloc[0].startswith("Boten")


def test_every_figure_traces_to_its_records(store, briefing):
    traces = {(t.figure, t.detail): t.ids for t in briefing.traces}
    assert len(traces[("records", ())]) == briefing.records
    for place in briefing.hotspots.ranking.itertuples():
        assert len(traces[("hotspot", (str(place.rank), place.place))]) == place.count
    for row in briefing.top_taxa.itertuples():
        assert len(traces[("taxon", (row.taxon,))]) == row.seizures
    for row in briefing.transport_modes.itertuples():
        assert len(traces[("transport_mode", (row.value or "",))]) == row.seizures
    assert len(traces[("coarse", ())]) == briefing.coarse
    # and the ids are real records of the period
    some = sorted(traces[("taxon", (briefing.top_taxa["taxon"].iloc[0],))])[:3]
    found = aggregates.search(store, QUERY, "", ["record_id", "taxon"], 50_000)[0]
    assert set(some) <= set(found["record_id"])


@needs_poppler
def test_the_pdf_says_the_figures_in_both_languages_with_fonts_embedded(briefing, tmp_path):
    path = tmp_path / "brief.pdf"
    path.write_bytes(briefing_pdf.briefing_pdf(briefing, ("en", "zh")))
    text = _pdf_text(path)
    english, chinese = Words("en"), Words("zh")
    assert f"{briefing.records:,}" in text
    assert f"{briefing.figures['species']}" in text
    assert _comparable(english("key_figures")) in text and chinese("key_figures") in text
    assert "China–LaoPDR" in text and "中国" in text
    assert "syntheticsampledata" in text  # the sample says what it is
    assert _comparable(briefing.top_taxa["taxon"].iloc[0]) in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "WenQuanYi" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # emb
    # records.csv is attached, with every record of the briefing
    attached = subprocess.run(
        ["pdfdetach", "-list", str(path)], capture_output=True, text=True
    ).stdout
    assert "records.csv" in attached


@needs_poppler
@pytest.mark.parametrize(
    "languages",
    [("en", "zh"), ("en", "es"), ("zh", "es"), ("en", "fr"), ("en", "pt"), ("zh", "lo")],
)
def test_each_language_pair_renders_both_languages(briefing, few_ids, languages, tmp_path):
    path = tmp_path / "brief.pdf"
    path.write_bytes(briefing_pdf.briefing_pdf(briefing, languages))
    text = _pdf_text(path)
    for lang in languages:
        words = Words(lang)
        for key in HEADINGS:
            assert _comparable(words(key)) in text, (lang, key)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    if "zh" in languages:
        assert "WenQuanYi" in fonts
    if "lo" in languages:
        assert "Phetsarath" in fonts
        assert re.search("[\u0e80-\u0eff]", text)
    # every page renders to an image with something on it
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 8
    from PIL import Image

    for page in pages:
        colours = Image.open(page).convert("L").getextrema()
        assert colours[0] < 200  # not a blank page


def test_the_pptx_has_the_figures_and_the_pictures(briefing):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    from geo.report.briefing_pptx import briefing_pptx

    data = briefing_pptx(briefing, ("zh", "lo"))
    deck = Presentation(io.BytesIO(data))
    texts = []
    pictures = 0
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                pictures += 1
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
    text = " ".join(texts)
    assert pictures >= 2  # the map and the trend chart
    assert Words("zh")("key_figures") in text and Words("lo")("key_figures") in text
    assert f"{briefing.records:,}" in text
    assert len(deck.slides) >= 8


def test_briefing_needs_a_pair_and_a_period(store):
    with pytest.raises(ValueError, match="country pair"):
        build_briefing(store, QUERY.with_changes(pair=None))
    with pytest.raises(ValueError, match="both dates"):
        build_briefing(store, QUERY.with_changes(date_from=None))
    with pytest.raises(ValueError, match="not a briefing language"):
        parse_languages("en,xx")
    with pytest.raises(ValueError, match="one or two languages"):
        parse_languages("en,zh,lo")
    with pytest.raises(ValueError, match="PDF or PPTX"):
        briefing_file(store, QUERY, "en", "docx")


def test_write_briefing_puts_the_ids_beside_a_pptx(store, tmp_path):
    out, briefing, ids = write_briefing(store, QUERY, "en,es", tmp_path / "brief.pptx")
    assert out.stat().st_size > 50_000
    lines = ids.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "figure,detail,record_id"
    assert sum(1 for line in lines if line.startswith("records,")) == briefing.records


@needs_poppler
def test_seizures_brief_command(sample_db, tmp_path, capsys):
    out = tmp_path / "cn-la.pdf"
    code = main(
        [
            "brief", "--db", str(sample_db), "--pair", "CN-LA", "--from", "2021-01-01",
            "--to", "2024-12-31", "--lang", "en,zh", "--out", str(out),
        ]
    )  # fmt: skip
    said = capsys.readouterr()
    assert code == 0, said.err
    assert out.exists() and out.read_bytes()[:5] == b"%PDF-"
    with Store(str(sample_db)) as opened:
        records = aggregates.count(opened, QUERY)
    assert f"{records:,}" in _pdf_text(out)
    assert "records" in said.out
    # a wrong language is one sentence, and nothing is written
    bad = tmp_path / "bad.pdf"
    code = main(["brief", "--db", str(sample_db), "--pair", "CN-LA", "--from", "2021-01-01",
                 "--to", "2024-12-31", "--lang", "en,xx", "--out", str(bad)])  # fmt: skip
    assert code != 0 and not bad.exists()
    assert "not a briefing language" in capsys.readouterr().err


def test_a_pair_without_a_land_border_is_the_trade_between_the_two(store):
    # China and Peru share no border: the briefing is about the seizures both play a part in
    period = Query(date_from=QUERY.date_from, date_to=QUERY.date_to)
    briefing = build_briefing(store, period.with_changes(pair="CN-PE"), now=NOW)
    roles = ["origin_countries", "export_country", "transit_countries", "destination_country"]
    rows = store.select(period, columns=["record_id", "seizing_country", *roles])

    def involves(row, code):
        return any(code in str(row[name] or "").split(";") for name in ["seizing_country", *roles])

    both = rows[[involves(r, "CN") and involves(r, "PE") for _, r in rows.iterrows()]]
    assert briefing.records == len(both) > 0
    assert not briefing.bordering and briefing.places.empty
    assert not any(trace.figure == "hotspot" for trace in briefing.traces)
    html = briefing_pdf.briefing_html(briefing, ("en", "es"))
    assert "share no land border" in html and "≤ 50 km" not in html


def test_a_mixed_seizure_counts_under_each_taxon_but_its_quantity_under_none(tmp_path):
    from geo.ingest.importer import import_file

    source = tmp_path / "mixed.csv"
    source.write_text(
        "Date,Country,Location,Latitude,Longitude,Species,Quantity,Unit\n"
        "2024-03-01,LA,Boten,21.186,101.678,Manis javanica,10,kg\n"
        "2024-03-02,LA,Boten,21.186,101.678,Manis javanica; Manis pentadactyla,40,kg\n"
        "2024-03-03,CN,Mohan,21.19,101.68,Manis pentadactyla,5,kg\n",
        encoding="utf-8",
    )
    with Store(str(tmp_path / "mixed.duckdb")) as mixed:
        report = import_file(source, mixed)
        assert report.accepted == 3, report
        query = QUERY.with_changes(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
        briefing = build_briefing(mixed, query, now=NOW)
    taxa = briefing.top_taxa.set_index("taxon")
    assert taxa.loc["Manis javanica", "seizures"] == 2
    assert taxa.loc["Manis pentadactyla", "seizures"] == 2
    # the 40 kg of the mixed seizure cannot be shared out: it counts under neither
    assert taxa.loc["Manis javanica", "quantity_by_unit"] == {"kg": 10.0}
    assert taxa.loc["Manis pentadactyla", "quantity_by_unit"] == {"kg": 5.0}
