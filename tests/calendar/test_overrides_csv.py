"""The administrator's override CSV: round trip, the shipped file, and error messages."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.calendar import (
    Override,
    OverrideCSVError,
    dump_overrides_csv,
    load_overrides_csv,
    shipped_overrides,
)

HEADER = "date,kind,name,reference\n"


def test_shipped_file_is_canonical_and_round_trips() -> None:
    text = resources.files("app.calendar").joinpath("data", "swaps_vn.csv").read_text(encoding="utf-8")
    rows = shipped_overrides()
    assert dump_overrides_csv(rows) == text  # sorted, no stray quoting, so diffs stay readable
    assert load_overrides_csv(dump_overrides_csv(rows)) == rows
    assert {o.date.year for o in rows} == {2024, 2025, 2026}
    assert {o.date for o in rows if o.kind == "work"} == {
        date(2024, 5, 4),
        date(2025, 4, 26),
        date(2026, 1, 10),
        date(2026, 8, 22),
    }
    assert all(o.date.weekday() == 5 for o in rows if o.kind == "work")
    assert all(o.reference for o in rows)


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s != "")
overrides = st.lists(
    st.builds(
        Override,
        st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
        st.sampled_from(["off", "work"]),
        texts,
        texts,
    ),
    unique_by=lambda o: o.date,
    max_size=20,
)


# Generation is slow only when other suites load the machine; the property itself is unchanged.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(overrides)
def test_round_trip(rows: list[Override]) -> None:
    loaded = load_overrides_csv(dump_overrides_csv(rows))
    assert loaded == sorted(rows, key=lambda o: o.date)


def test_loads_from_path_with_bom_blank_lines_and_spaces(tmp_path: Path) -> None:
    path = tmp_path / "swaps.csv"
    path.write_text("\ufeff" + HEADER + '\n 2025-04-26 , WORK , Làm bù , "TB 1, 2025"\n\n', encoding="utf-8")
    assert load_overrides_csv(path) == [Override(date(2025, 4, 26), "work", "Làm bù", "TB 1, 2025")]
    assert load_overrides_csv(str(path)) == load_overrides_csv(path)


def test_header_only_text_is_empty() -> None:
    assert load_overrides_csv(HEADER.strip()) == []


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2025-02-30,off,Nghỉ,TB 1", "line 2: bad date '2025-02-30' (expected YYYY-MM-DD"),
        ("26/04/2025,work,Làm bù,TB 1", "line 2: bad date '26/04/2025'"),
        ("2025-04-26,holiday,Làm bù,TB 1", "line 2: unknown kind 'holiday' (expected 'off' or 'work')"),
        ("2025-04-26,work,Làm bù,", "line 2: reference is required"),
        ("2025-04-26,work,Làm bù,   ", "line 2: reference is required"),
        ("2025-04-26,work,,TB 1", "line 2: name is required"),
        ("2025-04-26,work,Làm bù", "line 2: expected 4 columns"),
    ],
)
def test_error_messages(line: str, message: str) -> None:
    with pytest.raises(OverrideCSVError) as caught:
        load_overrides_csv(HEADER + line + "\n")
    assert message in str(caught.value)


def test_all_errors_reported_at_once() -> None:
    text = HEADER + "2025-13-01,off,A,TB\n2025-05-02,maybe,B,\n2025-05-03,off,C,TB\n2025-05-03,work,D,TB\n"
    with pytest.raises(OverrideCSVError) as caught:
        load_overrides_csv(text)
    assert caught.value.errors == [
        "line 2: bad date '2025-13-01' (expected YYYY-MM-DD, e.g. 2025-04-26)",
        "line 3: unknown kind 'maybe' (expected 'off' or 'work')",
        "line 3: reference is required (the announcing document, "
        "e.g. 'Thông báo 6150/TB-LĐTBXH ngày 03/12/2024')",
        "line 5: duplicate date 2025-05-03 (first on line 4)",
    ]


def test_bad_header() -> None:
    with pytest.raises(OverrideCSVError, match="line 1: header must be exactly 'date,kind,name,reference'"):
        load_overrides_csv("day,kind,name,reference\n2025-04-26,work,A,TB\n")


def test_override_validates_itself() -> None:
    with pytest.raises(ValueError, match="reference is required"):
        Override(date(2025, 4, 26), "work", "Làm bù", " ")
    with pytest.raises(ValueError, match="kind must be 'off' or 'work'"):
        Override(date(2025, 4, 26), "holiday", "Làm bù", "TB")  # type: ignore[arg-type]


def test_uploaded_text_is_parsed_as_csv_with_vietnamese_messages_line_by_line() -> None:
    from app.calendar import parse_overrides_csv

    text = HEADER + "2025-13-01,off,A,TB\n2025-05-02,maybe,B,\n"
    with pytest.raises(OverrideCSVError) as caught:
        parse_overrides_csv(text, "upload.csv")
    assert caught.value.messages_vi == [
        "Dòng 2: ngày «2025-13-01» không hợp lệ (viết theo dạng YYYY-MM-DD, ví dụ 2025-04-26)",
        "Dòng 3: loại «maybe» không hợp lệ (off = ngày nghỉ, work = ngày làm việc)",
        "Dòng 3: thiếu căn cứ (cột reference: văn bản thông báo, "
        "ví dụ «Thông báo 6150/TB-LĐTBXH ngày 03/12/2024»)",
    ]
    assert len(caught.value.errors) == len(caught.value.messages_vi)
    # A one-line text that looks like a path is still CSV text here (never opened as a file).
    with pytest.raises(OverrideCSVError, match="line 1: header"):
        parse_overrides_csv("/etc/hostname")
