"""The one strict checker (``toml_checker``) for wres.toml and indicator files:
every problem at once, each named by its dotted key and file, with "did you mean"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wres_cli.config import parse_config
from wres_cli.errors import ConfigError
from wres_cli.indicator_files import load_indicators, parse_indicator
from wres_cli.resources import resource_dir
from wres_cli.toml_checker import Key, TomlChecker, describe, dotted, one_of, table_of

SHIPPED = resource_dir("indicators") / "social-care"


def message_of(fn, *args, **kwargs) -> str:
    with pytest.raises(ConfigError) as caught:
        fn(*args, **kwargs)
    return str(caught.value)


# --------------------------------------------------------------------------- the primitives


def test_a_dotted_key_quotes_what_is_not_bare_and_writes_list_positions():
    assert dotted(("period", "start")) == "period.start"
    assert dotted(("ethnicity", "Other - Kurdish")) == 'ethnicity."Other - Kurdish"'
    assert dotted(("difference", 1, "against")) == "difference[1].against"
    assert dotted(("population", 0)) == "population[0]"


def test_a_wrong_value_is_described_with_its_kind_and_value():
    assert describe("x") == 'text ("x")'
    assert describe(3) == "an integer (3)"
    assert describe(True) == "true/false (true)"
    assert describe([1]) == "a list"
    assert describe({}) == "a table"
    assert describe("a" * 50) == f'text ("{"a" * 36}...)'


def test_fields_collects_unknown_missing_and_wrong_keys_and_keeps_the_good_ones():
    schema = {"name": Key(TomlChecker.text, required=True),
              "side": Key(one_of(("high", "low"), "side")),
              "size": Key(TomlChecker.count),
              "extra": Key()}
    ck = TomlChecker("f.toml", list_known_keys=True)
    got = ck.fields(("t",), {"sid": "high", "side": "Hihg", "size": 2, "extra": [1]}, schema)
    assert got == {"size": 2, "extra": [1]}
    assert ck.problems == [
        "unknown key 't.sid' in f.toml (did you mean 't.side'?); known keys: name, side, "
        "size, extra",
        "'t.name' in f.toml is required",
        "'t.side' in f.toml is not a known side (high, low): text (\"Hihg\") "
        "(did you mean 'high'?)",
    ]


def test_declaring_a_sub_table_is_one_line():
    """How an optional ``[phrase]`` table of three texts is added to a vocabulary."""
    schema = {"phrase": Key(table_of({k: Key(TomlChecker.text)
                                      for k in ("noun", "infinitive", "past")}))}
    ck = TomlChecker("x.toml")
    got = ck.fields((), {"phrase": {"noun": "promotion", "past": 3, "pst": "x"}}, schema)
    assert got == {"phrase": {"noun": "promotion"}}
    assert ck.problems == [
        "unknown key 'phrase.pst' in x.toml (did you mean 'phrase.past'?)",
        "'phrase.past' in x.toml must be text in double quotes, not an integer (3)",
    ]


# --------------------------------------------------------------------------- wres.toml


def test_several_config_problems_are_reported_at_once_with_dotted_keys():
    text = ('standard = "NHS"\n[period]\nstrat = 2025-04-01\n'
            '[files.workforce]\nheader_row = 0\n[ethnicity]\n"Other - Kurdish" = 3\n')
    assert message_of(parse_config, text, source=Path("wres.toml")) == (
        "wres.toml has 4 problems:\n"
        "  - 'standard' in wres.toml must be \"social-care\" or \"nhs\", not text (\"NHS\") "
        "(did you mean \"nhs\"?)\n"
        "  - unknown key 'period.strat' in wres.toml (did you mean 'period.start'?)\n"
        "  - 'files.workforce.header_row' in wres.toml must be at least 1 (the first row "
        "is 1), not 0\n"
        "  - 'ethnicity.\"Other - Kurdish\"' in wres.toml must be text in double quotes, "
        "not an integer (3)")


def test_a_misspelt_config_value_gets_a_suggestion():
    assert message_of(parse_config, '[links]\nunmatched = "Exclude"\n') == (
        "'links.unmatched' in the config must be \"error\" or \"exclude\", not text "
        "(\"Exclude\") (did you mean \"exclude\"?)")


# --------------------------------------------------------------------------- indicator files

BASE = {"id": "x", "title": "t", "why": "w", "measure": "share",
        "population": {"extract": "workforce", "rule": "in_post_on_end"}}


def test_an_indicator_key_problem_does_not_stop_the_value_checks():
    # Before the one checker, an unknown top-level key stopped the check there.
    data = {**BASE, "titel": "t", "measure": "shares", "public": "yes"}
    message = message_of(parse_indicator, data, "x.toml")
    assert message.startswith("x.toml has 3 problems:\n")
    assert "unknown key 'titel' in x.toml (did you mean 'title'?)" in message
    assert "'measure' in x.toml is not a known measure (rate, share, pay_gap): text " \
           "(\"shares\") (did you mean 'share'?)" in message
    assert "'public' in x.toml must be true or false, not text (\"yes\")" in message


def test_unknown_indicator_keys_are_matched_ignoring_case():
    message = message_of(parse_indicator, {**BASE, "Short": "s"}, "x.toml")
    assert message.startswith("unknown key 'Short' in x.toml (did you mean 'short'?)")


def test_every_group_of_a_ratio_is_checked():
    data = {**BASE, "measure": "rate", "event": {"rule": "left_in_period"},
            "ratio": {"focal": ["asain", "blak"], "reference": ["white"], "adverse": "high"}}
    message = message_of(parse_indicator, data, "x.toml")
    assert message.startswith("x.toml has 2 problems:\n")
    assert "text (\"asain\") (did you mean 'asian'?)" in message
    assert "text (\"blak\") (did you mean 'black'?)" in message


def test_problems_in_several_files_of_a_folder_are_listed_together(tmp_path):
    folder = tmp_path / "defs"
    folder.mkdir()
    for name, old, new in (("3.toml", 'adverse = "high"', 'adverse = "up"'),
                           ("5.toml", "[ratio]", "[ratoi]")):
        text = (SHIPPED / name).read_text(encoding="utf-8")
        assert old in text
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    shutil.copy(SHIPPED / "6.toml", folder / "6.toml")
    message = message_of(load_indicators, "social-care", folder)
    three, five = folder / "3.toml", folder / "5.toml"
    assert message.startswith(f"{folder} has 3 problems:\n")
    assert f"'ratio.adverse' in {three} is not a known side" in message
    assert f"unknown key 'ratoi' in {five} (did you mean 'ratio'?)" in message
    assert f"'ratio' in {five} is required when measure = \"rate\"" in message
    assert "6.toml" not in message


def test_two_clashing_ids_and_a_bad_file_are_reported_together(tmp_path):
    folder = tmp_path / "defs"
    folder.mkdir()
    shutil.copy(SHIPPED / "3.toml", folder / "3.toml")
    shutil.copy(SHIPPED / "3.toml", folder / "3-copy.toml")
    (folder / "4.toml").write_text('id = "4"\n', encoding="utf-8")
    message = message_of(load_indicators, "social-care", folder)
    assert f"'id' in {folder / '3.toml'}: indicator '3' is also defined in " \
           f"{folder / '3-copy.toml'}" in message
    assert f"'title' in {folder / '4.toml'} is required" in message


def test_every_survey_column_map_no_local_file_reads_is_named():
    from wres_cli.config import Config
    from wres_cli.contract import Column
    from wres_cli.local import check_column_maps

    config = Config(columns={"survey": {"feels_valued": "Q1", "psych_safty": "Q2"}},
                    extra_columns=(("survey", Column("psych_safety", "text")),),
                    source=Path("wres.toml"))
    message = message_of(check_column_maps, config)
    assert message.startswith("wres.toml has 2 problems:\n")
    why = ("it is not a column of the survey extract, nor one that a local indicator file "
           "reads ([indicators] local)")
    assert f"unknown key 'columns.survey.feels_valued' in wres.toml: {why}; known keys: " \
           in message
    assert f"unknown key 'columns.survey.psych_safty' in wres.toml: {why} (did you mean " \
           "'columns.survey.psych_safety'?); known keys: " in message
