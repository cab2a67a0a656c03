"""Packed integer keys for identifiers (wres_cli.ids), checked against what the
strings themselves say: equal keys exactly when equal ids, uniqueness as a set
says, and link codes as ``pd.factorize`` numbers the ids."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wres_cli.ids import all_distinct, id_keys, link_codes

STR = pd.StringDtype("pyarrow", na_value=np.nan)


def text(values: list[str], large: bool = True, chunks: int = 1) -> pd.Series:
    kind = pa.large_string() if large else pa.string()
    if chunks > 1 and len(values) >= chunks:
        cut = np.linspace(0, len(values), chunks + 1).astype(int)
        array = pa.chunked_array([pa.array(values[lo:hi], kind)
                                  for lo, hi in itertools.pairwise(cut)])
    else:
        array = pa.chunked_array([pa.array(values, kind)])
    return pd.Series(STR.__from_arrow__(array))


def same_equalities(keys: np.ndarray, ids: list[str]) -> bool:
    """Keys equal exactly where the ids are equal (checked over every pair)."""
    k = keys[:, None] == keys[None, :]
    s = np.array(ids, dtype=object)
    return bool((k == (s[:, None] == s[None, :])).all())


# --------------------------------------------------------------------------- keys


def test_typical_staff_numbers_pack_and_keep_their_order():
    ids = ["EMP-000018", "EMP-000023", "EMP-004213", "EMP-100000"]
    (keys,) = id_keys(text(ids))
    assert keys.dtype == np.uint64
    assert list(np.argsort(keys)) == [0, 1, 2, 3]  # same-length ids keep byte order
    assert len(set(keys.tolist())) == 4


def test_ids_of_different_lengths_that_pad_alike_stay_apart():
    # "12" and "12\0" would pad to the same bytes without the length in the key.
    ids = ["12", "12\0", "120", "1", "2"]
    (keys,) = id_keys(text(ids))
    assert same_equalities(keys, ids)


def test_too_long_after_the_shared_prefix_is_not_packed():
    assert id_keys(text(["A-123456789", "B-123456789"])) is None  # 11 bytes differ
    assert id_keys(text(["X-12345678", "X-87654321"])) is not None  # prefix "X-", then 8


def test_blank_ids_are_not_packed():
    series = pd.Series(["E1", None, "E3"], dtype=STR)
    assert id_keys(series) is None


def test_non_arrow_text_is_not_packed():
    assert id_keys(pd.Series(["E1", "E2"], dtype=object)) is None


def test_keys_are_alike_across_columns():
    wf, events = text(["P-01", "P-02", "P-03"]), text(["P-03", "P-01", "P-09"], large=False)
    wf_keys, event_keys = id_keys(wf, events)
    assert event_keys[0] == wf_keys[2] and event_keys[1] == wf_keys[0]
    assert event_keys[2] not in set(wf_keys.tolist())


ALPHABET = st.sampled_from(["0", "1", "9", "A", "-", "é", "\0", " "])
ID = st.text(alphabet=ALPHABET, min_size=0, max_size=10)


@settings(max_examples=300, deadline=None)
@given(prefix=st.sampled_from(["", "EMP-", "é"]), ids=st.lists(ID, min_size=1, max_size=40),
       large=st.booleans(), chunks=st.integers(1, 3))
def test_keys_equal_exactly_when_ids_are_equal(prefix, ids, large, chunks):
    ids = [prefix + i for i in ids]
    packed = id_keys(text(ids, large, chunks))
    if packed is None:  # allowed only when the ids really are too long to pack
        shared = len(pd.Series(ids).str.encode("utf-8").map(bytes).pipe(_common_prefix))
        widest = max(len(i.encode()) for i in ids) - shared
        assert widest >= 8
        return
    (keys,) = packed
    assert same_equalities(keys, ids)
    assert all_distinct(keys) == (len(set(ids)) == len(ids))


def _common_prefix(values: pd.Series) -> bytes:
    first = values.iloc[0]
    n = 0
    while n < len(first) and all(len(v) > n and v[n] == first[n] for v in values):
        n += 1
    return first[:n]


def test_a_sliced_array_packs_its_own_rows():
    full = pa.array(["E-1", "E-2", "E-3", "E-4"], pa.large_string())
    sliced = pd.Series(STR.__from_arrow__(pa.chunked_array([full.slice(1, 2)])))
    (keys,) = id_keys(sliced)
    (expected,) = id_keys(text(["E-2", "E-3"]))
    assert len(keys) == 2
    assert keys[0] != keys[1]
    assert same_equalities(np.concatenate([keys, expected]), ["E-2", "E-3", "E-2", "E-3"])


# --------------------------------------------------------------------------- distinct


@pytest.mark.parametrize("keys, expected", [
    ([], True), ([5], True), ([1, 2, 3], True), ([3, 1, 2], True),
    ([1, 2, 2], False), ([2, 1, 2], False), ([7, 7], False),
])
def test_all_distinct(keys, expected):
    assert all_distinct(np.array(keys, dtype=np.uint64)) is expected


# --------------------------------------------------------------------------- linking


@settings(max_examples=300, deadline=None)
@given(known=st.lists(st.integers(0, 60), unique=True, max_size=30),
       others=st.lists(st.lists(st.integers(0, 80), max_size=30), max_size=3),
       spread=st.sampled_from([1, 10**12]))  # keys close together (a table), or not
def test_link_codes_number_ids_as_factorize_does(known, others, spread):
    known_keys = np.array(known, dtype=np.uint64) * np.uint64(spread)
    other_keys = [np.array(o, dtype=np.uint64) * np.uint64(spread) for o in others]
    first, codes = link_codes(known_keys, other_keys)

    every = np.concatenate([known_keys, *other_keys]) if others else known_keys
    expected_codes, uniques = pd.factorize(every)
    bounds = np.cumsum([len(known), *(len(o) for o in others)])
    for i, got in enumerate(codes):
        assert got.tolist() == expected_codes[bounds[i]:bounds[i + 1]].tolist()
    assert len(first) == len(uniques)
    assert every[first].tolist() == list(uniques)  # where each id first appears


def test_ids_that_are_all_the_same_pack_to_one_key():
    (keys,) = id_keys(text(["E-7", "E-7", "E-7"]))
    assert len(set(keys.tolist())) == 1
    assert not all_distinct(keys)


def test_empty_ids_of_one_length_pack():
    # Blank ids never get here from a reader (they are NA), but an empty string
    # is still an id the packing must handle.
    (keys,) = id_keys(text(["", ""]))
    assert keys.tolist() == [keys[0], keys[0]]


def test_numbered_ids_become_their_numbers():
    (keys,) = id_keys(text(["EMP-0018", "EMP-0023", "EMP-4213"]))
    assert keys.tolist() == [18, 23, 4213]
    wf, events = id_keys(text(["0100", "0200"]), text(["0200", "0300"]))
    assert wf.tolist() == [100, 200] and events.tolist() == [200, 300]


def test_digits_and_letters_of_one_length_pack_as_bytes():
    ids = ["E-01", "E-0A", "E-10"]
    (keys,) = id_keys(text(ids))
    assert same_equalities(keys, ids)
    assert list(np.argsort(keys)) == [0, 1, 2]  # the ids' own byte order
