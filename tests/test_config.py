"""wres.toml: finding, strict validation, labels and the reporting period."""

from __future__ import annotations

import calendar
import dataclasses
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wres_cli.config import (
    ALL_KEYS,
    CONFIG_NAME,
    Config,
    FileHints,
    Period,
    default_period,
    find_config,
    load_config,
    parse_config,
    resolve_period,
    twelve_months_ending,
    twelve_months_from,
)
from wres_cli.errors import ConfigError, UsageError

SOURCE = Path("wres.toml")


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse_config(text, source=SOURCE)
    return str(info.value)


# --------------------------------------------------------------------------- reading values


def test_empty_config_gives_the_defaults():
    config = parse_config("")
    assert config == Config()
    assert config.standard == "social-care"
    assert config.suppression_threshold == 10
    assert config.chinese == "asian"
    assert load_config(None) == Config()


CONTRACT_EXAMPLE = """\
organisation = "Northmoor Borough Council"
standard = "social-care"

[period]
start = 2025-04-01
end = 2026-03-31

[grades]
order = ["G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "G10", "G11", "G12", "Director"]
senior = ["G12", "Director"]

[population]
white = 0.817
asian = 0.093
black = 0.040
mixed = 0.029
other = 0.021

[columns.workforce]
staff_id = "Employee Number"
ethnicity = "Ethnic Origin"

[files.workforce]
path = "ESR Staff In Post.xlsx"
sheet = "Staff"
header_row = 3
skip_footer = 1
encoding = "cp1252"
delimiter = ";"

[workforce]
one_row_per = "person"
exclude_contract_types = ["Bank", "Agency"]

[links]
unmatched = "error"

[values.staff_group]
"Nursing and Midwifery Registered" = "Clinical"
"Admin and Clerical" = "Non-clinical"

[values.grade]
"Band 8A" = "Band 8a"

[ethnicity]
"WBRI" = "white"
"Other - Kurdish" = "other"

[classification]
chinese = "asian"

[suppression]
threshold = 10

[labels]
minority = "Minority ethnic"
white = "White"
"""


def test_the_contract_example_reads_as_written(tmp_path):
    path = tmp_path / CONFIG_NAME
    path.write_text(CONTRACT_EXAMPLE, encoding="utf-8")
    config = load_config(path)
    assert config.source == path
    assert config.organisation == "Northmoor Borough Council"
    assert config.standard == "social-care"
    assert (config.period_start, config.period_end) == (date(2025, 4, 1), date(2026, 3, 31))
    assert config.grades_order == ("G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9",
                                   "G10", "G11", "G12", "Director")
    assert config.grades_senior == ("G12", "Director")
    assert config.population == {"white": 0.817, "asian": 0.093, "black": 0.04,
                                 "mixed": 0.029, "other": 0.021}
    assert config.columns == {"workforce": {"staff_id": "Employee Number",
                                            "ethnicity": "Ethnic Origin"}}
    assert config.files == {"workforce": FileHints(
        "Staff", "cp1252", ";", path="ESR Staff In Post.xlsx", header_row=3, skip_footer=1)}
    assert config.one_row_per == "person"
    assert config.exclude_contract_types == ("Bank", "Agency")
    assert config.unmatched == "error"
    assert config.values == {
        "staff_group": {"Nursing and Midwifery Registered": "Clinical",
                        "Admin and Clerical": "Non-clinical"},
        "grade": {"Band 8A": "Band 8a"}}
    assert config.ethnicity == {"WBRI": "white", "Other - Kurdish": "other"}
    assert config.chinese == "asian"
    assert config.suppression_threshold == 10
    assert config.labels == {"minority": "Minority ethnic", "white": "White"}


def test_period_dates_may_be_iso_strings():
    config = parse_config('[period]\nstart = "2025-04-01"\nend = "2026-03-31"\n')
    assert (config.period_start, config.period_end) == (date(2025, 4, 1), date(2026, 3, 31))


def test_population_accepts_a_subset_and_whole_numbers():
    config = parse_config("[population]\nwhite = 1\nblack = 0\n")
    assert config.population == {"white": 1.0, "black": 0.0}
    assert isinstance(config.population["white"], float)


def test_population_of_all_five_may_miss_one_by_rounding():
    # 0.82 + 0.09 + 0.04 + 0.03 + 0.022 = 1.002, within 0.005 of 1.
    text = "[population]\nwhite = 0.82\nasian = 0.09\nblack = 0.04\nmixed = 0.03\nother = 0.022\n"
    assert parse_config(text).population["other"] == 0.022


def test_tab_delimiter_and_other_files_keys():
    config = parse_config('[files.survey]\ndelimiter = "\\t"\n[files.board]\nsheet = "Board"\n')
    assert config.file_hints("survey") == FileHints(delimiter="\t")
    assert config.file_hints("board") == FileHints(sheet="Board")
    assert config.file_hints("workforce") == FileHints()


def test_column_map_defaults_to_empty():
    config = parse_config('[columns.training]\ndate = "Course Date"\n')
    assert config.column_map("training") == {"date": "Course Date"}
    assert config.column_map("workforce") == {}


def test_ethnicity_keys_are_free_text():
    config = parse_config('[ethnicity]\n"Not Stated!" = "unknown"\n"Other.Kurdish" = "other"\n')
    assert config.ethnicity == {"Not Stated!": "unknown", "Other.Kurdish": "other"}


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / CONFIG_NAME
    path.write_bytes(b"\xef\xbb\xbforganisation = \"Northmoor\"\n")
    assert load_config(path).organisation == "Northmoor"


# --------------------------------------------------------------------------- wrong types and values

TYPE_ERRORS = [
    ("organisation = 5", "'organisation'", "must be text"),
    ('organisation = "  "', "'organisation'", "must not be blank"),
    ('standard = "NHS"', "'standard'", 'must be "social-care" or "nhs"'),
    ("standard = 1", "'standard'", 'must be "social-care" or "nhs"'),
    ("period = 2025", "'period'", "must be a table"),
    ("[period]\nstart = 20250401", "'period.start'", "must be a date"),
    ('[period]\nstart = "01/04/2025"', "'period.start'", "must be a date"),
    ('[period]\nend = "2025-02-30"', "'period.end'", "is not a real date"),
    ("[period]\nend = 2026-03-31T00:00:00", "'period.end'", "not a date-time"),
    ("grades = []", "'grades'", "must be a table"),
    ('[grades]\norder = "G1"', "'grades.order'", "must be a list of text"),
    ("[grades]\norder = [1, 2]", "'grades.order'", "must be a list of text"),
    ('[grades]\norder = ["G1", ""]', "'grades.order'", "must not hold blank text"),
    ('[grades]\norder = ["G1", "G2", "G1"]', "'grades.order'", 'lists "G1" more than once'),
    ("[grades]\norder = []", "'grades.order'", "at least one grade"),
    ('[grades]\nsenior = "G9"', "'grades.senior'", "must be a list of text"),
    ('[grades]\norder = ["G1", "G2"]\nsenior = ["G2", "G3"]', "'grades.senior'",
     "lists \"G3\", not in 'grades.order'"),
    ('[population]\nwhite = "0.8"', "'population.white'", "must be a number between 0 and 1"),
    ("[population]\nwhite = true", "'population.white'", "must be a number between 0 and 1"),
    ("[population]\nasian = 1.5", "'population.asian'", "must be between 0 and 1, not 1.5"),
    ("[population]\nblack = -0.1", "'population.black'", "must be between 0 and 1"),
    ("[population]\nmixed = nan", "'population.mixed'", "must be between 0 and 1"),
    ('columns = "workforce"', "'columns'", "must be a table"),
    ('[columns]\nworkforce = "Employee Number"', "'columns.workforce'", "must be a table"),
    ("[columns.workforce]\nstaff_id = 5", "'columns.workforce.staff_id'", "must be text"),
    ('[columns.workforce]\nstaff_id = ""', "'columns.workforce.staff_id'", "must not be blank"),
    ("[files.workforce]\nsheet = 1", "'files.workforce.sheet'", "must be text"),
    ('[files.workforce]\nencoding = "cp-1252x"', "'files.workforce.encoding'",
     "is not an encoding"),
    ('[files.workforce]\ndelimiter = "tab"', "'files.workforce.delimiter'",
     'must be ",", ";", "\\t" (tab) or "|"'),
    ('[files.workforce]\ndelimiter = ":"', "'files.workforce.delimiter'", "must be"),
    ("[files]\nworkforce = 1", "'files.workforce'", "must be a table"),
    ("ethnicity = 1", "'ethnicity'", "must be a table"),
    ("[ethnicity]\nWBRI = 1", "'ethnicity.WBRI'", "must be text"),
    ('[ethnicity]\nOther.Kurdish = "other"', "'ethnicity.Other'", "not a table"),
    ('[classification]\nchinese = "Asian"', "'classification.chinese'",
     'must be "asian" or "other"'),
    ("[suppression]\nthreshold = true", "'suppression.threshold'", "must be a whole number"),
    ('[suppression]\nthreshold = "10"', "'suppression.threshold'", "must be a whole number"),
    ("[suppression]\nthreshold = 2.5", "'suppression.threshold'", "must be a whole number"),
    ("[suppression]\nthreshold = 0", "'suppression.threshold'", "at least 2, not 0"),
    ("[labels]\nminority = 1", "'labels.minority'", "must be text"),
    ('[labels]\nwhite = ""', "'labels.white'", "must not be blank"),
    ('labels = "BME"', "'labels'", "must be a table"),
    ("population = 0.8", "'population'", "must be a table"),
    ('files = "workforce.csv"', "'files'", "must be a table"),
    ('classification = "asian"', "'classification'", "must be a table"),
    ("suppression = 10", "'suppression'", "must be a table"),
]


@pytest.mark.parametrize(("text", "key", "expected"), TYPE_ERRORS)
def test_a_wrong_type_or_value_names_the_key_and_what_is_expected(text, key, expected):
    message = error_of(text)
    assert f"{key} in wres.toml" in message
    assert expected in message


def test_the_wrong_value_is_shown():
    assert "not true/false (true)" in error_of("[suppression]\nthreshold = true")
    assert 'not text ("10")' in error_of('[suppression]\nthreshold = "10"')


def test_a_suppression_threshold_of_one_is_refused():
    # Small is 1 <= c < threshold: with 1 no count is small, so nothing would be
    # withheld without a word; --no-suppress is the way to say that on purpose.
    message = error_of("[suppression]\nthreshold = 1")
    assert "'suppression.threshold'" in message and "at least 2, not 1" in message
    assert "--no-suppress" in message
    assert parse_config("[suppression]\nthreshold = 2").suppression_threshold == 2


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_config_period_dates_out_of_range_are_named(day: str):
    message = error_of(f"[period]\nend = {day}\n")
    assert "'period.end'" in message and "out of range" in message and day in message


def test_a_deeply_nested_config_is_a_config_error():
    message = error_of("x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in message


def test_population_of_all_five_must_add_up_to_one():
    # 0.8 + 0.1 + 0.05 + 0.02 + 0.02 = 0.99: 0.01 short, beyond the 0.005 allowed.
    message = error_of("[population]\nwhite = 0.8\nasian = 0.1\nblack = 0.05\n"
                       "mixed = 0.02\nother = 0.02\n")
    assert "'population' shares in wres.toml add up to 0.990" in message


def test_config_period_ending_before_it_starts_gives_both_dates():
    message = error_of("[period]\nstart = 2025-04-01\nend = 2025-03-31\n")
    assert "'period.end' (2025-03-31) is before 'period.start' (2025-04-01)" in message


def test_a_one_day_period_is_allowed():
    config = parse_config("[period]\nstart = 2025-04-01\nend = 2025-04-01\n")
    assert config.period_start == config.period_end == date(2025, 4, 1)


def test_every_problem_is_reported_at_once():
    message = error_of('organisation = 5\nstandrd = "nhs"\n[suppression]\nthreshold = 0\n')
    assert message.startswith("wres.toml has 3 problems:")
    assert "'organisation'" in message
    assert "'standrd'" in message
    assert "'suppression.threshold'" in message


def test_a_key_that_is_not_a_bare_word_is_quoted():
    assert "'ethnicity.\"Other - Kurdish\"' in wres.toml must be text" in error_of(
        '[ethnicity]\n"Other - Kurdish" = 3\n')


def test_without_a_source_the_message_says_the_config():
    with pytest.raises(ConfigError, match="'standard' in the config must be"):
        parse_config('standard = "wales"')


# --------------------------------------------------------------------------- unknown keys

UNKNOWN_KEYS = [
    ('organization = "X"', "organization", "organisation"),
    ('standards = "nhs"', "standards", "standard"),
    ("[period]\nstrat = 2025-04-01", "period.strat", "period.start"),
    ('[grades]\nordre = ["G1"]', "grades.ordre", "grades.order"),
    ("[population]\nwhte = 0.8", "population.whte", "population.white"),
    ('[columns.workfroce]\nstaff_id = "E"', "columns.workfroce", "columns.workforce"),
    ('[columns.workforce]\nstaffid = "E"', "columns.workforce.staffid",
     "columns.workforce.staff_id"),
    ('[columns.workforce]\nStaff_ID = "E"', "columns.workforce.Staff_ID",
     "columns.workforce.staff_id"),
    ('[columns.recruitment]\nshortlist = "S"', "columns.recruitment.shortlist",
     "columns.recruitment.shortlisted"),
    ('[files.recruitmnet]\nsheet = "A"', "files.recruitmnet", "files.recruitment"),
    ('[files.workforce]\ndelimeter = ";"', "files.workforce.delimeter",
     "files.workforce.delimiter"),
    ('[classification]\nchineese = "other"', "classification.chineese",
     "classification.chinese"),
    ("[suppression]\ntreshold = 5", "suppression.treshold", "suppression.threshold"),
    ('[labels]\nminorty = "BME"', "labels.minorty", "labels.minority"),
    # A key written under the wrong header is pointed to where it belongs.
    ("threshold = 5", "threshold", "suppression.threshold"),
    ('[period]\norganisation = "X"', "period.organisation", "organisation"),
]


@pytest.mark.parametrize(("text", "key", "suggestion"), UNKNOWN_KEYS)
def test_an_unknown_key_is_named_in_full_with_a_suggestion(text, key, suggestion):
    assert error_of(text) == (f"unknown key '{key}' in wres.toml "
                              f"(did you mean '{suggestion}'?"
                              + (" Top-level keys must come before the first [table] header."
                                 if key == "period.organisation" else "")
                              + ")")


def test_the_spec_example_message_exactly():
    assert error_of('[grades]\nordre = ["G1"]\n') == (
        "unknown key 'grades.ordre' in wres.toml (did you mean 'grades.order'?)")


def test_an_unknown_key_with_nothing_close_has_no_suggestion():
    assert error_of('shoe_size = 9') == "unknown key 'shoe_size' in wres.toml"
    assert error_of('[columns.workforce]\nshoe_size = "S"') == (
        "unknown key 'columns.workforce.shoe_size' in wres.toml")


def test_a_column_of_another_extract_is_unknown():
    # course is a training column, not a workforce one.
    assert "unknown key 'columns.workforce.course'" in error_of(
        '[columns.workforce]\ncourse = "Course"')


# --------------------------------------------------------------------------- unreadable files


def test_a_syntax_error_names_the_file_line_and_column(tmp_path):
    path = tmp_path / CONFIG_NAME
    path.write_text('organisation = "X"\n\nstandard = nhs\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message
    assert "not valid TOML" in message
    assert "line 3, column 12" in message
    assert "double quotes" in message  # the hint for an unquoted value


def test_a_duplicate_key_is_a_syntax_error():
    assert "not valid TOML" in error_of("standard = \"nhs\"\nstandard = \"nhs\"\n")


def test_a_file_that_is_not_utf8_is_a_config_error(tmp_path):
    path = tmp_path / CONFIG_NAME
    path.write_bytes('organisation = "Café"\n'.encode("cp1252"))
    with pytest.raises(ConfigError, match=r"is not UTF-8 text \(byte 20"):
        load_config(path)


def test_a_file_that_cannot_be_read_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path)  # a directory
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml")


# --------------------------------------------------------------------------- finding the config


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    data, work = tmp_path / "data", tmp_path / "work"
    data.mkdir()
    work.mkdir()
    monkeypatch.chdir(work)
    return data, work


def test_the_data_folder_comes_before_the_working_directory(dirs):
    data, work = dirs
    (data / CONFIG_NAME).write_text("", encoding="utf-8")
    (work / CONFIG_NAME).write_text("", encoding="utf-8")
    assert find_config(data) == data / CONFIG_NAME


def test_the_working_directory_is_the_fallback(dirs):
    data, work = dirs
    (work / CONFIG_NAME).write_text("", encoding="utf-8")
    assert find_config(data) == work / CONFIG_NAME
    assert find_config(None) == work / CONFIG_NAME


def test_an_explicit_cwd_is_used_instead_of_the_process_one(dirs, tmp_path):
    data, _ = dirs
    other = tmp_path / "other"
    other.mkdir()
    (other / CONFIG_NAME).write_text("", encoding="utf-8")
    assert find_config(data, cwd=other) == other / CONFIG_NAME


def test_no_config_anywhere_gives_none(dirs):
    data, _ = dirs
    assert find_config(data) is None
    assert find_config(None) is None


def test_a_folder_named_wres_toml_is_not_a_config(dirs):
    data, _ = dirs
    (data / CONFIG_NAME).mkdir()
    assert find_config(data) is None


def test_explicit_config_wins_over_both(dirs, tmp_path):
    data, work = dirs
    (data / CONFIG_NAME).write_text("", encoding="utf-8")
    (work / CONFIG_NAME).write_text("", encoding="utf-8")
    explicit = tmp_path / "elsewhere.toml"
    explicit.write_text("", encoding="utf-8")
    assert find_config(data, explicit) == explicit


def test_a_missing_explicit_config_is_a_usage_error(dirs, tmp_path):
    data, _ = dirs
    (data / CONFIG_NAME).write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="does not exist"):
        find_config(data, tmp_path / "nope.toml")
    with pytest.raises(UsageError, match="is not a file"):
        find_config(data, tmp_path)


# --------------------------------------------------------------------------- labels


def test_labels_default_by_standard():
    social_care, nhs = Config(), Config(standard="nhs")
    assert social_care.label("minority") == "Minority ethnic"
    assert nhs.label("minority") == "BME"
    for config in (social_care, nhs):
        assert [config.label(g) for g in ("white", "asian", "black", "mixed", "other",
                                          "unknown")] == [
            "White", "Asian", "Black", "Mixed", "Other", "Unknown"]


def test_configured_labels_win_and_the_rest_default():
    config = parse_config('standard = "nhs"\n[labels]\nminority = "Global majority"\n'
                          'unknown = "Not known"\n')
    assert config.all_labels() == {
        "minority": "Global majority", "white": "White", "asian": "Asian", "black": "Black",
        "mixed": "Mixed", "other": "Other", "unknown": "Not known"}


def test_the_minority_default_follows_a_standard_set_later():
    # The CLI's --standard replaces the config's standard; the label must follow.
    config = dataclasses.replace(parse_config(""), standard="nhs")
    assert config.label("minority") == "BME"


def test_an_unknown_group_has_no_label():
    with pytest.raises(KeyError):
        Config().label("bame")


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(("end", "start"), [
    (date(2026, 3, 31), date(2025, 4, 1)),
    (date(2025, 12, 31), date(2025, 1, 1)),
    (date(2024, 2, 29), date(2023, 3, 1)),
    (date(2025, 6, 30), date(2024, 7, 1)),
    # The day after 28 Feb 2024 is 29 Feb, which has no counterpart in 2023.
    (date(2024, 2, 28), date(2023, 3, 1)),
    (date(2025, 2, 28), date(2024, 3, 1)),
    (date(2025, 6, 15), date(2024, 6, 16)),
])
def test_twelve_months_ending(end, start):
    assert twelve_months_ending(end) == Period(start, end)


@pytest.mark.parametrize(("start", "end"), [
    (date(2025, 4, 1), date(2026, 3, 31)),
    (date(2025, 1, 1), date(2025, 12, 31)),
    (date(2023, 3, 1), date(2024, 2, 29)),
    (date(2024, 2, 29), date(2025, 2, 28)),
    (date(2024, 7, 15), date(2025, 7, 14)),
])
def test_twelve_months_from(start, end):
    assert twelve_months_from(start) == Period(start, end)


def _holds_leap_day(period: Period) -> bool:
    return any(calendar.isleap(y) and period.start <= date(y, 2, 29) <= period.end
               for y in range(period.start.year, period.end.year + 1))


_DAYS = st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31))


@given(_DAYS)
def test_twelve_months_ending_is_a_year_without_a_repeated_day(end):
    period = twelve_months_ending(end)
    assert period.end == end
    assert (period.end - period.start).days + 1 == 365 + _holds_leap_day(period)


@given(_DAYS)
def test_twelve_months_from_is_a_year_without_a_repeated_day(start):
    period = twelve_months_from(start)
    assert period.start == start
    assert (period.end - period.start).days + 1 == 365 + _holds_leap_day(period)


@given(_DAYS)
def test_consecutive_rolling_years_tile_without_gaps(start):
    first = twelve_months_from(start)
    second = twelve_months_from(first.end + timedelta(days=1))
    assert twelve_months_ending(second.end).start == second.start


@pytest.mark.parametrize(("today", "start", "end"), [
    (date(2026, 3, 31), date(2025, 4, 1), date(2026, 3, 31)),
    (date(2026, 3, 30), date(2024, 4, 1), date(2025, 3, 31)),
    (date(2026, 4, 1), date(2025, 4, 1), date(2026, 3, 31)),
    (date(2026, 1, 15), date(2024, 4, 1), date(2025, 3, 31)),
    (date(2025, 12, 31), date(2024, 4, 1), date(2025, 3, 31)),
])
def test_default_period_is_the_year_to_the_last_31_march(today, start, end):
    assert default_period(today) == Period(start, end)


TODAY = date(2026, 6, 1)
WITH_BOTH = Config(period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))


def test_resolve_both_flags_are_taken_exactly():
    assert resolve_period(WITH_BOTH, date(2025, 5, 1), date(2025, 5, 31), today=TODAY) == \
        Period(date(2025, 5, 1), date(2025, 5, 31))


def test_resolve_end_flag_alone_is_the_twelve_months_ending_even_with_a_config_start():
    config = Config(period_start=date(2020, 1, 1))
    assert resolve_period(config, end=date(2025, 6, 30), today=TODAY) == \
        Period(date(2024, 7, 1), date(2025, 6, 30))
    assert resolve_period(WITH_BOTH, end=date(2024, 2, 29), today=TODAY) == \
        Period(date(2023, 3, 1), date(2024, 2, 29))


def test_resolve_start_flag_alone_is_the_twelve_months_from_it():
    assert resolve_period(WITH_BOTH, start=date(2025, 10, 1), today=TODAY) == \
        Period(date(2025, 10, 1), date(2026, 9, 30))


def test_resolve_config_both_dates():
    assert resolve_period(WITH_BOTH, today=TODAY) == Period(date(2024, 1, 1), date(2024, 12, 31))


def test_resolve_config_end_alone():
    config = parse_config("[period]\nend = 2025-12-31\n")
    assert resolve_period(config, today=TODAY) == Period(date(2025, 1, 1), date(2025, 12, 31))


def test_resolve_config_start_alone():
    config = parse_config("[period]\nstart = 2025-01-01\n")
    assert resolve_period(config, today=TODAY) == Period(date(2025, 1, 1), date(2025, 12, 31))


def test_resolve_with_nothing_is_the_default():
    assert resolve_period(Config(), today=TODAY) == Period(date(2025, 4, 1), date(2026, 3, 31))


def test_resolve_flags_ending_before_they_start_is_a_usage_error():
    with pytest.raises(UsageError) as info:
        resolve_period(Config(), date(2025, 4, 1), date(2025, 3, 31), today=TODAY)
    assert str(info.value) == "--period-end 2025-03-31 is before --period-start 2025-04-01"


def test_resolve_config_ending_before_it_starts_is_a_config_error():
    # Built directly: parse_config would already have refused it.
    config = Config(period_start=date(2025, 4, 1), period_end=date(2025, 3, 31),
                    source=Path("data/wres.toml"))
    with pytest.raises(ConfigError) as info:
        resolve_period(config, today=TODAY)
    assert "2025-03-31" in str(info.value)
    assert "2025-04-01" in str(info.value)
    assert str(Path("data/wres.toml")) in str(info.value)


# --------------------------------------------------------------------------- the rest


def test_importing_config_does_not_import_pandas():
    code = ("import sys, wres_cli.config, wres_cli.init_files; "
            "sys.exit('pandas' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_user_documentation_covers_every_key():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "configuration.md").read_text(
        encoding="utf-8")
    for key in ALL_KEYS:
        *tables, leaf = key.split(".")
        if tables:
            assert f"### `[{'.'.join(tables)}]`" in doc, key
        if "<" not in leaf:
            assert f"| `{leaf}` |" in doc, key


def test_reading_and_workforce_keys_are_checked_strictly():
    text = ('[files.workforce]\nheader_row = 0\nskip_footer = -1\npath = ""\n'
            '[workforce]\none_row_per = "assignments"\nexclude_contract_types = "Bank"\n'
            '[links]\nunmatched = "drop"\n[values.grades]\n"a" = "b"\n'
            '[values.grade]\n"Band 8A" = "Band 8a"\n"band  8a" = "Band 8b"\n')
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    message = str(caught.value)
    for expected in ("'files.workforce.header_row'", "'files.workforce.skip_footer'",
                     "'files.workforce.path'", "'workforce.one_row_per'",
                     "'workforce.exclude_contract_types'", "'links.unmatched'",
                     "'values.grades' in the config (did you mean 'values.grade'?)",
                     "'values.grade.\"band  8a\"'"):
        assert expected in message
