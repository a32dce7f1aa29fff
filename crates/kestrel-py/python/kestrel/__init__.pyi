"""Type stubs for the ``kestrel`` package (Kestrel's Python bindings)."""

import datetime
import os
from typing import Any, Dict, Iterable, Iterator, List, Literal, Optional, Tuple, Union

import pandas
import pyarrow

__version__: str
SCHEMA: str
COLUMNS: List[Tuple[str, Literal["text", "date", "int", "float"]]]

Article = Union[Dict[str, Any], str, bytes]
ErrorMode = Literal["raise", "skip", "return"]
PathLike = Union[str, "os.PathLike[str]"]

class InputError(ValueError):
    """An article Kestrel cannot read; the message is the one ``kestrel extract`` prints."""

    input: str
    kind: str

class Record(Dict[str, Any]):
    """A ``kestrel/1`` record: a dict whose ``str()`` is the JSON line ``kestrel extract`` writes."""

    def __str__(self) -> str: ...

class Records(Iterator[Any]):
    """Records in input order (``Record`` dicts, JSON strings with ``as_json=True``, or
    ``InputError`` instances with ``errors="return"``)."""

    def __iter__(self) -> "Records": ...
    def __next__(self) -> Any: ...

def extract(
    text: Union[str, bytes],
    *,
    id: Optional[str] = None,
    published: Union[str, datetime.date, None] = None,
    url: Optional[str] = None,
    title: Optional[str] = None,
    source: Optional[str] = None,
) -> Record:
    """Code one plain-text article; the record ``kestrel extract --published P -`` writes
    (``print(record)`` prints that JSON line)."""

def extract_many(
    articles: Iterable[Article],
    threads: Optional[int] = None,
    *,
    errors: ErrorMode = "raise",
    as_json: bool = False,
    max_article_mb: float = 16.0,
) -> Records:
    """Code many articles (JSON Lines dicts or lines) in parallel; records stream in input order."""

def extract_files(
    paths: Union[PathLike, Iterable[PathLike]],
    threads: Optional[int] = None,
    *,
    errors: ErrorMode = "raise",
    as_json: bool = False,
    published: Union[str, datetime.date, None] = None,
    max_article_mb: float = 16.0,
) -> Records:
    """Code files and directories as ``kestrel extract PATH...`` does."""

def event_columns(records: Iterable[Union[Dict[str, Any], str]]) -> Dict[str, List[Any]]:
    """The flat event table (CSV columns) as lists; dates as day numbers since 1970-01-01."""

def to_pandas(records: Iterable[Union[Dict[str, Any], str]]) -> "pandas.DataFrame":
    """One row per event, the CSV columns, typed as the Parquet output."""

def to_arrow(records: Iterable[Union[Dict[str, Any], str]]) -> "pyarrow.RecordBatch":
    """One row per event, the CSV columns, as an Arrow record batch."""

def arrow_schema() -> "pyarrow.Schema":
    """The Arrow schema of ``to_arrow`` and of the Parquet output."""
