"""Small layout helpers shared by the pages: money columns, empty states, paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from obcms_core.ui_support import page_count

T = TypeVar("T")
PESO_FORMAT = "₱%,.2f"


def money(label: str, help: str | None = None) -> ColumnConfig:
    """A table column of peso amounts: ₱1,234,567.00."""
    return st.column_config.NumberColumn(label, format=PESO_FORMAT, help=help)


def count(label: str, help: str | None = None) -> ColumnConfig:
    """A table column of whole numbers with thousands separators."""
    return st.column_config.NumberColumn(label, format="%,d", help=help)


def or_all(all_text: str, label: Callable[[Any], str] = str) -> Callable[[Any], str]:
    """A selectbox format_func where the None option means "no filter"."""
    return lambda value: all_text if value is None else label(value)


def empty_state(message: str) -> None:
    """What to do when there is nothing to show."""
    st.info(message, icon=":material/info:")


def reset_page(page_key: str) -> None:
    """Go back to page 1 (called when a filter changes)."""
    # Dropping the state (rather than writing 1) lets the pager start again from its default.
    st.session_state.pop(page_key, None)


def paged(page_key: str, per_page: int, fetch: Callable[[int], T], total: Callable[[T], int]) -> T:
    """Fetch the page the visitor is on; if the results shrank below it, fetch page 1."""
    page = int(st.session_state.get(page_key, 1))
    result = fetch((page - 1) * per_page)
    if page > page_count(total(result), per_page):
        reset_page(page_key)
        result = fetch(0)
    return result


def pager(page_key: str, total: int, per_page: int) -> int:
    """The page buttons under a table (none when everything fits on one page)."""
    pages = page_count(total, per_page)
    if pages == 1:
        return 1
    return st.pagination(pages, key=page_key, width="stretch")
