"""The records' content hash is pandas' hash of the normalised fields, whatever the shortcut."""

import numpy as np
import pandas as pd

from geo.ingest.headers import UserMapping, map_columns
from geo.ingest.normalise import _HASHED_FIELDS, FIELDS, NormaliseOptions, normalise_chunk


def _reference(records: pd.DataFrame) -> np.ndarray:
    """The hash as first defined: stored records carry it, so it must never change."""
    frame = records[[*_HASHED_FIELDS, "source_id"]].copy()
    frame["seizure_date"] = frame["seizure_date"].astype("datetime64[ns]").astype("int64")
    for name in frame.columns:
        if FIELDS.get(name) == "float":
            frame[name] = frame[name].round(7)
    hashed = pd.util.hash_pandas_object(frame, index=False, hash_key="wildlife-seizure")
    return hashed.to_numpy().view(np.int64)


def test_content_hash_matches_pandas_on_messy_rows():
    raw = pd.DataFrame(
        {
            "Date": ["2021-03-04", "04/03/2021", None, "2021", "2021-03-04", "2021-03-04"],
            "Country": ["Lao PDR", "老挝", "LA", None, "Lao PDR", "Lao PDR"],
            "Species": ["pangolin scales", "Manis javanica", None, "ivory", "pangolin", "tortue"],
            "Quantity": ["3,5 t", "12 kg", "-1", None, "0.1", "0.1"],
            "Latitude": ["17.97", None, "91", "0", "17.970000001", "17.97"],
            "Longitude": ["102.6", None, "102.6", "0", "102.6", "102.6"],
            "ID": ["A-1", None, "A-3", "", "A-5", None],
            "Notes": ["x", "", None, "é", "x", "x"],
        },
        index=pd.RangeIndex(2, 8, name="row"),
        dtype=object,
    )
    mapping = map_columns(list(raw.columns), UserMapping())
    records = normalise_chunk(raw, mapping, NormaliseOptions()).records
    assert (records["content_hash"].to_numpy() == _reference(records)).all()
