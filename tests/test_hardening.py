"""Bad input through every command: exit 1 or 2, the problem named, no traceback,
nothing written. Plus reader fuzzing with random bytes and encodings."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.helpers import HR_CONFIG, HR_RECRUITMENT, HR_WORKFORCE
from wres_cli.cli import app
from wres_cli.config import Config
from wres_cli.io.readers import read_extracts

runner = CliRunner()
ENV = {"COLUMNS": "250", "NO_COLOR": "1"}

WORKFORCE_ROW = "EMP-000009,A,G1,01/01/2020,,N,North\n"

# A corpus of malformed data folders and configs: files to replace, the text that
# must be named in the message. Each goes through validate, compute and report.
DATA_CORPUS: dict[str, tuple[dict[str, str | bytes | None], str]] = {
    "impossible date": ({"workforce__csv": HR_WORKFORCE + WORKFORCE_ROW.replace(
        "01/01/2020", "31/02/2025")}, "31/02/2025"),
    "month-first date": ({"workforce__csv": HR_WORKFORCE + WORKFORCE_ROW.replace(
        "01/01/2020", "12/31/2024")}, "12/31/2024"),
    "two-digit year": ({"workforce__csv": HR_WORKFORCE + WORKFORCE_ROW.replace(
        "01/01/2020", "01/01/20")}, "01/01/20"),
    # A time of day after a date is ignored (contracts §1); one that is no time is not.
    "impossible time of day": ({"workforce__csv": HR_WORKFORCE + WORKFORCE_ROW.replace(
        "01/01/2020", "2020-01-01 25:30:00")}, "2020-01-01 25:30:00"),
    "unknown ethnicity": ({"workforce__csv": HR_WORKFORCE + WORKFORCE_ROW.replace(
        ",A,", ",Klingon,")}, "Klingon"),
    "bare Other is refused": ({"workforce__csv": HR_WORKFORCE + WORKFORCE_ROW.replace(
        ",A,", ",Other,")}, "Other"),
    "unknown grade": ({"workforce__csv": HR_WORKFORCE + WORKFORCE_ROW.replace(
        ",G1,", ",Band 5,")}, "Band 5"),
    "blank grade": ({"workforce__csv": HR_WORKFORCE + WORKFORCE_ROW.replace(",G1,", ",,")},
                    "grade"),
    "duplicate staff id": ({"workforce__csv": HR_WORKFORCE + WORKFORCE_ROW.replace(
        "EMP-000009", "EMP-000001")}, "EMP-000001"),
    "appointed not shortlisted": ({"recruitment__csv": HR_RECRUITMENT
                                   + "APP-000009,A,No,Yes,06/05/2025,G1\n"}, "appointed"),
    "bad boolean": ({"recruitment__csv": HR_RECRUITMENT
                     + "APP-000009,A,perhaps,No,06/05/2025,G1\n"}, "perhaps"),
    "end before start": ({"workforce__csv": HR_WORKFORCE + WORKFORCE_ROW.replace(
        ",,N,", ",01/01/2019,N,")}, "end"),
    "event for unknown person": ({"disciplinary__csv": "Case Ref,Employee No,Case Opened\n"
                                  "DIS-1,EMP-424242,01/07/2025\n"}, "EMP-424242"),
    "missing required column": ({"workforce__csv": "Employee Number,Ethnic Origin,Grade\n"
                                 "EMP-1,A,G1\n"}, "start_date"),
    "duplicate header": ({"workforce__csv": HR_WORKFORCE.replace("Payroll Area", "GRADE ")},
                         "grade"),
    "missing workforce": ({"workforce__csv": None}, "workforce"),
    "empty workforce": ({"workforce__csv": ""}, "workforce.csv"),
    "header-only workforce": ({"workforce__csv": HR_WORKFORCE.splitlines()[0] + "\n"},
                              "workforce.csv"),
    "binary garbage": ({"workforce__csv": bytes(range(256)) * 16}, "workforce.csv"),
    "NUL bytes": ({"workforce__csv": HR_WORKFORCE.encode() + b"\x00\x00\n"}, "workforce.csv"),
    "UTF-16 export": ({"workforce__csv": HR_WORKFORCE.encode("utf-16")}, "workforce.csv"),
    "ragged row": ({"workforce__csv": HR_WORKFORCE + "EMP-000009,A\n"}, "workforce.csv"),
    "xlsx that is a CSV": ({"recruitment__csv": None, "recruitment__xlsx": HR_RECRUITMENT},
                           "recruitment.xlsx"),
    "corrupt parquet": ({"recruitment__csv": None, "recruitment__parquet": b"PAR1garbagePAR1"},
                        "recruitment.parquet"),
    "two files for one extract": ({"recruitment__parquet": b"PAR1"}, "recruitment"),
    "config syntax error": ({"wres__toml": "organisation = 'unclosed\n"}, "wres.toml"),
    "config unknown key": ({"wres__toml": "[grades]\nordre = ['G1']\n"}, "grades.order"),
    "config wrong type": ({"wres__toml": "[suppression]\nthreshold = 'ten'\n"},
                          "suppression.threshold"),
    "config bad standard": ({"wres__toml": "standard = 'scotland'\n"}, "standard"),
    "config not UTF-8": ({"wres__toml": b"organisation = '\xff\xfe'\n"}, "wres.toml"),
    "config period backwards": ({"wres__toml": HR_CONFIG.replace("end = 2026-03-31",
                                                                 "end = 2024-03-31")}, "period"),
    "config bad ethnicity target": ({"wres__toml": HR_CONFIG + '\n[ethnicity]\n"WBRI" = "blue"\n'},
                                    "WBRI"),
    "config unknown extract": ({"wres__toml": "[columns.payroll]\nstaff_id = 'x'\n"}, "payroll"),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_is_large_enough() -> None:
    assert len(DATA_CORPUS) >= 25


@pytest.mark.parametrize("case", sorted(DATA_CORPUS))
@pytest.mark.parametrize("command", ["validate", "compute", "report"])
def test_malformed_data_through_every_data_command(
    case: str, command: str, hr_folder: Callable[..., Path], tmp_path: Path,
) -> None:
    files, named = DATA_CORPUS[case]
    folder = hr_folder(**files)
    before = snapshot(folder)
    out = tmp_path / "out"
    args = [command, str(folder)] + ([] if command == "validate" else ["--out", str(out)])
    result = runner.invoke(app, args, env=ENV)
    assert result.exit_code in (1, 2), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    assert named.lower() in result.stderr.lower()
    assert snapshot(folder) == before
    assert not out.exists()


RESULTS_CORPUS: dict[str, bytes] = {
    "not json": b"this is not json",
    "empty": b"",
    "binary": bytes(range(256)),
    "json list": b"[1, 2, 3]",
    "no meta": json.dumps({"results": []}).encode(),
    "future schema": json.dumps({"meta": {"schema_version": 99}, "results": []}).encode(),
}


@pytest.mark.parametrize("case", sorted(RESULTS_CORPUS))
@pytest.mark.parametrize("command", ["trend", "report"])
def test_malformed_results_files(case: str, command: str, tmp_path: Path) -> None:
    bad = tmp_path / "results.json"
    bad.write_bytes(RESULTS_CORPUS[case])
    out = tmp_path / "out"
    inputs = [str(bad), str(bad)] if command == "trend" else [str(bad)]
    result = runner.invoke(app, [command, *inputs, "--out", str(out)], env=ENV)
    assert result.exit_code in (1, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert "results.json" in result.stderr
    assert not out.exists()


COUNTS_HEADER = ("organisation,period_start,period_end,standard,indicator,breakdown,level,"
                 "group,population,events\n")
COUNTS_CORPUS: dict[str, bytes] = {
    "not csv": bytes(range(256)) * 4,
    "empty": b"",
    "missing columns": b"organisation,indicator\nA,3\n",
    "negative count": (COUNTS_HEADER + "A,2025-04-01,2026-03-31,social-care,3,overall,all,"
                       "white,-5,1\n").encode(),
    "events above population": (COUNTS_HEADER + "A,2025-04-01,2026-03-31,social-care,3,"
                                "overall,all,white,5,9\n").encode(),
    "text count": (COUNTS_HEADER + "A,2025-04-01,2026-03-31,social-care,3,overall,all,white,"
                   "many,1\n").encode(),
}


@pytest.mark.parametrize("case", sorted(COUNTS_CORPUS))
def test_malformed_counts_files(case: str, tmp_path: Path) -> None:
    bad = tmp_path / "counts.csv"
    bad.write_bytes(COUNTS_CORPUS[case])
    out = tmp_path / "out"
    result = runner.invoke(app, ["benchmark", str(bad), "--out", str(out)], env=ENV)
    assert result.exit_code in (1, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert "counts.csv" in result.stderr
    assert not out.exists()


def test_benchmark_refuses_mixed_standards(tmp_path: Path) -> None:
    paths = []
    for i, standard in enumerate(["social-care", "nhs"]):
        path = tmp_path / f"org{i}.csv"
        path.write_text(COUNTS_HEADER + f"Org{i},2025-04-01,2026-03-31,{standard},3,overall,all,"
                        "white,50,5\n", encoding="utf-8")
        paths.append(str(path))
    result = runner.invoke(app, ["benchmark", *paths, "--out", str(tmp_path / "out")], env=ENV)
    assert result.exit_code == 1, result.stderr
    assert "standard" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args,named", [
    (["sample", "--format", "docx"], "docx"),
    (["sample", "--staff", "3"], "staff"),
    (["init"], "--force"),
])
def test_init_and_sample_misuse(args: list[str], named: str, tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.mkdir()
    (target / "wres.toml").write_text("# mine\n", encoding="utf-8")
    before = snapshot(target)
    command = [args[0], *(["--out", str(target)] if args[0] == "sample" else [str(target)]),
               *args[1:]]
    result = runner.invoke(app, command, env=ENV)
    assert result.exit_code == 2, result.stderr
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(target) == before


def test_out_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["sample", "--out", str(blocker)], env=ENV)
    assert result.exit_code == 2 and "not a folder" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "x"


ENCODINGS = ["utf-8", "utf-16", "utf-32", "cp1252", "latin-1", "shift_jis", "koi8-r"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(payload=st.one_of(
    st.binary(max_size=2000),
    st.tuples(st.text(max_size=400), st.sampled_from(ENCODINGS)).map(
        lambda t: t[0].encode(t[1], errors="replace")),
    st.text(alphabet=st.sampled_from(list(",;\t\"\n\r ab1/-=")), max_size=400).map(str.encode),
), suffix=st.sampled_from([".csv", ".xlsx", ".parquet"]))
def test_readers_never_crash(payload: bytes, suffix: str, tmp_path: Path) -> None:
    folder = tmp_path / f"fuzz{suffix}"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / f"workforce{suffix}").write_bytes(payload)
    extracts, problems = read_extracts(folder, Config())
    assert isinstance(extracts, dict)
    frame = problems.to_frame()
    assert list(frame.columns) == ["file", "row", "column", "value", "rule", "message"]
    if not extracts.get("workforce") or extracts["workforce"].rows_read == 0:
        assert len(frame) > 0


# ---------------------------------------------------------------- round two (issue 18)
# Each case: files to replace, the exit code the contract gives (section 4) and the
# text the message must hold. Unlike the first corpus, the exit code is exact.

def _workbook(rows: list[list[object]], *, cells: dict[str, object] | None = None) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref, value in (cells or {}).items():
        sheet[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HR_ROWS = [line.split(",") for line in HR_WORKFORCE.replace('"Asian, Asian British or Asian '
                                                            'Welsh: Indian"', "Indian")
           .splitlines()]


def _hr_workbook(**cells: object) -> bytes:
    return _workbook(HR_ROWS, cells=cells)


# EMP-000003 (sheet row 4) left on 30/09/2025; as a formula never calculated its
# leaving date would read as blank: "still employed".
_UNCACHED = [row[:] for row in HR_ROWS]
_UNCACHED[3][4] = "=DATE(2025,9,30)"

ROUND_TWO: dict[str, tuple[dict[str, str | bytes | None], int, str]] = {
    "stray cell in the far corner": (
        {"workforce__csv": None, "workforce__xlsx": _hr_workbook(XFD1048576="x")}, 1,
        "XFD1048576"),
    "stray cell at AD400000": (
        {"workforce__csv": None, "workforce__xlsx": _hr_workbook(AD400000=" ")}, 1, "AD400000"),
    "formula with no cached value": (
        {"workforce__csv": None, "workforce__xlsx": _workbook(_UNCACHED)}, 1,
        "cell E4 holds a formula with no saved value"),
    "ten-million-character cell": (
        {"workforce__csv": HR_WORKFORCE + "EMP-000009," + "x" * 10_000_000
         + ",G1,01/01/2020,,N,North\n"}, 1, "row 10, Ethnic Origin"),
    "unclosed quote": (
        {"workforce__csv": HR_WORKFORCE + 'EMP-000009,"A,G1,01/01/2020,,N,North\n'
         + "EMP-000010,A,G1,01/01/2020,,N,North\n" * 40_000}, 1, "ragged-row"),
    "config period end 9999-12-31": (
        {"wres__toml": HR_CONFIG.replace("end = 2026-03-31", "end = 9999-12-31")}, 2,
        "'period.end'"),
    "config period start in year 1": (
        {"wres__toml": HR_CONFIG.replace("start = 2025-04-01", "start = 0001-01-01")}, 2,
        "'period.start'"),
    "config nested very deeply": ({"wres__toml": "x = " + "[" * 3000 + "]" * 3000 + "\n"}, 2,
                                  "nested too deeply"),
    "config threshold 1": ({"wres__toml": HR_CONFIG + "\n[suppression]\nthreshold = 1\n"}, 2,
                           "'suppression.threshold'"),
}


@pytest.mark.parametrize("quiet", [False, True], ids=["loud", "quiet"])
@pytest.mark.parametrize("case", sorted(ROUND_TWO))
@pytest.mark.parametrize("command", ["validate", "compute", "report"])
def test_round_two_data_cases(case: str, command: str, quiet: bool,
                              hr_folder: Callable[..., Path], tmp_path: Path) -> None:
    files, code, named = ROUND_TWO[case]
    folder = hr_folder(**files)
    before = snapshot(folder)
    out = tmp_path / "out"
    args = [command, str(folder)] + ([] if command == "validate" else ["--out", str(out)])
    result = runner.invoke(app, args + (["-q"] if quiet else []), env=ENV)
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    assert named in result.stderr  # -q never hides an error
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # nothing staged or left


def test_the_corpus_has_the_new_cases() -> None:
    assert len(DATA_CORPUS) + len(ROUND_TWO) >= 40


@pytest.mark.parametrize("text", [
    HR_WORKFORCE.replace("\n", "\r"),  # classic Mac OS
    HR_WORKFORCE.replace(",", "\t\t,"),  # tab-padded headers and values
])
def test_awkward_but_valid_csv_reads(text: str, hr_folder: Callable[..., Path]) -> None:
    result = runner.invoke(app, ["validate", str(hr_folder(workforce__csv=text))], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert "workforce.csv" in result.stderr and "valid:" in result.stderr


def test_a_far_cell_that_is_only_formatted_is_no_problem(hr_folder: Callable[..., Path]) -> None:
    import io

    from openpyxl import load_workbook
    from openpyxl.styles import Font

    book = load_workbook(io.BytesIO(_hr_workbook()))
    book.active["XFD1048576"].font = Font(bold=True)  # formatting, no value
    buffer = io.BytesIO()
    book.save(buffer)
    folder = hr_folder(workforce__csv=None, workforce__xlsx=buffer.getvalue())
    result = runner.invoke(app, ["validate", str(folder)], env=ENV)
    assert result.exit_code == 0, result.stderr


OPTION_CASES: dict[str, tuple[list[str], int, str]] = {
    "period end in year 9999": (["compute", "{data}", "--out", "{out}", "--period-end",
                                 "9999-12-31"], 2, "--period-end 9999-12-31 is out of range"),
    "period end in year 1": (["compute", "{data}", "--out", "{out}", "--period-end",
                              "0001-01-01"], 2, "--period-end 0001-01-01 is out of range"),
    "period start impossible": (["report", "{data}", "--out", "{out}", "--period-start",
                                 "31/02/2025"], 2, "not a real date"),
    "period end not a date": (["validate", "{data}", "--period-end", "March"], 2,
                              "YYYY-MM-DD or DD/MM/YYYY"),
    "errors-out naming an extract": (["validate", "{data}", "--errors-out",
                                      "{data}/workforce.csv"], 2, "that is an input"),
    "errors-out naming the config": (["compute", "{data}", "--out", "{out}", "--errors-out",
                                      "{data}/wres.toml"], 2, "that is an input"),
    "errors-out naming an extract, any case": (["compute", "{data}", "--out", "{out}",
                                                "--errors-out", "{data}/WORKFORCE.CSV"], 2,
                                               "that is an input"),
    "out of 4,000 characters": (["compute", "{data}", "--out", "{tmp}/" + "o" * 4000], 2,
                                "choose a shorter path"),
    "unknown standard": (["compute", "{data}", "--out", "{out}", "--standard", "Wales"], 2,
                         "unknown standard"),
}


@pytest.mark.parametrize("quiet", [False, True], ids=["loud", "quiet"])
@pytest.mark.parametrize("case", sorted(OPTION_CASES))
def test_round_two_option_cases(case: str, quiet: bool, hr_folder: Callable[..., Path],
                                tmp_path: Path) -> None:
    template, code, named = OPTION_CASES[case]
    folder = hr_folder()
    before = snapshot(folder)
    args = [a.format(data=folder, out=tmp_path / "out", tmp=tmp_path) for a in template]
    result = runner.invoke(app, args + (["-q"] if quiet else []), env=ENV)
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert named in result.stderr
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_a_folder_named_counts_csv_changes_nothing(hr_folder: Callable[..., Path],
                                                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "counts.csv").mkdir(parents=True)
    (out / "results.json").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["compute", str(hr_folder()), "--out", str(out), "-q"], env=ENV)
    assert result.exit_code == 2, result.stderr
    assert "counts.csv is a folder" in result.stderr
    assert (out / "results.json").read_text(encoding="utf-8") == "mine"  # not replaced first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]
    assert sorted(p.name for p in out.iterdir()) == ["counts.csv", "results.json"]


def test_charts_that_is_a_file_changes_nothing(hr_folder: Callable[..., Path],
                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "charts").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["report", str(hr_folder()), "--out", str(out)], env=ENV)
    assert result.exit_code == 2, result.stderr
    assert "charts is a file" in result.stderr
    assert snapshot(out) == {"charts": b"mine"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]


@pytest.mark.parametrize("command", ["compute", "report", "validate"])
def test_a_full_disk_is_exit_2_and_leaves_nothing(command: str, hr_folder: Callable[..., Path],
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = hr_folder()
    before = snapshot(folder)

    def full(self: Path, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    out = tmp_path / "out"
    args = ([command, str(folder), "--errors-out", str(out / "problems.csv")]
            if command == "validate" else [command, str(folder), "--out", str(out)])
    result = runner.invoke(app, [*args, "-q"], env=ENV)
    monkeypatch.undo()
    assert result.exit_code == 2, result.stderr
    assert "disk is full" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def _results_with_nan(tmp_path: Path, hr_folder: Callable[..., Path]) -> bytes:
    made = tmp_path / "made"
    assert runner.invoke(app, ["compute", str(hr_folder()), "--out", str(made), "-q"],
                         env=ENV).exit_code == 0
    document = json.loads((made / "results.json").read_text(encoding="utf-8"))
    document["results"][0]["value"] = float("nan")
    return json.dumps(document).encode()  # json.dumps writes NaN unless told not to


RESULTS_ROUND_TWO = {
    "nested very deeply": (lambda tmp, hr: b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "meta nested very deeply": (lambda tmp, hr: b'{"meta": ' * 50_000 + b"1" + b"}" * 50_000,
                                "nested too deeply"),
    "a NaN value": (_results_with_nan, "NaN"),
    "an Infinity": (lambda tmp, hr: b'{"meta": {"schema_version": 1, "x": Infinity}}',
                    "Infinity"),
}


@pytest.mark.parametrize("case", sorted(RESULTS_ROUND_TWO))
@pytest.mark.parametrize("command", ["report", "trend"])
def test_round_two_results_files(case: str, command: str, hr_folder: Callable[..., Path],
                                 tmp_path: Path) -> None:
    make, named = RESULTS_ROUND_TWO[case]
    bad = tmp_path / "bad.json"
    bad.write_bytes(make(tmp_path, hr_folder))
    out = tmp_path / "out"
    inputs = [str(bad), str(bad)] if command == "trend" else [str(bad)]
    result = runner.invoke(app, [command, *inputs, "--out", str(out), "-q"], env=ENV)
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "bad.json" in result.stderr and named in result.stderr
    assert not out.exists()


# A failing -q run prints its error on stderr, for every command (contracts section 5).
QUIET_FAILURES: dict[str, tuple[list[str], int, str]] = {
    "validate, invalid data": (["validate", "{bad}"], 1, "Klingon"),
    "validate, no folder": (["validate", "{tmp}/missing"], 2, "does not exist"),
    "compute, invalid data": (["compute", "{bad}", "--out", "{out}"], 1, "Klingon"),
    "compute, no folder": (["compute", "{tmp}/missing", "--out", "{out}"], 2, "does not exist"),
    "report, invalid data": (["report", "{bad}", "--out", "{out}"], 1, "Klingon"),
    "trend, no file": (["trend", "{tmp}/none.json", "--out", "{out}"], 2, "does not exist"),
    "benchmark, no file": (["benchmark", "{tmp}/none.csv", "--out", "{out}"], 2,
                           "does not exist"),
    "benchmark, same file twice": (["benchmark", "{counts}", "{counts}", "--out", "{out}"], 1,
                                   "more than once"),
    "sample, bad format": (["sample", "--out", "{out}", "--format", "docx"], 2, "docx"),
    "sample, over a data folder": (["sample", "--out", "{data}"], 2, "--force"),
}


@pytest.mark.parametrize("case", sorted(QUIET_FAILURES))
def test_quiet_never_hides_an_error(case: str, hr_folder: Callable[..., Path],
                                    tmp_path: Path) -> None:
    template, code, named = QUIET_FAILURES[case]
    data = hr_folder()
    bad = tmp_path / "bad"
    bad.mkdir()
    for path in data.iterdir():
        (bad / path.name).write_bytes(path.read_bytes())
    (bad / "workforce.csv").write_text(HR_WORKFORCE + WORKFORCE_ROW.replace(",A,", ",Klingon,"),
                                       encoding="utf-8")
    counts = tmp_path / "counts.csv"
    counts.write_text(COUNTS_HEADER + "A,2025-04-01,2026-03-31,social-care,3,overall,all,white,"
                      "50,5\n", encoding="utf-8")
    args = [a.format(bad=bad, data=data, tmp=tmp_path, out=tmp_path / "out", counts=counts)
            for a in template]
    result = runner.invoke(app, [*args, "-q"], env=ENV)
    assert result.exit_code == code, result.stderr
    assert named in result.stderr
    assert "error" in result.stderr or "invalid" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()
