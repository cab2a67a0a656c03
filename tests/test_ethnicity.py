"""Ethnicity classification (methodology.md section 4). Expected categories are
written out by hand from the NHS and ONS code lists, never read from the table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wres_cli.errors import ConfigError
from wres_cli.ethnicity import (
    CATEGORY_CODES,
    Classification,
    classify,
    known_forms,
    minority_side,
    normalise,
)


def one(value: object, **kwargs: object) -> tuple[str, str]:
    """(category, group) of a single raw value, which must be recognised."""
    result = classify(pd.Series([value], dtype=object), **kwargs)
    assert result.unrecognised.empty, f"{value!r} was not recognised"
    return str(result.category.iloc[0]), str(result.group.iloc[0])


def unrecognised_values(values: list[object]) -> list[str]:
    return list(classify(pd.Series(values, dtype=object)).unrecognised["value"])


# --------------------------------------------------------------------------- the constants


def test_category_codes_are_the_19_ons_categories_then_unknown() -> None:
    assert len(CATEGORY_CODES) == 20
    assert len(set(CATEGORY_CODES)) == 20
    assert CATEGORY_CODES[-1] == "unknown"
    assert {"white_british", "gypsy_irish_traveller", "roma", "arab", "chinese"} <= set(
        CATEGORY_CODES
    )


# --------------------------------------------------------------------------- NHS codes

NHS_CODES = {
    "A": ("white_british", "white"),
    "B": ("irish", "white"),
    "C": ("white_other", "white"),
    "D": ("mixed_white_black_caribbean", "mixed"),
    "E": ("mixed_white_black_african", "mixed"),
    "F": ("mixed_white_asian", "mixed"),
    "G": ("mixed_other", "mixed"),
    "H": ("indian", "asian"),
    "J": ("pakistani", "asian"),
    "K": ("bangladeshi", "asian"),
    "L": ("asian_other", "asian"),
    "M": ("caribbean", "black"),
    "N": ("african", "black"),
    "P": ("black_other", "black"),
    "R": ("chinese", "asian"),
    "S": ("other_ethnic_group", "other"),
    "Z": ("unknown", "unknown"),
    "99": ("unknown", "unknown"),
    "X": ("unknown", "unknown"),
}


@pytest.mark.parametrize(("code", "expected"), NHS_CODES.items())
def test_every_nhs_code(code: str, expected: tuple[str, str]) -> None:
    assert one(code) == expected
    assert one(code.lower()) == expected


NHS_LABELS = {
    "White - British": "white_british",
    "White - Irish": "irish",
    "White - Any other White background": "white_other",
    "Mixed - White and Black Caribbean": "mixed_white_black_caribbean",
    "Mixed - White and Black African": "mixed_white_black_african",
    "Mixed - White and Asian": "mixed_white_asian",
    "Mixed - Any other mixed background": "mixed_other",
    "Asian or Asian British - Indian": "indian",
    "Asian or Asian British - Pakistani": "pakistani",
    "Asian or Asian British - Bangladeshi": "bangladeshi",
    "Asian or Asian British - Any other Asian background": "asian_other",
    "Black or Black British - Caribbean": "caribbean",
    "Black or Black British - African": "african",
    "Black or Black British - Any other Black background": "black_other",
    "Other Ethnic Groups - Chinese": "chinese",
    "Other Ethnic Groups - Any other ethnic group": "other_ethnic_group",
    "Not stated": "unknown",
    "Not known": "unknown",
}


@pytest.mark.parametrize(("label", "category"), NHS_LABELS.items())
@pytest.mark.parametrize("separator", [" - ", ": ", " – ", "-", ":", " — "])
def test_nhs_labels_with_any_separator(label: str, category: str, separator: str) -> None:
    assert one(label.replace(" - ", separator))[0] == category


def test_esr_style_code_and_label() -> None:
    assert one("A White - British") == ("white_british", "white")
    assert one("P Black or Black British - Any other Black background") == ("black_other", "black")
    assert one("Z Not Stated") == ("unknown", "unknown")


# --------------------------------------------------------------------------- census headings

# heading -> one (label, category) of its group, and the group
HEADINGS_2021 = {
    "Asian, Asian British or Asian Welsh": ("Bangladeshi", "bangladeshi", "asian"),
    "Black, Black British, Black Welsh, Caribbean or African": ("African", "african", "black"),
    "Mixed or Multiple ethnic groups": ("White and Black African", "mixed_white_black_african",
                                        "mixed"),
    "White": ("Gypsy or Irish Traveller", "gypsy_irish_traveller", "white"),
    "Other ethnic group": ("Any other ethnic group", "other_ethnic_group", "other"),
}
HEADINGS_2011 = {
    "Asian or Asian British": ("Any other Asian background", "asian_other", "asian"),
    "Black or Black British": ("Caribbean", "caribbean", "black"),
    "Black, Black British, Caribbean or African": ("Other Black", "black_other", "black"),
    "Mixed": ("White and Asian", "mixed_white_asian", "mixed"),
    "Mixed/Multiple ethnic groups": ("White and Black Caribbean", "mixed_white_black_caribbean",
                                     "mixed"),
}


@pytest.mark.parametrize("separator", [": ", " - ", " – "])
@pytest.mark.parametrize(("heading", "expected"), [*HEADINGS_2021.items(),
                                                   *HEADINGS_2011.items()])
def test_heading_then_category(heading: str, expected: tuple[str, str, str],
                               separator: str) -> None:
    label, category, group = expected
    assert one(f"{heading}{separator}{label}") == (category, group)


ONS_2021 = {
    "White: English, Welsh, Scottish, Northern Irish or British": "white_british",
    "White: Irish": "irish",
    "White: Gypsy or Irish Traveller": "gypsy_irish_traveller",
    "White: Roma": "roma",
    "White: Other White": "white_other",
    "Mixed or Multiple ethnic groups: White and Black Caribbean": "mixed_white_black_caribbean",
    "Mixed or Multiple ethnic groups: White and Black African": "mixed_white_black_african",
    "Mixed or Multiple ethnic groups: White and Asian": "mixed_white_asian",
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups": "mixed_other",
    "Asian, Asian British or Asian Welsh: Indian": "indian",
    "Asian, Asian British or Asian Welsh: Pakistani": "pakistani",
    "Asian, Asian British or Asian Welsh: Bangladeshi": "bangladeshi",
    "Asian, Asian British or Asian Welsh: Chinese": "chinese",
    "Asian, Asian British or Asian Welsh: Other Asian": "asian_other",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean": "caribbean",
    "Black, Black British, Black Welsh, Caribbean or African: African": "african",
    "Black, Black British, Black Welsh, Caribbean or African: Other Black": "black_other",
    "Other ethnic group: Arab": "arab",
    "Other ethnic group: Any other ethnic group": "other_ethnic_group",
}


@pytest.mark.parametrize(("form", "category"), ONS_2021.items())
def test_all_19_ons_2021_categories_with_heading_and_bare(form: str, category: str) -> None:
    assert one(form)[0] == category
    bare = form.split(": ", 1)[1]
    assert one(bare)[0] == category


def test_the_19_ons_forms_cover_every_category() -> None:
    assert set(ONS_2021.values()) == set(CATEGORY_CODES) - {"unknown"}


ONS_2001 = {
    "White: British": "white_british",
    "White: Irish": "irish",
    "White: Any other White background": "white_other",
    "Mixed: White and Black Caribbean": "mixed_white_black_caribbean",
    "Mixed: White and Black African": "mixed_white_black_african",
    "Mixed: White and Asian": "mixed_white_asian",
    "Mixed: Any other Mixed background": "mixed_other",
    "Asian or Asian British: Indian": "indian",
    "Asian or Asian British: Pakistani": "pakistani",
    "Asian or Asian British: Bangladeshi": "bangladeshi",
    "Asian or Asian British: Any other Asian background": "asian_other",
    "Black or Black British: Caribbean": "caribbean",
    "Black or Black British: African": "african",
    "Black or Black British: Any other Black background": "black_other",
    "Chinese or other ethnic group: Chinese": "chinese",
    "Chinese or other ethnic group: Any other ethnic group": "other_ethnic_group",
    "Not stated": "unknown",
}


@pytest.mark.parametrize(("form", "category"), ONS_2001.items())
def test_2001_labels(form: str, category: str) -> None:
    assert one(form)[0] == category


SHORT_FORMS = {
    "White British": "white_british",
    "White Irish": "irish",
    "White Other": "white_other",
    "Other White": "white_other",
    "Black African": "african",
    "Black Caribbean": "caribbean",
    "Black Other": "black_other",
    "Indian": "indian",
    "Pakistani": "pakistani",
    "Bangladeshi": "bangladeshi",
    "Chinese": "chinese",
    "Other Asian": "asian_other",
    "Other Mixed": "mixed_other",
    "Mixed Other": "mixed_other",
    "White and Asian": "mixed_white_asian",
    "Arab": "arab",
    "Any other White background": "white_other",
    "Any other ethnic group": "other_ethnic_group",
    "Gypsy or Irish Traveller": "gypsy_irish_traveller",
    "Roma": "roma",
    "Irish": "irish",
    "White - Other": "white_other",
    "Asian - Other": "asian_other",
}


@pytest.mark.parametrize(("form", "category"), SHORT_FORMS.items())
def test_common_short_forms(form: str, category: str) -> None:
    assert one(form)[0] == category


@pytest.mark.parametrize("marker", [
    "Not stated", "Prefer not to say", "Not known", "Unknown", "Not declared", "Declined",
    "Information refused", "Z", "99", "X", "", "   ",
])
def test_not_stated_markers_are_unknown(marker: str) -> None:
    assert one(marker) == ("unknown", "unknown")


# --------------------------------------------------------------------------- sample data spellings

SAMPLE_SPELLINGS = {
    "A": "white", "B": "white", "C": "white", "D": "mixed", "E": "mixed", "F": "mixed",
    "G": "mixed", "H": "asian", "J": "asian", "K": "asian", "L": "asian", "M": "black",
    "N": "black", "P": "black", "R": "asian", "S": "other", "Z": "unknown", "99": "unknown",
    "White - British": "white",
    "White - Irish": "white",
    "White - Any other White background": "white",
    "Mixed - White and Black Caribbean": "mixed",
    "Asian or Asian British - Indian": "asian",
    "Black or Black British - African": "black",
    "Other Ethnic Groups - Chinese": "asian",
    "Other Ethnic Groups - Any other ethnic group": "other",
    "Not stated": "unknown",
    "Asian, Asian British or Asian Welsh: Pakistani": "asian",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean": "black",
    "Mixed or Multiple ethnic groups: White and Asian": "mixed",
    "White: English, Welsh, Scottish, Northern Irish or British": "white",
    "White: Roma": "white",
    "Other ethnic group: Arab": "other",
    "White British": "white",
    "Black African": "black",
    "Indian": "asian",
    "Other Mixed": "mixed",
    "Bangladeshi": "asian",
    "White Other": "white",
    "Any other White background": "white",
    "Prefer not to say": "unknown",
    "Not known": "unknown",
    "Unknown": "unknown",
    "": "unknown",
}


def test_every_sample_data_spelling_classifies() -> None:
    raw = pd.Series(list(SAMPLE_SPELLINGS), dtype="str")
    result = classify(raw)
    assert result.unrecognised.empty
    assert list(result.group.astype(str)) == list(SAMPLE_SPELLINGS.values())


# --------------------------------------------------------------------------- matching


def test_normalise() -> None:
    raw = pd.Series(["  White  –  BRITISH ", "Mixed\u2014Other", "Traveller’s “family”",
                     None, "a\tb\u00a0c"], index=[5, 6, 7, 8, 9])
    result = normalise(raw)
    assert list(result.index) == [5, 6, 7, 8, 9]
    assert result.iloc[0] == "white - british"
    assert result.iloc[1] == "mixed-other"
    assert result.iloc[2] == "traveller's \"family\""
    assert pd.isna(result.iloc[3])
    assert result.iloc[4] == "a b c"


@pytest.mark.parametrize("variant", [
    "white - british", "WHITE - BRITISH", "  White   -   British  ", "White–British",
    "White — British", "White\u2212British", "White:British", "White : British",
    "White\u00a0-\u00a0British",
])
def test_case_space_and_dash_variants(variant: str) -> None:
    assert one(variant) == ("white_british", "white")


def test_ampersand_and_slash_spacing() -> None:
    assert one("Mixed - White & Black Caribbean")[0] == "mixed_white_black_caribbean"
    assert one("Mixed / Multiple ethnic groups: White and Asian")[0] == "mixed_white_asian"


def test_curly_quotes_match_straight_quotes() -> None:
    extra = {"Traveller's family": "gypsy_irish_traveller"}
    assert one("Traveller’s family", extra=extra)[0] == "gypsy_irish_traveller"


@settings(max_examples=100, deadline=None)
@given(
    index=st.integers(min_value=0),
    flips=st.lists(st.booleans(), min_size=1, max_size=80),
    left=st.sampled_from(["", " ", "  ", "\t"]),
    right=st.sampled_from(["", " ", "   "]),
)
def test_case_and_padding_never_change_the_answer(index: int, flips: list[bool], left: str,
                                                  right: str) -> None:
    forms = known_forms()
    form, category = forms.iloc[index % len(forms)][["form", "category"]]
    cased = "".join(c.upper() if flips[i % len(flips)] else c.lower() for i, c in enumerate(form))
    assert one(left + cased.replace(" ", "  ") + right)[0] == category


# --------------------------------------------------------------------------- bare names


@pytest.mark.parametrize(("bare", "group"), [
    ("White", "white"), ("Asian", "asian"), ("Black", "black"), ("Mixed", "mixed"),
    ("Asian or Asian British", "asian"), ("Mixed/Multiple ethnic groups", "mixed"),
    ("Other ethnic group", "other"),
])
def test_bare_group_names_give_the_group_but_no_category(bare: str, group: str) -> None:
    assert one(bare) == (group, group)


@pytest.mark.parametrize("ambiguous", [
    "Other", "Other Ethnic Groups", "Chinese or other ethnic group", "British", "Q", "I", "O",
    "White Q", "c3 white", "NO RESPONSE", "No answer",  # "AB" is now code A (methodology §4)
])
def test_ambiguous_or_unknown_forms_are_never_guessed(ambiguous: str) -> None:
    assert unrecognised_values([ambiguous]) == [ambiguous]


# --------------------------------------------------------------------------- Chinese switch


@pytest.mark.parametrize("form", ["R", "Chinese", "Other Ethnic Groups - Chinese",
                                  "Asian, Asian British or Asian Welsh: Chinese"])
def test_chinese_switch(form: str) -> None:
    assert one(form) == ("chinese", "asian")
    assert one(form, chinese="asian") == ("chinese", "asian")
    assert one(form, chinese="other") == ("chinese", "other")


def test_chinese_switch_moves_only_chinese() -> None:
    raw = pd.Series(["R", "H", "S", "A"])
    result = classify(raw, chinese="other")
    assert list(result.group.astype(str)) == ["other", "asian", "other", "white"]
    assert list(minority_side(result.group).astype(str)) == ["minority", "minority", "minority",
                                                             "white"]


def test_chinese_switch_rejects_other_values() -> None:
    with pytest.raises(ConfigError, match="chinese"):
        classify(pd.Series(["R"]), chinese="black")


# --------------------------------------------------------------------------- config overrides


def test_extra_maps_to_a_category_code() -> None:
    extra = {"WBRI": "white_british", "Other - Kurdish": "other_ethnic_group"}
    assert one("wbri", extra=extra) == ("white_british", "white")
    assert one("OTHER – KURDISH", extra=extra) == ("other_ethnic_group", "other")


def test_extra_maps_to_a_known_label() -> None:
    extra = {"Kurdish": "Any other ethnic group", "WIRI": "White - Irish", "CHN": "R"}
    assert one("Kurdish", extra=extra) == ("other_ethnic_group", "other")
    assert one("WIRI", extra=extra) == ("irish", "white")
    assert one("CHN", extra=extra, chinese="other") == ("chinese", "other")


def test_extra_maps_to_a_broad_group_only() -> None:
    extra = {"Other": "other", "Gypsy/Roma": "white", "Refused to answer": "unknown"}
    assert one("Other", extra=extra) == ("other", "other")
    assert one("gypsy / roma", extra=extra) == ("white", "white")
    assert one("Refused to answer", extra=extra) == ("unknown", "unknown")


def test_extra_takes_precedence_over_the_table() -> None:
    # A system where the letter codes mean something else entirely.
    extra = {"A": "african", "Mixed": "mixed_other"}
    assert one("A", extra=extra) == ("african", "black")
    assert one("Mixed", extra=extra) == ("mixed_other", "mixed")
    assert one("B", extra=extra) == ("irish", "white")


def test_extra_bad_target_names_the_key_and_suggests() -> None:
    with pytest.raises(ConfigError) as caught:
        classify(pd.Series(["x"]), extra={"Other - Kurdish": "kurdish"})
    message = str(caught.value)
    assert '[ethnicity] "Other - Kurdish" = "kurdish"' in message
    assert "not an ONS 2021 category or broad group code" in message
    with pytest.raises(ConfigError, match="did you mean 'white_british'"):
        classify(pd.Series(["x"]), extra={"WB": "white_britsh"})


def test_extra_ambiguous_target_is_refused() -> None:
    # "Other Ethnic Groups" alone is ambiguous (the NHS heading includes Chinese),
    # so it cannot be a target either; "Other" is the broad group code.
    with pytest.raises(ConfigError, match='"Other Ethnic Groups"'):
        classify(pd.Series(["x"]), extra={"OTH": "Other Ethnic Groups"})
    assert one("OTH", extra={"OTH": "Other"}) == ("other", "other")


def test_extra_keys_that_collide_with_different_targets() -> None:
    with pytest.raises(ConfigError, match="WBRI"):
        classify(pd.Series(["x"]), extra={"WBRI": "white", "wbri ": "black"})


def test_extra_blank_key_is_refused() -> None:
    with pytest.raises(ConfigError, match="blank"):
        classify(pd.Series(["x"]), extra={" ": "white"})


# --------------------------------------------------------------------------- unrecognised values


def test_unrecognised_values_with_counts_and_first_row() -> None:
    values = ["A", "Kurdish", "Q", "kurdish ", "A", "Q", "Other", "KURDISH", None, ""]
    raw = pd.Series(values, index=range(2, 12))  # spreadsheet rows: header is row 1
    result = classify(raw)
    table = result.unrecognised
    assert list(table.columns) == ["value", "count", "first_row"]
    assert table.to_dict("records") == [
        {"value": "Kurdish", "count": 3, "first_row": 3},
        {"value": "Q", "count": 2, "first_row": 4},
        {"value": "Other", "count": 1, "first_row": 8},
    ]
    # unrecognised rows read unknown; the caller reports them from the table above
    assert list(result.group.astype(str)) == ["white", "unknown", "unknown", "unknown", "white",
                                              "unknown", "unknown", "unknown", "unknown",
                                              "unknown"]


def test_unrecognised_is_empty_with_columns_when_all_known() -> None:
    table = classify(pd.Series(["A", None, "Indian"])).unrecognised
    assert table.empty
    assert list(table.columns) == ["value", "count", "first_row"]


def test_blank_and_missing_are_unknown_not_errors() -> None:
    raw = pd.Series([None, np.nan, pd.NA, "", "  ", "\t"], dtype=object)
    result = classify(raw)
    assert result.unrecognised.empty
    assert set(result.category.astype(str)) == {"unknown"}
    assert set(result.group.astype(str)) == {"unknown"}


def test_numbers_from_a_spreadsheet_read_as_codes() -> None:
    result = classify(pd.Series([99, 99.0, 7], dtype=object))
    assert list(result.group.astype(str)) == ["unknown", "unknown", "unknown"]
    assert result.unrecognised.to_dict("records") == [{"value": "7", "count": 1, "first_row": 2}]


# --------------------------------------------------------------------------- shape of the result


def test_index_alignment_is_preserved() -> None:
    raw = pd.Series(["N", "A", None, "H"], index=["s9", "s1", "s5", "s2"], name="ethnicity")
    result = classify(raw)
    assert isinstance(result, Classification)
    assert list(result.category.index) == ["s9", "s1", "s5", "s2"]
    assert list(result.group.index) == ["s9", "s1", "s5", "s2"]
    assert result.group.to_dict() == {"s9": "black", "s1": "white", "s5": "unknown",
                                      "s2": "asian"}


@pytest.mark.parametrize("dtype", ["str", object, "category"])
def test_any_string_dtype_gives_the_same_answer(dtype: object) -> None:
    raw = pd.Series(["M", "white british", None, "Q"], dtype=dtype)
    result = classify(raw)
    assert list(result.category.astype(str)) == ["caribbean", "white_british", "unknown",
                                                 "unknown"]
    assert list(result.unrecognised["value"]) == ["Q"]


def test_empty_series() -> None:
    result = classify(pd.Series([], dtype="str"))
    assert len(result.category) == 0
    assert len(result.group) == 0
    assert result.unrecognised.empty


def test_a_million_rows() -> None:
    pattern = ["A", "White - British", "Black African", None, "H", "Q", "R", "Prefer not to say"]
    repeats = 125_000
    raw = pd.Series(np.tile(np.array(pattern, dtype=object), repeats), dtype="str")
    raw.index = raw.index + 2
    result = classify(raw)
    counts = result.group.value_counts()
    assert counts["white"] == 2 * repeats
    assert counts["black"] == repeats
    assert counts["asian"] == 2 * repeats
    assert counts["unknown"] == 3 * repeats  # None, "Q" and "Prefer not to say"
    assert result.unrecognised.to_dict("records") == [
        {"value": "Q", "count": repeats, "first_row": 7}
    ]
    side = minority_side(result.group)
    assert (side == "minority").sum() == 3 * repeats


# --------------------------------------------------------------------------- minority side


def test_minority_side() -> None:
    group = pd.Series(["white", "asian", "black", "mixed", "other", "unknown", None],
                      index=range(10, 17))
    expected = ["white", "minority", "minority", "minority", "minority", "unknown", "unknown"]
    for series in (group, group.astype("category")):
        side = minority_side(series)
        assert list(side.index) == list(range(10, 17))
        assert list(side.astype(str)) == expected


def test_minority_side_rejects_categories() -> None:
    with pytest.raises(ValueError, match="white_british"):
        minority_side(pd.Series(["white_british"]))


def test_white_minorities_count_as_white() -> None:
    raw = pd.Series(["White - Irish", "White: Gypsy or Irish Traveller", "White: Roma",
                     "White Other"])
    assert set(minority_side(classify(raw).group).astype(str)) == {"white"}


# --------------------------------------------------------------------------- the readable table


def test_known_forms_table() -> None:
    forms = known_forms()
    assert list(forms.columns) == ["form", "category", "group"]
    assert forms["form"].is_unique
    assert set(CATEGORY_CODES) <= set(forms["category"])
    chinese = forms.loc[forms["form"] == "Other Ethnic Groups - Chinese"]
    assert chinese[["category", "group"]].values.tolist() == [["chinese", "asian"]]
    assert (forms.loc[forms["form"] == "White: Roma", "group"] == "white").all()


def test_every_known_form_classifies_as_listed() -> None:
    forms = known_forms()
    result = classify(forms["form"])
    assert result.unrecognised.empty
    assert (result.category.astype(str) == forms["category"]).all()
    assert (result.group.astype(str) == forms["group"]).all()


# --------------------------------------------------------------------------- two-character codes
# Methodology section 4: a value starting with a one- or two-character NHS code
# whose first character is a national code letter is read by that letter.

@pytest.mark.parametrize(("raw", "category", "group"), [
    ("C3 White - Any other White background", "white_other", "white"),
    ("CP White - Polish", "white_other", "white"),  # Polish: C (Other White), so White
    ("C2 White - Northern Irish", "white_other", "white"),
    ("LH Asian - British Asian", "asian_other", "asian"),
    ("R Chinese", "chinese", "asian"),
    ("S Any Other Ethnic Group", "other_ethnic_group", "other"),
    ("GA Mixed - Black and Asian", "mixed_other", "mixed"),
    ("PC Black - Nigerian", "black_other", "black"),
    ("D White and Black Caribbean", "mixed_white_black_caribbean", "mixed"),
    ("Z Not Stated", "unknown", "unknown"),
    ("C3", "white_other", "white"),
    ("LH: British Asian", "asian_other", "asian"),
    ("CP-Polish", "white_other", "white"),
])
def test_two_character_nhs_codes_are_read_by_their_first_letter(raw: str, category: str,
                                                                 group: str) -> None:
    result = classify(pd.Series([raw]))
    assert result.unrecognised.empty and result.contradicted.empty
    assert (result.category.iloc[0], result.group.iloc[0]) == (category, group)


@pytest.mark.parametrize("raw", ["C Black - African", "CP Asian - Polish", "S Chinese",
                                 "Z White - British", "A Not stated", "H Mixed - Other"])
def test_a_code_whose_label_names_another_heading_is_an_error(raw: str) -> None:
    result = classify(pd.Series([raw, raw, "A"], index=[5, 6, 7]))
    assert result.unrecognised.empty
    table = result.contradicted
    assert list(table["value"]) == [raw] and list(table["count"]) == [2]
    assert list(table["first_row"]) == [5]
    assert "wres will not guess" in table["message"].iloc[0]
    assert result.group.iloc[0] == "unknown"  # and never a guess


def test_a_config_mapping_settles_a_contradicting_value() -> None:
    result = classify(pd.Series(["C Black - African"]), extra={"C Black - African": "african"})
    assert result.contradicted.empty and result.group.iloc[0] == "black"


def test_thirty_three_white_staff_stay_white() -> None:
    # The case: "C3 White - Any other White background" was suggested as
    # "other" and pasting that moved 33 White staff into the minority group.
    result = classify(pd.Series(["C3 White - Any other White background"] * 33 + ["A"] * 7))
    assert (result.group == "white").sum() == 40


@pytest.mark.parametrize(("raw", "target"), [
    ("White Polish", "white"), ("Black Somali", "black"), ("Asian Tamil", "asian"),
    ("Chinese - Hong Kong", "chinese"), ("Arab - Egyptian", "arab"),
    ("Mixed: White and Polish", "mixed"), ("Polish", None), ("Kurdish", None),
    ("White and Black", None), ("Other - Kurdish", None),
])
def test_suggested_mappings_use_the_heading_the_value_names(raw: str,
                                                            target: str | None) -> None:
    from wres_cli.ethnicity import suggested_mapping, unrecognised_message

    assert suggested_mapping(raw) == target
    message = unrecognised_message(raw, 3, 4)
    assert '= "other"' not in message  # never the default the issue warns about
    if target is None:
        assert '"white", "mixed", "asian", "black", "other", "unknown"' in message
    else:
        assert f'"{raw}" = "{target}"' in message
