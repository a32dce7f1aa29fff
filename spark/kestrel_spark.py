"""Code news articles with Kestrel on a Spark cluster and write the events as Parquet.

    spark-submit [--master URL] [--files target/release/kestrel] spark/kestrel_spark.py \\
        --mode {python,pipe} --output DIR [--partition-by published] INPUT...

INPUT is any number of

- JSON Lines files (`.jsonl`/`.ndjson`, optionally `.gz`; any path Spark's `textFile` reads:
  local, HDFS, S3, globs), split into lines by Spark and coded line by line in parallel;
- WARC files (`.warc`, `.warc.gz`), plain-text and HTML articles (`.txt`, `.html`) and directories
  of them, each file handed whole to Kestrel's own readers, one task per file. Local paths are
  read by path on the executors (so they must be there: a shared file system, or one machine);
  URIs of other file systems (`hdfs://`, `s3a://`, ...) are fetched by Spark (`binaryFiles`) and
  copied to a temporary file on the executor first; `--copy-inputs` does that for local paths too.

The output is one row per event with the columns of `kestrel extract --format csv`, typed as its
Parquet output, partitioned by `--partition-by` (`published`, the publication date, by default; or
`event_date`; or `none`); the rows are repartitioned by that column first, so that each date
directory holds one file.

Two ways to run Kestrel on the executors, both coding with the same Rust pipeline:

- `--mode pipe`: `rdd.pipe` streams each partition's JSON lines through `kestrel extract -`, the
  binary shipped to the executors with `spark-submit --files path/to/kestrel` (or
  `--kestrel-bin`); files are given to the binary by path. It writes CSV rows, typed here.
  Executors need no Kestrel Python package (the driver does, for the column list and types).
- `--mode python`: the `kestrel` Python package (`pip install .`) in each executor's Python worker:
  `mapInArrow` turns Arrow batches of JSON lines into Arrow batches of events; files go through
  `kestrel.extract_files` in `mapPartitions`.

Articles without an `id` get `{file stem}-{line}`, as `kestrel extract FILE` names them, so the
same input gives the same events whichever way it is coded. Bad articles are reported on the
executors' stderr (`kestrel: error: ...`) and skipped, as the CLI does. The script prints one JSON
line of figures at the end (events written, seconds).
"""

import argparse
import csv
import json
import os
import shlex
import sys
import time
from pathlib import PurePosixPath
from urllib.parse import urlparse

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
# What Kestrel reads by extension (as `kestrel extract DIR` walks a directory).
KESTREL_SUFFIXES = tuple(
    s + gz for s in (".txt", ".jsonl", ".ndjson", ".html", ".htm", ".warc") for gz in ("", ".gz")
)
# Records coded in the Python worker are turned into rows this many at a time.
CHUNK = 256


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON Lines files, WARC files or directories")
    p.add_argument("--output", "-o", required=True, help="Parquet output directory (overwritten)")
    p.add_argument("--mode", choices=("python", "pipe"), default="python")
    p.add_argument("--partition-by", choices=("published", "event_date", "none"), default="published")
    p.add_argument("--partitions", type=int, default=0, help="repartition the JSON lines into N partitions (default: as read)")
    p.add_argument("--threads", type=int, default=1, help="Kestrel threads per Spark task (default 1: Spark runs one task per core)")
    p.add_argument(
        "--copy-inputs",
        action="store_true",
        help="fetch local WARC/text/HTML files through Spark (binaryFiles) instead of reading them by path on the executors",
    )
    p.add_argument("--kestrel-bin", default=None, help="pipe mode: the kestrel binary on the driver, shipped with SparkContext.addFile (else ship it with --files)")
    p.add_argument("--app-name", default="kestrel")
    return p.parse_args(argv)


def file_stem(path):
    """The file name without any of its extensions, as the CLI makes ids ("a/b.jsonl.gz" -> "b")."""
    name = PurePosixPath(path.rstrip("/")).name
    i = name.find(".")
    return name if i <= 0 else name[:i]


def report(message):
    print(f"kestrel: error: {message}", file=sys.stderr)


def with_id(path):
    """flatMap function for the (line, index) pairs of one JSON Lines file: its JSON objects, each
    with an id (`{stem}-{line number}` where it has none, as `kestrel extract FILE` names it).
    Blank lines are left out; a line that is not a JSON object is reported and left out."""
    stem = file_stem(path)

    def fix(pair):
        line, index = pair
        if not line.strip():
            return []
        try:
            obj = json.loads(line)
        except ValueError as e:
            report(f"{path}:{index + 1}: malformed JSON: {e}")
            return []
        if not isinstance(obj, dict):
            report(f"{path}:{index + 1}: expected a JSON object")
            return []
        ident = obj.get("id")
        has_id = (isinstance(ident, str) and ident != "") or (
            isinstance(ident, (int, float)) and not isinstance(ident, bool)
        )
        if has_id:
            return [line]
        obj["id"] = f"{stem}-{index + 1}"
        return [json.dumps(obj, ensure_ascii=False)]

    return fix


def is_local(path):
    scheme = urlparse(path).scheme
    return len(scheme) <= 1 or scheme == "file"  # "" or a Windows drive letter


def local_path(path):
    return urlparse(path).path if urlparse(path).scheme == "file" else path


def kestrel_reads(name):
    return name.lower().endswith(KESTREL_SUFFIXES)


def expand_local(path):
    """A local input as the files Kestrel would read: a directory walked in sorted order, keeping
    the names Kestrel reads, as `kestrel extract DIR` does; anything else as it is."""
    p = local_path(path)
    if not os.path.isdir(p):
        return [p]
    found = []
    for entry in sorted(os.listdir(p)):
        full = os.path.join(p, entry)
        if os.path.isdir(full):
            found += expand_local(full)
        elif kestrel_reads(entry):
            found.append(full)
    return found


def spark_schema(columns, days=False):
    """The Spark schema of the event columns (with `days`, dates as day numbers: `int`)."""
    from pyspark.sql.types import DateType, DoubleType, IntegerType, LongType, StringType, StructField, StructType

    date = IntegerType() if days else DateType()
    types = {"text": StringType(), "date": date, "int": LongType(), "float": DoubleType()}
    return StructType([StructField(name, types[kind], True) for name, kind in columns])


def copied(run_paths):
    """mapPartitions function for `binaryFiles` pairs (URI, bytes): each file is written to a
    temporary directory under its own name (Kestrel tells the format and makes ids from it) and
    handed to `run_paths`, one file at a time."""

    def run(pairs):
        import shutil
        import tempfile

        for uri, content in pairs:
            name = PurePosixPath(urlparse(uri).path).name
            if not kestrel_reads(name):
                continue
            tmp = tempfile.mkdtemp(prefix="kestrel-")
            try:
                local = os.path.join(tmp, name)
                with open(local, "wb") as f:
                    f.write(content)
                del content
                yield from run_paths(iter([local]))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)

    return run


# --- python mode: the kestrel package in the executors ---------------------------------------


def python_lines_to_events(threads):
    """mapInArrow function: Arrow batches of JSON lines -> Arrow batches of events."""

    def run(batches):
        import kestrel

        for batch in batches:
            lines = batch.column(0).to_pylist()
            good = []
            for r in kestrel.extract_many(lines, threads, errors="return", as_json=True):
                if isinstance(r, kestrel.InputError):
                    report(r)
                else:
                    good.append(r)
            yield kestrel.to_arrow(good)

    return run


def python_paths_to_rows(threads):
    """mapPartitions function: paths -> event rows, read by Kestrel's own readers. Dates are day
    numbers (`datetime.date` cannot hold every date Kestrel may give, such as year 0)."""

    def rows(records):
        import kestrel

        cols = kestrel.event_columns(records)
        return zip(*(cols[name] for name, _ in kestrel.COLUMNS))

    def run(paths):
        import kestrel

        paths = list(paths)
        if not paths:
            return
        chunk = []
        for r in kestrel.extract_files(paths, threads, errors="return", as_json=True):
            if isinstance(r, kestrel.InputError):
                report(r)
                continue
            chunk.append(r)
            if len(chunk) >= CHUNK:
                yield from rows(chunk)
                chunk = []
        yield from rows(chunk)

    return run


# --- pipe mode: the kestrel binary in the executors ------------------------------------------


def kestrel_command(bin_name, fallback_dir, threads, args):
    """A shell command that runs the shipped binary: in the task's working directory on a cluster
    (where `--files` puts it), else in the driver's SparkFiles directory (local mode). On standard
    input it exits quietly for an empty partition instead of letting kestrel report an empty
    article."""
    script = (
        'k="./$0"; [ -x "$k" ] || k="$1/$0"; shift; '
        + ('IFS= read -r first || exit 0; { printf "%s\\n" "$first"; cat; } | ' if args == ["-"] else "")
        + 'exec "$k" extract --format csv --quiet --threads "$@"'
    )
    return ["sh", "-c", script, bin_name, fallback_dir, str(threads), *args]


def csv_rows(names):
    """mapPartitions function: the CSV the binary wrote for one partition -> rows (None for empty)."""

    def run(lines):
        reader = csv.reader(line + "\n" for line in lines)
        header = next(reader, None)
        if header is None:
            return
        if header != names:
            raise RuntimeError(f"unexpected kestrel CSV header: {header[:5]}...")
        for row in reader:
            if row == names:
                continue  # a second run's header (several files in one partition)
            yield tuple(v if v != "" else None for v in row)

    return run


def pipe_paths(command_prefix, names):
    """mapPartitions function: run the binary on the partition's paths, yield its rows."""

    def lines(paths):
        import subprocess

        paths = list(paths)
        if not paths:
            return
        with subprocess.Popen(command_prefix + paths, stdout=subprocess.PIPE) as p:
            for raw in p.stdout:
                yield raw.decode("utf-8").rstrip("\n")
        if p.returncode not in (0, 2):  # 2: some input could not be read (reported on stderr)
            raise RuntimeError(f"kestrel exited with status {p.returncode}")

    def run(paths):
        return csv_rows(names)(lines(paths))

    return run


def typed(df, columns):
    """The CSV text columns of pipe mode, typed as the Parquet output types them: a date is
    `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (its first day); anything else is missing."""
    from pyspark.sql import functions as F

    def column(name, kind):
        c = F.col(name)
        if kind == "date":
            return F.when(F.length(c).isin(4, 7, 10), F.expr(f"try_cast(`{name}` AS date)")).alias(name)
        if kind == "int":
            return F.expr(f"try_cast(`{name}` AS bigint)").alias(name)
        if kind == "float":
            return F.expr(f"try_cast(`{name}` AS double)").alias(name)
        return c.alias(name)

    return df.select([column(name, kind) for name, kind in columns])


def from_days(df, columns):
    """Day-number date columns (python mode's rows) as dates."""
    from pyspark.sql import functions as F

    return df.select([F.date_from_unix_date(name).alias(name) if kind == "date" else F.col(name) for name, kind in columns])


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    import kestrel  # the driver needs the column list and types
    from pyspark import SparkFiles
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StringType, StructField, StructType

    spark = SparkSession.builder.appName(args.app_name).getOrCreate()
    # Kestrel's dates are proleptic Gregorian, as Spark's own: write them unchanged (Spark 3 would
    # otherwise refuse dates before 1582 in Parquet).
    spark.conf.set("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
    sc = spark.sparkContext
    columns = kestrel.COLUMNS
    names = [name for name, _ in columns]
    schema = spark_schema(columns)
    text_schema = StructType([StructField(n, StringType()) for n in names])
    start = time.time()

    jsonl, by_path, fetched = [], [], []
    for p in args.inputs:
        if p.lower().endswith(JSONL_SUFFIXES):
            jsonl.append(p)
        elif not is_local(p):
            fetched.append(p)
        elif args.copy_inputs:
            fetched += ["file://" + os.path.abspath(f) for f in expand_local(p)]
        else:
            by_path += expand_local(p)

    bin_name = "kestrel"
    if args.mode == "pipe" and args.kestrel_bin:
        sc.addFile(os.path.abspath(args.kestrel_bin))
        bin_name = os.path.basename(args.kestrel_bin)
    root = SparkFiles.getRootDirectory()

    if args.mode == "python":
        code_paths = python_paths_to_rows(args.threads)
    else:
        code_paths = pipe_paths(kestrel_command(bin_name, root, args.threads, []), names)

    def rows_frame(rdd):
        """A DataFrame of the event rows a paths function made."""
        if args.mode == "python":
            return from_days(spark.createDataFrame(rdd, spark_schema(columns, days=True)), columns)
        return typed(spark.createDataFrame(rdd, text_schema), columns)

    frames = []
    if jsonl:
        lines = sc.union([sc.textFile(p).zipWithIndex().flatMap(with_id(p)) for p in jsonl])
        if args.partitions > 0:
            lines = lines.repartition(args.partitions)
        if args.mode == "python":
            df = spark.createDataFrame(lines.map(lambda line: (line,)), StructType([StructField("line", StringType())]))
            frames.append(df.mapInArrow(python_lines_to_events(args.threads), schema))
        else:
            cmd = kestrel_command(bin_name, root, args.threads, ["-"])
            frames.append(typed(spark.createDataFrame(lines.pipe(shlex.join(cmd)).mapPartitions(csv_rows(names)), text_schema), columns))
    if by_path:
        # One task per file: Kestrel reads it from the executor's file system.
        frames.append(rows_frame(sc.parallelize(by_path, len(by_path)).mapPartitions(code_paths)))
    if fetched:
        hadoop = sc._jsc.hadoopConfiguration()
        hadoop.set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
        files = sc.binaryFiles(",".join(fetched), minPartitions=max(len(fetched), sc.defaultParallelism))
        frames.append(rows_frame(files.mapPartitions(copied(code_paths))))

    events = frames[0]
    for f in frames[1:]:
        events = events.unionByName(f)
    if args.partition_by != "none":
        # All the rows of a date in one task, so that each date directory gets one file instead of
        # one per task; as many tasks as cores (a given number: adaptive execution keeps it).
        events = events.repartition(sc.defaultParallelism, args.partition_by)
    writer = events.write.mode("overwrite")
    if args.partition_by != "none":
        writer = writer.partitionBy(args.partition_by)
    writer.parquet(args.output)
    written = time.time() - start
    count = spark.read.parquet(args.output).count()
    print(json.dumps({"mode": args.mode, "master": sc.master, "events": count, "seconds": round(written, 2), "output": args.output}))
    spark.stop()


if __name__ == "__main__":
    main()
