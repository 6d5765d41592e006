"""Showing a chart, a table or a map, sized for a screen or, in presentation mode, a projector.

Pages call these instead of ``st.plotly_chart``, ``st.dataframe`` and ``st.pydeck_chart``
so that presentation mode enlarges every chart's type, every table and every map in one
place, and every map carries its legend and note.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.report import charts
from geo.report.tables import display_table
from ui.state import presenting

__all__ = ["chart", "map_view", "table"]

# In presentation mode a table shows at most this many rows, as a plain table whose type
# scales with the page (an interactive table's canvas does not).
PRESENTED_ROWS = 15


def chart(figure, key: str) -> None:
    """Show a Plotly chart; in presentation mode with projector-sized type."""
    if presenting():
        figure = charts.for_projector(figure)
    st.plotly_chart(figure, key=key, config={"displaylogo": False})


def table(frame: pd.DataFrame, key: str, *, words: bool = True, **options) -> None:
    """Show a table in words (:func:`geo.report.tables.display_table`).

    In presentation mode the first :data:`PRESENTED_ROWS` rows are shown as a plain table
    in large type, with a line saying how many there are in all.
    """
    shown = display_table(frame) if words else frame
    if presenting():
        st.table(shown.head(PRESENTED_ROWS).set_index(shown.columns[0]) if len(shown) else shown)
        if len(shown) > PRESENTED_ROWS:
            st.caption(f"The first {PRESENTED_ROWS} of {len(shown):,} rows.")
        return
    # whole numbers with thousands separators ("20,000"), unless the page says otherwise
    config = {
        name: st.column_config.NumberColumn(format="localized")
        for name in shown.columns
        if pd.api.types.is_integer_dtype(shown[name])
    }
    config.update(options.pop("column_config", None) or {})
    st.dataframe(shown, hide_index=True, key=key, column_config=config, **options)


def map_view(deck, key: str, height: int = 520) -> None:
    """Show a map with its legend and note under it (taller in presentation mode)."""
    st.pydeck_chart(deck, height=int(height * 1.25) if presenting() else height, key=key)
    entries = getattr(deck, "legend", None)
    if entries:
        from geo.report.map_key import legend_html

        st.html(f'<div class="map-legend">{legend_html(entries)}</div>')
    if getattr(deck, "note", None):
        st.caption(deck.note)
