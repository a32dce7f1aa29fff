//! WARC input: stream the HTML pages of a `.warc` or `.warc.gz` crawl as articles.
//!
//! A WARC file is a sequence of records, each a header block (`WARC/1.x`, then `Name: value`
//! lines), a blank line, `Content-Length` bytes of content and two line breaks. In `.warc.gz`
//! files each record is usually its own gzip member; the reader decodes member by member, so a
//! corrupt member costs one record, not the rest of the file (it scans on to the next gzip
//! header). `response` records whose HTTP response is an HTML page with a 2xx status (HTTP headers
//! parsed with `httparse`; chunked transfer and gzip/deflate content encodings undone) and
//! `resource` records holding HTML become articles: the page is extracted by [`crate::html`] with
//! the `Content-Type` charset honoured, `WARC-Target-URI` becomes `url` and `WARC-Date` the
//! fallback `published`. Every other record (requests, metadata, redirects, images, PDFs...) is
//! skipped and counted ([`WarcStats`]). Truncated or malformed records are reported as
//! `FILE:N` (the record's number) and skipped; the records after them still come out.
//!
//! Memory is bounded by one record: a record is read only when it is a candidate page of at most
//! the article size limit, and everything else is streamed past.

use crate::html;
use crate::ingest::{file_stem, ArticleStream, ErrorKind, InputError, ReadOptions};
use crate::model::Article;
use flate2::bufread::GzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How much of a record's content is read to find the HTTP headers before deciding to keep it.
const HEAD_PEEK: usize = 64 * 1024;
/// Longest WARC header line and largest header block accepted.
const MAX_HEADER_LINE: usize = 64 * 1024;
const MAX_HEADER_BLOCK: usize = 1024 * 1024;

/// Counts of what a WARC reader met. Shared (`Arc`) so that a caller can read them while or after
/// the stream is consumed; [`totals`] adds up every reader of the process.
#[derive(Debug, Default)]
pub struct WarcStats {
    /// Records read, of every type.
    pub records: AtomicU64,
    /// Records that became articles.
    pub pages: AtomicU64,
    /// Records skipped because they are not HTML pages (requests, metadata, redirects, images...).
    pub skipped: AtomicU64,
    /// Records reported as errors (truncated, malformed, too large, no text).
    pub failed: AtomicU64,
}

impl WarcStats {
    fn add(&self, field: fn(&WarcStats) -> &AtomicU64) {
        field(self).fetch_add(1, Ordering::Relaxed);
        field(totals()).fetch_add(1, Ordering::Relaxed);
    }

    /// `(records, pages, skipped, failed)` as plain numbers.
    pub fn snapshot(&self) -> (u64, u64, u64, u64) {
        (
            self.records.load(Ordering::Relaxed),
            self.pages.load(Ordering::Relaxed),
            self.skipped.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
        )
    }
}

/// Counts over every WARC reader of this process (for a closing summary).
pub fn totals() -> &'static WarcStats {
    static TOTALS: WarcStats = WarcStats {
        records: AtomicU64::new(0),
        pages: AtomicU64::new(0),
        skipped: AtomicU64::new(0),
        failed: AtomicU64::new(0),
    };
    &TOTALS
}

/// Open a WARC file (gzipped or not, told by its first bytes) and stream its pages.
pub fn read_path(name: &str, path: &Path, opts: &ReadOptions) -> ArticleStream {
    match File::open(path) {
        Ok(f) => read_warc(
            name.to_string(),
            file_stem(path),
            BufReader::with_capacity(1 << 16, f),
            opts.max_article_bytes,
            Arc::new(WarcStats::default()),
        ),
        Err(e) => Box::new(std::iter::once(Err(InputError::new(
            name,
            ErrorKind::Io,
            e.to_string(),
        )))),
    }
}

/// Stream the pages of WARC bytes (gzipped per record or plain). `name` names the input in
/// errors, `stem` makes article ids (`STEM-N`, N the record's number), `max` is the article size
/// limit in bytes.
pub fn read_warc<R: BufRead + Send + 'static>(
    name: String,
    stem: String,
    reader: R,
    max: usize,
    stats: Arc<WarcStats>,
) -> ArticleStream {
    Box::new(WarcReader {
        name,
        stem,
        state: State::Start(reader),
        max,
        record: 0,
        stats,
        resyncing: false,
    })
}

enum State<R: BufRead> {
    /// Nothing read yet: gzip or not is decided by the first bytes.
    Start(R),
    Plain(R),
    /// Between gzip members.
    Members(R),
    /// Inside one gzip member (boxed: the inflater's state is large).
    Member(Box<BufReader<GzDecoder<R>>>),
    Done,
}

struct WarcReader<R: BufRead> {
    name: String,
    stem: String,
    state: State<R>,
    max: usize,
    record: u64,
    stats: Arc<WarcStats>,
    /// After a corrupt gzip member: further failures until a good record are not reported again.
    resyncing: bool,
}

/// What reading one record gave.
enum Outcome {
    Page(Article),
    Skipped,
    Failed(ErrorKind, String),
}

/// A record could not be read: the stream is broken at this point.
struct Broken {
    kind: ErrorKind,
    message: String,
}

impl<R: BufRead + Send + 'static> Iterator for WarcReader<R> {
    type Item = Result<Article, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return None,
                State::Start(mut r) => {
                    let gz = match r.fill_buf() {
                        Ok([]) => {
                            return Some(Err(InputError::new(
                                &self.name,
                                ErrorKind::Empty,
                                "empty file (no WARC records)",
                            )))
                        }
                        Ok(b) => b.starts_with(&[0x1f, 0x8b]),
                        Err(e) => {
                            return Some(Err(InputError::new(
                                &self.name,
                                ErrorKind::Io,
                                e.to_string(),
                            )))
                        }
                    };
                    self.state = if gz {
                        State::Members(r)
                    } else {
                        State::Plain(r)
                    };
                }
                State::Plain(mut r) => match self.one(&mut r, ErrorKind::Io) {
                    Ok(None) => return None,
                    Ok(Some(item)) => {
                        self.state = State::Plain(r);
                        if let Some(item) = item {
                            return Some(item);
                        }
                    }
                    Err(b) => {
                        // Scan to the next line that starts a record, and go on from there.
                        let err = self.error(b.kind, b.message);
                        match seek_warc_line(&mut r) {
                            Ok(true) => self.state = State::Plain(r),
                            _ => self.state = State::Done,
                        }
                        return Some(Err(err));
                    }
                },
                State::Members(mut r) => match r.fill_buf() {
                    Ok([]) => return None,
                    Ok(_) => {
                        self.state = State::Member(Box::new(BufReader::with_capacity(
                            1 << 16,
                            GzDecoder::new(r),
                        )))
                    }
                    Err(e) => {
                        return Some(Err(self.error(ErrorKind::Io, e.to_string())));
                    }
                },
                State::Member(mut m) => {
                    // Records inside this member, until it ends.
                    match self.one(&mut *m, ErrorKind::Gzip) {
                        Ok(None) => {
                            // The member is over: on to the next one. A member that ended
                            // cleanly leaves nothing buffered.
                            self.state = State::Members(m.into_inner().into_inner());
                        }
                        Ok(Some(item)) => {
                            self.resyncing = false;
                            self.state = State::Member(m);
                            if let Some(item) = item {
                                return Some(item);
                            }
                        }
                        Err(b) => {
                            let mut raw = m.into_inner().into_inner();
                            let report = !self.resyncing;
                            self.resyncing = true;
                            let err = self.error(b.kind, b.message);
                            match seek_gzip_member(&mut raw) {
                                Ok(true) => self.state = State::Members(raw),
                                _ => self.state = State::Done,
                            }
                            if report {
                                return Some(Err(err));
                            }
                        }
                    }
                }
            }
        }
    }
}

impl<R: BufRead> WarcReader<R> {
    fn error(&self, kind: ErrorKind, message: String) -> InputError {
        self.stats.add(|s| &s.failed);
        InputError::new(format!("{}:{}", self.name, self.record), kind, message)
    }

    /// Read one record: `Ok(None)` at a clean end, `Ok(Some(None))` for a skipped record,
    /// `Ok(Some(Some(item)))` for a page or a reported record, `Err` when the stream is broken.
    /// `broken` is the error kind for a stream that ends or fails mid-record.
    #[allow(clippy::type_complexity)]
    fn one<B: BufRead>(
        &mut self,
        r: &mut B,
        broken: ErrorKind,
    ) -> Result<Option<Option<Result<Article, InputError>>>, Broken> {
        let io_err = |e: io::Error| Broken {
            kind: if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput
                    | io::ErrorKind::InvalidData
                    | io::ErrorKind::UnexpectedEof
            ) {
                broken
            } else {
                ErrorKind::Io
            },
            message: match e.kind() {
                io::ErrorKind::UnexpectedEof => {
                    "record is truncated (unexpected end of file)".into()
                }
                _ => format!("corrupt record: {e}"),
            },
        };
        self.record += 1;
        let head = match read_head(r).map_err(io_err)? {
            Head::Eof => {
                self.record -= 1;
                return Ok(None);
            }
            Head::Bad(m) => {
                self.stats.add(|s| &s.records);
                return Err(Broken {
                    kind: ErrorKind::Io,
                    message: m,
                });
            }
            Head::Ok(h) => h,
        };
        self.stats.add(|s| &s.records);
        let outcome = self.body(r, &head).map_err(|e| {
            let mut b = io_err(e);
            if let Some(uri) = head.get("WARC-Target-URI") {
                b.message = format!("{} ({uri})", b.message);
            }
            b
        })?;
        skip_record_end(r).map_err(io_err)?;
        Ok(Some(match outcome {
            Outcome::Skipped => {
                self.stats.add(|s| &s.skipped);
                None
            }
            Outcome::Page(a) => {
                self.stats.add(|s| &s.pages);
                Some(Ok(a))
            }
            Outcome::Failed(kind, m) => {
                let m = match head.get("WARC-Target-URI") {
                    Some(uri) => format!("{m} ({uri})"),
                    None => m,
                };
                Some(Err(self.error(kind, m)))
            }
        }))
    }

    /// Read (or stream past) the content of one record.
    fn body<B: BufRead>(&mut self, r: &mut B, head: &RecordHead) -> io::Result<Outcome> {
        let len = head.content_length;
        let ty = head.get("WARC-Type").unwrap_or("").to_ascii_lowercase();
        let is_http = head
            .get("Content-Type")
            .is_some_and(|c| c.to_ascii_lowercase().contains("application/http"));
        let wants = match ty.as_str() {
            "response" => is_http,
            "resource" => head.get("Content-Type").is_some_and(is_html_type),
            _ => false,
        };
        if !wants {
            skip_exact(r, len)?;
            return Ok(Outcome::Skipped);
        }
        // Read the start of the content to see what it is before committing to all of it.
        let peek = (len as usize).min(HEAD_PEEK);
        let mut block = vec![0u8; peek];
        r.read_exact(&mut block)?;
        let rest = len - peek as u64;
        let (content_type, body_start, chunked, encoding) = if ty == "response" {
            match parse_http(&block) {
                Http::Page {
                    content_type,
                    body_start,
                    chunked,
                    encoding,
                } => (content_type, body_start, chunked, encoding),
                Http::NotPage => {
                    skip_exact(r, rest)?;
                    return Ok(Outcome::Skipped);
                }
                Http::Bad(m) => {
                    skip_exact(r, rest)?;
                    return Ok(Outcome::Failed(ErrorKind::Io, m));
                }
            }
        } else {
            (head.get("Content-Type").map(str::to_string), 0, false, None)
        };
        if len - body_start as u64 > self.max as u64 {
            skip_exact(r, rest)?;
            return Ok(Outcome::Failed(
                ErrorKind::TooLarge,
                format!(
                    "page is larger than the limit of {} MB (--max-article-mb)",
                    self.max as f64 / (1024.0 * 1024.0)
                ),
            ));
        }
        let mut more = Vec::with_capacity(rest as usize);
        r.take(rest).read_to_end(&mut more)?;
        if (more.len() as u64) < rest {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        block.extend_from_slice(&more);
        let mut body = block.split_off(body_start);
        if chunked {
            body = match dechunk(&body) {
                Some(b) => b,
                None => {
                    return Ok(Outcome::Failed(
                        ErrorKind::Io,
                        "malformed chunked HTTP body".into(),
                    ))
                }
            };
        }
        if let Some(enc) = encoding {
            body = match decompress(&body, &enc, self.max) {
                Ok(b) => b,
                Err(m) => return Ok(Outcome::Failed(ErrorKind::Unsupported, m)),
            };
        }
        let id = format!("{}-{}", self.stem, self.record);
        match html::page_article(id, &body, content_type.as_deref()) {
            Ok(mut a) => {
                if let Some(uri) = head.get("WARC-Target-URI") {
                    let uri = uri.trim_matches(|c| c == '<' || c == '>');
                    if a.url.as_deref().is_some_and(|u| u != uri) {
                        let canonical = a.url.take().unwrap_or_default();
                        a.meta
                            .get_or_insert_with(Default::default)
                            .insert("canonical_url".into(), canonical.into());
                    }
                    a.url = Some(uri.to_string());
                }
                if a.published.is_none() {
                    a.published = head.get("WARC-Date").and_then(html::parse_date);
                }
                if let Some(rid) = head.get("WARC-Record-ID") {
                    a.meta
                        .get_or_insert_with(Default::default)
                        .insert("warc_record_id".into(), rid.into());
                }
                Ok(Outcome::Page(a))
            }
            Err(m) => Ok(Outcome::Failed(ErrorKind::Empty, m)),
        }
    }
}

/// A record's WARC header fields.
struct RecordHead {
    fields: Vec<(String, String)>,
    content_length: u64,
}

impl RecordHead {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

enum Head {
    Eof,
    Ok(RecordHead),
    Bad(String),
}

/// Read a line (up to `\n`, at most `MAX_HEADER_LINE` bytes); None at end of input.
fn read_line<B: BufRead>(r: &mut B) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let n = r
        .by_ref()
        .take(MAX_HEADER_LINE as u64)
        .read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

/// Read a record's header block, skipping blank lines before it.
fn read_head<B: BufRead>(r: &mut B) -> io::Result<Head> {
    let version = loop {
        match read_line(r)? {
            None => return Ok(Head::Eof),
            Some(l) if l.iter().all(|b| b.is_ascii_whitespace()) => continue,
            Some(l) => break l,
        }
    };
    if !version.starts_with(b"WARC/") {
        let shown: String = String::from_utf8_lossy(&version).chars().take(40).collect();
        return Ok(Head::Bad(format!(
            "malformed record: expected a \"WARC/1.x\" line, found {shown:?}"
        )));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut total = 0usize;
    loop {
        let Some(line) = read_line(r)? else {
            return Err(io::ErrorKind::UnexpectedEof.into());
        };
        if line.is_empty() {
            break;
        }
        total += line.len();
        if total > MAX_HEADER_BLOCK {
            return Ok(Head::Bad("malformed record: header block too large".into()));
        }
        let line = String::from_utf8_lossy(&line).into_owned();
        if line.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
            continue;
        }
        match line.split_once(':') {
            Some((k, v)) => fields.push((k.trim().to_string(), v.trim().to_string())),
            None => {
                return Ok(Head::Bad(format!(
                    "malformed record: header line without a colon: {:?}",
                    line.chars().take(40).collect::<String>()
                )))
            }
        }
    }
    let content_length = fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse::<u64>().ok());
    match content_length {
        Some(n) => Ok(Head::Ok(RecordHead {
            fields,
            content_length: n,
        })),
        None => Ok(Head::Bad(
            "malformed record: missing or invalid Content-Length".into(),
        )),
    }
}

/// Stream past exactly `n` bytes; a shorter stream is a truncated record.
fn skip_exact<B: BufRead>(r: &mut B, n: u64) -> io::Result<()> {
    let got = io::copy(&mut r.take(n), &mut io::sink())?;
    if got < n {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

/// Consume the line breaks that end a record (leniently: any run of CR and LF).
fn skip_record_end<B: BufRead>(r: &mut B) -> io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        let n = buf
            .iter()
            .take_while(|b| **b == b'\r' || **b == b'\n')
            .count();
        if n == 0 {
            return Ok(());
        }
        r.consume(n);
    }
}

/// Advance a plain WARC stream to the start of the next line beginning `WARC/`. False at the end.
fn seek_warc_line<B: BufRead>(r: &mut B) -> io::Result<bool> {
    const PAT: &[u8] = b"\nWARC/";
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        if let Some(i) = memchr::memmem::find(buf, PAT) {
            r.consume(i + 1);
            return Ok(true);
        }
        // Keep a possible partial match at the end of the buffer.
        let keep = (1..PAT.len())
            .rev()
            .find(|&k| buf.len() >= k && buf.ends_with(&PAT[..k]))
            .unwrap_or(0);
        let n = buf.len() - keep;
        if n == 0 {
            // The buffer holds only a partial match: read one byte on.
            r.consume(1);
        } else {
            r.consume(n);
        }
    }
}

/// Advance a gzipped stream to the next gzip member header (`1f 8b 08`). False at the end.
fn seek_gzip_member<B: BufRead>(r: &mut B) -> io::Result<bool> {
    const MAGIC: &[u8] = &[0x1f, 0x8b, 0x08];
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        if let Some(i) = memchr::memmem::find(buf, MAGIC) {
            r.consume(i);
            return Ok(true);
        }
        let keep = if buf.ends_with(&MAGIC[..2]) {
            2
        } else if buf.ends_with(&MAGIC[..1]) {
            1
        } else {
            0
        };
        let n = (buf.len() - keep).max(1);
        r.consume(n);
    }
}

/// What the HTTP response at the start of a record is.
enum Http {
    Page {
        content_type: Option<String>,
        body_start: usize,
        chunked: bool,
        encoding: Option<String>,
    },
    NotPage,
    Bad(String),
}

fn is_html_type(ct: &str) -> bool {
    let ct = ct.to_ascii_lowercase();
    ct.contains("text/html") || ct.contains("application/xhtml")
}

/// Parse the status line and headers of an HTTP response.
fn parse_http(block: &[u8]) -> Http {
    let mut size = 64;
    loop {
        let mut headers = vec![httparse::EMPTY_HEADER; size];
        let mut resp = httparse::Response::new(&mut headers);
        match resp.parse(block) {
            Ok(httparse::Status::Complete(body_start)) => {
                let code = resp.code.unwrap_or(0);
                let header = |name: &str| {
                    resp.headers
                        .iter()
                        .find(|h| h.name.eq_ignore_ascii_case(name))
                        .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
                };
                let content_type = header("Content-Type");
                let html = match &content_type {
                    Some(ct) => is_html_type(ct),
                    None => sniff_html(&block[body_start..]),
                };
                if !(200..300).contains(&code) || !html {
                    return Http::NotPage;
                }
                let chunked = header("Transfer-Encoding")
                    .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
                let encoding = header("Content-Encoding")
                    .map(|e| e.to_ascii_lowercase())
                    .filter(|e| !e.is_empty() && e != "identity");
                return Http::Page {
                    content_type,
                    body_start,
                    chunked,
                    encoding,
                };
            }
            Ok(httparse::Status::Partial) => {
                return Http::Bad("malformed HTTP response: headers do not end".into())
            }
            Err(httparse::Error::TooManyHeaders) if size < 1024 => size *= 4,
            Err(e) => return Http::Bad(format!("malformed HTTP response: {e}")),
        }
    }
}

/// Whether bytes with no Content-Type look like an HTML document.
fn sniff_html(body: &[u8]) -> bool {
    let start: Vec<u8> = body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    start.starts_with(b"<!doctype html")
        || start.starts_with(b"<html")
        || start.starts_with(b"<head")
}

/// Undo HTTP chunked transfer coding; None when malformed.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let eol = memchr::memmem::find(b, b"\r\n")?;
        let size_text = std::str::from_utf8(&b[..eol]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        if b.len() < size {
            return None;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size..];
        b = b.strip_prefix(b"\r\n").unwrap_or(b);
    }
}

/// Undo a gzip or deflate content encoding, reading at most `max` bytes of output.
fn decompress(body: &[u8], encoding: &str, max: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let limit = max as u64 + 1;
    let res = match encoding {
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(body)
            .take(limit)
            .read_to_end(&mut out),
        "deflate" => {
            // "deflate" is zlib-wrapped by the standard, raw deflate in practice: try both.
            match flate2::read::ZlibDecoder::new(body)
                .take(limit)
                .read_to_end(&mut out)
            {
                Ok(n) => Ok(n),
                Err(_) => {
                    out.clear();
                    flate2::read::DeflateDecoder::new(body)
                        .take(limit)
                        .read_to_end(&mut out)
                }
            }
        }
        other => return Err(format!("unsupported HTTP content encoding \"{other}\"")),
    };
    match res {
        Ok(_) if out.len() > max => Err("decompressed page is larger than the size limit".into()),
        Ok(_) => Ok(out),
        Err(e) => Err(format!("corrupt {encoding} HTTP body: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n").as_deref(),
            Some(&b"hello world"[..])
        );
        assert_eq!(dechunk(b"zz\r\nhello"), None);
        assert_eq!(dechunk(b"10\r\nshort"), None);
    }

    #[test]
    fn http_heads() {
        let resp = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<p>x";
        match parse_http(resp) {
            Http::Page {
                content_type,
                body_start,
                ..
            } => {
                assert_eq!(
                    content_type.as_deref(),
                    Some("text/html; charset=iso-8859-1")
                );
                assert_eq!(&resp[body_start..], b"<p>x");
            }
            _ => panic!("expected a page"),
        }
        assert!(matches!(
            parse_http(b"HTTP/1.1 301 Moved\r\nContent-Type: text/html\r\n\r\n"),
            Http::NotPage
        ));
        assert!(matches!(
            parse_http(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n"),
            Http::NotPage
        ));
        assert!(matches!(parse_http(b"garbage\r\n\r\n"), Http::Bad(_)));
    }

    #[test]
    fn seeking_the_next_record() {
        let mut r = io::Cursor::new(b"junk junk\nmore\nWARC/1.0\r\n".to_vec());
        assert!(seek_warc_line(&mut r).unwrap());
        assert_eq!(read_line(&mut r).unwrap().unwrap(), b"WARC/1.0");
        let mut r = io::Cursor::new(b"no record here".to_vec());
        assert!(!seek_warc_line(&mut r).unwrap());
    }
}
