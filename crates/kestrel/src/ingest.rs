//! Ingest: find the inputs, read them as a stream of articles, and report bad input precisely.
//!
//! Inputs are chosen by extension (`.txt`, `.jsonl`, `.html`/`.htm`, `.warc`, each optionally
//! `.gz`), directories are walked recursively in sorted order, and `-` is standard input (JSON Lines
//! when its first non-blank byte is `{`, else one plain-text article). Every problem becomes an
//! [`InputError`] naming the input (and line) and what is wrong; the stream goes on with the next
//! article. Memory stays bounded by the largest article, never by the number of articles.

use crate::model::{Article, Repair, RepairKind, Span};
use crate::repair::decode_cp1252;
use flate2::read::MultiGzDecoder;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A problem with one input or one article in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The input's name, with `:LINE` for a line of a JSON Lines file.
    pub input: String,
    pub message: String,
    pub kind: ErrorKind,
}

/// Classes of input failure, for the closing summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    Io,
    Unsupported,
    Empty,
    TooLarge,
    Encoding,
    Json,
    Gzip,
}

impl ErrorKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorKind::Io => "unreadable",
            ErrorKind::Unsupported => "unsupported input",
            ErrorKind::Empty => "empty",
            ErrorKind::TooLarge => "over size limit",
            ErrorKind::Encoding => "bad encoding",
            ErrorKind::Json => "malformed JSON",
            ErrorKind::Gzip => "corrupt gzip",
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.message)
    }
}

impl std::error::Error for InputError {}

impl InputError {
    pub fn new(input: impl Into<String>, kind: ErrorKind, message: impl Into<String>) -> Self {
        InputError {
            input: input.into(),
            message: message.into(),
            kind,
        }
    }
}

/// How an input's bytes are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    JsonLines,
    Html,
    Warc,
}

/// One input to read: a file, or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub path: Option<PathBuf>,
    pub format: Option<Format>,
    pub gzip: bool,
}

/// Options that shape how articles are read.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Articles larger than this many bytes are reported and skipped.
    pub max_article_bytes: usize,
    /// Publication date for plain-text inputs (`--published`).
    pub published: Option<String>,
    /// Id for plain text on standard input (`--id`).
    pub id: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_article_bytes: 16 * 1024 * 1024,
            published: None,
            id: None,
        }
    }
}

/// The input format an extension names, and whether it is gzipped.
pub fn format_of(path: &Path) -> (Option<Format>, bool) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (base, gzip) = match name.strip_suffix(".gz") {
        Some(b) => (b.to_string(), true),
        None => (name, false),
    };
    let format = match Path::new(&base).extension().and_then(|e| e.to_str()) {
        Some("txt") => Some(Format::Text),
        Some("jsonl") | Some("ndjson") => Some(Format::JsonLines),
        Some("html") | Some("htm") => Some(Format::Html),
        Some("warc") => Some(Format::Warc),
        _ => None,
    };
    (format, gzip)
}

/// Expand command-line inputs into sources: directories are walked recursively in sorted order,
/// taking only known extensions. Unknown extensions and unreadable paths become errors.
pub fn expand_inputs(args: &[String]) -> (Vec<Source>, Vec<InputError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg == "-" {
            sources.push(Source {
                name: "<stdin>".into(),
                path: None,
                format: None,
                gzip: false,
            });
            continue;
        }
        let path = PathBuf::from(arg);
        match std::fs::metadata(&path) {
            Err(e) => errors.push(InputError::new(arg, ErrorKind::Io, io_message(&e))),
            Ok(m) if m.is_dir() => walk_dir(&path, &mut sources, &mut errors),
            Ok(_) => {
                let (format, gzip) = format_of(&path);
                if format.is_none() {
                    errors.push(InputError::new(
                        arg,
                        ErrorKind::Unsupported,
                        "unknown input type (expected .txt, .jsonl, .html, .htm, .warc, optionally .gz)",
                    ));
                } else {
                    sources.push(Source {
                        name: arg.clone(),
                        path: Some(path),
                        format,
                        gzip,
                    });
                }
            }
        }
    }
    (sources, errors)
}

fn walk_dir(dir: &Path, sources: &mut Vec<Source>, errors: &mut Vec<InputError>) {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            errors.push(InputError::new(
                dir.display().to_string(),
                ErrorKind::Io,
                io_message(&e),
            ));
            return;
        }
    };
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk_dir(&p, sources, errors);
        } else {
            let (format, gzip) = format_of(&p);
            if format.is_some() {
                sources.push(Source {
                    name: p.display().to_string(),
                    path: Some(p),
                    format,
                    gzip,
                });
            }
        }
    }
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::UnexpectedEof => "unexpected end of file (truncated input?)".into(),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => format!("corrupt data: {e}"),
        _ => e.to_string(),
    }
}

/// The SHA-256 of bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// A stream of articles (or errors) read from one source.
pub type ArticleStream = Box<dyn Iterator<Item = Result<Article, InputError>> + Send>;

/// Open a source and stream its articles.
pub fn read_source(source: &Source, opts: &ReadOptions) -> ArticleStream {
    let name = source.name.clone();
    let reader: Box<dyn Read + Send> = match &source.path {
        Some(p) => match File::open(p) {
            Ok(f) => Box::new(f),
            Err(e) => return one_error(InputError::new(name, ErrorKind::Io, io_message(&e))),
        },
        None => Box::new(io::stdin()),
    };
    let reader: Box<dyn Read + Send> = if source.gzip {
        Box::new(MultiGzDecoder::new(BufReader::new(reader)))
    } else {
        reader
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let format = match source.format {
        Some(f) => f,
        None => match sniff_stdin(&mut reader) {
            Ok(f) => f,
            Err(e) => return one_error(InputError::new(name, ErrorKind::Io, io_message(&e))),
        },
    };
    let stem = source
        .path
        .as_ref()
        .map(|p| file_stem(p))
        .unwrap_or_else(|| "stdin".to_string());
    match format {
        Format::JsonLines => json_lines(name, stem, reader, opts.max_article_bytes),
        Format::Text => {
            let id = if source.path.is_some() {
                Some(stem)
            } else {
                opts.id.clone()
            };
            Box::new(std::iter::once(read_text(
                &name,
                reader,
                id,
                opts.published.clone(),
                opts.max_article_bytes,
            )))
        }
        Format::Html => Box::new(std::iter::once(crate::html::read_page(
            &name,
            stem,
            reader,
            opts.max_article_bytes,
        ))),
        // WARC files are reopened raw: gzipped WARCs are decoded member by member, so that a
        // corrupt record does not end the file.
        Format::Warc => match &source.path {
            Some(p) => crate::warc::read_path(&name, p, opts),
            None => crate::warc::read_warc(
                name,
                stem,
                reader,
                opts.max_article_bytes,
                Default::default(),
            ),
        },
    }
}

/// Stream articles from JSON Lines bytes; `name` names the input in errors, `stem` makes ids for
/// lines without one.
pub fn json_lines<R: BufRead + Send + 'static>(
    name: String,
    stem: String,
    reader: R,
    max: usize,
) -> ArticleStream {
    Box::new(JsonLines {
        name,
        stem,
        reader,
        line: 0,
        max,
        done: false,
        seen: false,
    })
}

fn one_error(e: InputError) -> ArticleStream {
    Box::new(std::iter::once(Err(e)))
}

/// The file name without any of its extensions ("a/b/article.txt.gz" → "article").
pub fn file_stem(p: &Path) -> String {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match name.find('.') {
        Some(0) | None => name,
        Some(i) => name[..i].to_string(),
    }
}

fn sniff_stdin<R: BufRead>(r: &mut R) -> io::Result<Format> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(Format::Text);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                return Ok(if buf[i] == b'{' {
                    Format::JsonLines
                } else {
                    Format::Text
                })
            }
            None => {
                // All whitespace: it is never JSON's first byte, and can be consumed safely only
                // if we keep it; plain text trims it anyway.
                let n = buf.len();
                r.consume(n);
            }
        }
    }
}

/// Read up to `max + 1` bytes, to tell "at the limit" from "over it".
fn read_limited<R: Read>(r: R, max: usize) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.take(max as u64 + 1).read_to_end(&mut buf)?;
    Ok(buf)
}

fn read_text<R: Read>(
    name: &str,
    reader: R,
    id: Option<String>,
    published: Option<String>,
    max: usize,
) -> Result<Article, InputError> {
    let bytes = read_limited(reader, max).map_err(|e| {
        let kind = if e.kind() == io::ErrorKind::InvalidInput
            || e.kind() == io::ErrorKind::UnexpectedEof
        {
            ErrorKind::Gzip
        } else {
            ErrorKind::Io
        };
        InputError::new(name, kind, io_message(&e))
    })?;
    if bytes.len() > max {
        return Err(too_large(name, max));
    }
    let hash = sha256_hex(&bytes);
    let (text, decode_repairs) = decode_text(bytes);
    if text.trim().is_empty() {
        return Err(InputError::new(
            name,
            ErrorKind::Empty,
            "empty article (no text)",
        ));
    }
    let id = id.unwrap_or_else(|| hash[..16].to_string());
    Ok(Article {
        id,
        published,
        text,
        hash,
        decode_repairs,
        ..Default::default()
    })
}

fn too_large(name: &str, max: usize) -> InputError {
    InputError::new(
        name,
        ErrorKind::TooLarge,
        format!(
            "article is larger than the limit of {} MB (--max-article-mb)",
            max as f64 / (1024.0 * 1024.0)
        ),
    )
}

/// Bytes to text: UTF-8 when valid, else Windows-1252 with one repair per run of non-ASCII bytes.
pub fn decode_text(bytes: Vec<u8>) -> (String, Vec<Repair>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, Vec::new()),
        Err(e) => {
            let bytes = e.into_bytes();
            let mut text = String::with_capacity(bytes.len() + 16);
            let mut repairs = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] < 0x80 {
                    text.push(bytes[i] as char);
                    i += 1;
                    continue;
                }
                let start = i;
                while i < bytes.len() && bytes[i] >= 0x80 {
                    i += 1;
                }
                let out_start = text.len();
                text.push_str(&decode_cp1252(&bytes[start..i]));
                let raw: String = bytes[start..i]
                    .iter()
                    .map(|b| format!("\\x{b:02X}"))
                    .collect();
                repairs.push(Repair {
                    span: Span(out_start, text.len()),
                    raw,
                    kind: RepairKind::DecodedCp1252,
                    raw_span: Span(start, i),
                });
            }
            (text, repairs)
        }
    }
}

/// Reads one JSON object per line, lazily, with a bounded line buffer.
struct JsonLines<R> {
    name: String,
    stem: String,
    reader: R,
    line: usize,
    max: usize,
    done: bool,
    /// Whether any non-blank line was seen (an all-blank file is reported as empty).
    seen: bool,
}

enum Line {
    Eof,
    Bytes(Vec<u8>),
    TooLong,
}

impl<R: BufRead> JsonLines<R> {
    /// Read the next line, discarding (but consuming) lines longer than the limit.
    fn next_line(&mut self) -> io::Result<Line> {
        let mut buf = Vec::new();
        let mut too_long = false;
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                if buf.is_empty() && !too_long {
                    return Ok(Line::Eof);
                }
                break;
            }
            let (take, found) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                if buf.len() + take > self.max + 1 {
                    too_long = true;
                    buf = Vec::new();
                } else {
                    buf.extend_from_slice(&chunk[..take]);
                }
            }
            self.reader.consume(take);
            if found {
                break;
            }
        }
        if too_long {
            return Ok(Line::TooLong);
        }
        Ok(Line::Bytes(buf))
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<Article, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            self.line += 1;
            let where_ = format!("{}:{}", self.name, self.line);
            let bytes = match self.next_line() {
                Ok(Line::Eof) => {
                    self.done = true;
                    if !self.seen {
                        return Some(Err(InputError::new(
                            &self.name,
                            ErrorKind::Empty,
                            "empty file (no articles)",
                        )));
                    }
                    return None;
                }
                Ok(Line::TooLong) => return Some(Err(too_large(&where_, self.max))),
                Ok(Line::Bytes(b)) => b,
                Err(e) => {
                    // A truncated or corrupt stream: report it and stop reading this source.
                    self.done = true;
                    let kind = if matches!(
                        e.kind(),
                        io::ErrorKind::InvalidInput
                            | io::ErrorKind::UnexpectedEof
                            | io::ErrorKind::InvalidData
                    ) {
                        ErrorKind::Gzip
                    } else {
                        ErrorKind::Io
                    };
                    return Some(Err(InputError::new(where_, kind, io_message(&e))));
                }
            };
            if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            self.seen = true;
            return Some(parse_json_article(&where_, &bytes, &self.stem, self.line));
        }
    }
}

/// The known fields of a JSON Lines article; everything else goes to `meta`.
const KNOWN_FIELDS: &[&str] = &["id", "url", "source", "title", "published", "text"];

fn parse_json_article(
    where_: &str,
    bytes: &[u8],
    stem: &str,
    line: usize,
) -> Result<Article, InputError> {
    let s = std::str::from_utf8(bytes).map_err(|e| {
        InputError::new(
            where_,
            ErrorKind::Encoding,
            format!(
                "line is not valid UTF-8 (invalid byte at column {})",
                e.valid_up_to() + 1
            ),
        )
    })?;
    let v: Value = serde_json::from_str(s)
        .map_err(|e| InputError::new(where_, ErrorKind::Json, format!("malformed JSON: {e}")))?;
    let Value::Object(mut obj) = v else {
        return Err(InputError::new(
            where_,
            ErrorKind::Json,
            "expected a JSON object per line",
        ));
    };
    let text = match obj.remove("text") {
        Some(Value::String(t)) => t,
        Some(Value::Null) | None => {
            return Err(InputError::new(
                where_,
                ErrorKind::Json,
                "missing \"text\" field",
            ))
        }
        Some(_) => {
            return Err(InputError::new(
                where_,
                ErrorKind::Json,
                "\"text\" must be a string",
            ))
        }
    };
    if text.trim().is_empty() {
        return Err(InputError::new(
            where_,
            ErrorKind::Empty,
            "empty article (\"text\" is blank)",
        ));
    }
    let id = match obj.remove("id") {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => format!("{stem}-{line}"),
    };
    let opt_str = |obj: &mut Map<String, Value>, k: &str| match obj.remove(k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        _ => None,
    };
    let url = opt_str(&mut obj, "url");
    let source = opt_str(&mut obj, "source");
    let title = opt_str(&mut obj, "title");
    let published = opt_str(&mut obj, "published").and_then(|p| normalise_date(&p));
    for k in KNOWN_FIELDS {
        obj.remove(*k);
    }
    let hash = sha256_hex(text.as_bytes());
    Ok(Article {
        id,
        url,
        source,
        title,
        published,
        text,
        hash,
        meta: if obj.is_empty() { None } else { Some(obj) },
        decode_repairs: Vec::new(),
    })
}

/// `YYYY-MM-DD` from a date or an ISO date-time; None when it is neither.
pub fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    let d = s.get(..10)?;
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn lines(input: &str) -> Vec<Result<Article, InputError>> {
        JsonLines {
            name: "t.jsonl".into(),
            stem: "t".into(),
            reader: Cursor::new(input.as_bytes().to_vec()),
            line: 0,
            max: 200,
            done: false,
            seen: false,
        }
        .collect()
    }

    #[test]
    fn json_lines_keep_going_after_a_bad_line() {
        let r = lines(
            "{\"id\":\"a\",\"text\":\"One.\",\"section\":\"world\"}\n{oops\n\n{\"id\":\"c\",\"text\":\"Three.\",\"published\":\"2020-01-24T10:00:00Z\"}\n",
        );
        assert_eq!(r.len(), 3);
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.id, "a");
        assert_eq!(a.meta.as_ref().unwrap()["section"], "world");
        let e = r[1].as_ref().unwrap_err();
        assert_eq!(e.input, "t.jsonl:2");
        assert_eq!(e.kind, ErrorKind::Json);
        assert_eq!(
            r[2].as_ref().unwrap().published.as_deref(),
            Some("2020-01-24")
        );
    }

    #[test]
    fn over_long_lines_are_skipped_without_buffering() {
        let long = format!(
            "{{\"id\":\"x\",\"text\":\"{}\"}}\n{{\"id\":\"y\",\"text\":\"ok\"}}\n",
            "a".repeat(500)
        );
        let r = lines(&long);
        assert_eq!(r[0].as_ref().unwrap_err().kind, ErrorKind::TooLarge);
        assert_eq!(r[1].as_ref().unwrap().id, "y");
    }

    #[test]
    fn missing_text_and_non_objects_are_errors() {
        let r = lines("[1,2]\n{\"id\":\"a\"}\n{\"id\":\"b\",\"text\":\"  \"}\n");
        assert!(r.iter().all(|x| x.is_err()));
    }

    #[test]
    fn windows_1252_bytes_are_decoded_and_recorded() {
        let (t, reps) = decode_text(b"caf\xe9 \x93quoted\x94".to_vec());
        assert_eq!(t, "caf\u{e9} \u{201C}quoted\u{201D}");
        assert_eq!(reps.len(), 3);
        assert_eq!(reps[0].raw, "\\xE9");
    }

    #[test]
    fn extensions_and_stems() {
        assert_eq!(
            format_of(Path::new("a/b.txt.gz")),
            (Some(Format::Text), true)
        );
        assert_eq!(
            format_of(Path::new("b.JSONL")),
            (Some(Format::JsonLines), false)
        );
        assert_eq!(
            format_of(Path::new("b.warc.gz")),
            (Some(Format::Warc), true)
        );
        assert_eq!(format_of(Path::new("b.csv")), (None, false));
        assert_eq!(file_stem(Path::new("x/article.txt.gz")), "article");
    }
}
