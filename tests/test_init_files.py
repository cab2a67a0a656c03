"""`wres init`: the commented config template and the header-only extract templates."""

from __future__ import annotations

import re
from datetime import date

import pytest

from wres_cli.config import ALL_KEYS, Config, FileHints, parse_config
from wres_cli.contract import EXTRACTS
from wres_cli.errors import UsageError
from wres_cli.init_files import config_template, extracts_for, write_init

EXTRACT_NAMES = ["workforce", "recruitment", "disciplinary", "fitness_to_practise", "training",
                 "survey", "board", "pay"]


def uncommented(template: str) -> str:
    """Every example setting switched on: a bare "#" marks a setting, "# " an explanation."""
    return re.sub(r"(?m)^#(?=[^\s#])", "", template)


# --------------------------------------------------------------------------- the template


def test_the_template_loads_as_the_defaults():
    assert parse_config(config_template()) == Config()


def test_every_line_of_the_template_is_a_comment_or_blank():
    lines = config_template().splitlines()
    assert lines, "template is empty"
    assert all(line == "" or line.startswith("#") for line in lines)


def test_every_example_switched_on_at_once_is_a_valid_config():
    config = parse_config(uncommented(config_template()))
    assert config.organisation == "Northmoor Borough Council"
    assert config.standard == "social-care"
    assert (config.period_start, config.period_end) == (date(2025, 4, 1), date(2026, 3, 31))
    assert config.grades_order[0] == "G1"
    assert config.grades_order[-1] == "Director"
    assert config.grades_senior == ("G12", "Director")
    assert config.population == {"white": 0.817, "asian": 0.093, "black": 0.04,
                                 "mixed": 0.029, "other": 0.021}
    assert config.columns["workforce"]["staff_id"] == "Employee Number"
    assert config.files == {"workforce": FileHints(
        "Staff", "cp1252", ";", path="ESR Staff In Post.xlsx", header_row=3, skip_footer=1)}
    assert config.one_row_per == "assignment"
    assert config.exclude_contract_types == ("Bank", "Agency")
    assert config.unmatched == "exclude"
    assert config.values == {"staff_group": {"Nursing and Midwifery Registered": "Clinical",
                                             "Admin and Clerical": "Non-clinical"},
                             "grade": {"Grade 12": "G12"}}
    assert config.ethnicity == {"WBRI": "white", "Other - Kurdish": "other"}
    assert config.chinese == "asian"
    assert config.suppression_threshold == 10
    # The label examples are the defaults, so switching them on changes nothing shown.
    assert config.all_labels() == Config().all_labels()


def test_the_template_has_an_example_of_every_fixed_key():
    switched_on = uncommented(config_template())
    for key in ALL_KEYS:
        *tables, leaf = key.split(".")
        if tables:
            header = ".".join("workforce" if t == "<extract>" else t for t in tables)
            if "<" in leaf:
                assert f"[{header}]" in switched_on, key
                continue
            assert f"\n[{header}]\n" in switched_on, key
        assert re.search(rf"(?m)^{re.escape(leaf)} = ", switched_on), key


def test_the_template_lists_every_extract_and_its_columns():
    for standard in ("social-care", "nhs"):
        text = re.sub(r"\n#\s+", " ", config_template(standard))  # undo the wrapping
        for name in extracts_for(standard):
            assert f"{name}: {', '.join(EXTRACTS[name].column_names)}" in text


def test_template_lines_fit_an_editor_window():
    for standard in ("social-care", "nhs"):
        assert max(len(line) for line in config_template(standard).splitlines()) <= 100


# --------------------------------------------------------------------------- writing


def test_write_init_writes_the_config_and_one_template_per_extract(tmp_path):
    target = tmp_path / "new" / "folder"  # created, parents too
    written = write_init(target)
    # Straight into the folder (contracts section 5), which is then a data folder.
    assert written == [target / "wres.toml", *(target / f"{n}.csv" for n in EXTRACT_NAMES)]
    assert (target / "wres.toml").read_text(encoding="utf-8") == config_template()
    assert sorted(p.name for p in target.iterdir()) == sorted(
        ["wres.toml", *(f"{n}.csv" for n in EXTRACT_NAMES)])


def test_templates_hold_only_the_canonical_header(tmp_path):
    write_init(tmp_path)
    templates = tmp_path
    # Written out from contracts.md section 1, not from the code under test.
    assert (templates / "workforce.csv").read_bytes() == (
        b"staff_id,ethnicity,grade,start_date,end_date,staff_group,service,organisation,"
        # "The workforce may also carry contract_type ... and primary_assignment".
        b"registered_professional,senior_manager,contract_type,primary_assignment\n")
    assert (templates / "board.csv").read_bytes() == b"member_id,ethnicity,voting,executive\n"
    assert (templates / "training.csv").read_bytes() == b"record_id,staff_id,date,course\n"
    for name in extracts_for("social-care"):
        lines = (templates / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        assert lines == [",".join(EXTRACTS[name].column_names)]


def test_written_files_use_unix_line_ends(tmp_path):
    for path in write_init(tmp_path):
        assert b"\r" not in path.read_bytes()


def test_refuses_to_overwrite_and_writes_nothing(tmp_path):
    existing = tmp_path / "wres.toml"
    existing.write_text('organisation = "Mine"\n', encoding="utf-8")
    with pytest.raises(UsageError) as info:
        write_init(tmp_path)
    assert str(existing) in str(info.value)
    assert "--force" in str(info.value)
    assert existing.read_text(encoding="utf-8") == 'organisation = "Mine"\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wres.toml"]


def test_refusal_lists_every_file_that_exists_and_only_those(tmp_path):
    for name in ("survey", "board"):
        (tmp_path / f"{name}.csv").write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError) as info:
        write_init(tmp_path)
    message = str(info.value)
    assert str(tmp_path / "survey.csv") in message
    assert str(tmp_path / "board.csv") in message
    assert "workforce.csv" not in message
    assert "wres.toml" not in message
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["board.csv", "survey.csv"]


def test_force_overwrites(tmp_path):
    (tmp_path / "wres.toml").write_text('organisation = "Mine"\n', encoding="utf-8")
    (tmp_path / "workforce.csv").write_text("mine\n", encoding="utf-8")
    written = write_init(tmp_path, force=True)
    assert len(written) == 1 + len(EXTRACT_NAMES)
    assert (tmp_path / "wres.toml").read_text(encoding="utf-8") == config_template()
    assert (tmp_path / "workforce.csv").read_text(encoding="utf-8").startswith(
        "staff_id,")


def test_other_files_in_the_folder_are_left_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("data\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()  # the report's folder of edited templates
    write_init(tmp_path, force=True)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "data\n"
    assert list((tmp_path / "templates").iterdir()) == []


def test_a_folder_that_is_a_file_is_a_usage_error(tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot write"):
        write_init(blocker)


# --------------------------------------------------------------------------- an NHS trust's

AFC = ["Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a",
       "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM"]


def test_nhs_template_is_a_trusts_config():
    config = parse_config(config_template("nhs"))
    assert config.standard == "nhs"
    assert list(config.grades_order) == AFC  # Agenda for Change, lowest to highest
    groups = config.values["staff_group"]
    assert groups["Nursing and Midwifery Registered"] == "Clinical"
    assert groups["Admin and Clerical"] == "Non-clinical"
    assert groups["Medical and Dental"] == "Medical and dental"
    assert set(groups.values()) == {"Clinical", "Non-clinical", "Medical and dental"}
    assert config.grade_bands == ()  # clusters are a commented example
    switched_on = parse_config(uncommented(config_template("nhs")))
    assert [name for name, _ in switched_on.grade_bands] == [
        "Bands 1-4", "Bands 5-7", "Band 8a and above"]
    assert "survey_summary" in config_template("nhs")


def test_every_example_of_the_template_names_bands():
    config = parse_config(uncommented(config_template()))
    assert [name for name, _ in config.grade_bands] == ["G1-G4", "G5-G8", "G9 and above"]


def test_init_nhs_writes_a_survey_summary_template_not_a_survey_one(tmp_path):
    written = write_init(tmp_path, standard="nhs")
    names = [p.name for p in written]
    assert "survey_summary.csv" in names and "survey.csv" not in names
    assert (tmp_path / "survey_summary.csv").read_text() == (
        # contracts section 1, and the optional survey year (docs/decisions.md)
        "question,group,respondents,percent,yes,year\n")
    assert "survey_summary.csv" not in [p.name for p in write_init(tmp_path / "sc")]


def test_init_nhs_output_validates_against_a_matching_header_only_folder(tmp_path):
    from typer.testing import CliRunner

    from wres_cli import validate
    from wres_cli.cli import app

    result = CliRunner().invoke(app, ["init", str(tmp_path / "trust"), "--standard", "NHS"])
    assert result.exit_code == 0, result.output
    data = tmp_path / "data"
    data.mkdir()
    for written in (tmp_path / "trust").iterdir():  # wres.toml and <extract>.csv each
        (data / written.name).write_bytes(written.read_bytes())
    report = validate(data)
    # Header-only: the one problem is that the workforce has nobody in it.
    assert report.problems["file"].tolist() == ["workforce.csv"]
    assert "no data rows" in report.problems["message"].iat[0]
    # One person, in an ESR staff group and band as ESR spells them: valid.
    header = (data / "workforce.csv").read_text().strip()
    row = dict.fromkeys(header.split(","), "")
    row.update(staff_id="E1", ethnicity="A", grade="band 8A", start_date="2020-01-01",
               staff_group="ADMIN AND CLERICAL")
    (data / "workforce.csv").write_text(header + "\n" + ",".join(row.values()) + "\n")
    report = validate(data)
    assert report.ok, report.problems
    workforce = report._prepared.frames["workforce"]
    assert workforce["staff_group"].astype(str).tolist() == ["Non-clinical"]
    assert workforce["grade"].astype(str).tolist() == ["Band 8a"]
