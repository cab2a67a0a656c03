"""Ethnicity: raw HR values -> ONS 2021 category -> broad group -> WRES side.

The spellings live in data files users can read (``data/ethnicity_forms.csv``
and ``data/ons_2021_categories.csv``, explained in docs/ethnicity.md); this
module only expands and matches them. Classification works per distinct value
and maps back with integer codes, so its cost barely grows with the row count.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from wres_cli.contract import BROAD_GROUPS, MINORITY_GROUPS
from wres_cli.errors import ConfigError
from wres_cli.problem_rules import UNKNOWN_ETHNICITY
from wres_cli.resources import data_file

CATEGORY_CODES: tuple[str, ...] = (
    "white_british", "irish", "gypsy_irish_traveller", "roma", "white_other",
    "mixed_white_black_caribbean", "mixed_white_black_african", "mixed_white_asian",
    "mixed_other",
    "indian", "pakistani", "bangladeshi", "chinese", "asian_other",
    "caribbean", "african", "black_other",
    "arab", "other_ethnic_group",
    "unknown",
)

#: Every value the ``category`` series can hold: a category, or a broad group
#: alone when a form (or a config override) names the group but not the category.
_CATEGORY_VALUES: tuple[str, ...] = CATEGORY_CODES + tuple(
    g for g in BROAD_GROUPS if g not in CATEGORY_CODES
)
_SIDES: tuple[str, ...] = ("white", "minority", "unknown")
_CHINESE_GROUPS = ("asian", "other")

# Typographic variants that spreadsheets and HR systems substitute silently.
_TYPOGRAPHY = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
})
_SPACES = re.compile(r"\s+")
# A heading may be joined to its category by ":" or a dash, spaced or not, so
# all of these become one canonical separator in the matching key.
_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s*[:\-]+\s*"), " - "),
    (re.compile(r"\s*/\s*"), "/"),
    (re.compile(r"\s*,\s*"), ", "),
    (re.compile(r"\s*&\s*"), " and "),
)


# --------------------------------------------------------------------------- matching keys
# These run once per DISTINCT value (an HR column has a few dozen), never per row.


def normalise(values: pd.Series) -> pd.Series:
    """The text used for matching: casefolded, straight quotes, ``-`` for every
    dash, runs of spaces collapsed, stripped. NA stays NA; index is kept.

    (Matching also treats ``:`` and ``-`` between words alike; see ``_key``.)"""
    codes, uniques = pd.factorize(values)
    normalised = np.array([_normalise_one(v) for v in uniques] + [None], dtype=object)
    # code -1 (NA) picks the appended None
    return pd.Series(normalised[codes], index=values.index, name=values.name, dtype="str")


def _normalise_one(value: Any) -> str:
    text = _to_text(value).casefold().translate(_TYPOGRAPHY)
    return _SPACES.sub(" ", text).strip()


def _key(value: Any) -> str:
    """The matching key: normalised, and separators between words made uniform."""
    text = _normalise_one(value)
    for pattern, replacement in _KEY_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


def _to_text(value: Any) -> str:
    # Excel and CSV readers turn codes such as 99 into numbers; read them back
    # as the digits a person typed, not "99.0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- the tables


@lru_cache(maxsize=1)
def _categories() -> pd.DataFrame:
    table = pd.read_csv(data_file("ons_2021_categories.csv"), dtype=str, keep_default_na=False)
    valid = tuple(table["code"]) == CATEGORY_CODES[:-1] and table["group"].isin(BROAD_GROUPS).all()
    if not valid:
        raise RuntimeError("ons_2021_categories.csv does not match ethnicity.CATEGORY_CODES")
    return table


def _group_of(chinese: str) -> dict[str, str]:
    """Category (or group code) -> broad group, with Chinese placed as asked."""
    table = _categories()
    groups = dict(zip(table["code"], table["group"], strict=True))
    groups["chinese"] = chinese
    groups.update({g: g for g in BROAD_GROUPS})
    return groups


@lru_cache(maxsize=1)
def _forms() -> pd.DataFrame:
    """Every recognised form (as a person would write it) with its matching key."""
    table = pd.read_csv(data_file("ethnicity_forms.csv"), dtype=str, keep_default_na=False)
    alone = table.loc[table["kind"].isin(["exact", "label", "heading"]), ["form", "category"]]
    forms = pd.concat([alone, _heading_combinations(table)], ignore_index=True)
    forms["key"] = [_key(form) for form in forms["form"]]
    _check_consistent(forms)
    return forms.drop_duplicates("key", ignore_index=True)


def _heading_combinations(table: pd.DataFrame) -> pd.DataFrame:
    """``Heading: Label`` for each heading and each label of the heading's group.

    Groups follow the 2021 census (Chinese under Asian) whatever the Chinese
    switch says: the switch moves the category, not the spellings.
    """
    census_group = _group_of("asian")
    heads = table.loc[table["kind"].isin(["heading", "prefix"]), ["form", "category"]]
    labels = table.loc[table["kind"].isin(["label", "sublabel"]), ["form", "category"]]
    labels = labels.assign(group=labels["category"].map(census_group))
    pairs = heads.merge(labels, left_on="category", right_on="group", suffixes=("_head", ""))
    return pd.DataFrame({
        "form": pairs["form_head"] + ": " + pairs["form"],
        "category": pairs["category"],
    })


def _check_consistent(forms: pd.DataFrame) -> None:
    unknown = set(forms["category"]) - set(_CATEGORY_VALUES)
    clashes = forms.groupby("key")["category"].nunique()
    clashes = clashes[clashes > 1]
    if unknown or len(clashes):
        raise RuntimeError(
            f"ethnicity_forms.csv is inconsistent: unknown categories {sorted(unknown)}, "
            f"forms with two meanings {list(clashes.index)}"
        )


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    forms = _forms()
    lookup = dict(zip(forms["key"], forms["category"], strict=True))
    lookup[""] = "unknown"  # a blank cell means the person did not say
    return lookup


def known_forms() -> pd.DataFrame:
    """Every recognised raw form (columns ``form, category, group``), Chinese under
    Asian. ``Heading: Label`` rows also match with ``-`` or a dash."""
    forms = _forms()
    groups = _group_of("asian")
    return pd.DataFrame({
        "form": forms["form"],
        "category": forms["category"],
        "group": forms["category"].map(groups),
    })


# --------------------------------------------------------------------------- config overrides


def _resolve_extra(extra: Mapping[str, str] | None) -> dict[str, str]:
    """Config ``[ethnicity]`` -> matching key -> category (or group code)."""
    resolved: dict[str, str] = {}
    spelled: dict[str, str] = {}
    for raw, target in (extra or {}).items():
        key = _key(str(raw))
        if not key:
            raise ConfigError(f'[ethnicity] "{raw}": a blank value always means not stated')
        category = _resolve_target(raw, target)
        if key in resolved and resolved[key] != category:
            raise ConfigError(
                f'[ethnicity] "{spelled[key]}" and "{raw}" are the same value once case, '
                f"spaces and dashes are ignored, but map to different targets"
            )
        resolved[key], spelled[key] = category, str(raw)
    return resolved


def _resolve_target(raw: str, target: Any) -> str:
    if isinstance(target, str):
        key = _key(target)
        if key in _CATEGORY_VALUES:
            return key
        known = _lookup().get(key)
        if known is not None:
            return known
    close = difflib.get_close_matches(_key(str(target)), _CATEGORY_VALUES, n=3, cutoff=0.7)
    hint = (
        f"did you mean {' or '.join(f'{c!r}' for c in close)}?" if close
        else f"broad groups: {', '.join(BROAD_GROUPS)}; categories: see docs/ethnicity.md"
    )
    raise ConfigError(
        f'[ethnicity] "{raw}" = "{target}": not an ONS 2021 category or broad group code '
        f"({hint})"
    )


# --------------------------------------------------------------------------- classification


# --------------------------------------------------------------------------- NHS codes
# The NHS ethnic category is two characters: a national code letter and a
# character for local use (C3 Other White, CP Polish, LH British Asian), which
# ESR writes with a label: "C3 White - Any other White background". Such a
# value is read by its first letter (methodology section 4), unless its label
# names a heading that says otherwise: then it is an error, never a guess.

_NATIONAL_LETTERS = frozenset("ABCDEFGHJKLMNPRSZ")
_CODE_FORM = re.compile(r"(?P<code>[A-Z][A-Z0-9]?)(?:(?:\s+|\s*[-:]\s*)(?P<label>\S.*))?")
#: Two-letter words that start values ("NO RESPONSE") rather than being codes.
_NOT_CODES = frozenset({"NO", "SO", "AS", "AT", "AN", "BE", "BY", "DO", "GO", "HE", "ME", "MY",
                        "AM"})
#: The heading a label starts with -> the letters it agrees with.
_HEADING_LETTERS: dict[str, frozenset[str]] = {
    "white": frozenset("ABC"), "mixed": frozenset("DEFG"), "asian": frozenset("HJKLR"),
    "black": frozenset("MNP"), "chinese": frozenset("R"), "other": frozenset("RS"),
    "arab": frozenset("S"), "not stated": frozenset("Z"), "not known": frozenset("Z"),
}
_HEADING_START = re.compile(r"(?:any other )?(?P<heading>white|mixed|asian|black|chinese|other|"
                            r"arab|not stated|not known)\b")
_MIXED_LABEL = re.compile(r"(?:white|black|asian) and ")


def _letter_category(letter: str) -> str:
    return _lookup()[_key(letter)]


def _label_heading(label: str) -> str | None:
    """The heading a label names: the group of a label wres knows, else its first
    heading word ("Asian - British Asian": asian)."""
    key = _key(label)
    known = _lookup().get(key)
    if known is not None:
        if known == "chinese":
            return "chinese"
        return "not stated" if known == "unknown" else _group_of("asian")[known]
    text = _normalise_one(label)
    if _MIXED_LABEL.match(text):
        return "mixed"
    match = _HEADING_START.match(text)
    return match["heading"] if match else None


def nhs_code(value: Any) -> tuple[str | None, str | None]:
    """``(category, None)`` for a value read by its NHS code letter, ``(None, message)``
    for one whose label contradicts its letter, ``(None, None)`` for neither."""
    text = _SPACES.sub(" ", _to_text(value).translate(_TYPOGRAPHY)).strip()
    match = _CODE_FORM.fullmatch(text)
    if match is None or match["code"][0] not in _NATIONAL_LETTERS:
        return None, None
    code, label = match["code"], match["label"]
    if len(code) == 2 and code in _NOT_CODES:
        return None, None
    letter = code[0]
    if label is not None:
        heading = _label_heading(label)
        if heading is not None and letter not in _HEADING_LETTERS[heading]:
            meaning = _categories().set_index("nhs_code").get("label", pd.Series()).get(letter)
            means = f"{meaning} ({_group_of('asian')[_letter_category(letter)]})" if isinstance(
                meaning, str) else "not stated"
            return None, (f"the code {code} means {means}, but the label {label!r} says "
                          f"{heading}: correct the value, or map it in wres.toml under "
                          "[ethnicity]; wres will not guess which is right")
    return _letter_category(letter), None


@dataclass(frozen=True)
class Classification:
    """``category`` and ``group`` are categoricals aligned to the input index.

    ``unrecognised`` lists values no form or override matched (columns
    ``value, count, first_row``); ``contradicted`` the NHS-coded values whose
    label contradicts their code (the same columns and ``message``). Their rows
    read ``unknown`` in ``category`` and ``group`` and the caller reports them
    as errors.
    """

    category: pd.Series
    group: pd.Series
    unrecognised: pd.DataFrame
    contradicted: pd.DataFrame | None = None


def classify(
    raw: pd.Series, *, extra: Mapping[str, str] | None = None, chinese: str = "asian"
) -> Classification:
    """Classify a raw ethnicity column. ``extra`` (config ``[ethnicity]``) wins over
    the built-in forms; ``chinese`` places category ``chinese`` under ``asian``
    (2021 census, the default) or ``other`` (2001 census, NHS code list)."""
    if chinese not in _CHINESE_GROUPS:
        raise ConfigError(f'[classification] chinese = "{chinese}": must be "asian" or "other"')
    overrides = _resolve_extra(extra)
    row_codes, uniques = pd.factorize(raw)
    keys = [_key(value) for value in uniques]
    lookup = _lookup() | overrides
    matched = [lookup.get(key) for key in keys]
    contradictions: dict[int, str] = {}
    for i, category in enumerate(matched):
        if category is None:  # a few distinct values at most: one Python call each
            matched[i], message = nhs_code(uniques[i])
            if message is not None:
                contradictions[i] = message
    category_of_unique = pd.Categorical(matched, categories=_CATEGORY_VALUES).codes
    contradicted = np.zeros(len(keys), dtype=bool)
    contradicted[list(contradictions)] = True
    category_codes = _category_codes_per_row(row_codes, category_of_unique)
    group_codes = _group_codes_by_category(chinese)[category_codes]
    index = raw.index
    return Classification(
        category=_categorical(category_codes, _CATEGORY_VALUES, index, "category"),
        group=_categorical(group_codes, BROAD_GROUPS, index, "group"),
        unrecognised=_unrecognised(raw, row_codes, keys, (category_of_unique < 0) & ~contradicted),
        contradicted=_contradicted(raw, row_codes, keys, contradicted, contradictions),
    )


def _contradicted(raw: pd.Series, row_codes: np.ndarray, keys: list[str], bad: np.ndarray,
                  messages: dict[int, str]) -> pd.DataFrame:
    table = _unrecognised(raw, row_codes, keys, bad)
    if not len(table):
        return table.assign(message=pd.Series(dtype="str"))
    by_value = {_to_text(v): messages[i] for i, v in enumerate(pd.factorize(raw)[1])
                if i in messages}
    return table.assign(message=[by_value.get(v, "") for v in table["value"]])


#: Heading words a suggested ``[ethnicity]`` mapping may use; anything else gets
#: the list of choices, never a default such as "other" (methodology section 4).
_SUGGESTIBLE = ("white", "mixed", "asian", "black", "chinese", "arab")
_CHOICES = ("white", "mixed", "asian", "black", "other", "unknown")


def suggested_mapping(value: str) -> str | None:
    """The target to suggest for an unrecognised value: the heading word it names
    (``mixed`` wins when it names several with it), else None."""
    words = set(re.findall(r"[a-z]+", _normalise_one(value)))
    named = [w for w in _SUGGESTIBLE if w in words]
    if "mixed" in named:
        return "mixed"
    return named[0] if len(named) == 1 else None


def unrecognised_message(value: str, count: int, first_row: object) -> str:
    """The message for a value no form matched, with a mapping to paste only when
    the value itself says which group it is."""
    where = f"{count} row{'s' if count != 1 else ''}, first at row {first_row}"
    target = suggested_mapping(value)
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    if target is not None:
        advice = f', e.g. "{quoted}" = "{target}" (check that is right)'
    else:
        choices = ", ".join(f'"{c}"' for c in _CHOICES)
        advice = (f' to the group it belongs to, "{quoted}" = one of {choices} (or an ONS '
                  "2021 category code); wres will not pick one for you")
    return UNKNOWN_ETHNICITY.message(where=where, advice=advice)


def _category_codes_per_row(row_codes: np.ndarray, of_unique: np.ndarray) -> np.ndarray:
    # NA rows (code -1) and unmatched values (-1) both read as "unknown".
    unknown = CATEGORY_CODES.index("unknown")
    lookup = np.append(of_unique, unknown).astype(np.int8)
    per_row = lookup[row_codes]  # row code -1 picks the appended "unknown"
    return np.where(per_row < 0, unknown, per_row).astype(np.int8)


def _group_codes_by_category(chinese: str) -> np.ndarray:
    """Position in BROAD_GROUPS of each value's group, indexed by category code."""
    groups = _group_of(chinese)
    return np.array([BROAD_GROUPS.index(groups[c]) for c in _CATEGORY_VALUES], dtype=np.int8)


def _categorical(codes: np.ndarray, categories: tuple[str, ...], index: pd.Index,
                 name: str) -> pd.Series:
    values = pd.Categorical.from_codes(codes, categories=list(categories))
    return pd.Series(values, index=index, name=name, copy=False)  # the codes are ours


def _unrecognised(raw: pd.Series, row_codes: np.ndarray, keys: list[str],
                  bad_unique: np.ndarray) -> pd.DataFrame:
    """One row per unmatched value (spellings differing only in case or spacing
    counted together), in order of first appearance."""
    empty = pd.DataFrame({"value": pd.Series(dtype="str"), "count": pd.Series(dtype="int64"),
                          "first_row": raw.index[:0]})
    if not bad_unique.any():
        return empty
    key_codes = pd.factorize(np.asarray(keys, dtype=object))[0]
    bad_rows = np.flatnonzero(np.append(bad_unique, False)[row_codes])
    per_row = pd.DataFrame({"key": key_codes[row_codes[bad_rows]], "position": bad_rows})
    summary = per_row.groupby("key", sort=False)["position"].agg(["first", "size"])
    first = summary["first"].to_numpy()
    return pd.DataFrame({
        "value": pd.Series([_to_text(v) for v in raw.iloc[first]], dtype="str"),
        "count": summary["size"].to_numpy(dtype="int64"),
        "first_row": raw.index[first],
    })


def minority_side(group: pd.Series) -> pd.Series:
    """Broad group -> WRES side: ``white``, ``minority`` (every known group but
    White) or ``unknown``. A categorical aligned to ``group``'s index."""
    side_of = {"white": "white", "unknown": "unknown"} | dict.fromkeys(MINORITY_GROUPS, "minority")
    row_codes, uniques = pd.factorize(group)
    stray = [g for g in uniques if g not in side_of]
    if stray:
        raise ValueError(f"not broad group codes: {stray}")
    # code -1 (NA) picks the appended "unknown"
    side_codes = np.array([_SIDES.index(side_of[g]) for g in [*uniques, "unknown"]],
                          dtype=np.int8)
    return _categorical(side_codes[row_codes], _SIDES, group.index, "side")
