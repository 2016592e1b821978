"""Descriptions reflowed as docstring prose (generator/emit/prose.py)."""

from __future__ import annotations

from generator.emit.prose import reflowed


def test_a_paragraph_wrapped_at_another_width_is_one_paragraph_wrapped_at_80() -> None:
    # ljaero's descriptions, wrapped at about 90 columns: wrapped line by line, each long line left a
    # word or two alone on the next.
    text = (
        "Successful requests return a GeoJSON FeatureCollection, with a separate Feature for each\n"
        "Aerodrome found. All Features will include properties for the facility name, ident,\n"
        "type, and operational status."
    )
    assert reflowed(text) == (
        "Successful requests return a GeoJSON FeatureCollection, with a separate Feature\n"
        "for each Aerodrome found. All Features will include properties for the facility\n"
        "name, ident, type, and operational status."
    )


def test_list_items_are_wrapped_under_their_text() -> None:
    text = (
        "Parameters are:\n* longitude:  WGS84 longitude coordinate of your selected point, in decimal degrees\n2) two\n"
    )
    assert reflowed(text) == (
        "Parameters are:\n"
        "* longitude: WGS84 longitude coordinate of your selected point, in decimal\n"
        "  degrees\n"
        "2) two\n"
    )


def test_what_markdown_lays_out_by_lines_is_kept_line_for_line() -> None:
    long = "x " * 50
    text = "\n".join(
        [
            "```json",
            f'{{"a":  1, "b": "{long}"}}',
            "```",
            "| a | b |",
            "|---|---|",
            f"## {long}",
            f"> {long}",
            f"<p>{long}</p>",
            "",
            f"    indented code {long}",
        ]
    )
    assert reflowed(text) == text


def test_a_long_word_or_url_stays_whole_and_a_hard_break_stays() -> None:
    url = "https://example.com/" + "segment-" * 12
    assert reflowed(f"See {url} for more.") == f"See\n{url}\nfor more."
    assert reflowed("one  \ntwo\nthree") == "one\ntwo three"
    # Indented lines within a paragraph go on with it (code cannot interrupt a paragraph).
    assert reflowed("a paragraph\n    still it") == "a paragraph still it"
