//! Python bindings for Kestrel: the extension module `kestrel._kestrel`, a thin shell over the Rust
//! pipeline.
//!
//! It turns Python values into [`Article`]s exactly as `kestrel extract` turns its inputs into
//! articles (plain text as the CLI reads standard input; dicts and JSON strings as lines of a JSON
//! Lines file; paths through the same ingest code), runs the one process-wide [`Pipeline`] on a
//! rayon pool with the GIL released, and hands each `kestrel/1` record back as the JSON line the
//! CLI writes or as the Python objects of that JSON (a `kestrel.Record` dict). Flat event rows come
//! from the same code as the CSV and Parquet writers ([`kestrel::output::event_row`]). The Python
//! package around this module (`python/kestrel`) adds the `Record` type and the pandas and Arrow
//! helpers; no extraction logic lives in Python.

use kestrel::ingest::{self, ErrorKind, InputError as ArticleError, ReadOptions};
use kestrel::model::{Article, Record};
use kestrel::output::{event_row, Cell, ColumnKind, COLUMNS};
use kestrel::Pipeline;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyIterator, PyList, PyString, PyType};
use rayon::prelude::*;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Mutex, OnceLock};

pyo3::create_exception!(
    kestrel,
    InputError,
    PyValueError,
    "An article Kestrel cannot read. The message is the one `kestrel extract` prints \
     (`INPUT: what is wrong`); `input` names the input and `kind` the class of failure."
);

/// Batches handed to the thread pool are cut at this many articles or bytes of text, and this
/// many batches are coded ahead of the one being handed out: the pool never waits for Python to
/// take records, and Python gets the first ones soon.
const BATCH_ARTICLES: usize = 128;
const BATCH_BYTES: usize = 4 * 1024 * 1024;
const BATCHES_AHEAD: usize = 2;

/// The name `extract_many` gives its inputs in error messages (`<items>:3: missing "text" field`).
const ITEMS: &str = "<items>";

/// The stem handed to the JSON Lines reader, so that its fallback id for an item without one can
/// be told from any real id and replaced by `item-N`.
const FALLBACK_STEM: &str = "\u{0}kestrel-item";

/// The pipeline of this process: resources load once, on first use.
static PIPELINE: OnceLock<Pipeline> = OnceLock::new();

fn pipeline(py: Python<'_>) -> &'static Pipeline {
    match PIPELINE.get() {
        Some(p) => p,
        None => py.detach(|| PIPELINE.get_or_init(Pipeline::new)),
    }
}

static JSON_ENCODE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static RECORD_CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A JSON value as a tree that keeps the order of object keys (`serde_json::Value` sorts them).
/// Records are parsed into it on the worker threads, so that all the calling thread does with the
/// GIL held is make the Python objects.
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::UInt(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(pair) = map.next_entry::<String, Node>()? {
            pairs.push(pair);
        }
        Ok(Node::Map(pairs))
    }
}

/// Python strings for the keys of record objects, made once and shared by every record an
/// iterator hands out (as `json.loads` shares them within one document).
#[derive(Default)]
struct Keys(HashMap<String, Py<PyString>>);

impl Keys {
    /// Past this many distinct keys (only `meta` brings keys that are not Kestrel's), new keys are
    /// made afresh each time instead of being kept.
    const MAX: usize = 4096;

    fn get<'py>(&mut self, py: Python<'py>, key: &str) -> Bound<'py, PyString> {
        if let Some(s) = self.0.get(key) {
            return s.bind(py).clone();
        }
        let s = PyString::new(py, key);
        if self.0.len() < Self::MAX {
            self.0.insert(key.to_owned(), s.clone().unbind());
        }
        s
    }
}

/// The Python objects of a JSON tree: what `json.loads` makes of the same JSON text.
fn node_to_py<'py>(py: Python<'py>, node: &Node, keys: &mut Keys) -> PyResult<Bound<'py, PyAny>> {
    Ok(match node {
        Node::Null => py.None().into_bound(py),
        Node::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Node::Int(i) => i.into_pyobject(py)?.into_any(),
        Node::UInt(u) => u.into_pyobject(py)?.into_any(),
        Node::Float(f) => PyFloat::new(py, *f).into_any(),
        Node::Str(s) => PyString::new(py, s).into_any(),
        Node::List(items) => {
            let items = items
                .iter()
                .map(|n| node_to_py(py, n, keys))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Node::Map(pairs) => {
            let d = PyDict::new(py);
            fill_dict(py, &d, pairs, keys)?;
            d.into_any()
        }
    })
}

fn fill_dict(
    py: Python<'_>,
    d: &Bound<'_, PyDict>,
    pairs: &[(String, Node)],
    keys: &mut Keys,
) -> PyResult<()> {
    for (k, v) in pairs {
        d.set_item(keys.get(py, k), node_to_py(py, v, keys)?)?;
    }
    Ok(())
}

/// A record as a `kestrel.Record` (a dict whose `str()` is the record's JSON line).
fn record_to_py<'py>(py: Python<'py>, node: &Node, keys: &mut Keys) -> PyResult<Bound<'py, PyAny>> {
    let Node::Map(pairs) = node else {
        return node_to_py(py, node, keys);
    };
    let class = RECORD_CLASS.get_or_try_init(py, || -> PyResult<Py<PyType>> {
        Ok(py
            .import("kestrel")?
            .getattr("Record")?
            .cast_into::<PyType>()?
            .unbind())
    })?;
    let record = class.bind(py).call0()?;
    fill_dict(py, record.cast::<PyDict>()?, pairs, keys)?;
    Ok(record)
}

/// JSON text of a Python object (`json.dumps(obj, ensure_ascii=False, default=str)`): dates and
/// other non-JSON values become their `str`.
fn json_encode(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = obj.py();
    let encode = JSON_ENCODE.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("ensure_ascii", false)?;
        kwargs.set_item("default", py.import("builtins")?.getattr("str")?)?;
        let encoder = py
            .import("json")?
            .getattr("JSONEncoder")?
            .call((), Some(&kwargs))?;
        Ok(encoder.getattr("encode")?.unbind())
    })?;
    let s = encode.bind(py).call1((obj,))?;
    Ok(s.cast::<PyString>()?.to_cow()?.into_owned())
}

/// The Python exception for an input error, with `input` and `kind` attributes.
fn input_error(py: Python<'_>, e: &ArticleError) -> PyErr {
    let err = InputError::new_err(e.to_string());
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail; if it did, the message alone
    // still says everything.
    let _ = value.setattr("input", e.input.as_str());
    let _ = value.setattr("kind", e.kind.as_str());
    err
}

/// A coded article, ready to be handed to Python.
enum Coded {
    /// The record's JSON line, as `kestrel extract` writes it (without the line end).
    Line(String),
    /// The same JSON as a tree, for a `kestrel.Record`.
    Tree(Node),
}

/// Code one article: the `kestrel/1` JSON exactly as `kestrel extract` writes it, as a line or
/// (`tree`) parsed into a [`Node`] on this thread.
fn code(pipeline: &Pipeline, article: Article, tree: bool) -> Result<Coded, ArticleError> {
    let id = article.id.clone();
    let fail = |e: serde_json::Error| {
        ArticleError::new(
            &id,
            ErrorKind::Json,
            format!("cannot serialise the record: {e}"),
        )
    };
    let json = serde_json::to_string(&pipeline.process(article)).map_err(fail)?;
    if tree {
        Ok(Coded::Tree(serde_json::from_str(&json).map_err(fail)?))
    } else {
        Ok(Coded::Line(json))
    }
}

/// The type name of a Python value, for error messages.
fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A `published` argument: a `YYYY-MM-DD` string (checked as the CLI checks `--published`) or a
/// `datetime.date`/`datetime.datetime`.
fn published_arg(v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let s = if let Ok(s) = v.cast::<PyString>() {
        s.to_cow()?.into_owned()
    } else if v.hasattr("isoformat")? && v.hasattr("year")? {
        let iso: String = v.call_method0("isoformat")?.extract()?;
        iso.chars().take(10).collect()
    } else {
        return Err(PyTypeError::new_err(format!(
            "published must be a str (YYYY-MM-DD) or a datetime.date, not {}",
            type_name(v)
        )));
    };
    ingest::normalise_date(&s)
        .filter(|d| d.len() == s.trim().len())
        .map(Some)
        .ok_or_else(|| PyValueError::new_err(format!("{s:?} is not a date of the form YYYY-MM-DD")))
}

/// `None` for a blank string, as the JSON Lines reader treats blank metadata.
fn non_blank(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// Code one article and return its `kestrel/1` record, a `kestrel.Record` (a dict whose `str()`
/// is the record's JSON line, so `print(extract(text))` prints what the CLI prints).
///
/// `text` is one plain-text article (`str`, or `bytes`: bytes that are not UTF-8 are decoded as
/// Windows-1252 and recorded as `decoded_cp1252` repairs). The record is the one
/// `kestrel extract --published P --id ID -` writes for the same text: same id (by default the
/// first 16 hex digits of the text's SHA-256), same hash, same fields. `url`, `title` and `source`
/// fill the record's metadata as the JSON Lines fields of the same names do.
///
/// Raises `kestrel.InputError` (a `ValueError`) with the CLI's message for text that is empty,
/// `ValueError` for a malformed `published` date.
#[pyfunction]
#[pyo3(signature = (text, *, id=None, published=None, url=None, title=None, source=None))]
fn extract<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    id: Option<String>,
    published: Option<Bound<'py, PyAny>>,
    url: Option<String>,
    title: Option<String>,
    source: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let bytes: Vec<u8> = if let Ok(s) = text.cast::<PyString>() {
        s.to_cow()?.into_owned().into_bytes()
    } else if let Ok(b) = text.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else {
        return Err(PyTypeError::new_err(format!(
            "text must be a str or bytes, not {}",
            type_name(text)
        )));
    };
    let published = published_arg(published.as_ref())?;
    let name = id.clone().unwrap_or_else(|| "<text>".to_string());
    let pipeline = pipeline(py);
    let json = py
        .detach(|| {
            let hash = ingest::sha256_hex(&bytes);
            let (text, decode_repairs) = ingest::decode_text(bytes);
            if text.trim().is_empty() {
                return Err(ArticleError::new(
                    name,
                    ErrorKind::Empty,
                    "empty article (no text)",
                ));
            }
            let article = Article {
                id: id.unwrap_or_else(|| hash[..16].to_string()),
                url: non_blank(url),
                source: non_blank(source),
                title: non_blank(title),
                published,
                text,
                hash,
                meta: None,
                decode_repairs,
            };
            code_guarded(pipeline, article, true)
        })
        .map_err(|e| input_error(py, &e))?;
    match json {
        Coded::Tree(node) => record_to_py(py, &node, &mut Keys::default()),
        Coded::Line(line) => Ok(PyString::new(py, &line).into_any()),
    }
}

/// What a record iterator does with an article it cannot read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ErrorMode {
    /// Raise `InputError` (the iterator can be resumed after it).
    Raise,
    /// Leave the article out.
    Skip,
    /// Yield the `InputError` instance in the article's place.
    Return,
}

impl ErrorMode {
    fn parse(s: &str) -> PyResult<Self> {
        match s {
            "raise" => Ok(ErrorMode::Raise),
            "skip" => Ok(ErrorMode::Skip),
            "return" => Ok(ErrorMode::Return),
            _ => Err(PyValueError::new_err(format!(
                "errors must be \"raise\", \"skip\" or \"return\", not {s:?}"
            ))),
        }
    }
}

/// Where a record iterator takes its articles from.
enum Feed {
    /// A Python iterable of dicts or JSON Lines strings; `count` items taken so far.
    Python { iter: Py<PyIterator>, count: usize },
    /// Files read by the Rust ingest code.
    Files(ingest::ArticleStream),
}

/// The coded items of one batch, in input order.
type Batch = Vec<Result<Coded, ArticleError>>;

struct State {
    feed: Feed,
    /// Processed items waiting to be handed out, in input order.
    ready: VecDeque<Result<Coded, ArticleError>>,
    /// The next batches, in input order, being coded on the pool while `ready` is handed out.
    in_flight: VecDeque<mpsc::Receiver<Batch>>,
    /// An exception the Python iterable raised, to raise once the items before it are out.
    pending: Option<PyErr>,
    /// No more articles to read.
    exhausted: bool,
    /// Key strings shared by the records handed out.
    keys: Keys,
}

/// An iterator of `kestrel/1` records (`kestrel.Record` dicts, or JSON strings with
/// `as_json=True`), in input order. Articles are read in batches and coded in parallel with the
/// GIL released.
#[pyclass(module = "kestrel", name = "Records", frozen)]
struct Records {
    state: Mutex<State>,
    pool: rayon::ThreadPool,
    errors: ErrorMode,
    as_json: bool,
    max_bytes: usize,
}

impl Records {
    fn new(
        feed: Feed,
        threads: Option<usize>,
        errors: &str,
        as_json: bool,
        max_article_mb: f64,
    ) -> PyResult<Self> {
        let errors = ErrorMode::parse(errors)?;
        let max_bytes = max_bytes(max_article_mb)?;
        let threads = threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        });
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build()
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start threads: {e}")))?;
        Ok(Records {
            state: Mutex::new(State {
                feed,
                ready: VecDeque::new(),
                in_flight: VecDeque::new(),
                pending: None,
                exhausted: false,
                keys: Keys::default(),
            }),
            pool,
            errors,
            as_json,
            max_bytes,
        })
    }

    /// Read the next batch of articles (empty when there are none left).
    fn read_batch(&self, py: Python<'_>, st: &mut State) -> Vec<Result<Article, ArticleError>> {
        let max_bytes = self.max_bytes;
        match &mut st.feed {
            Feed::Python { iter, count } => {
                let mut batch = Vec::new();
                let mut bytes = 0usize;
                let mut iter = iter.bind(py).clone();
                while batch.len() < BATCH_ARTICLES && bytes < BATCH_BYTES {
                    match iter.next() {
                        None => {
                            st.exhausted = true;
                            break;
                        }
                        Some(Err(e)) => {
                            st.pending = Some(e);
                            st.exhausted = true;
                            break;
                        }
                        Some(Ok(obj)) => {
                            *count += 1;
                            let item = article_from_py(&obj, *count, max_bytes);
                            if let Ok(a) = &item {
                                bytes += a.text.len();
                            }
                            batch.push(item);
                        }
                    }
                }
                batch
            }
            Feed::Files(stream) => {
                let (batch, done) = py.detach(|| {
                    let mut batch = Vec::new();
                    let mut bytes = 0usize;
                    while batch.len() < BATCH_ARTICLES && bytes < BATCH_BYTES {
                        match stream.next() {
                            None => return (batch, true),
                            Some(item) => {
                                if let Ok(a) = &item {
                                    bytes += a.text.len();
                                }
                                batch.push(item);
                            }
                        }
                    }
                    (batch, false)
                });
                st.exhausted = done;
                batch
            }
        }
    }
}

#[pymethods]
impl Records {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let mut st = self.state.try_lock().map_err(|_| {
            PyRuntimeError::new_err("this record iterator is already running in another thread")
        })?;
        loop {
            // Keep the next batches coding on the pool while this one is handed out: turning
            // records into Python objects needs the GIL and one core, the pool has the others.
            while st.in_flight.len() < BATCHES_AHEAD && !st.exhausted {
                let batch = self.read_batch(py, &mut st);
                if !batch.is_empty() {
                    let pipeline = pipeline(py);
                    let tree = !self.as_json;
                    let (tx, rx) = mpsc::channel();
                    self.pool.spawn(move || {
                        let out: Batch = batch
                            .into_par_iter()
                            .map(|a| a.and_then(|a| code_guarded(pipeline, a, tree)))
                            .collect();
                        // The receiver is gone only when the iterator was dropped.
                        let _ = tx.send(out);
                    });
                    st.in_flight.push_back(rx);
                }
            }
            if let Some(item) = st.ready.pop_front() {
                match item {
                    Ok(Coded::Line(json)) => {
                        return Ok(Some(PyString::new(py, &json).into_any().unbind()))
                    }
                    Ok(Coded::Tree(node)) => {
                        let st = &mut *st;
                        return Ok(Some(record_to_py(py, &node, &mut st.keys)?.unbind()));
                    }
                    Err(e) => match self.errors {
                        ErrorMode::Raise => return Err(input_error(py, &e)),
                        ErrorMode::Skip => continue,
                        ErrorMode::Return => {
                            return Ok(Some(input_error(py, &e).into_value(py).into_any()))
                        }
                    },
                }
            }
            if let Some(rx) = st.in_flight.pop_front() {
                let out = py.detach(move || rx.recv()).map_err(|_| {
                    PyRuntimeError::new_err("a Kestrel worker thread stopped unexpectedly")
                })?;
                st.ready.extend(out);
                continue;
            }
            if let Some(e) = st.pending.take() {
                return Err(e);
            }
            if st.exhausted {
                return Ok(None);
            }
        }
    }
}

/// [`code`], with a panic in the pipeline (a bug) turned into an error naming the article, so
/// that one article cannot bring down the Python process.
fn code_guarded(pipeline: &Pipeline, article: Article, tree: bool) -> Result<Coded, ArticleError> {
    let id = article.id.clone();
    catch_unwind(AssertUnwindSafe(|| code(pipeline, article, tree))).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ArticleError::new(
            id,
            ErrorKind::Io,
            format!("internal error while coding this article: {what}"),
        ))
    })
}

/// `--max-article-mb` in bytes, checked as the CLI checks it.
fn max_bytes(max_article_mb: f64) -> PyResult<usize> {
    if max_article_mb.is_nan() || max_article_mb <= 0.0 {
        return Err(PyValueError::new_err("max_article_mb must be positive"));
    }
    Ok((max_article_mb * 1024.0 * 1024.0) as usize)
}

/// One item of `extract_many` as an article: a dict or a JSON string is read as line `n` of a
/// JSON Lines file, by the CLI's own JSON Lines reader.
fn article_from_py(
    obj: &Bound<'_, PyAny>,
    n: usize,
    max_bytes: usize,
) -> Result<Article, ArticleError> {
    let where_ = format!("{ITEMS}:{n}");
    let encoding = |e: PyErr| ArticleError::new(&where_, ErrorKind::Encoding, e.to_string());
    let line: Vec<u8> = if let Ok(s) = obj.cast::<PyString>() {
        s.to_cow().map_err(encoding)?.into_owned().into_bytes()
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if obj.cast::<PyDict>().is_ok() {
        json_encode(obj).map_err(encoding)?.into_bytes()
    } else {
        return Err(ArticleError::new(
            &where_,
            ErrorKind::Json,
            format!(
                "expected a dict or a JSON Lines string, not {}",
                type_name(obj)
            ),
        ));
    };
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ArticleError::new(
            &where_,
            ErrorKind::Empty,
            "empty item (no JSON object)",
        ));
    }
    let mut lines = ingest::json_lines(
        ITEMS.to_string(),
        FALLBACK_STEM.to_string(),
        Cursor::new(line),
        max_bytes,
    );
    let first = lines.next();
    // After a good article, anything more is a second JSON line. (After an error the reader may
    // report the rest of its input as empty: the first error is the one that counts.)
    if matches!(first, Some(Ok(_))) && lines.next().is_some() {
        return Err(ArticleError::new(
            &where_,
            ErrorKind::Json,
            "an item holds more than one JSON line",
        ));
    }
    match first {
        Some(Ok(mut a)) => {
            if a.id == format!("{FALLBACK_STEM}-1") {
                a.id = format!("item-{n}");
            }
            Ok(a)
        }
        Some(Err(mut e)) => {
            e.input = where_;
            Err(e)
        }
        None => Err(ArticleError::new(
            &where_,
            ErrorKind::Empty,
            "empty item (no JSON object)",
        )),
    }
}

/// Code many articles, streaming their records in input order.
///
/// Each item is a dict with the JSON Lines fields (`id`, `url`, `source`, `title`, `published`,
/// `text`; other keys go to the record's `meta`) or one JSON Lines line as `str`/`bytes`; it is
/// read exactly as `kestrel extract` reads a line of a `.jsonl` file. Items without an id get
/// `item-N` (N counts items from 1). Batches are coded in parallel on `threads` threads (default:
/// all cores) with the GIL released; the order of the records never depends on it.
///
/// `errors`: `"raise"` raises `kestrel.InputError` (message as the CLI prints it, e.g.
/// `<items>:3: missing "text" field`) at the bad item; `"skip"` leaves it out; `"return"` yields
/// the `InputError` instance in its place. `as_json=True` yields each record as the JSON line the
/// CLI writes (without the line end) instead of a dict.
#[pyfunction]
#[pyo3(signature = (articles, threads=None, *, errors="raise", as_json=false, max_article_mb=16.0))]
fn extract_many(
    articles: &Bound<'_, PyAny>,
    threads: Option<usize>,
    errors: &str,
    as_json: bool,
    max_article_mb: f64,
) -> PyResult<Records> {
    let iter = articles.try_iter()?.unbind();
    Records::new(
        Feed::Python { iter, count: 0 },
        threads,
        errors,
        as_json,
        max_article_mb,
    )
}

/// Code the articles in files and directories, as `kestrel extract PATH...` does: the same input
/// types (by extension, optionally gzipped; directories walked in sorted order), the same ids and
/// the same error messages. Records stream in input order; see `extract_many` for `threads`,
/// `errors` and `as_json`. `published` is the publication date of plain-text files
/// (`--published`).
#[pyfunction]
#[pyo3(signature = (paths, threads=None, *, errors="raise", as_json=false, published=None, max_article_mb=16.0))]
fn extract_files(
    paths: &Bound<'_, PyAny>,
    threads: Option<usize>,
    errors: &str,
    as_json: bool,
    published: Option<Bound<'_, PyAny>>,
    max_article_mb: f64,
) -> PyResult<Records> {
    let mut names: Vec<String> = Vec::new();
    if paths.cast::<PyString>().is_ok() || paths.hasattr("__fspath__")? {
        names.push(path_string(paths)?);
    } else {
        for p in paths.try_iter()? {
            names.push(path_string(&p?)?);
        }
    }
    let opts = ReadOptions {
        max_article_bytes: max_bytes(max_article_mb)?,
        published: published_arg(published.as_ref())?,
        id: None,
    };
    let (sources, expand_errors) = ingest::expand_inputs(&names);
    let stream: ingest::ArticleStream = Box::new(
        expand_errors.into_iter().map(Err).chain(
            sources
                .into_iter()
                .flat_map(move |s| ingest::read_source(&s, &opts)),
        ),
    );
    Records::new(
        Feed::Files(stream),
        threads,
        errors,
        as_json,
        max_article_mb,
    )
}

fn path_string(p: &Bound<'_, PyAny>) -> PyResult<String> {
    let path: std::path::PathBuf = p.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "paths must be str or os.PathLike, not {}",
            type_name(p)
        ))
    })?;
    Ok(path.to_string_lossy().into_owned())
}

/// Days since 1970-01-01 of a record date (`YYYY-MM-DD`, or `YYYY-MM` / `YYYY`: the first day),
/// exactly as the Parquet writer stores it (proleptic Gregorian; any other form is missing).
fn date_days(value: &str) -> Option<i32> {
    let full = match value.len() {
        10 => value.to_string(),
        7 => format!("{value}-01"),
        4 => format!("{value}-01-01"),
        _ => return None,
    };
    let d = chrono::NaiveDate::parse_from_str(&full, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((d - epoch).num_days()).ok()
}

fn cell_to_py(py: Python<'_>, cell: Cell<'_>) -> PyResult<Py<PyAny>> {
    Ok(match cell {
        Cell::Null => py.None(),
        Cell::Text(s) => PyString::new(py, &s).into_any().unbind(),
        Cell::Date(d) => match date_days(d) {
            Some(days) => days.into_pyobject(py)?.into_any().unbind(),
            None => py.None(),
        },
        Cell::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
        Cell::Float(f) => f.into_pyobject(py)?.into_any().unbind(),
    })
}

/// The flat event table of records: a dict from column name to a list of values, one per event,
/// in the order and with the values of `kestrel extract --format csv` (the same Rust code makes
/// the rows). Text columns hold `str`, integer columns `int`, float columns `float`, date columns
/// the day number since 1970-01-01 that the Parquet output stores (a month or a year date: its
/// first day; proleptic Gregorian, so any year, even one that `datetime.date` cannot hold); a value
/// Kestrel does not have is `None`. `records` is an iterable of `kestrel/1` records as dicts or
/// JSON strings.
#[pyfunction]
fn event_columns<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut cols: Vec<Vec<Py<PyAny>>> = (0..COLUMNS.len()).map(|_| Vec::new()).collect();
    for (i, r) in records.try_iter()?.enumerate() {
        let r = r?;
        let json: Cow<str> = if let Ok(s) = r.cast::<PyString>() {
            Cow::Owned(s.to_cow()?.into_owned())
        } else if r.cast::<PyDict>().is_ok() {
            Cow::Owned(json_encode(&r)?)
        } else {
            return Err(PyTypeError::new_err(format!(
                "record {}: expected a kestrel/1 record (a dict or a JSON string), not {}",
                i + 1,
                type_name(&r)
            )));
        };
        let rec: Record = serde_json::from_str(&json).map_err(|e| {
            PyValueError::new_err(format!("record {}: not a kestrel/1 record: {e}", i + 1))
        })?;
        for ev in &rec.events {
            for (c, cell) in event_row(&rec, ev).into_iter().enumerate() {
                cols[c].push(cell_to_py(py, cell)?);
            }
        }
    }
    let out = PyDict::new(py);
    for (col, values) in COLUMNS.iter().zip(cols) {
        out.set_item(col.name, PyList::new(py, values)?)?;
    }
    Ok(out)
}

fn kind_name(k: ColumnKind) -> &'static str {
    match k {
        ColumnKind::Text => "text",
        ColumnKind::Date => "date",
        ColumnKind::Int => "int",
        ColumnKind::Float => "float",
    }
}

/// Kestrel's Python extension module: see the `kestrel` package for the documented API.
#[pymodule]
mod _kestrel {
    #[pymodule_export]
    use super::{event_columns, extract, extract_files, extract_many, InputError, Records};

    use super::{kind_name, COLUMNS};
    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", kestrel::VERSION)?;
        m.add("SCHEMA", kestrel::model::SCHEMA)?;
        let columns: Vec<(&str, &str)> = COLUMNS
            .iter()
            .map(|c| (c.name, kind_name(c.kind)))
            .collect();
        m.add("COLUMNS", columns)?;
        Ok(())
    }
}
