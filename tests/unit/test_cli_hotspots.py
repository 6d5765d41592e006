"""`seizures hotspots` ranks with the same function and the same defaults as the page."""

import argparse
import inspect
import json

import pytest

from geo import cli
from geo.analysis import cell_hotspots
from geo.cli import main
from geo.report import views
from geo.spatial import hotspot_defaults, hotspots
from geo.spatial.getis_ord import ALPHA_BY_CONFIDENCE
from geo.store.query import Query
from geo.store.store import Store


def _hotspots_parser() -> argparse.ArgumentParser:
    """The `seizures hotspots` sub-parser, as `seizures` builds it."""
    commands = next(
        action
        for action in cli._parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    return commands.choices["hotspots"]


def _option(parser: argparse.ArgumentParser, dest: str) -> argparse.Action:
    return next(action for action in parser._actions if action.dest == dest)


def _defaults(function) -> dict:
    parameters = inspect.signature(function).parameters
    return {name: parameters[name].default for name in ("resolution", "confidence")}


def test_every_face_has_the_same_defaults_and_choices():
    parser = _hotspots_parser()
    resolution, confidence = _option(parser, "resolution"), _option(parser, "confidence")
    from_argparse = {"resolution": resolution.default, "confidence": confidence.default}
    assert from_argparse == {
        "resolution": hotspot_defaults.DEFAULT_RESOLUTION,
        "confidence": hotspot_defaults.DEFAULT_CONFIDENCE,
    }
    for function in (
        views.hotspot_ranking,
        cell_hotspots.ranked_border_hotspots,
        cell_hotspots.border_hotspot_answer,
        hotspots.border_hotspots,
    ):
        assert _defaults(function) == from_argparse, function.__qualname__
    confidence_default = inspect.signature(hotspots.border_hotspots_from_tally).parameters
    assert confidence_default["confidence"].default == confidence.default
    assert tuple(resolution.choices) == hotspot_defaults.RESOLUTIONS
    assert tuple(confidence.choices) == hotspot_defaults.CONFIDENCES
    # What the page imports is the same objects, and every level offered is a Gi* bin.
    assert cell_hotspots.RESOLUTIONS is hotspot_defaults.RESOLUTIONS
    assert cell_hotspots.CONFIDENCES is hotspot_defaults.CONFIDENCES
    assert set(hotspot_defaults.CONFIDENCES) == set(ALPHA_BY_CONFIDENCE)


def test_the_command_and_the_page_name_the_same_top_hot_spot_for_cn_la(sample_db, capsys):
    assert main(["hotspots", "--pair", "CN-LA", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    page = views.hotspot_ranking(Store(str(sample_db)), Query(pair="CN-LA"))
    assert printed["hotspots"], "the sample's CN-LA border has a hot spot at the defaults"
    assert printed["hotspots"][0]["place"] == page.ranking.iloc[0]["place"]
    assert [row["place"] for row in printed["hotspots"]] == list(page.ranking["place"])
    assert [row["count"] for row in printed["hotspots"]] == list(page.ranking["count"])
    assert printed["sentence"] == page.sentence
    assert printed["resolution"] == hotspot_defaults.DEFAULT_RESOLUTION
    assert printed["confidence"] == hotspot_defaults.DEFAULT_CONFIDENCE
    assert "Boten" in printed["hotspots"][0]["place"]


def test_the_command_says_when_one_place_dominates(sample_db, capsys):
    assert main(["hotspots", "--pair", "CN-LA", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["dominant"] is True
    assert printed["top_site"]["place"] == printed["hotspots"][0]["place"]
    assert printed["top_site"]["seizures"] == printed["hotspots"][0]["count"]
    assert printed["band_seizures"] >= printed["top_site"]["seizures"]
    assert printed["sentence"].startswith("One place holds ")
    assert "China–Lao PDR band" in printed["sentence"]


@pytest.mark.parametrize(
    ("arguments", "ranked"),
    [([], True), (["--resolution", "6", "--confidence", "99"], False)],
    ids=["defaults", "coarse grid, strict"],
)
def test_the_command_prints_the_sentence_never_just_no_cluster(
    sample_db, capsys, arguments, ranked
):
    assert main(["hotspots", "--pair", "CN-LA", *arguments]) == 0
    out = capsys.readouterr().out
    first_line = out.splitlines()[0]
    assert first_line.startswith("One place holds ")
    assert "Boten–Mohan crossing" in first_line
    assert ("does not mark it" not in first_line) == ranked


def test_command_says_how_many_records_are_in_the_area(sample_db, capsys):
    assert main(["hotspots", "--pair", "CN-LA"]) == 0
    out = capsys.readouterr().out
    expected = len(Store(str(sample_db)).select(Query(pair="CN-LA"), columns=["record_id"]))
    assert f"({expected:,} records in the area" in out


def test_command_refuses_an_unknown_taxon_in_one_sentence(sample_db, capsys):
    assert main(["hotspots", "--pair", "CN-LA", "--taxon", "Dragonus fictus"]) != 0
    assert "not in the species reference" in capsys.readouterr().err
