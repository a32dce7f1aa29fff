"""Kestrel: political event records (``kestrel/1``) from news text, in Python.

A thin shell over the Rust pipeline that the ``kestrel`` command runs: the same code codes the
articles, so a record from :func:`extract` is the record ``kestrel extract`` writes for the same
input. Resources load once per process, on first use.

- :func:`extract` codes one plain-text article and returns its record (a dict).
- :func:`extract_many` codes an iterable of articles (dicts with the JSON Lines fields, or JSON
  Lines strings) in parallel, streaming records in input order.
- :func:`extract_files` codes files and directories as ``kestrel extract PATH...`` does.
- :func:`event_columns`, :func:`to_pandas` and :func:`to_arrow` flatten records to one row per
  event, with the columns of ``kestrel extract --format csv`` (:data:`COLUMNS`).

Records are :class:`Record` objects: plain dicts whose ``str()`` is the JSON line the CLI writes,
so ``print(kestrel.extract(text))`` prints what ``kestrel extract`` prints.

Bad input raises :class:`InputError` (a ``ValueError``) with the message the CLI prints.
"""

import json as _json

from ._kestrel import (
    COLUMNS,
    SCHEMA,
    InputError,
    Records,
    __version__,
    event_columns,
    extract,
    extract_files,
    extract_many,
)

__all__ = [
    "COLUMNS",
    "SCHEMA",
    "InputError",
    "Record",
    "Records",
    "__version__",
    "arrow_schema",
    "event_columns",
    "extract",
    "extract_files",
    "extract_many",
    "to_arrow",
    "to_pandas",
]


class Record(dict):
    """A ``kestrel/1`` record: a plain ``dict`` of the record's JSON, keys in the CLI's order.

    ``str(record)`` (and so ``print(record)``) is the record as the JSON line that
    ``kestrel extract`` writes for the same input (without the line end); ``repr`` is the dict's.
    """

    __slots__ = ()

    def __str__(self):
        return _json.dumps(self, ensure_ascii=False, separators=(",", ":"))


def to_pandas(records):
    """One row per event of ``records`` as a ``pandas.DataFrame`` with the CSV columns.

    ``records`` is an iterable of ``kestrel/1`` records (dicts or JSON strings), e.g. the output of
    :func:`extract_many`. Column types follow the Parquet output: text columns hold ``str`` (or
    ``None``), dates are ``datetime64[s]`` (a month or a year date is its first day; the
    ``event_date_precision`` column says which; seconds rather than pandas' default nanoseconds,
    which end in 1677 and 2262), counts are nullable ``Int64``, coordinates and confidence
    ``float64``. Needs pandas (2 or later) and numpy.
    """
    import numpy as np
    import pandas as pd

    cols = event_columns(records)
    data = {}
    for name, kind in COLUMNS:
        values = cols[name]
        if kind == "date":
            nat = np.iinfo(np.int64).min  # numpy's NaT
            days = np.array([nat if d is None else d for d in values], dtype=np.int64)
            data[name] = pd.Series(days.view("datetime64[D]").astype("datetime64[s]"))
        elif kind == "int":
            data[name] = pd.array(values, dtype="Int64")
        elif kind == "float":
            data[name] = pd.Series(values, dtype="float64")
        else:
            data[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=[name for name, _ in COLUMNS])


def to_arrow(records):
    """One row per event of ``records`` as a ``pyarrow.RecordBatch`` with the CSV columns.

    Types are those of ``kestrel extract --format parquet``: ``string``, ``date32`` (a month or a
    year date is its first day), ``int64`` and ``float64``, nullable. Needs pyarrow.
    """
    import pyarrow as pa

    schema = arrow_schema()
    cols = event_columns(records)
    arrays = []
    for (name, kind), field in zip(COLUMNS, schema):
        if kind == "date":
            # Day numbers since 1970-01-01: Arrow's date32 representation.
            arrays.append(pa.array(cols[name], type=pa.int32()).cast(pa.date32()))
        else:
            arrays.append(pa.array(cols[name], type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def arrow_schema():
    """The ``pyarrow.Schema`` of :func:`to_arrow` (and of the Parquet output). Needs pyarrow."""
    import pyarrow as pa

    types = {
        "text": pa.string(),
        "date": pa.date32(),
        "int": pa.int64(),
        "float": pa.float64(),
    }
    return pa.schema([(name, types[kind]) for name, kind in COLUMNS])

