//! HTML input: decode a page's bytes, read its metadata and extract the article's main text.
//!
//! - **Charset**: a byte-order mark wins, then the HTTP `Content-Type` charset, then a
//!   `<meta charset>` / `http-equiv` declaration in the first 4 KiB, then valid UTF-8, then a guess by
//!   `chardetng`. A page declared as a single-byte legacy charset whose bytes are valid UTF-8 with
//!   non-ASCII sequences is read as UTF-8 (the declaration is wrong far more often than such bytes
//!   occur by chance).
//! - **Metadata**: title, byline, publication date, language, canonical URL and site name from
//!   JSON-LD, Open Graph / Dublin Core / `name` meta tags, `<time>` and `<html lang>`.
//! - **Main text**: the page is flattened into text blocks (paragraphs, headings, list items,
//!   captions...) after dropping scripts, navigation, hidden and boilerplate-named elements; the
//!   container whose paragraphs carry the most prose (commas, length, few links) is chosen, with
//!   qualifying siblings and same-class chunks, and its blocks are filtered for link lists, stock
//!   phrases, time stamps and credits.
//!
//! The result is plain text: one block per paragraph, blocks separated by a blank line, headings
//! and captions as their own short blocks.

use crate::ingest::{ErrorKind, InputError};
use crate::model::Article;
use encoding_rs::Encoding;
use regex::Regex;
use scraper::{ElementRef, Html, Node};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::io::{self, Read};
use std::sync::OnceLock;

type NodeId = ego_tree::NodeId;

/// Where the charset used to decode a page came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The HTTP `Content-Type` header.
    Http,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` declaration.
    Meta,
    /// Undeclared (or wrongly declared) bytes that are valid UTF-8.
    Utf8,
    /// Guessed from the bytes by `chardetng`.
    Detected,
}

impl CharsetSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            CharsetSource::Bom => "bom",
            CharsetSource::Http => "http",
            CharsetSource::Meta => "meta",
            CharsetSource::Utf8 => "utf8",
            CharsetSource::Detected => "detected",
        }
    }
}

/// A page decoded to text.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub text: String,
    /// The charset's WHATWG name (`UTF-8`, `windows-1252`, `Shift_JIS`...).
    pub charset: &'static str,
    pub source: CharsetSource,
    /// Whether some bytes were not valid in that charset (replaced by U+FFFD).
    pub had_errors: bool,
}

/// What Kestrel reads from one HTML page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    /// The main text: blocks separated by blank lines.
    pub text: String,
    pub title: Option<String>,
    pub byline: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Language, as a lowercase primary subtag (`en`, `de`).
    pub language: Option<String>,
    /// Canonical URL (`<link rel=canonical>`, `og:url`).
    pub url: Option<String>,
    pub site_name: Option<String>,
    /// The charset the page was decoded with, and where it came from.
    pub charset: &'static str,
    pub charset_source: Option<&'static str>,
    /// Whether decoding met invalid bytes.
    pub decode_errors: bool,
}

/// Decode a page's bytes; `content_type` is the HTTP `Content-Type` header, when there is one.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    let (encoding, source, skip) = choose_charset(bytes, content_type);
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[skip..]);
    Decoded {
        text: text.into_owned(),
        charset: encoding.name(),
        source,
        had_errors,
    }
}

fn choose_charset(
    bytes: &[u8],
    content_type: Option<&str>,
) -> (&'static Encoding, CharsetSource, usize) {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return (enc, CharsetSource::Bom, len);
    }
    let declared = content_type
        .and_then(charset_param)
        .and_then(|l| Encoding::for_label(l.as_bytes()))
        .map(|e| (e, CharsetSource::Http))
        .or_else(|| {
            meta_charset(&bytes[..bytes.len().min(4096)]).map(|e| {
                // A page that says UTF-16 in a meta tag is not UTF-16 (it could not say so).
                let e = if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    e
                };
                (e, CharsetSource::Meta)
            })
        });
    let utf8 = std::str::from_utf8(bytes).is_ok();
    match declared {
        Some((e, src)) if e == encoding_rs::UTF_8 => (e, src, 0),
        Some((e, _)) if utf8 && e.is_single_byte() && !bytes.is_ascii() => {
            (encoding_rs::UTF_8, CharsetSource::Utf8, 0)
        }
        Some((e, src)) => (e, src, 0),
        None if utf8 => (encoding_rs::UTF_8, CharsetSource::Utf8, 0),
        None => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            (
                det.guess(None, chardetng::Utf8Detection::Deny),
                CharsetSource::Detected,
                0,
            )
        }
    }
}

/// The `charset` parameter of a `Content-Type` value.
pub fn charset_param(content_type: &str) -> Option<String> {
    for part in content_type.split(';').skip(1) {
        let part = part.trim();
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        if k.trim().eq_ignore_ascii_case("charset") {
            let v = v.trim().trim_matches(|c| c == '"' || c == '\'').trim();
            if !v.is_empty() {
                return Some(v.to_string());
            }
        }
    }
    None
}

/// A charset declared by a `<meta>` tag in the page's first bytes.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut at = 0;
    while let Some(i) = memchr::memmem::find(&lower[at..], b"<meta") {
        let start = at + i + 5;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |j| start + j);
        let tag = &lower[start..end];
        let mut from = 0;
        while let Some(k) = memchr::memmem::find(&tag[from..], b"charset") {
            let mut p = from + k + 7;
            from = p;
            while p < tag.len() && tag[p].is_ascii_whitespace() {
                p += 1;
            }
            if p >= tag.len() || tag[p] != b'=' {
                continue;
            }
            p += 1;
            while p < tag.len()
                && (tag[p].is_ascii_whitespace() || tag[p] == b'"' || tag[p] == b'\'')
            {
                p += 1;
            }
            let q = tag[p..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/'))
                .map_or(tag.len(), |j| p + j);
            if let Some(e) = Encoding::for_label(&tag[p..q]) {
                return Some(e);
            }
        }
        at = end;
    }
    None
}

/// Choices for main-text extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Keep figure captions and photo credits, each as its own short block (the layout stage
    /// labels them `caption`). Off, the text is the article body alone, as the extraction
    /// benchmark defines it.
    pub captions: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { captions: true }
    }
}

/// Decode and extract a page: `content_type` is the HTTP `Content-Type` header when known.
pub fn extract(bytes: &[u8], content_type: Option<&str>) -> HtmlArticle {
    extract_with(bytes, content_type, &Options::default())
}

/// [`extract`] with options.
pub fn extract_with(bytes: &[u8], content_type: Option<&str>, opts: &Options) -> HtmlArticle {
    let d = decode(bytes, content_type);
    let mut a = extract_str_with(&d.text, opts);
    a.charset = d.charset;
    a.charset_source = Some(d.source.as_str());
    a.decode_errors = d.had_errors;
    a
}

/// Extract a page that is already text.
pub fn extract_str(html: &str) -> HtmlArticle {
    extract_str_with(html, &Options::default())
}

/// [`extract_str`] with options.
pub fn extract_str_with(html: &str, opts: &Options) -> HtmlArticle {
    let doc = Html::parse_document(html);
    let meta = Metadata::read(&doc);
    let text = main_text(&doc, &meta, opts);
    HtmlArticle {
        text,
        title: meta.title,
        byline: meta.byline,
        published: meta.published,
        language: meta.language,
        url: meta.url,
        site_name: meta.site_name,
        charset: "UTF-8",
        charset_source: None,
        decode_errors: false,
    }
}

// ---------------------------------------------------------------------------------------------
// Articles

/// Turn one page into an [`Article`]: `id` names it, `raw` is the page's bytes (their SHA-256 is
/// the article hash), `content_type` the HTTP header when known. The page's title, canonical URL,
/// publication date and site name fill `title`, `url`, `published` and `source`; its byline,
/// language and a non-UTF-8 charset go to `meta`. Errors (a page with no article text) are
/// messages for an [`InputError`](crate::ingest::InputError).
pub fn page_article(id: String, raw: &[u8], content_type: Option<&str>) -> Result<Article, String> {
    let page = extract(raw, content_type);
    if page.text.trim().is_empty() {
        return Err("no article text found in the page".into());
    }
    let mut meta = Map::new();
    if let Some(b) = &page.byline {
        meta.insert("byline".into(), Value::String(b.clone()));
    }
    if let Some(l) = &page.language {
        meta.insert("language".into(), Value::String(l.clone()));
    }
    if page.charset != "UTF-8" || page.decode_errors {
        meta.insert("charset".into(), Value::String(page.charset.to_string()));
    }
    Ok(Article {
        id,
        url: page.url,
        source: page.site_name,
        title: page.title,
        published: page.published,
        text: page.text,
        hash: crate::ingest::sha256_hex(raw),
        meta: (!meta.is_empty()).then_some(meta),
        decode_repairs: Vec::new(),
    })
}

/// Read one HTML page (at most `max` bytes) and turn it into an article named `name` in errors.
pub fn read_page<R: Read>(
    name: &str,
    id: String,
    reader: R,
    max: usize,
) -> Result<Article, InputError> {
    let mut bytes = Vec::new();
    if let Err(e) = reader.take(max as u64 + 1).read_to_end(&mut bytes) {
        let kind = if matches!(
            e.kind(),
            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
        ) {
            ErrorKind::Gzip
        } else {
            ErrorKind::Io
        };
        return Err(InputError::new(
            name,
            kind,
            format!("cannot read the page: {e}"),
        ));
    }
    if bytes.len() > max {
        return Err(InputError::new(
            name,
            ErrorKind::TooLarge,
            format!(
                "page is larger than the limit of {} MB (--max-article-mb)",
                max as f64 / (1024.0 * 1024.0)
            ),
        ));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::new(
            name,
            ErrorKind::Empty,
            "empty file (no page)",
        ));
    }
    page_article(id, &bytes, None).map_err(|m| InputError::new(name, ErrorKind::Empty, m))
}

// ---------------------------------------------------------------------------------------------
// Metadata

#[derive(Clone, Debug, Default)]
struct Metadata {
    title: Option<String>,
    byline: Option<String>,
    published: Option<String>,
    language: Option<String>,
    url: Option<String>,
    site_name: Option<String>,
}

impl Metadata {
    fn read(doc: &Html) -> Metadata {
        let mut metas: HashMap<String, String> = HashMap::new();
        let mut canonical = None;
        let mut html_lang = None;
        let mut ld: Vec<Value> = Vec::new();
        let mut title_tag = None;
        let mut first_time = None;
        let mut itemprop_date = None;
        let mut itemprop_author = None;
        for node in doc.tree.root().descendants() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            match el.name() {
                "html" => {
                    html_lang = el
                        .attr("lang")
                        .or_else(|| el.attr("xml:lang"))
                        .map(str::to_string)
                }
                "meta" => {
                    let key = el
                        .attr("property")
                        .or_else(|| el.attr("name"))
                        .or_else(|| el.attr("itemprop"))
                        .or_else(|| el.attr("http-equiv"));
                    if let (Some(k), Some(v)) = (key, el.attr("content")) {
                        let v = clean_space(v);
                        if !v.is_empty() {
                            metas.entry(k.trim().to_ascii_lowercase()).or_insert(v);
                        }
                    }
                }
                "link" => {
                    let rel = el.attr("rel").unwrap_or("");
                    if rel
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                    {
                        if let Some(h) = el.attr("href") {
                            canonical.get_or_insert_with(|| h.trim().to_string());
                        }
                    }
                }
                "title" if title_tag.is_none() => {
                    let t = clean_space(&ElementRef::wrap(node).map(text_of).unwrap_or_default());
                    if !t.is_empty() {
                        title_tag = Some(t);
                    }
                }
                "script" => {
                    let ty = el.attr("type").unwrap_or("");
                    if ty.trim().eq_ignore_ascii_case("application/ld+json") {
                        let raw = ElementRef::wrap(node).map(text_of).unwrap_or_default();
                        if let Ok(v) = serde_json::from_str::<Value>(raw.trim()) {
                            ld.push(v);
                        }
                    }
                }
                "time" if first_time.is_none() => {
                    if let Some(d) = el.attr("datetime").and_then(parse_date) {
                        first_time = Some(d);
                    }
                }
                _ => {}
            }
            match el.attr("itemprop") {
                Some("datePublished") if itemprop_date.is_none() => {
                    itemprop_date = el
                        .attr("content")
                        .or_else(|| el.attr("datetime"))
                        .and_then(parse_date)
                }
                Some("author") if itemprop_author.is_none() && el.name() != "meta" => {
                    let t = clean_space(&ElementRef::wrap(node).map(text_of).unwrap_or_default());
                    if !t.is_empty() && t.len() < 120 {
                        itemprop_author = Some(t);
                    }
                }
                _ => {}
            }
        }
        let article = ld_article(&ld);
        let ld_str = |k: &str| {
            article
                .and_then(|a| a.get(k))
                .and_then(Value::as_str)
                .map(clean_space)
                .filter(|s| !s.is_empty())
        };
        let meta = |keys: &[&str]| keys.iter().find_map(|k| metas.get(*k).cloned());

        let title = ld_str("headline")
            .or_else(|| meta(&["og:title", "twitter:title", "title", "dc.title", "headline"]))
            .or_else(|| title_tag.map(|t| strip_site_suffix(&t)));
        let byline = article
            .and_then(|a| a.get("author"))
            .and_then(ld_names)
            .or_else(|| {
                meta(&[
                    "author",
                    "article:author",
                    "byl",
                    "dc.creator",
                    "parsely-author",
                    "sailthru.author",
                ])
                .filter(|a| !a.starts_with("http"))
                .map(|a| {
                    a.trim_start_matches("By ")
                        .trim_start_matches("by ")
                        .to_string()
                })
            })
            .or(itemprop_author);
        let published = ld_str("datePublished")
            .and_then(|d| parse_date(&d))
            .or_else(|| {
                [
                    "article:published_time",
                    "og:published_time",
                    "published_time",
                    "datepublished",
                    "pubdate",
                    "publishdate",
                    "publish-date",
                    "dc.date.issued",
                    "dc.date",
                    "dcterms.created",
                    "date",
                    "sailthru.date",
                    "parsely-pub-date",
                    "article.published",
                    "originalpublicationdate",
                ]
                .iter()
                .find_map(|k| metas.get(*k).and_then(|v| parse_date(v)))
            })
            .or(itemprop_date)
            .or(first_time);
        let language = html_lang
            .or_else(|| meta(&["content-language", "og:locale", "language", "dc.language"]))
            .or_else(|| ld_str("inLanguage"))
            .and_then(|l| primary_language(&l));
        let url = canonical
            .filter(|u| u.starts_with("http"))
            .or_else(|| meta(&["og:url"]).filter(|u| u.starts_with("http")));
        let site_name = meta(&["og:site_name", "application-name"]).or_else(|| {
            article
                .and_then(|a| a.get("publisher"))
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .map(clean_space)
        });
        Metadata {
            title,
            byline,
            published,
            language,
            url,
            site_name,
        }
    }
}

/// The JSON-LD object that describes the article: the first with an article `@type`, else the
/// first with a headline.
fn ld_article(ld: &[Value]) -> Option<&Value> {
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Object(o) => {
                out.push(v);
                if let Some(g) = o.get("@graph") {
                    walk(g, out);
                }
                if let Some(m) = o.get("mainEntity") {
                    walk(m, out);
                }
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    for v in ld {
        walk(v, &mut all);
    }
    let is_article = |v: &Value| {
        let ty = |t: &str| {
            t.ends_with("Article")
                || matches!(
                    t,
                    "BlogPosting" | "Report" | "LiveBlogPosting" | "SocialMediaPosting"
                )
        };
        match v.get("@type") {
            Some(Value::String(t)) => ty(t),
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(ty),
            _ => false,
        }
    };
    all.iter()
        .copied()
        .find(|v| is_article(v))
        .or_else(|| all.iter().copied().find(|v| v.get("headline").is_some()))
}

/// Names from a JSON-LD `author` value (a string, a Person, or a list of them), joined.
fn ld_names(v: &Value) -> Option<String> {
    let mut names = Vec::new();
    let mut push = |v: &Value| {
        let n = match v {
            Value::String(s) => Some(s.as_str()),
            Value::Object(o) => o.get("name").and_then(Value::as_str),
            _ => None,
        };
        if let Some(n) = n
            .map(clean_space)
            .filter(|n| !n.is_empty() && !n.starts_with("http"))
        {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    };
    match v {
        Value::Array(a) => a.iter().for_each(&mut push),
        v => push(v),
    }
    (!names.is_empty()).then(|| names.join(", "))
}

/// A `<title>` without its " | Site name" tail: the longest part when split on a separator.
fn strip_site_suffix(t: &str) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: ", " « ", " » "] {
        if t.contains(sep) {
            let best = t.split(sep).max_by_key(|p| p.chars().count()).unwrap_or(t);
            if best.chars().count() >= 15 {
                return best.trim().to_string();
            }
        }
    }
    t.to_string()
}

/// `en-US`, `en_GB`, `EN` → `en`; None for anything that is not a language tag.
fn primary_language(l: &str) -> Option<String> {
    let p = l.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase())).then_some(p)
}

/// A date in the forms pages use (ISO dates and date-times, compact `YYYYMMDD`, RFC 2822, "Nov 19,
/// 2019", "19 November 2019") as `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<String> {
    // A placeholder date in page metadata ("0001-01-01") is no date: before 1900 it is refused,
    // so the WARC record's date (or none) is used instead.
    parse_date_any(s).filter(|d| d.as_str() >= "1900")
}

fn parse_date_any(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let fmt = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    if let Some(head) = s.get(..10) {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(head, "%Y-%m-%d") {
            return Some(fmt(d));
        }
        if let Ok(d) = chrono::NaiveDate::parse_from_str(head, "%Y/%m/%d") {
            return Some(fmt(d));
        }
    }
    if let Some(head) = s.get(..8) {
        if head.bytes().all(|b| b.is_ascii_digit()) && s.len() >= 8 {
            if let Ok(d) = chrono::NaiveDate::parse_from_str(head, "%Y%m%d") {
                return Some(fmt(d));
            }
        }
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(fmt(d.date_naive()));
    }
    static WORDY: OnceLock<Regex> = OnceLock::new();
    let re = WORDY.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})|([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b",
        )
        .expect("valid regex")
    });
    let c = re.captures(s)?;
    let (day, month, year) = match (c.get(1), c.get(4)) {
        (Some(d), _) => (d.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str()),
        (None, Some(m)) => (c.get(5)?.as_str(), m.as_str(), c.get(6)?.as_str()),
        _ => return None,
    };
    let m = crate::time::month_number(month)?;
    let d = chrono::NaiveDate::from_ymd_opt(year.parse().ok()?, m, day.parse().ok()?)?;
    Some(fmt(d))
}

/// All text under an element, as it is in the source.
fn text_of(el: ElementRef) -> String {
    el.text().collect()
}

/// Collapse whitespace runs to one space and trim.
fn clean_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Main text

/// What a block of text is, for output and scoring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Para,
    Heading(u8),
    Item,
    Caption,
    Quote,
    Pre,
    Cell,
    /// Text directly inside a generic container (`div`, `section`, ...).
    Loose,
}

/// One run of text between block boundaries.
#[derive(Clone, Debug)]
struct Block {
    text: String,
    link_chars: usize,
    kind: Kind,
    /// The nearest block-level element holding the text.
    owner: NodeId,
    /// Boilerplate-named or hidden elements above the text (innermost last).
    junk: Vec<NodeId>,
    /// The innermost figure, caption or credit element holding the text.
    caption: Option<NodeId>,
}

/// Elements whose content is never article text.
fn is_skipped_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "button"
            | "select"
            | "option"
            | "input"
            | "textarea"
            | "head"
            | "nav"
            | "aside"
            | "footer"
            | "menu"
            | "dialog"
            | "map"
            | "audio"
            | "video"
            | "picture"
            | "source"
            | "link"
            | "meta"
            | "title"
    )
}

fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "body"
            | "html"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "header"
            | "address"
            | "center"
            | "form"
            | "fieldset"
            | "hr"
            | "details"
            | "summary"
            | "hgroup"
    )
}

fn kind_of(name: &str) -> Kind {
    match name {
        "p" => Kind::Para,
        "h1" => Kind::Heading(1),
        "h2" => Kind::Heading(2),
        "h3" => Kind::Heading(3),
        "h4" => Kind::Heading(4),
        "h5" => Kind::Heading(5),
        "h6" => Kind::Heading(6),
        "li" | "dt" | "dd" => Kind::Item,
        "figcaption" | "caption" => Kind::Caption,
        "blockquote" => Kind::Quote,
        "pre" => Kind::Pre,
        "td" | "th" => Kind::Cell,
        _ => Kind::Loose,
    }
}

/// Class and id words that mark boilerplate (matched as whole words of the attribute).
const JUNK_WORDS: &[&str] = &[
    "comment",
    "comments",
    "share",
    "sharing",
    "social",
    "related",
    "recommended",
    "recommendations",
    "newsletter",
    "subscribe",
    "subscription",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "adslot",
    "sponsor",
    "sponsored",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "privacy",
    "popup",
    "modal",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "widget",
    "footer",
    "nav",
    "navigation",
    "menu",
    "tags",
    "signup",
    "paywall",
    "outbrain",
    "taboola",
    "disqus",
    "masthead",
    "skip",
    "toolbar",
    "banner",
    "pagination",
    "pager",
    "byline",
    "dateline",
    "timestamp",
    "author",
    "meta",
    "print",
    "rail",
    "trending",
    "popular",
    "more",
];

/// Class and id words that mark the article body.
const BODY_WORDS: &[&str] = &[
    "article",
    "body",
    "content",
    "story",
    "entry",
    "post",
    "text",
    "main",
    "blog",
    "prose",
    "articlebody",
    "article-body",
    "story-body",
];

/// Split a class/id string into lowercase words.
fn attr_words(el: &scraper::node::Element) -> Vec<String> {
    let mut s = String::new();
    if let Some(c) = el.attr("class") {
        s.push_str(c);
    }
    if let Some(i) = el.attr("id") {
        s.push(' ');
        s.push_str(i);
    }
    s.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Readability-style class weight: +25 for body words, -25 for boilerplate words.
fn class_weight(words: &[String]) -> f64 {
    let mut w = 0.0;
    if words.iter().any(|x| BODY_WORDS.contains(&x.as_str())) {
        w += 25.0;
    }
    if words.iter().any(|x| JUNK_WORDS.contains(&x.as_str())) {
        w -= 25.0;
    }
    w
}

/// Whether an element and its subtree are to be dropped before scoring.
fn is_junk(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if matches!(
        el.attr("role"),
        Some("navigation" | "complementary" | "banner" | "contentinfo" | "dialog")
    ) {
        return true;
    }
    let words = attr_words(el);
    if words.is_empty() || matches!(el.name(), "body" | "html" | "article" | "main") {
        return false;
    }
    let junk = words.iter().any(|w| JUNK_WORDS.contains(&w.as_str()));
    let body = words.iter().any(|w| BODY_WORDS.contains(&w.as_str()));
    junk && !body
}

/// Whether an element holds a caption or a photo credit.
fn is_caption(el: &scraper::node::Element) -> bool {
    if matches!(el.name(), "figure" | "figcaption" | "caption") {
        return true;
    }
    if el.attr("class").is_none() && el.attr("id").is_none() {
        return false;
    }
    attr_words(el).iter().any(|w| {
        matches!(
            w.as_str(),
            "caption" | "captions" | "figcaption" | "credit" | "credits" | "photocredit"
        )
    })
}

/// Flatten the document into text blocks, in document order.
fn blocks(doc: &Html) -> Vec<Block> {
    let mut out = Vec::new();
    let root = doc.tree.root();
    // Current inline text, its link characters, and the owner stack.
    let mut buf = String::new();
    let mut link_chars = 0usize;
    let mut owners: Vec<(NodeId, Kind)> = vec![(root.id(), Kind::Loose)];
    let mut link_depth = 0usize;
    let mut junk: Vec<NodeId> = Vec::new();
    let mut captions: Vec<NodeId> = Vec::new();
    // Explicit stack: (node, entering?).
    let mut stack = vec![(root, true)];
    let flush = |buf: &mut String,
                 link_chars: &mut usize,
                 owner: (NodeId, Kind),
                 junk: &[NodeId],
                 caption: Option<NodeId>,
                 out: &mut Vec<Block>| {
        let text = tidy_block(buf);
        if !text.is_empty() {
            let link = (*link_chars).min(text.len());
            out.push(Block {
                text,
                link_chars: link,
                kind: owner.1,
                owner: owner.0,
                junk: junk.to_vec(),
                caption: if owner.1 == Kind::Caption {
                    Some(owner.0)
                } else {
                    caption
                },
            });
        }
        buf.clear();
        *link_chars = 0;
    };
    while let Some((node, entering)) = stack.pop() {
        match node.value() {
            Node::Text(t) if entering => {
                let before = buf.len();
                push_text(&mut buf, t);
                if link_depth > 0 {
                    link_chars += buf.len() - before;
                }
            }
            Node::Element(el) => {
                let name = el.name();
                if entering {
                    if is_skipped_tag(name) {
                        continue;
                    }
                    let is_junk = is_junk(el);
                    if name == "br" {
                        buf.push('\n');
                        continue;
                    }
                    if name == "img" {
                        continue;
                    }
                    if is_block_tag(name) {
                        flush(
                            &mut buf,
                            &mut link_chars,
                            *owners.last().expect("root"),
                            &junk,
                            captions.last().copied(),
                            &mut out,
                        );
                        owners.push((node.id(), kind_of(name)));
                    } else if name == "a" {
                        link_depth += 1;
                    }
                    if is_junk {
                        junk.push(node.id());
                    }
                    if is_caption(el) {
                        captions.push(node.id());
                    }
                    stack.push((node, false));
                    for c in node.children().rev() {
                        stack.push((c, true));
                    }
                } else {
                    if is_block_tag(name) {
                        let owner = owners.pop().expect("pushed on entry");
                        flush(
                            &mut buf,
                            &mut link_chars,
                            owner,
                            &junk,
                            captions.last().copied(),
                            &mut out,
                        );
                    } else if name == "a" {
                        link_depth = link_depth.saturating_sub(1);
                    }
                    if junk.last() == Some(&node.id()) {
                        junk.pop();
                    }
                    if captions.last() == Some(&node.id()) {
                        captions.pop();
                    }
                }
            }
            Node::Document | Node::Fragment if entering => {
                stack.push((node, false));
                for c in node.children().rev() {
                    stack.push((c, true));
                }
            }
            _ => {}
        }
    }
    flush(&mut buf, &mut link_chars, owners[0], &junk, None, &mut out);
    out
}

/// Append source text, collapsing whitespace runs to one space (newlines from `<br>` kept).
fn push_text(buf: &mut String, t: &str) {
    for c in t.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !buf.is_empty() && !buf.ends_with([' ', '\n']) {
                buf.push(' ');
            }
        } else {
            buf.push(c);
        }
    }
}

/// A block's final text: lines trimmed, blank lines dropped, non-breaking spaces kept as spaces.
fn tidy_block(buf: &str) -> String {
    let mut out = String::new();
    for line in buf.split('\n') {
        let line = clean_space(&line.replace('\u{a0}', " "));
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
    }
    out
}

/// Per-node totals over the blocks beneath it.
#[derive(Clone, Copy, Debug, Default)]
struct Totals {
    chars: usize,
    link_chars: usize,
    /// Points from the paragraphs below, and the tag's starting score.
    points: f64,
    tag: f64,
    /// Class-name weight (+25 body-like, -25 boilerplate-like).
    class: f64,
    scored: bool,
}

impl Totals {
    /// The candidate score: a body-like class name adds no more than the prose below earns, so
    /// an empty `div.content` cannot outrank the article; links discount it all.
    fn score(&self) -> f64 {
        let class = if self.class > 0.0 {
            self.class.min(self.points)
        } else {
            self.class
        };
        let ld = self.link_chars as f64 / self.chars.max(1) as f64;
        (self.tag + class + self.points) * (1.0 - ld.min(1.0))
    }
}

/// Share of the page's text above which a boilerplate-named element is kept all the same (it is
/// then a page wrapper, such as `div.has-sidebar` or `div.widget-container`, not boilerplate).
const JUNK_WRAPPER_SHARE: f64 = 0.4;

/// Share of the page's text above which a figure or caption element is not a caption.
const CAPTION_SHARE: f64 = 0.2;

fn main_text(doc: &Html, meta: &Metadata, opts: &Options) -> String {
    let all = blocks(doc);
    if all.is_empty() {
        return String::new();
    }
    let parent = |id: NodeId| doc.tree.get(id).and_then(|n| n.parent()).map(|p| p.id());
    // Drop text under boilerplate-named elements, unless such an element holds much of the page.
    let mut size: HashMap<NodeId, usize> = HashMap::new();
    let mut page = 0usize;
    for b in &all {
        page += b.text.len();
        for j in b.junk.iter().chain(&b.caption) {
            *size.entry(*j).or_default() += b.text.len();
        }
    }
    let limit = (page as f64 * JUNK_WRAPPER_SHARE) as usize;
    let caption_limit = (page as f64 * CAPTION_SHARE) as usize;
    let blocks: Vec<Block> = all
        .into_iter()
        .filter(|b| b.junk.iter().all(|j| size[j] >= limit))
        .map(|mut b| {
            // A "figure" that holds much of the page is a layout wrapper, not a caption.
            if b.caption.is_some_and(|c| size[&c] > caption_limit) {
                b.caption = None;
            }
            if b.caption.is_none() && looks_like_caption(&b.text) {
                b.caption = Some(b.owner);
            }
            b
        })
        .collect();
    // Character and link totals per ancestor.
    let mut totals: HashMap<NodeId, Totals> = HashMap::new();
    for b in &blocks {
        let n = b.text.len();
        let mut cur = Some(b.owner);
        while let Some(id) = cur {
            let t = totals.entry(id).or_default();
            t.chars += n;
            t.link_chars += b.link_chars;
            cur = parent(id);
        }
    }
    let chosen = container_by_score(doc, &blocks, &mut totals, &parent);
    render(&blocks, &chosen, meta, opts, &parent)
}

/// The text of the blocks inside the chosen elements that belong to the article.
fn render(
    blocks: &[Block],
    chosen: &HashSet<NodeId>,
    meta: &Metadata,
    opts: &Options,
    parent: &dyn Fn(NodeId) -> Option<NodeId>,
) -> String {
    let inside = |id: NodeId| {
        let mut cur = Some(id);
        while let Some(c) = cur {
            if chosen.contains(&c) {
                return true;
            }
            cur = parent(c);
        }
        false
    };
    let title_norm = meta.title.as_deref().map(norm_words);
    let mut out: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for b in blocks {
        if (b.caption.is_some() && !opts.captions)
            || !inside(b.owner)
            || !keep_block(b, title_norm.as_deref())
        {
            continue;
        }
        // A block repeated word for word (slideshow captions, pull quotes) is kept once.
        if b.text.len() >= 20 && !seen.insert(&b.text) {
            continue;
        }
        out.push(&b.text);
    }
    out.join("\n\n")
}

/// Lowercase words only, for comparing a heading with the title.
fn norm_words(s: &str) -> String {
    crate::eval::html::tokens(s).join(" ").to_lowercase()
}

/// Whether a block inside the chosen container belongs to the article text.
fn keep_block(b: &Block, title: Option<&str>) -> bool {
    let n = b.text.chars().count();
    if n == 0 {
        return false;
    }
    let density = b.link_chars as f64 / b.text.len().max(1) as f64;
    if let Kind::Heading(level) = b.kind {
        if level == 1 || title.is_some_and(|t| norm_words(&b.text) == t) {
            return false;
        }
        return density < 0.5;
    }
    if density > 0.5 && !matches!(b.kind, Kind::Pre) {
        return false;
    }
    if n < 60 && is_stock_phrase(&b.text) {
        return false;
    }
    if n < 200 && is_furniture(&b.text) {
        return false;
    }
    true
}

/// Lines of up to a couple of hundred characters that frame an article rather than belong to it:
/// time stamps, reporting credits, follow/subscribe prompts.
fn is_furniture(t: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)^\W*(?:(?:updated|published|posted|last updated|last modified|modified)\b\s*(?:on|at|:)?\s*\w*\d|\(?(?:additional )?reporting by\b|(?:follow|email|sign up|subscribe|get the latest|you may also like|you might also like|tell us what you think|like this story|this slideshow requires)\b)|\bcontributed (?:reporting|to this report)\b",
        )
        .expect("valid regex")
    });
    if re.is_match(t.trim()) {
        return true;
    }

    // A date with a few words around it (a time stamp, an author and date line), but not the
    // "— Name (@handle) date" signature of an embedded post.
    let t = t.trim();
    t.split_whitespace().count() <= 8
        && !t.contains('@')
        && !t.starts_with(['—', '–', '-'])
        && t.bytes().any(|b| b.is_ascii_digit())
        && parse_date(t).is_some()
}

/// Whether a block reads as a picture caption or credit ("... (Image: Getty)", "Photo: ...").
fn looks_like_caption(t: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)(?:\((?:image|photo|picture|pic|credit|source)s?:[^)]*\)\s*$|^(?:image|photo|picture|credit)s?:\s|^©)")
            .expect("valid regex")
    });
    t.len() < 400 && re.is_match(t.trim())
}

/// Short lines that are page furniture, not article text.
fn is_stock_phrase(t: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)^\W*(advertisement|ad|sponsored|story continues below|continue reading|read more|read next|related( articles| stories| content)?|share( this)?( article| story)?|follow us|sign up|subscribe|click here|see also|more on this|more from|recommended|comments?|print|email|tweet|whatsapp|facebook|twitter|linkedin|loading|close|skip( to)?|view (comments|gallery)|image|photo|video|getty images|copyright|all rights reserved)\b.{0,40}$",
        )
        .expect("valid regex")
    });
    re.is_match(t.trim())
}

/// Readability-style scoring: paragraphs give their ancestors points for prose; the best-scoring
/// container (discounted by its link density) wins, with siblings that score nearly as well.
fn container_by_score(
    doc: &Html,
    blocks: &[Block],
    totals: &mut HashMap<NodeId, Totals>,
    parent: &dyn Fn(NodeId) -> Option<NodeId>,
) -> HashSet<NodeId> {
    for b in blocks {
        if b.caption.is_some() || matches!(b.kind, Kind::Heading(_) | Kind::Item | Kind::Caption) {
            continue;
        }
        let n = b.text.chars().count();
        if n < 25 {
            continue;
        }
        let commas = b.text.matches([',', '，', '、']).count() as f64;
        let points = 1.0 + commas + (n as f64 / 100.0).min(3.0);
        let mut cur = Some(b.owner);
        let mut level = 0usize;
        while let (Some(id), true) = (cur, level < 5) {
            let t = totals.entry(id).or_default();
            if !t.scored {
                t.scored = true;
                (t.tag, t.class) = initial_score(doc, id);
            }
            t.points += match level {
                0 => points,
                1 => points / 2.0,
                l => points / (l as f64 * 3.0),
            };
            cur = parent(id);
            level += 1;
        }
    }
    let mut best: Option<(NodeId, f64)> = None;
    let mut scored: Vec<(NodeId, f64)> = Vec::new();
    for (id, t) in totals.iter() {
        if !t.scored {
            continue;
        }
        let s = t.score();
        scored.push((*id, s));
        if best.is_none_or(|(bid, bs)| s > bs || (s == bs && *id < bid)) {
            best = Some((*id, s));
        }
    }
    let Some((top, top_score)) = best else {
        return std::iter::once(doc.tree.root().id()).collect();
    };
    let score_of = |id: NodeId| {
        totals
            .get(&id)
            .filter(|t| t.scored)
            .map_or(0.0, Totals::score)
    };
    let is_wrapper = |id: NodeId| {
        doc.tree.get(id).is_none_or(|n| {
            n.value()
                .as_element()
                .is_none_or(|e| matches!(e.name(), "body" | "html"))
        })
    };
    let contains = |a: NodeId, mut x: NodeId| loop {
        if x == a {
            return true;
        }
        match parent(x) {
            Some(p) => x = p,
            None => return false,
        }
    };
    let mut top = top;
    // Several near-best candidates under one ancestor: the ancestor is the article.
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let alts: Vec<NodeId> = scored
        .iter()
        .filter(|(id, s)| *id != top && *s >= 0.75 * top_score)
        .take(5)
        .map(|(id, _)| *id)
        .collect();
    if alts.len() >= 3 {
        let mut cur = parent(top);
        while let Some(a) = cur.filter(|a| !is_wrapper(*a)) {
            if alts.iter().filter(|x| contains(a, **x)).count() >= 3 {
                top = a;
                break;
            }
            cur = parent(a);
        }
    }
    // Climb while a parent scores better than what is below it.
    let mut last = score_of(top);
    let floor = last / 3.0;
    let mut cur = parent(top);
    while let Some(p) = cur.filter(|p| !is_wrapper(*p)) {
        if !totals.get(&p).is_some_and(|t| t.scored) {
            cur = parent(p);
            continue;
        }
        let ps = score_of(p);
        if ps < floor {
            break;
        }
        if ps > last {
            top = p;
            break;
        }
        last = ps;
        cur = parent(p);
    }
    // An only child stands for its parent.
    while let Some(p) = parent(top).filter(|p| !is_wrapper(*p)) {
        let only = doc
            .tree
            .get(p)
            .is_some_and(|n| n.children().filter(|c| c.value().is_element()).count() == 1);
        if !only {
            break;
        }
        top = p;
    }
    let top_score = score_of(top).max(top_score);
    let mut chosen = HashSet::new();
    chosen.insert(top);
    let Some(p) = parent(top) else {
        return chosen;
    };
    let threshold = (top_score * 0.2).max(10.0);
    if let Some(pn) = doc.tree.get(p) {
        for sib in pn.children() {
            let id = sib.id();
            if id == top {
                continue;
            }
            if score_of(id) >= threshold {
                chosen.insert(id);
                continue;
            }
            if let Some(el) = sib.value().as_element() {
                if el.name() == "p" {
                    if let Some(t) = totals.get(&id) {
                        let ld = t.link_chars as f64 / t.chars.max(1) as f64;
                        if (t.chars > 80 && ld < 0.25) || (t.chars > 0 && ld == 0.0) {
                            chosen.insert(id);
                        }
                    }
                }
            }
        }
    }
    // An article cut into chunks (around figures, ads or section breaks) repeats its container:
    // other elements of the same tag and class that score well are part of it too.
    let signature = |id: NodeId| {
        doc.tree
            .get(id)
            .and_then(|n| n.value().as_element())
            .and_then(|e| {
                e.attr("class")
                    .map(|c| (e.name().to_string(), c.to_string()))
            })
    };
    if let Some(sig) = signature(top) {
        let mut more: Vec<NodeId> = scored
            .iter()
            .filter(|(id, s)| *s >= threshold && signature(*id).as_ref() == Some(&sig))
            .map(|(id, _)| *id)
            .filter(|id| {
                !chosen
                    .iter()
                    .any(|c| contains(*c, *id) || contains(*id, *c))
            })
            .collect();
        more.sort();
        for id in more {
            if !chosen.iter().any(|c| contains(*c, id) || contains(id, *c)) {
                chosen.insert(id);
            }
        }
    }
    chosen
}

/// A container's starting score, by tag and class.
fn initial_score(doc: &Html, id: NodeId) -> (f64, f64) {
    let Some(el) = doc.tree.get(id).and_then(|n| n.value().as_element()) else {
        return (0.0, 0.0);
    };
    let tag = match el.name() {
        "div" | "article" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    (tag, class_weight(&attr_words(el)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_parameter() {
        assert_eq!(
            charset_param("text/html; charset=ISO-8859-1").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            charset_param("text/html;charset=\"utf-8\"").as_deref(),
            Some("utf-8")
        );
        assert_eq!(charset_param("text/html"), None);
    }

    #[test]
    fn meta_charset_forms() {
        assert_eq!(
            meta_charset(b"<head><meta charset=\"windows-1251\">"),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(
            meta_charset(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=iso-8859-2\">"
            ),
            Some(encoding_rs::ISO_8859_2)
        );
        assert_eq!(meta_charset(b"<meta name=\"x\" content=\"y\">"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2019-11-19T10:00:00Z").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            parse_date("Tue, 19 Nov 2019 10:00:00 +0000").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            parse_date("November 19, 2019").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(parse_date("19 Nov. 2019").as_deref(), Some("2019-11-19"));
        assert_eq!(parse_date("20191119").as_deref(), Some("2019-11-19"));
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("0001-01-01T00:00:00Z"), None);
        assert_eq!(parse_date("2019-13-45"), None);
    }

    #[test]
    fn languages() {
        assert_eq!(primary_language("en-US").as_deref(), Some("en"));
        assert_eq!(primary_language("pt_BR").as_deref(), Some("pt"));
        assert_eq!(primary_language("x"), None);
    }

    #[test]
    fn site_suffix() {
        assert_eq!(
            strip_site_suffix("Strike closes schools across the country | The Daily"),
            "Strike closes schools across the country"
        );
    }
}
