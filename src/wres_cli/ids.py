"""Identifiers as integers: checking they are unique and linking them without
hashing millions of strings.

HR identifiers are short and alike: ``EMP-004213``, ``APP-0001234``,
``100234``. Once the prefix that every id shares is set aside, what is left
fits in eight bytes, so each id can be packed into one ``uint64`` *key*:
equal ids give equal keys and different ids different keys. Integers can then
be checked for uniqueness by sorting (and not at all when the extract is
already in id order, as exports usually are) and matched across extracts with
a binary search, where hashing the strings took most of a national validation.

Ids that do not pack (longer, or blank) get ``None``, and the callers keep
their general path (pandera's uniqueness check, ``pd.factorize``), so the
problems reported are exactly the same either way; only the time differs.

``share_staff_ids`` links the workforce and the events that refer to it once,
after reading: every extract's ``staff_id`` becomes a categorical over one
shared set of ids, so that later checks and counts compare small codes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from wres_cli.contract import EVENT_EXTRACTS

if TYPE_CHECKING:
    from wres_cli.io.readers import Extract

__all__ = ["STAFF_EXTRACTS", "all_distinct", "id_keys", "link_codes", "share_staff_ids",
           "shares_categories"]

#: Bytes a key holds when every id has the same length; one fewer otherwise,
#: since the length then takes the top byte (so that "12" and "12\0" differ).
_KEY_BYTES = 8


def id_keys(*columns: pd.Series) -> list[np.ndarray] | None:
    """One ``uint64`` key per id for each of ``columns`` (Arrow-backed text),
    packed alike across them, or None when some id is blank or too long.

    Keys are injective over all the columns together, so equal keys in two
    extracts mean equal ids. Within ids of one length, keys are in the ids' byte
    order; shorter ids sort first.
    """
    arrays = [_arrow_text(c) for c in columns]
    if any(a is None or a.null_count for a in arrays):
        return None
    parts = [_offsets_and_bytes(a) for a in arrays]
    nonempty = [(o, d) for o, d in parts if len(o) > 1]
    if not nonempty:
        return None
    each = [np.diff(o) for o, _ in nonempty]
    shortest, longest = min(int(n.min()) for n in each), max(int(n.max()) for n in each)
    prefix = _common_prefix(nonempty, shortest)
    equal = shortest == longest
    width = longest - len(prefix)
    if width > (_KEY_BYTES if equal else _KEY_BYTES - 1):
        return None
    if not equal:
        return [_pack(offsets, data, len(prefix), width) for offsets, data in parts]
    blocks = [_block(offsets, data, len(prefix)) for offsets, data in parts]
    if all(_all_digits(b) for b in blocks):
        return [_decimal(b) for b in blocks]
    return [_pack_block(b) for b in blocks]


def all_distinct(keys: np.ndarray) -> bool:
    """Whether no key occurs twice: free when the keys are increasing (an extract
    in id order), else one sort."""
    if len(keys) < 2 or bool((keys[1:] > keys[:-1]).all()):
        return True
    ordered = np.sort(keys)
    return not bool((ordered[1:] == ordered[:-1]).any())


def link_codes(known: np.ndarray, others: Sequence[np.ndarray]) -> tuple[np.ndarray,
                                                                        list[np.ndarray]]:
    """Codes as ``pd.factorize`` gives them for ``known`` followed by ``others``
    (first appearance order), for ``known`` keys that are all distinct.

    Returns the positions of the first appearance of each code, in code order,
    across the concatenation, and each of ``others``' codes: ``known`` row i
    is code i; an id of ``others`` that is known takes that id's code, and the
    ids that are not known are numbered after, in the order they first appear.
    """
    n_known = len(known)
    row_of = _lookup(known)
    found = [row_of(keys) for keys in others]
    missing_parts = [codes < 0 for codes in found]
    # Unknown ids (a validation error, so few): numbered in first-appearance order.
    unknown = np.concatenate([k[m] for k, m in zip(others, missing_parts, strict=True)]
                             ) if others else np.array([], dtype=np.uint64)
    new_codes, new_keys = pd.factorize(unknown)
    bounds = np.cumsum([0, *(int(m.sum()) for m in missing_parts)])
    offsets = np.cumsum([n_known, *(len(k) for k in others)])
    first = [np.arange(n_known)]
    if len(new_keys):
        where = np.concatenate([np.flatnonzero(m) + offsets[i]
                                for i, m in enumerate(missing_parts)])
        position = np.full(len(new_keys), -1, dtype=np.int64)
        position[new_codes[::-1]] = where[::-1]  # the first appearance wins
        first.append(position)
    for i, (codes, missing) in enumerate(zip(found, missing_parts, strict=True)):
        codes[missing] = n_known + new_codes[bounds[i]:bounds[i + 1]]
    return np.concatenate(first), found


def _lookup(known: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A function giving the row of ``known`` that holds each of some keys (-1:
    none). Keys that lie close together (numbered ids) are looked up in a table
    indexed by key; others by a binary search (a random access per probe: for a
    million ids, several times slower)."""
    n_known = len(known)
    if not n_known:
        return lambda keys: np.full(len(keys), -1, dtype=np.int64)
    low, high = int(known.min()), int(known.max())
    if high - low < _DENSE * n_known + 1024:
        table = np.full(high - low + 1, -1, dtype=np.int32 if n_known < 2**31 else np.int64)
        table[(known - np.uint64(low)).astype(np.intp)] = np.arange(n_known)

        def in_table(keys: np.ndarray) -> np.ndarray:
            codes = np.full(len(keys), -1, dtype=np.int64)
            inside = (keys >= np.uint64(low)) & (keys <= np.uint64(high))
            codes[inside] = table[(keys[inside] - np.uint64(low)).astype(np.intp)]
            return codes

        return in_table
    order = None if bool((known[1:] > known[:-1]).all()) else np.argsort(known, kind="stable")
    ordered = known if order is None else known[order]

    def by_search(keys: np.ndarray) -> np.ndarray:
        codes = np.full(len(keys), -1, dtype=np.int64)
        place = np.searchsorted(ordered, keys)
        hit = place < n_known
        hit[hit] = ordered[place[hit]] == keys[hit]
        codes[hit] = place[hit] if order is None else order[place[hit]]
        return codes

    return by_search


#: Keys spread over at most this many times as many values as there are ids are
#: looked up in a table (4 bytes per value: 100 MB for 1.5 million staff numbered
#: anywhere up to 24 million).
_DENSE = 16


# --------------------------------------------------------------------------- linking


#: Extracts with a ``staff_id``: the workforce, and the events that refer to it.
STAFF_EXTRACTS = ("workforce", *EVENT_EXTRACTS)


def share_staff_ids(extracts: Mapping[str, Extract]) -> None:
    """``staff_id`` of the workforce and of every event extract as categoricals over
    one shared set of ids (the same categories object). The ids are hashed once
    here; checking they are unique, that every event's person is in the
    workforce and linking events to people for counting then compare small
    integer codes (at national scale each of those hashed millions of strings)."""
    present = [extracts[name] for name in STAFF_EXTRACTS
               if name in extracts and "staff_id" in extracts[name].frame.columns]
    if len(present) < 2 or present[0].name != "workforce":
        return
    columns = [e.frame["staff_id"] for e in present]
    codes, ids = _staff_codes(columns)
    dtype = pd.CategoricalDtype(ids)  # one dtype object, shared
    for extract, column, part in zip(present, columns, codes, strict=True):
        shared = pd.Categorical.from_codes(part, dtype=dtype, validate=False)
        extract.frame = extract.frame.assign(
            staff_id=pd.Series(shared, index=column.index, copy=False))


def shares_categories(*columns: pd.Series) -> bool:
    """Whether every column is categorical over the very same categories object.

    Identity, not equality: comparing millions of categories is the cost this
    shortcut exists to avoid."""
    if not all(isinstance(c.dtype, pd.CategoricalDtype) for c in columns):
        return False
    first = columns[0].cat.categories
    return all(c.cat.categories is first for c in columns[1:])


def _staff_codes(columns: list[pd.Series]) -> tuple[list[np.ndarray], pd.Index]:
    """Each column's codes into the ids of all, numbered as ``pd.factorize`` numbers
    the columns one after the other (-1: blank), and those ids.

    Short ids that are unique in the workforce (the usual case) are matched as
    packed integers (``id_keys``); hashing three million strings was most
    of the time linking took."""
    keys = id_keys(*columns)
    if keys is not None and all_distinct(keys[0]):
        first, linked = link_codes(keys[0], keys[1:])
        # The workforce's ids, then the ids it lacks, where each first appears.
        bounds = np.cumsum([0, *(len(c) for c in columns)])
        new = first[len(columns[0]):]
        column_of = np.searchsorted(bounds, new, side="right") - 1
        extra = np.empty(len(new), dtype=object)
        for j in np.unique(column_of):
            here = column_of == j
            extra[here] = columns[j].iloc[new[here] - bounds[j]].to_numpy(dtype=object)
        ids = pd.Index(columns[0]).append(pd.Index(extra, dtype="str"))
        return [np.arange(len(columns[0])), *linked], ids
    codes, ids = pd.factorize(pd.concat(columns, ignore_index=True), use_na_sentinel=True)
    bounds = np.cumsum([0, *(len(c) for c in columns)])
    return ([codes[lo:hi] for lo, hi in itertools.pairwise(bounds)],
            pd.Index(ids, dtype="str"))


# --------------------------------------------------------------------------- packing


def _arrow_text(values: pd.Series) -> Any:
    """The one-chunk Arrow string array behind a text column, else None."""
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    array = values.array.__arrow_array__()
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    return array


def _offsets_and_bytes(array: Any) -> tuple[np.ndarray, np.ndarray]:
    """Start of every id (and the end of the last) and the bytes they point into."""
    _, offsets, data = array.buffers()
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    starts = np.frombuffer(offsets, dtype=width)[array.offset:array.offset + len(array) + 1]
    text = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return starts.astype(np.int64, copy=False), text


def _common_prefix(nonempty: list[tuple[np.ndarray, np.ndarray]], shortest: int) -> bytes:
    """The longest start that every id shares (at most ``shortest`` bytes)."""
    offsets, data = nonempty[0]
    candidate = bytes(data[offsets[0]:offsets[0] + shortest])
    length = 0
    while length < len(candidate):
        byte = candidate[length]
        if not all(bool((d[o[:-1] + length] == byte).all()) for o, d in nonempty):
            break
        length += 1
    return candidate[:length]


def _block(offsets: np.ndarray, data: np.ndarray, skip: int) -> np.ndarray:
    """Ids all of one length lie back to back: a view of them, a row per id and a
    column per byte after the shared prefix."""
    n = len(offsets) - 1
    if not n or offsets[-1] == offsets[0]:
        return np.zeros((n, 0), dtype=np.uint8)
    return data[offsets[0]:offsets[-1]].reshape(n, -1)[:, skip:]


def _all_digits(block: np.ndarray) -> bool:
    return bool(((block >= ord("0")) & (block <= ord("9"))).all())


def _decimal(block: np.ndarray) -> np.ndarray:
    """Ids of digits, all of one length, as the numbers they write: equal ids, equal
    numbers, and numbered ids give keys close together (see ``_lookup``)."""
    keys = np.zeros(len(block), dtype=np.uint64)
    for k in range(block.shape[1]):
        keys *= np.uint64(10)
        keys += block[:, k] - np.uint8(ord("0"))
    return keys


def _pack_block(block: np.ndarray) -> np.ndarray:
    """Ids of one length, their bytes big-endian: keys keep the ids' order."""
    keys = np.zeros(len(block), dtype=np.uint64)
    for k in range(block.shape[1]):
        keys <<= np.uint64(8)
        keys |= block[:, k]
    return keys


def _pack(offsets: np.ndarray, data: np.ndarray, skip: int, width: int) -> np.ndarray:
    """Ids of different lengths: up to seven bytes after the shared prefix,
    big-endian, with the length on top (so that "12" and "12\0" differ)."""
    starts, lengths = offsets[:-1] + skip, np.diff(offsets) - skip
    keys = np.zeros(len(starts), dtype=np.uint64)
    if not len(starts):
        return keys
    last = len(data) - 1
    for k in range(_KEY_BYTES - 1):
        keys <<= np.uint64(8)
        if k < width:
            byte = data[np.minimum(starts + k, last)]
            keys |= np.where(k < lengths, byte, 0).astype(np.uint64)
    keys |= lengths.astype(np.uint64) << np.uint64(8 * (_KEY_BYTES - 1))
    return keys
