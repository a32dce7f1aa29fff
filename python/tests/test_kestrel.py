"""Tests of the `kestrel` Python package: records identical to the CLI's, streaming in order,
errors with the CLI's messages, the flat event table, and the GIL released while coding."""

import ast
import csv
import io
import json
import threading
import time
from pathlib import Path

import pytest

import kestrel

from conftest import EXAMPLES

TEXT_EXAMPLES = sorted(EXAMPLES.glob("*.txt"))


def line(record):
    """A record as the JSON line `kestrel extract` writes (without the line end)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def test_examples_exist():
    assert len(TEXT_EXAMPLES) >= 3


@pytest.mark.parametrize("path", TEXT_EXAMPLES, ids=lambda p: p.name)
def test_extract_is_the_cli_record_for_stdin_text(path, run_cli):
    raw = path.read_bytes()
    code, out, err = run_cli("extract", "-q", "--published", "2020-01-24", "-", stdin=raw)
    assert code == 0, err
    record = kestrel.extract(raw.decode("utf-8"), published="2020-01-24")
    assert line(record) == out.rstrip("\n")
    assert record["schema"] == kestrel.SCHEMA
    assert record["published"] == "2020-01-24"


def test_extract_with_id_and_without_date_matches_the_cli(run_cli):
    raw = TEXT_EXAMPLES[0].read_bytes()
    code, out, _ = run_cli("extract", "-q", "--id", "my-article", "-", stdin=raw)
    assert code == 0
    record = kestrel.extract(raw.decode("utf-8"), id="my-article")
    assert record["id"] == "my-article"
    assert line(record) == out.rstrip("\n")


def test_default_id_is_the_hash_prefix():
    record = kestrel.extract("Police arrested 12 protesters in Nairobi on Monday.")
    assert record["id"] == record["hash"][:16]
    assert len(record["hash"]) == 64


def test_bytes_that_are_not_utf8_are_decoded_as_the_cli_decodes_them(run_cli):
    raw = b"Police in Bogot\xe1 arrested 12 protesters on Monday, officials said.\n"
    code, out, _ = run_cli("extract", "-q", "-", stdin=raw)
    assert code == 0
    record = kestrel.extract(raw)
    assert line(record) == out.rstrip("\n")
    assert any(r["kind"] == "decoded_cp1252" for r in record["repairs"])


def test_seed_article_is_identical_to_the_cli(shared, run_cli):
    path = shared / "corpus" / "seed" / "000_b9cc3ed0ce90f727.txt"
    code, out, _ = run_cli("extract", "-q", "--published", "2020-01-24", "-", stdin=path.read_bytes())
    assert code == 0
    record = kestrel.extract(path.read_text(encoding="utf-8"), published="2020-01-24")
    assert line(record) == out.rstrip("\n")
    assert record["events"], "the seed article tells events"


def test_the_issues_command_prints_the_cli_record(shared, run_cli):
    """`python -c "import kestrel; print(kestrel.extract(open(SEED).read(), published=...))"`
    prints the JSON line `kestrel extract --published 2020-01-24 SEED` prints. The one field that
    can differ is `id`: the CLI names a file's article after the file (its stem), while `extract`
    sees only the text and names it as the CLI names text on standard input (the hash prefix).
    Given the stem as `id`, or coded through `extract_files`, the record is the CLI's byte for
    byte."""
    import subprocess
    import sys

    seed = shared / "corpus" / "seed" / "000_b9cc3ed0ce90f727.txt"
    code, out, _ = run_cli("extract", "-q", "--published", "2020-01-24", seed)
    assert code == 0
    cli = json.loads(out)
    assert cli["id"] == "000_b9cc3ed0ce90f727"
    program = f"import kestrel; print(kestrel.extract(open({str(seed)!r}).read(), published='2020-01-24'))"
    printed = subprocess.run([sys.executable, "-c", program], stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
    got = json.loads(printed)
    assert got["id"] == got["hash"][:16]
    assert {**got, "id": cli["id"]} == cli
    assert list(got) == list(cli)
    text = seed.read_text(encoding="utf-8")
    assert str(kestrel.extract(text, published="2020-01-24", id=seed.stem)) == out.rstrip("\n")
    assert str(next(kestrel.extract_files(seed, published="2020-01-24"))) == out.rstrip("\n")
    # And the command's output is the stdin form's byte for byte.
    _, out_stdin, _ = run_cli("extract", "-q", "--published", "2020-01-24", "-", stdin=seed.read_bytes())
    assert printed == out_stdin


def test_records_are_dicts_that_print_as_the_cli_line(run_cli):
    import pickle

    raw = TEXT_EXAMPLES[0].read_bytes()
    _, out, _ = run_cli("extract", "-q", "--published", "2020-01-24", "-", stdin=raw)
    record = kestrel.extract(raw.decode("utf-8"), published="2020-01-24")
    assert isinstance(record, dict) and isinstance(record, kestrel.Record)
    assert str(record) == out.rstrip("\n") == line(record)
    assert repr(record) == repr(dict(record))
    assert list(record) == list(json.loads(out))  # keys in the CLI's order
    back = pickle.loads(pickle.dumps(record))
    assert back == record and type(back) is kestrel.Record
    assert json.loads(json.dumps(record)) == json.loads(out)
    many = next(kestrel.extract_many([{"id": "x", "text": raw.decode("utf-8"), "published": "2020-01-24"}], 1))
    assert isinstance(many, kestrel.Record) and many["events"] == record["events"]


def test_metadata_arguments_fill_the_record():
    import datetime

    record = kestrel.extract(
        "Talks between the two governments resumed in Geneva on Monday.",
        id="a1",
        published=datetime.date(2021, 3, 1),
        url="https://example.org/a1",
        title="Talks resume",
        source="Example Wire",
    )
    assert (record["id"], record["published"], record["url"]) == ("a1", "2021-03-01", "https://example.org/a1")
    assert (record["title"], record["source"], record["published_from"]) == ("Talks resume", "Example Wire", "input")


def test_extract_files_is_the_cli_output_for_the_examples(run_cli):
    code, out, err = run_cli("extract", "-q", EXAMPLES)
    assert code == 0, err
    expected = out.splitlines()
    got = [line(r) for r in kestrel.extract_files(str(EXAMPLES))]
    assert got == expected
    assert list(kestrel.extract_files(EXAMPLES, as_json=True)) == expected


def test_extract_many_reads_items_as_json_lines(run_cli):
    path = EXAMPLES / "batch.jsonl"
    code, out, _ = run_cli("extract", "-q", path)
    assert code == 0
    expected = out.splitlines()
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    dicts = [json.loads(l) for l in lines]
    assert [line(r) for r in kestrel.extract_many(dicts)] == expected
    assert list(kestrel.extract_many(lines, as_json=True)) == expected
    assert list(kestrel.extract_many((l.encode() for l in lines), as_json=True)) == expected
    # Unknown fields are kept under meta, as the CLI keeps them.
    assert json.loads(expected[0])["meta"] == {"section": "world"}


def test_wikinews_through_the_package_equals_the_cli(shared, run_cli):
    path = shared / "corpus" / "wikinews" / "wikinews-2019.jsonl"
    code, out, _ = run_cli("extract", "-q", path)
    assert code == 0
    expected = out.splitlines()
    got = list(kestrel.extract_many(path.read_text(encoding="utf-8").splitlines(), as_json=True, threads=2))
    assert got == expected


def _articles(n):
    texts = [p.read_text(encoding="utf-8") for p in TEXT_EXAMPLES]
    return [{"id": f"a{i:04d}", "text": texts[i % len(texts)], "published": "2020-01-24"} for i in range(n)]


def test_order_and_content_do_not_depend_on_threads_across_batches():
    # More than one batch of 512, so that batches overlap on the pool.
    articles = _articles(1100)
    one = list(kestrel.extract_many(articles, threads=1, as_json=True))
    two = list(kestrel.extract_many(iter(articles), threads=2, as_json=True))
    assert one == two
    assert [json.loads(r)["id"] for r in two] == [a["id"] for a in articles]


def test_items_without_an_id_are_numbered():
    records = list(kestrel.extract_many([{"text": "Rebels attacked a convoy."}, {"id": 7, "text": "Troops withdrew."}]))
    assert [r["id"] for r in records] == ["item-1", "7"]


def test_extract_many_is_lazy():
    seen = []

    def items():
        for a in _articles(2000):
            seen.append(a["id"])
            yield a

    records = kestrel.extract_many(items(), threads=1)
    first = next(records)
    assert first["id"] == "a0000"
    assert len(seen) < 2000


# --- errors: Python exceptions with the CLI's messages ------------------------------------------


def test_empty_text_raises_the_cli_message(run_cli):
    code, _, err = run_cli("extract", "-", stdin=b"  \n\n ")
    assert code == 2
    assert "<stdin>: empty article (no text)" in err
    with pytest.raises(kestrel.InputError) as e:
        kestrel.extract("  \n\n ")
    assert str(e.value) == "<text>: empty article (no text)"
    assert isinstance(e.value, ValueError)
    assert e.value.kind == "empty"
    with pytest.raises(ValueError, match=r"^art-9: empty article \(no text\)$"):
        kestrel.extract("", id="art-9")


def test_bad_published_date_raises_the_cli_message(run_cli):
    code, _, err = run_cli("extract", "--published", "2020-13-45", "-", stdin=b"Some text.")
    assert code == 2
    message = '"2020-13-45" is not a date of the form YYYY-MM-DD'
    assert message in err
    with pytest.raises(ValueError) as e:
        kestrel.extract("Some text.", published="2020-13-45")
    assert str(e.value) == message
    with pytest.raises(TypeError):
        kestrel.extract("Some text.", published=20200124)
    with pytest.raises(TypeError):
        kestrel.extract(12345)


def test_bad_items_give_the_cli_messages(tmp_path, run_cli):
    bad = ['{"id": "a"}', "{oops", '{"id": "b", "text": "   "}', "[1, 2]"]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    code, _, err = run_cli("extract", "-q", path)
    assert code == 2
    cli_messages = [l.split(f"{path}:", 1)[1].split(": ", 1)[1] for l in err.splitlines() if l.startswith("kestrel: error:")]
    got = list(kestrel.extract_many(bad, errors="return"))
    assert all(isinstance(g, kestrel.InputError) for g in got)
    assert [g.input for g in got] == ["<items>:1", "<items>:2", "<items>:3", "<items>:4"]
    assert [str(g).split(": ", 1)[1] for g in got] == cli_messages
    assert got[0].kind == "malformed JSON"


def test_error_modes():
    items = [{"id": "ok1", "text": "Troops withdrew."}, {"id": "bad"}, {"id": "ok2", "text": "Rebels attacked."}, 42]
    assert [r["id"] for r in kestrel.extract_many(items, errors="skip")] == ["ok1", "ok2"]
    records = kestrel.extract_many(items)
    assert next(records)["id"] == "ok1"
    with pytest.raises(kestrel.InputError, match=r'^<items>:2: missing "text" field$'):
        next(records)
    # The iterator goes on after an error.
    assert next(records)["id"] == "ok2"
    with pytest.raises(kestrel.InputError, match=r"^<items>:4: expected a dict or a JSON Lines string, not int$"):
        next(records)
    with pytest.raises(StopIteration):
        next(records)
    with pytest.raises(ValueError, match="errors must be"):
        kestrel.extract_many(items, errors="ignore")
    with pytest.raises(ValueError, match="max_article_mb must be positive"):
        kestrel.extract_many(items, max_article_mb=0)


def test_an_exception_in_the_input_comes_out_after_the_records_before_it():
    def items():
        yield {"id": "x1", "text": "Troops withdrew from the border."}
        yield {"id": "x2", "text": "Rebels attacked a convoy."}
        raise KeyError("source broke")

    records = kestrel.extract_many(items())
    assert [next(records)["id"], next(records)["id"]] == ["x1", "x2"]
    with pytest.raises(KeyError, match="source broke"):
        next(records)


def test_missing_and_unknown_files_give_the_cli_messages(tmp_path, run_cli):
    missing = tmp_path / "nope.jsonl"
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n")
    _, _, err = run_cli("extract", "-q", missing, other)
    got = list(kestrel.extract_files([missing, other], errors="return"))
    assert [f"kestrel: error: {g}" for g in got] == err.splitlines()


def test_over_long_items_are_reported():
    got = list(kestrel.extract_many([{"id": "big", "text": "x " * 400_000}], errors="return", max_article_mb=0.5))
    assert isinstance(got[0], kestrel.InputError)
    assert "larger than the limit" in str(got[0])


# --- the flat event table ----------------------------------------------------------------------


def _records():
    return list(kestrel.extract_files(EXAMPLES))


def test_event_columns_are_the_csv_rows(run_cli):
    records = _records()
    code, out, _ = run_cli("extract", "-q", "--format", "csv", EXAMPLES)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out, newline="")))
    header, rows = rows[0], rows[1:]
    assert header == [name for name, _ in kestrel.COLUMNS]
    cols = kestrel.event_columns(records)
    n = sum(len(r["events"]) for r in records)
    assert n > 0 and len(rows) == n
    import datetime

    epoch = datetime.date(1970, 1, 1)
    for j, (name, kind) in enumerate(kestrel.COLUMNS):
        for i, row in enumerate(rows):
            value = cols[name][i]
            if value is None:
                assert row[j] == "", name
            elif kind == "date":
                padded = (row[j] + "-01-01")[:10] if len(row[j]) == 4 else (row[j] + "-01")[:10]
                assert epoch + datetime.timedelta(days=value) == datetime.date.fromisoformat(padded), name
            elif kind == "float":
                assert float(row[j]) == value, name
            else:
                assert str(value) == row[j], name
    # JSON strings work as well as dicts.
    assert kestrel.event_columns(line(r) for r in records) == cols


def test_dates_outside_pythons_range_are_kept_as_the_parquet_output_keeps_them():
    """Kestrel may give a date that `datetime.date` and pandas' nanoseconds cannot hold (a page
    that claims to be published on 0001-01-01 puts "Tuesday" in year 0): the day number is the
    Parquet writer's (proleptic Gregorian), and a value of another form is missing."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    record = next(r for r in _records() if len(r["events"]) >= 3)
    values = ["0000-12-26", "-0001-01-01", "1066"]
    for event, value in zip(record["events"], values):
        event["date"] = {"value": value, "precision": "day", "end": None, "text": "x", "span": [0, 1]}
    days = kestrel.event_columns([record])["event_date"][:3]
    epoch = np.datetime64("1970-01-01")
    assert days == [int((np.datetime64("0000-12-26") - epoch).astype(int)), None, int((np.datetime64("1066-01-01") - epoch).astype(int))]
    df = kestrel.to_pandas([record])
    assert str(df["event_date"].dtype) == "datetime64[s]"
    assert df["event_date"].values[0] == np.datetime64("0000-12-26")
    assert df["event_date"].isna().tolist()[:3] == [False, True, False]
    batch = kestrel.to_arrow([record])
    assert batch.column(batch.schema.get_field_index("event_date")).cast("int32").to_pylist()[:3] == days


def test_event_columns_reject_what_is_not_a_record():
    with pytest.raises(ValueError, match="record 1: not a kestrel/1 record"):
        kestrel.event_columns([{"id": "x"}])
    with pytest.raises(TypeError, match="record 2"):
        kestrel.event_columns([line(_records()[0]), 5])


def test_to_pandas():
    pd = pytest.importorskip("pandas")
    records = _records()
    df = kestrel.to_pandas(records)
    assert list(df.columns) == [name for name, _ in kestrel.COLUMNS]
    assert len(df) == sum(len(r["events"]) for r in records)
    assert df["event_id"].iloc[0] == f"{records[0]['id']}:{records[0]['events'][0]['id']}"
    assert str(df["published"].dtype).startswith("datetime64")
    assert str(df["fatalities_min"].dtype) == "Int64"
    assert df["confidence"].dtype == "float64"
    assert df.groupby("plover_type").size().sum() == len(df)
    empty = kestrel.to_pandas([])
    assert len(empty) == 0 and list(empty.columns) == list(df.columns)
    assert isinstance(df, pd.DataFrame)


def test_to_arrow_and_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    records = _records()
    batch = kestrel.to_arrow(records)
    assert batch.schema == kestrel.arrow_schema()
    assert batch.num_rows == sum(len(r["events"]) for r in records)
    assert batch.schema.field("event_date").type == pa.date32()
    pq.write_table(pa.Table.from_batches([batch]), tmp_path / "events.parquet")
    back = pq.read_table(tmp_path / "events.parquet")
    assert back.num_rows == batch.num_rows
    assert back.column("event_id").to_pylist() == batch.column("event_id").to_pylist()


# --- the GIL and the package's surface ---------------------------------------------------------


def test_the_gil_is_released_while_coding():
    article = "\n\n".join(p.read_text(encoding="utf-8") for p in TEXT_EXAMPLES)
    kestrel.extract("Warm-up: resources load once.")
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.002)

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.05)
    # A text long enough for the call to last a while on this machine, however fast it is.
    copies = 12
    while True:
        start = time.perf_counter()
        record = kestrel.extract(article * copies)
        end = time.perf_counter()
        if end - start > 0.1 or copies >= 12 * 4**4:
            break
        copies *= 4
    done.set()
    t.join()
    assert record["events"]
    during = [x for x in ticks if start < x < end]
    # Holding the GIL for the whole call would leave the other thread no tick at all.
    assert end - start > 0.05, "the text is too short to tell"
    assert len(during) >= 3, (len(during), end - start)


def test_stubs_declare_the_public_api():
    stub = Path(kestrel.__file__).with_name("__init__.pyi")
    assert stub.is_file() and Path(kestrel.__file__).with_name("py.typed").is_file()
    tree = ast.parse(stub.read_text())
    declared = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    declared |= {t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target]}
    assert set(kestrel.__all__) <= declared
    for name in kestrel.__all__:
        assert hasattr(kestrel, name)
        obj = getattr(kestrel, name)
        if callable(obj):
            assert obj.__doc__, f"{name} has no docstring"
