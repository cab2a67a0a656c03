"""Finding an extract's file, its sheet, its header row and its footer.

Real HR exports are not tidy (contracts sections 1 and 2): ESR names its file
"ESR Staff In Post.xlsx", puts report parameters on the first sheet and title
rows above the headers, and ends with a totals line. ``[files.<extract>]``
says where things are (``path``, ``sheet``, ``header_row``, ``skip_footer``);
where it does not, wres looks:

* the file: ``<extract>.<suffix>`` in the data folder, matched ignoring case;
* the sheet: the first whose first 20 rows hold the extract's mapped headers;
* the header row: the first of the first 20 rows that holds every required
  header (else the row holding most of the headers wres looks for).

Nothing here reads a whole file: the format readers hand over the first rows
of each sheet as text. Problems name the file, the sheets and the rows found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from wres_cli import problem_rules as rules
from wres_cli.config import HEADER_SEARCH_ROWS, Config, FileHints
from wres_cli.contract import EXTRACTS, FILE_SUFFIXES, extract_spec
from wres_cli.errors import UsageError
from wres_cli.problems import Problems

#: How many names a message lists before abbreviating.
_NAMES_SHOWN = 12
_HEADERS_SHOWN = 8


def header_key(header: str) -> str:
    """Headers match ignoring case and surrounding spaces (contracts section 1)."""
    return header.strip().lstrip("\ufeff").strip().casefold()


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class FoundFiles:
    """Each extract's file; the files of the folder that were not read; the
    extracts whose file is the subject of a problem (two files, a bad ``path``)."""

    files: dict[str, Path]
    skipped: list[str]
    troubled: frozenset[str] = frozenset()


def extract_files(data_dir: Path, config: Config | None = None) -> tuple[FoundFiles, Problems]:
    """The file of each extract: ``[files.<extract>] path`` when given, else the
    file named after the extract. Two files named after one extract are a problem
    and neither is returned; a ``path`` that names no file is a problem listing
    the files there. A missing folder is a usage error, not a data problem."""
    problems = Problems()
    entries = _entries(data_dir)
    given = {name: hints.path for name, hints in (config.files if config else {}).items()
             if hints.path}
    files: dict[str, Path] = {}
    troubled: set[str] = set()
    for name, wanted in given.items():
        path = _resolve(data_dir, wanted, config)
        if path is None:
            troubled.add(name)
            problems.file_problem(wanted, rules.FILE_NOT_FOUND, rules.FILE_NOT_FOUND.message(
                name=name, wanted=wanted, folder=data_dir,
                files=names_text([p.name for p in entries])))
        elif path.suffix.casefold() not in FILE_SUFFIXES:
            troubled.add(name)
            problems.file_problem(path.name, rules.UNSUPPORTED_FORMAT,
                                  rules.UNSUPPORTED_FORMAT.message(name=name, file=path.name,
                                                                   suffixes=_suffixes()))
        else:
            files[name] = path
    named: dict[str, list[Path]] = {}
    for path in entries:
        name, suffix = path.stem.casefold(), path.suffix.casefold()
        if name in EXTRACTS and name not in given and suffix in FILE_SUFFIXES:
            named.setdefault(name, []).append(path)
    for name, paths in named.items():
        if len(paths) == 1:
            files[name] = paths[0]
            continue
        shown = ", ".join(p.name for p in paths)
        troubled.add(name)
        problems.file_problem(shown, rules.DUPLICATE_FILE, rules.DUPLICATE_FILE.message(
            count=len(paths), name=name, files=shown))
    used = {p.resolve() for p in files.values()}
    skipped = [p.name for p in entries if p.resolve() not in used
               and p.name.casefold() != "wres.toml" and not p.name.startswith(".")]
    return FoundFiles(files=files, skipped=skipped, troubled=frozenset(troubled)), problems


def _entries(data_dir: Path) -> list[Path]:
    if not data_dir.is_dir():
        raise UsageError(f"data folder not found: {data_dir}")
    try:
        return sorted(p for p in data_dir.iterdir() if p.is_file())
    except OSError as exc:
        raise UsageError(f"cannot list the data folder {data_dir}: {exc.strerror}") from exc


def _resolve(data_dir: Path, wanted: str, config: Config | None) -> Path | None:
    """``path`` relative to the data folder; failing that, to the config file's folder
    (the two are usually the same folder)."""
    folders = [data_dir]
    if config is not None and config.source is not None:
        folders.append(config.source.parent)
    for folder in folders:
        candidate = folder / wanted
        if candidate.is_file():
            return candidate
    return None


def _suffixes() -> str:
    return ", ".join(FILE_SUFFIXES)


def names_text(names: Sequence[str], limit: int = _NAMES_SHOWN) -> str:
    """Names quoted and listed, abbreviated past ``limit``."""
    if not names:
        return "(none)"
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def skipped_files_hint(name: str, skipped: Sequence[str]) -> str:
    """For a missing extract: the files that were not read, and how to name one."""
    readable = [s for s in skipped if Path(s).suffix.casefold() in FILE_SUFFIXES]
    if not skipped:
        return ""
    hint = f"; files in the folder that were not read: {names_text(list(skipped))}"
    if readable:
        # Name a file only when its name says what it holds; else a placeholder.
        words = _NAME_WORDS.get(name, (name.replace("_", " "),))
        likely = [f for f in readable if any(w in f.casefold() for w in words)]
        example = likely[0] if len(likely) == 1 else "the file name"
        hint += (f" (if one of them is the {name} extract, name it in wres.toml: "
                 f"[files.{name}] path = \"{example}\")")
    return hint


#: Words in a file's name that say which extract it is, for the hint above.
_NAME_WORDS = {
    "workforce": ("workforce", "staff", "employee", "in post", "personnel", "people"),
    "training": ("training", "cpd", "learning", "course"),
    "disciplinary": ("disciplinary", "casework", "conduct"),
}


# --------------------------------------------------------------------------- headers


@dataclass(frozen=True)
class HeaderWanted:
    """The header keys wres looks for in one extract's file."""

    required: frozenset[str]
    any: frozenset[str]
    shown: tuple[str, ...]


def headers_wanted(extract: str, config: Config) -> HeaderWanted:
    spec, mapping = extract_spec(extract, config.extra_columns), config.column_map(extract)
    required = [mapping.get(c.name, c.name) for c in spec.columns if c.required]
    every = [mapping.get(c.name, c.name) for c in spec.columns]
    return HeaderWanted(required=frozenset(header_key(h) for h in required),
                        any=frozenset(header_key(h) for h in every),
                        shown=tuple(required))


def _score(row: Sequence[str], wanted: HeaderWanted) -> tuple[bool, int]:
    keys = {header_key(cell) for cell in row if cell.strip()}
    return wanted.required <= keys, len(keys & wanted.any)


@dataclass(frozen=True)
class HeaderFound:
    """Where the headers are: 0-based row index; whether every required header is there."""

    index: int
    complete: bool
    hits: int


def find_header(rows: Sequence[Sequence[str]], wanted: HeaderWanted) -> HeaderFound | None:
    """The header among the first rows: the first holding every required header,
    else the one holding most headers wres looks for, else the first non-empty row;
    None when every row is empty."""
    best: HeaderFound | None = None
    first_filled = None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if not any(cell.strip() for cell in row):
            continue
        if first_filled is None:
            first_filled = i
        complete, hits = _score(row, wanted)
        if complete:
            return HeaderFound(i, True, hits)
        if hits and (best is None or hits > best.hits):
            best = HeaderFound(i, False, hits)
    if best is not None:
        return best
    return None if first_filled is None else HeaderFound(first_filled, False, 0)


def given_header(rows: Sequence[Sequence[str]], header_row: int, wanted: HeaderWanted,
                 where: str, name: str, problems: Problems, file: str) -> int | None:
    """``header_row`` (1-based) as a 0-based index, or None (with a problem) when that
    row holds none of the headers wres looks for."""
    index = header_row - 1
    row = rows[index] if index < len(rows) else []
    if _score(row, wanted)[1]:
        return index
    found = find_header(rows, wanted)
    held = [c for c in row if c.strip()]
    found_text = ""
    if found is not None and found.hits:
        found_text = (f". The headers are in row {found.index + 1}: set header_row = "
                      f"{found.index + 1}, or leave it out for wres to find them")
    problems.file_problem(file, rules.WRONG_HEADER_ROW, rules.WRONG_HEADER_ROW.message(
        name=name, row=header_row, where=where, wanted=names_text(wanted.shown, _HEADERS_SHOWN),
        held=names_text(held, _HEADERS_SHOWN) if held else "nothing", found=found_text))
    return None


# --------------------------------------------------------------------------- sheets


#: The first rows of a sheet, as text (a reader's function of the sheet's name).
FirstRows = Callable[[str], list[list[str]]]


@dataclass(frozen=True)
class SheetFound:
    sheet: str
    header_index: int


def choose_sheet(names: Sequence[str], first_rows: FirstRows, hints: FileHints,
                 wanted: HeaderWanted, name: str, file: str,
                 problems: Problems) -> SheetFound | None:
    """The sheet and header row to read, or None with a problem naming the sheets."""
    if not names:
        problems.file_problem(file, rules.NO_SHEETS, rules.NO_SHEETS.message(file=file))
        return None
    if hints.sheet is not None:
        sheet = _named_sheet(names, hints.sheet, file, problems)
        if sheet is None:
            return None
        return _header_in(sheet, first_rows(sheet), hints, wanted, name, file, problems,
                          len(names))
    # No sheet named: the first whose first rows hold every required header.
    probed: dict[str, list[list[str]]] = {}
    for sheet in names:
        rows = probed[sheet] = first_rows(sheet)
        if hints.header_row is not None:
            index = hints.header_row - 1
            if index < len(rows) and _score(rows[index], wanted)[0]:
                return SheetFound(sheet, index)
            continue
        found = find_header(rows, wanted)
        if found is not None and found.complete:
            return SheetFound(sheet, found.index)
    # None has them all: the sheet with most of them, so the messages about
    # missing columns are about the likeliest sheet; the first sheet if none.
    best = max(names, key=lambda s: _best_hits(probed[s], wanted))
    if not _best_hits(probed[best], wanted):
        best = names[0]
    return _header_in(best, probed[best], hints, wanted, name, file, problems, len(names))


def _best_hits(rows: list[list[str]], wanted: HeaderWanted) -> int:
    found = find_header(rows, wanted)
    return found.hits if found is not None else 0


def _header_in(sheet: str, rows: list[list[str]], hints: FileHints, wanted: HeaderWanted,
               name: str, file: str, problems: Problems, sheets: int) -> SheetFound | None:
    where = sheet_text(sheet, file, sheets)
    if hints.header_row is not None:
        index = given_header(rows, hints.header_row, wanted, where, name, problems, file)
        return None if index is None else SheetFound(sheet, index)
    found = find_header(rows, wanted)
    if found is None:
        return SheetFound(sheet, len(rows))  # empty: the reader says so
    return SheetFound(sheet, found.index)


def sheet_text(sheet: str, file: str, sheets: int = 1) -> str:
    return f"sheet {sheet!r} of {file}" if sheets > 1 else f"{file} (sheet {sheet!r})"


def _named_sheet(names: Sequence[str], wanted: str, file: str, problems: Problems) -> str | None:
    matches = [n for n in names if n == wanted] or [
        n for n in names if n.strip().casefold() == wanted.strip().casefold()]
    if matches:
        return matches[0]
    problems.file_problem(file, rules.MISSING_SHEET, rules.MISSING_SHEET.message(
        file=file, sheet=wanted, sheets=names_text(list(names))))
    return None


# --------------------------------------------------------------------------- footers


def footer_positions(filled: Sequence[bool], skip: int) -> list[int]:
    """Positions of the last ``skip`` rows that hold anything (a totals line, a
    "report run on" line): blank rows between them and the data do not count."""
    positions = [i for i, has in enumerate(filled) if has]
    return positions[len(positions) - skip:] if skip else []
