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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["all_distinct", "id_keys", "link_codes"]

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
    parts = [_offsets_and_bytes(a) for a in arrays]  # type: ignore[arg-type]
    prefix = _common_prefix(parts)
    if prefix is None:
        return None
    equal = _one_length(parts)
    width = max(int(np.diff(o).max(initial=0)) for o, _ in parts) - len(prefix)
    if width > (_KEY_BYTES if equal else _KEY_BYTES - 1):
        return None
    return [_pack(offsets, data, len(prefix), width, equal) for offsets, data in parts]


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
    if n_known and bool((known[1:] > known[:-1]).all()):
        order, ordered = None, known
    else:
        order = np.argsort(known, kind="stable")
        ordered = known[order]
    found: list[np.ndarray] = []
    missing_parts: list[np.ndarray] = []
    for keys in others:
        place = np.searchsorted(ordered, keys)
        hit = place < n_known
        hit[hit] = ordered[place[hit]] == keys[hit]
        codes = np.where(hit, place, -1)
        if order is not None:
            codes[hit] = order[place[hit]]
        found.append(codes)
        missing_parts.append(~hit)
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


def _one_length(parts: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    lengths: set[int] = set()
    for offsets, _ in parts:
        if len(offsets) > 1:
            each = np.diff(offsets)
            lengths.update((int(each.min()), int(each.max())))
    return len(lengths) <= 1


def _common_prefix(parts: list[tuple[np.ndarray, np.ndarray]]) -> bytes | None:
    """The longest start that every id shares (None: there are no ids)."""
    nonempty = [(o, d) for o, d in parts if len(o) > 1]
    if not nonempty:
        return None
    shortest = min(int(np.diff(o).min()) for o, _ in nonempty)
    offsets, data = nonempty[0]
    candidate = bytes(data[offsets[0]:offsets[0] + shortest])
    length = 0
    while length < len(candidate):
        byte = candidate[length]
        if not all(bool((d[o[:-1] + length] == byte).all()) for o, d in nonempty):
            break
        length += 1
    return candidate[:length]


def _pack(offsets: np.ndarray, data: np.ndarray, skip: int, width: int,
          equal: bool) -> np.ndarray:
    """The keys of one array: the ``width`` bytes after the shared prefix, big-endian
    (so keys of one length keep the ids' order), and the length on top when lengths
    differ."""
    starts, lengths = offsets[:-1] + skip, np.diff(offsets) - skip
    keys = np.zeros(len(starts), dtype=np.uint64)
    if not len(starts) or not width:  # no ids, or ids all the same
        return keys
    if equal:
        # Fixed-width ids lie back to back: a view, one column per byte.
        block = data[offsets[0]:offsets[-1]].reshape(len(starts), -1)[:, skip:]
        for k in range(width):
            keys <<= np.uint64(8)
            keys |= block[:, k]
        return keys
    last = len(data) - 1
    for k in range(_KEY_BYTES - 1):
        keys <<= np.uint64(8)
        if k < width:
            byte = data[np.minimum(starts + k, last)]
            keys |= np.where(k < lengths, byte, 0).astype(np.uint64)
    keys |= lengths.astype(np.uint64) << np.uint64(8 * (_KEY_BYTES - 1))
    return keys
