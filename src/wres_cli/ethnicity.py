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


@dataclass(frozen=True)
class Classification:
    """``category`` and ``group`` are categoricals aligned to the input index.

    ``unrecognised`` lists values no form or override matched (columns
    ``value, count, first_row``); their rows read ``unknown`` in ``category``
    and ``group`` and the caller reports them as errors.
    """

    category: pd.Series
    group: pd.Series
    unrecognised: pd.DataFrame


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
    category_of_unique = pd.Categorical(
        [lookup.get(key) for key in keys], categories=_CATEGORY_VALUES
    ).codes
    category_codes = _category_codes_per_row(row_codes, category_of_unique)
    group_codes = _group_codes_by_category(chinese)[category_codes]
    index = raw.index
    return Classification(
        category=_categorical(category_codes, _CATEGORY_VALUES, index, "category"),
        group=_categorical(group_codes, BROAD_GROUPS, index, "group"),
        unrecognised=_unrecognised(raw, row_codes, keys, category_of_unique < 0),
    )


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
