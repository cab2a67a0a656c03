"""``wres init``: a commented ``wres.toml`` and header-only extract templates.

Both go straight into the folder (``DIR/wres.toml``, ``DIR/<extract>.csv``,
contracts section 5): the folder is then a data folder, where ``wres validate
DIR`` finds the config, once the templates are filled in.

The template is valid TOML exactly as written (every setting commented out, so
it loads as the defaults). Example settings are commented with a bare ``#``
(``#standard = "nhs"``) and explanations with ``# `` so that removing the ``#``
from a setting's lines turns it on; a test uncomments every example at once and
checks the result loads.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from wres_cli.config import CONFIG_NAME
from wres_cli.contract import EXTRACTS
from wres_cli.errors import UsageError

_HEAD = """\
# wres.toml: settings for wres (Workforce Race Equality Standard indicators).
#
# Every setting is optional: with none, wres uses the defaults described here.
# Lines starting with "#" are comments. To use a setting, delete the "#" in
# front of it, and in front of its [table] header line if it has one.
# Text goes in double quotes, dates are written 2025-04-01, shares as 0.5.
#
# wres reads this file from the data folder, else from the folder it is run
# in; "--config FILE" names another file. A misspelt or misplaced setting is an
# error, never silently ignored. Full reference: docs/configuration.md.

# Name of the organisation, shown in reports and in the "organisation" column.
#organisation = "Northmoor Borough Council"

# "social-care" (the default: Social Care WRES) or "nhs" (NHS WRES).
# The --standard option overrides it.
#standard = "social-care"

# ---------------------------------------------------------------------------
# The reporting period; both dates are included. Give both dates; or only
# "end" for the 12 months ending on it; or only "start" for the 12 months from
# it. Default: the 12 months to the most recent 31 March. The options
# --period-start and --period-end override this table.
#[period]
#start = 2025-04-01
#end = 2026-03-31

# ---------------------------------------------------------------------------
# Grades, lowest to highest. "order" sets the order of grade rows in results
# and reports; when it is given, every grade in the data must be listed in it.
# "senior" names the grades whose staff count as senior managers (indicator 9)
# when the workforce extract has no senior_manager column; each must also be
# listed in "order".
#[grades]
#order = ["G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "G10", "G11", "G12", "Director"]
#senior = ["G12", "Director"]

# Grades in clusters: every indicator broken down by grade is also broken down
# by these bands (a grade in no band is a band of its own). Small groups that
# must be withheld grade by grade can often be published for a cluster.
#[grades.bands]
#"G1-G4" = ["G1", "G2", "G3", "G4"]
#"G5-G8" = ["G5", "G6", "G7", "G8"]
#"G9 and above" = ["G9", "G10", "G11", "G12", "Director"]

# ---------------------------------------------------------------------------
# Community benchmark for indicator 9: each broad ethnic group's share of the
# local population, from 0 to 1 (Census 2021 for England and Wales shown).
# Give any of the five; when all five are given they must add up to 1
# (within 0.005).
#[population]
#white = 0.817
#asian = 0.093
#black = 0.040
#mixed = 0.029
#other = 0.021

# ---------------------------------------------------------------------------
# Your HR system's column headers, where they differ from wres's names.
# One table per extract ([columns.workforce], [columns.recruitment], ...);
# on the left wres's name, on the right your header. Headers match ignoring
# case and surrounding spaces. wres's names for each extract:
"""

_FILES_ONWARDS = """\
#[columns.workforce]
#staff_id = "Employee Number"
#ethnicity = "Ethnic Origin"
#grade = "Pay Grade"
#start_date = "Date Started"

# ---------------------------------------------------------------------------
# How to read an extract's file, where wres should not guess. One table per
# extract ([files.workforce], [files.survey], ...).
#   path         the file, when it is not named after the extract (default:
#                workforce.csv, .xlsx, .xls, .ods or .parquet), relative to
#                the data folder
#   sheet        workbooks: the sheet to read (default: the first sheet whose
#                first 20 rows hold the headers wres looks for)
#   header_row   the row the headers are in, counting from 1 (default: found
#                among the first 20 rows, below any title rows)
#   skip_footer  rows at the end to ignore, such as a totals line (default 0)
#   encoding     .csv: the text encoding (default: detects UTF-8, UTF-8 with a
#                byte-order mark, or cp1252, the usual Windows encoding)
#   delimiter    .csv: ",", ";", "\\t" (tab) or "|" (default: detected)
#[files.workforce]
#path = "ESR Staff In Post.xlsx"
#sheet = "Staff"
#header_row = 3
#skip_footer = 1
#encoding = "cp1252"
#delimiter = ";"

# ---------------------------------------------------------------------------
# The workforce extract. "one_row_per": "person" (the default) or
# "assignment", for an export with a row per post a person holds (ESR): then
# the primary_assignment column (yes/no) says which row is the person's, and
# the others are left out. "exclude_contract_types": rows whose contract_type
# is one of these (ignoring case and spaces) are left out: WRES counts staff
# employed directly, not bank or agency workers. Both are counted in data
# quality and shown by "wres validate".
#[workforce]
#one_row_per = "assignment"
#exclude_contract_types = ["Bank", "Agency"]

# ---------------------------------------------------------------------------
# A disciplinary case, referral or training record about someone who is not
# in the workforce extract (after the exclusions above, e.g. a bank worker):
# "error" (the default) stops the run; "exclude" leaves such rows out and
# counts them in data quality.
#[links]
#unmatched = "exclude"

# ---------------------------------------------------------------------------
# Values to report under another name, applied before anything is checked:
# your system's value on the left (matched ignoring case and spaces), the
# value to use on the right. Grades and staff groups also match [grades]
# order ignoring case and spaces ("band 5 " is "Band 5"), so only real
# renamings are needed here.
#[values.staff_group]
#"Nursing and Midwifery Registered" = "Clinical"
#"Admin and Clerical" = "Non-clinical"

#[values.grade]
#"Grade 12" = "G12"

# ---------------------------------------------------------------------------
# Ethnicity values your HR system uses that wres does not already recognise,
# each mapped to an ONS 2021 category code or a broad group code: "white",
# "asian", "black", "mixed", "other" or "unknown". An unrecognised value is an
# error, never a guess. Quote values that contain spaces or dots.
#[ethnicity]
#"WBRI" = "white"
#"Other - Kurdish" = "other"

# ---------------------------------------------------------------------------
# Where Chinese ethnicity is counted: "asian" (the default, as in the 2021
# Census) or "other" (as in the 2001 Census and the NHS code list).
#[classification]
#chinese = "asian"

# ---------------------------------------------------------------------------
# Small numbers: a published count from 1 to threshold - 1 is withheld, and
# so is any figure it could be worked out from. Default 10.
#[suppression]
#threshold = 10
#public = ["9"]            # indicators to publish unsuppressed (NHS 9a, 9b always are)

# ---------------------------------------------------------------------------
# The ethnicity pay gap, written when a pay extract (pay.csv: staff_id,
# hourly_pay, bonus_pay, full_pay) is given: staff in post on the snapshot
# date on full pay. Default: the period end; it must lie in the period.
#[pay]
#snapshot = 2026-03-31

# ---------------------------------------------------------------------------
# Measures of your own (docs/local-measures.md): a folder of indicator files,
# relative to this file, e.g. from examples/local-indicators. They may read
# survey questions of your own and the promotions and programmes extracts
# (promotions: staff_id, date, promotion_id, to_grade; programmes: staff_id,
# programme, start_date, role, place_id).
#[indicators]
#local = "local-indicators"

# ---------------------------------------------------------------------------
# Display text for each group in reports (machine output always uses the codes
# minority, white, asian, black, mixed, other, unknown). Defaults shown;
# minority defaults to "BME" when standard = "nhs".
#[labels]
#minority = "Minority ethnic"
#white = "White"
#asian = "Asian"
#black = "Black"
#mixed = "Mixed"
#other = "Other"
#unknown = "Unknown"
"""


STANDARDS = ("social-care", "nhs")

#: The extract each standard's templates leave out: the two survey extracts are
#: alternatives (giving both is an error), and trusts hold the published breakdown.
_NOT_TEMPLATED = {"social-care": "survey_summary", "nhs": "survey"}
#: Extracts only local measures read (methodology section 8): not templated, so a
#: new data folder holds what the standard needs; docs/local-measures.md has them.
_LOCAL_EXTRACTS = ("promotions", "programmes")

AFC_BANDS = ("Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a",
             "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM")

#: The usual ESR staff groups and the three categories of NHS indicator 1.
ESR_STAFF_GROUPS = (
    ("Add Prof Scientific and Technic", "Clinical"),
    ("Additional Clinical Services", "Clinical"),
    ("Allied Health Professionals", "Clinical"),
    ("Healthcare Scientists", "Clinical"),
    ("Nursing and Midwifery Registered", "Clinical"),
    ("Administrative and Clerical", "Non-clinical"),
    ("Admin and Clerical", "Non-clinical"),
    ("Estates and Ancillary", "Non-clinical"),
    ("Students", "Non-clinical"),
    ("Medical and Dental", "Medical and dental"),
)


def extracts_for(standard: str) -> list[str]:
    """The extracts ``wres init`` writes a template for."""
    return [name for name in EXTRACTS
            if name != _NOT_TEMPLATED[standard] and name not in _LOCAL_EXTRACTS]


def _canonical_columns(standard: str = "social-care") -> str:
    """One comment line per extract naming its canonical columns, from the contract,
    so the template cannot fall behind it."""
    lines = (textwrap.fill(", ".join(EXTRACTS[name].column_names), width=79,
                           initial_indent=f"#   {name}: ", subsequent_indent="#       ")
             for name in extracts_for(standard))
    return "".join(line + "\n" for line in lines)


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f'"{v}"' for v in values)


_NHS_GRADES = f"""\
# Agenda for Change bands, lowest to highest; every grade in the data must be
# one of these (matched ignoring case and spaces: "band 8A" is "Band 8a").
# Map other spellings in [values.grade]. "senior" is not used by the NHS WRES
# (indicator 9 compares the board with the workforce).
[grades]
order = [
    {_quoted(AFC_BANDS[:7])},
    {_quoted(AFC_BANDS[7:])},
]

# Bands in clusters: every indicator broken down by grade is also broken down
# by these (a band in no cluster is reported on its own). With 14 bands, many
# hold too few BME staff to publish; clusters often can be.
#[grades.bands]
#"Bands 1-4" = ["Band 1", "Band 2", "Band 3", "Band 4"]
#"Bands 5-7" = ["Band 5", "Band 6", "Band 7"]
#"Band 8a and above" = ["Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM"]
"""

_NHS_STAFF_GROUPS = """\
# ---------------------------------------------------------------------------
# Indicator 1 reports clinical and non-clinical staff (and medical and dental)
# separately: the ESR staff groups mapped onto those three categories. Values
# match ignoring case and spaces; add any staff group your export uses.
[values.staff_group]
""" + "".join(f'"{raw}" = "{category}"\n' for raw, category in ESR_STAFF_GROUPS) + """
#[values.grade]
#"Band 8A" = "Band 8a"
"""


def config_template(standard: str = "social-care") -> str:
    """A fully commented ``wres.toml`` (it loads as the defaults); for ``nhs``, a
    trust's: the NHS standard, Agenda for Change bands and ESR staff groups set,
    band clusters as a commented example, the survey as a published breakdown."""
    text = _HEAD + _canonical_columns(standard) + _FILES_ONWARDS
    if standard != "nhs":
        return text
    start = text.index("#[grades]")
    start = text.rindex("# ---", 0, start)
    end = text.index("# ---", text.index("#[grades.bands]"))
    text = text[:start] + "# " + "-" * 75 + "\n" + _NHS_GRADES + "\n" + text[end:]
    start = text.rindex("# ---", 0, text.index("#[values.staff_group]"))
    end = text.index("# ---", text.index("#[values.grade]"))
    text = text[:start] + _NHS_STAFF_GROUPS + "\n" + text[end:]
    return (text.replace('#organisation = "Northmoor Borough Council"',
                         '#organisation = "Northmoor NHS Foundation Trust"')
            .replace('#standard = "social-care"', 'standard = "nhs"')
            .replace("#   survey_summary:", _SURVEY_SUMMARY_NOTE + "#   survey_summary:"))


_SURVEY_SUMMARY_NOTE = """\
#   (survey_summary: the staff survey's WRES breakdown as the trust receives
#   it, one row per question and group: question is harassment_public,
#   harassment_staff, equal_opportunities or discrimination; group is White or
#   BME (or asian, black, mixed, other); respondents the base size; percent
#   (0-100) or yes (a count). A survey_summary.csv template is written beside
#   this file. Give survey.csv instead only if you hold respondent-level data.)
"""


def template_csv(extract: str) -> str:
    """The header row of an extract's template: its canonical columns, in contract order."""
    return ",".join(EXTRACTS[extract].column_names) + "\n"


def init_paths(directory: Path, standard: str = "social-care") -> list[Path]:
    """The files ``wres init`` writes, in the order it writes them."""
    return [directory / CONFIG_NAME,
            *(directory / f"{name}.csv" for name in extracts_for(standard))]


def write_init(directory: Path, *, force: bool = False,
               standard: str = "social-care") -> list[Path]:
    """Write ``wres.toml`` and ``<extract>.csv`` (header only) into ``directory``.

    Without ``force``, refuses before writing anything when any of the files
    exists, so a half-initialised folder is never left behind.
    """
    if standard not in STANDARDS:
        raise UsageError(f"unknown standard {standard!r}: choose social-care or nhs")
    paths = init_paths(directory, standard)
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        listed = "\n".join(f"  {p}" for p in existing)
        raise UsageError(f"not overwriting files that already exist (use --force to "
                         f"overwrite them):\n{listed}")
    contents = [config_template(standard),
                *(template_csv(name) for name in extracts_for(standard))]
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for path, text in zip(paths, contents, strict=True):
            # newline="\n": the same bytes on every platform, as for every file wres writes.
            path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UsageError(f"cannot write into {directory}: {exc}") from exc
    return paths
