//! HTML and WARC input: main text and metadata from pages written here, charsets, and WARC files
//! built here (plain, gzipped per record, truncated, corrupt) read through the article reader.

use flate2::write::GzEncoder;
use flate2::Compression;
use kestrel::html::{self, Options};
use kestrel::ingest::{self, ErrorKind, ReadOptions, Source};
use kestrel::model::Article;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A news page with the usual furniture around the article.
fn news_page(headline: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r##"<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{headline} | The Example Herald</title>
<meta property="og:title" content="{headline}">
<meta property="og:site_name" content="The Example Herald">
<meta property="article:published_time" content="2021-03-04T08:15:00Z">
<link rel="canonical" href="https://herald.example/news/{slug}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{headline}","author":[{{"@type":"Person","name":"Ada Reporter"}},{{"@type":"Person","name":"Ben Writer"}}]}}</script>
<script>var tracking = "not text";</script>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<header class="site-header"><a href="/">The Example Herald</a></header>
<main>
<article class="story">
<h1>{headline}</h1>
<div class="byline">By Ada Reporter and Ben Writer</div>
<div class="story-body">
{body}
<h2>What happens next</h2>
<p>The council will meet again on Friday, officials said, and a vote is expected within weeks.</p>
<figure><img src="x.jpg"><figcaption>Residents gathered outside the town hall on Tuesday.</figcaption></figure>
<p>Opposition members said they would keep pressing for an independent inquiry into the spending.</p>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
</div>
</article>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Another story about something else entirely</a></li><li><a href="/b">A second unrelated story that is popular</a></li></ul></aside>
<section class="comments"><h3>Comments</h3><p>I think this is outrageous and the council should resign immediately, all of them.</p></section>
</main>
<footer><p>Copyright 2021 The Example Herald. All rights reserved. Contact us, privacy policy, terms of use.</p></footer>
</body>
</html>"##,
        slug = headline.to_lowercase().replace(' ', "-"),
    )
}

const PARAS_A: &[&str] = &[
    "The town council approved a new budget on Tuesday, raising spending on schools, roads and public transport by a fifth, after months of debate.",
    "Mayor Jane Holt said the plan would \u{201c}put families first\u{201d}, while critics warned that the increase, the largest in a decade, could not be sustained.",
    "About 300 residents attended the meeting, which lasted more than four hours and was interrupted twice by protesters.",
];

const PARAS_B: &[&str] = &[
    "Workers at the port walked out on Monday in a dispute over pay, halting the loading of ships for the first time in twenty years.",
    "The union said its members had been offered a rise of two percent, far below inflation, and that talks had broken down over the weekend.",
    "Shipping companies warned of delays to deliveries across the region if the strike, planned to last a week, went ahead as announced.",
];

#[test]
fn main_text_keeps_the_article_and_drops_the_furniture() {
    let page = news_page("Council approves budget", PARAS_A);
    let a = html::extract(page.as_bytes(), None);
    for p in PARAS_A {
        assert!(
            a.text.contains(p),
            "missing paragraph {p:?} in {:?}",
            a.text
        );
    }
    for junk in [
        "Home",
        "Most read",
        "outrageous",
        "Share on Facebook",
        "All rights reserved",
        "not text",
    ] {
        assert!(!a.text.contains(junk), "{junk:?} leaked into {:?}", a.text);
    }
    // Paragraphs are blocks separated by blank lines; the subheading and the caption are blocks.
    let blocks: Vec<&str> = a.text.split("\n\n").collect();
    assert_eq!(blocks[0], PARAS_A[0]);
    assert!(blocks.contains(&"What happens next"));
    assert!(blocks.contains(&"Residents gathered outside the town hall on Tuesday."));
    // The headline is the title, not a body block.
    assert!(!blocks.contains(&"Council approves budget"));

    let body_only = html::extract_with(page.as_bytes(), None, &Options { captions: false });
    assert!(!body_only.text.contains("Residents gathered"));
    assert!(body_only.text.contains(PARAS_A[2]));
}

#[test]
fn metadata_comes_from_json_ld_meta_tags_and_the_html_element() {
    let a = html::extract(
        news_page("Council approves budget", PARAS_A).as_bytes(),
        None,
    );
    assert_eq!(a.title.as_deref(), Some("Council approves budget"));
    assert_eq!(a.byline.as_deref(), Some("Ada Reporter, Ben Writer"));
    assert_eq!(a.published.as_deref(), Some("2021-03-04"));
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://herald.example/news/council-approves-budget")
    );
    assert_eq!(a.site_name.as_deref(), Some("The Example Herald"));

    // Fallbacks: <title> without its site suffix, <time datetime>, meta author.
    let page = r#"<html><head><title>Storm closes schools across the north | Daily Post</title>
        <meta name="author" content="By Carla Weather"></head><body><article>
        <time datetime="2020-02-10T06:00:00+01:00">10 February</time>
        <p>Schools across the north were closed on Monday as a storm brought winds of up to 90 mph, cutting power to thousands of homes.</p>
        <p>Forecasters said the worst of the weather would pass by the evening, though flooding remained a risk in low-lying areas near rivers.</p>
        </article></body></html>"#;
    let a = html::extract(page.as_bytes(), None);
    assert_eq!(
        a.title.as_deref(),
        Some("Storm closes schools across the north")
    );
    assert_eq!(a.byline.as_deref(), Some("Carla Weather"));
    assert_eq!(a.published.as_deref(), Some("2020-02-10"));
    assert_eq!(a.language, None);
}

/// A French page encoded as Windows-1252, optionally declaring it in a meta tag.
fn cp1252_page(declare: bool) -> Vec<u8> {
    let meta = if declare {
        "<meta charset=\"windows-1252\">"
    } else {
        ""
    };
    let text = "Le ministre a d\u{e9}clar\u{e9} mardi que la r\u{e9}forme \u{ab} sera men\u{e9}e \u{e0} son terme \u{bb}, malgr\u{e9} les gr\u{e8}ves qui paralysent les transports publics depuis le d\u{e9}but du mois. Les syndicats r\u{e9}clament le retrait pur et simple du projet, jug\u{e9} injuste par une majorit\u{e9} de Fran\u{e7}ais selon les derniers sondages publi\u{e9}s cette semaine.";
    let page = format!("<html><head>{meta}<title>R\u{e9}forme</title></head><body><article><p>{text}</p><p>{text}</p></article></body></html>");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&page);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn charsets_from_meta_http_and_detection() {
    let want = "Le ministre a d\u{e9}clar\u{e9} mardi que la r\u{e9}forme \u{ab} sera men\u{e9}e";
    // Declared in the page.
    let a = html::extract(&cp1252_page(true), None);
    assert!(a.text.starts_with(want), "{:?}", a.text);
    assert_eq!(a.charset, "windows-1252");
    assert_eq!(a.charset_source, Some("meta"));
    assert!(!a.decode_errors);
    // Undeclared: guessed from the bytes.
    let a = html::extract(&cp1252_page(false), None);
    assert!(a.text.starts_with(want), "{:?}", a.text);
    assert_eq!(a.charset_source, Some("detected"));
    // The HTTP header wins over the page's own declaration.
    let cyrillic = "\u{41f}\u{440}\u{430}\u{432}\u{438}\u{442}\u{435}\u{43b}\u{44c}\u{441}\u{442}\u{432}\u{43e} \u{43e}\u{431}\u{44a}\u{44f}\u{432}\u{438}\u{43b}\u{43e} \u{43e} \u{43d}\u{43e}\u{432}\u{44b}\u{445} \u{43c}\u{435}\u{440}\u{430}\u{445}, \u{441}\u{43e}\u{43e}\u{431}\u{449}\u{438}\u{43b}\u{438} \u{432} \u{432}\u{442}\u{43e}\u{440}\u{43d}\u{438}\u{43a} \u{438}\u{441}\u{442}\u{43e}\u{447}\u{43d}\u{438}\u{43a}\u{438}.";
    let page = format!(
        "<html><head><meta charset=\"iso-8859-1\"></head><body><p>{cyrillic}</p></body></html>"
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&page);
    let a = html::extract(&bytes, Some("text/html; charset=windows-1251"));
    assert_eq!(a.text, cyrillic);
    assert_eq!(a.charset_source, Some("http"));
    // A page declared Latin-1 whose bytes are UTF-8 is read as UTF-8.
    let page = "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\u{e9} owners in Z\u{fc}rich said the new rules, announced on Monday, would cost them dearly this winter.</p></body></html>";
    let a = html::extract(page.as_bytes(), None);
    assert!(
        a.text.starts_with("Caf\u{e9} owners in Z\u{fc}rich"),
        "{:?}",
        a.text
    );
    assert_eq!(a.charset_source, Some("utf8"));
}

// --- WARC files built here -----------------------------------------------------------------------

fn warc_record(
    kind: &str,
    uri: Option<&str>,
    content_type: &str,
    block: &[u8],
    n: usize,
) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"WARC/1.1\r\n");
    out.extend_from_slice(format!("WARC-Type: {kind}\r\n").as_bytes());
    out.extend_from_slice(
        format!("WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012}>\r\n").as_bytes(),
    );
    out.extend_from_slice(b"WARC-Date: 2019-11-20T10:00:00Z\r\n");
    if let Some(u) = uri {
        out.extend_from_slice(format!("WARC-Target-URI: {u}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nServer: test\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn response(uri: &str, content_type: &str, body: &[u8], n: usize) -> Vec<u8> {
    warc_record(
        "response",
        Some(uri),
        "application/http; msgtype=response",
        &http_response("200 OK", content_type, body),
        n,
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// The records of a small crawl: two pages among records that are not pages.
fn crawl_records() -> Vec<Vec<u8>> {
    let page_a = news_page("Council approves budget", PARAS_A);
    vec![
        warc_record(
            "warcinfo",
            None,
            "application/warc-fields",
            b"software: kestrel-test\r\n",
            1,
        ),
        warc_record(
            "request",
            Some("https://herald.example/news/a"),
            "application/http; msgtype=request",
            b"GET /news/a HTTP/1.1\r\nHost: herald.example\r\n\r\n",
            2,
        ),
        response(
            "https://herald.example/news/a",
            "text/html; charset=utf-8",
            page_a.as_bytes(),
            3,
        ),
        response(
            "https://herald.example/logo.png",
            "image/png",
            b"\x89PNG\r\n\x1a\nnot really",
            4,
        ),
        warc_record(
            "response",
            Some("https://herald.example/old"),
            "application/http; msgtype=response",
            &http_response(
                "301 Moved Permanently",
                "text/html",
                b"<a href=/new>moved</a>",
            ),
            5,
        ),
        // A page whose charset is given only by the HTTP header.
        response(
            "https://herald.example/fr",
            "text/html; charset=windows-1252",
            &cp1252_page(false),
            6,
        ),
        warc_record(
            "metadata",
            Some("https://herald.example/news/a"),
            "application/warc-fields",
            b"fetchTimeMs: 120\r\n",
            7,
        ),
    ]
}

fn tmp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kestrel-html-warc-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn read_all(path: &Path) -> Vec<Result<Article, ingest::InputError>> {
    let (format, gzip) = ingest::format_of(path);
    let source = Source {
        name: path.display().to_string(),
        path: Some(path.to_path_buf()),
        format,
        gzip,
    };
    ingest::read_source(&source, &ReadOptions::default()).collect()
}

fn pages(items: &[Result<Article, ingest::InputError>]) -> Vec<&Article> {
    items.iter().filter_map(|r| r.as_ref().ok()).collect()
}

fn check_crawl(items: &[Result<Article, ingest::InputError>]) {
    let errors: Vec<_> = items.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let p = pages(items);
    assert_eq!(p.len(), 2, "two HTML responses among seven records");
    assert_eq!(p[0].url.as_deref(), Some("https://herald.example/news/a"));
    assert_eq!(p[0].title.as_deref(), Some("Council approves budget"));
    assert_eq!(
        p[0].published.as_deref(),
        Some("2021-03-04"),
        "page date first"
    );
    assert!(p[0].text.starts_with(PARAS_A[0]));
    assert_eq!(
        p[0].meta.as_ref().unwrap()["byline"],
        "Ada Reporter, Ben Writer"
    );
    // No date in the page: the record's WARC-Date.
    assert_eq!(p[1].published.as_deref(), Some("2019-11-20"));
    assert!(
        p[1].text.starts_with("Le ministre a d\u{e9}clar\u{e9}"),
        "{:?}",
        p[1].text
    );
    assert_ne!(p[0].id, p[1].id);
}

#[test]
fn warc_and_per_record_gzip_warc_give_the_pages_and_skip_the_rest() {
    let dir = tmp_dir("crawl");
    let records = crawl_records();
    let plain = dir.join("crawl.warc");
    std::fs::write(&plain, records.concat()).unwrap();
    check_crawl(&read_all(&plain));

    let gz = dir.join("crawl.warc.gz");
    let members: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    std::fs::write(&gz, members).unwrap();
    let before = kestrel::warc::totals().snapshot();
    check_crawl(&read_all(&gz));
    let after = kestrel::warc::totals().snapshot();
    // Counted (other tests may read WARC files at the same time, so at least these).
    assert!(after.0 - before.0 >= 7 && after.2 - before.2 >= 5);

    // The reader streams: its stats are there as it goes.
    let stats = std::sync::Arc::new(kestrel::warc::WarcStats::default());
    let f = std::io::BufReader::new(std::fs::File::open(&gz).unwrap());
    let n = kestrel::warc::read_warc("crawl".into(), "crawl".into(), f, 1 << 20, stats.clone())
        .filter(|r| r.is_ok())
        .count();
    assert_eq!(n, 2);
    assert_eq!(stats.snapshot(), (7, 2, 5, 0));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_truncated_warc_gz_reports_the_cut_record_and_keeps_the_rest() {
    let dir = tmp_dir("truncated");
    let mut records = crawl_records();
    records.push(response(
        "https://herald.example/news/b",
        "text/html",
        news_page("Port workers strike", PARAS_B).as_bytes(),
        8,
    ));
    let mut bytes: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    bytes.truncate(bytes.len() - 40);
    let path = dir.join("cut.warc.gz");
    std::fs::write(&path, &bytes).unwrap();
    let items = read_all(&path);
    assert_eq!(pages(&items).len(), 2, "the pages before the cut");
    let errors: Vec<_> = items.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].input, format!("{}:8", path.display()));
    assert_eq!(errors[0].kind, ErrorKind::Gzip);
    assert!(
        errors[0].message.contains("truncated"),
        "{}",
        errors[0].message
    );

    // The same cut in a plain WARC.
    let mut plain = records.concat();
    plain.truncate(plain.len() - 300);
    let path = dir.join("cut.warc");
    std::fs::write(&path, &plain).unwrap();
    let items = read_all(&path);
    assert_eq!(pages(&items).len(), 2);
    let errors: Vec<_> = items.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].input, format!("{}:8", path.display()));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_corrupt_record_in_the_middle_is_reported_and_skipped() {
    let dir = tmp_dir("corrupt");
    let a = response(
        "https://herald.example/a",
        "text/html",
        news_page("Council approves budget", PARAS_A).as_bytes(),
        1,
    );
    let b = response(
        "https://herald.example/b",
        "text/html",
        news_page("Port workers strike", PARAS_B).as_bytes(),
        2,
    );
    // Gzipped: garble the compressed data of the first member.
    let (ga, gb) = (gzip(&a), gzip(&b));
    let mut bad = ga.clone();
    let mid = bad.len() / 2;
    for x in &mut bad[mid..mid + 16] {
        *x ^= 0x5a;
    }
    let path = dir.join("bad.warc.gz");
    std::fs::write(&path, [bad, gb.clone(), ga].concat()).unwrap();
    let items = read_all(&path);
    let got: Vec<&str> = pages(&items)
        .iter()
        .map(|a| a.url.as_deref().unwrap())
        .collect();
    assert_eq!(
        got,
        ["https://herald.example/b", "https://herald.example/a"]
    );
    let errors: Vec<_> = items.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].input, format!("{}:1", path.display()));

    // Plain: a record whose header is garbage, between two good ones.
    let mut garbage = b"WARC/1.1\r\nWARC-Type: response\r\nthis line has no colon\r\n\r\n".to_vec();
    garbage.extend_from_slice(b"<html>lost</html>\r\n\r\n");
    let path = dir.join("bad.warc");
    std::fs::write(&path, [a.clone(), garbage, b.clone()].concat()).unwrap();
    let items = read_all(&path);
    assert_eq!(pages(&items).len(), 2);
    let errors: Vec<_> = items.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].input, format!("{}:2", path.display()));
    assert!(
        errors[0].message.contains("malformed"),
        "{}",
        errors[0].message
    );

    // A record larger than the article limit is reported, the next one still read.
    let big = response(
        "https://herald.example/big",
        "text/html",
        format!(
            "<html><body><p>{}</p></body></html>",
            "word ".repeat(50_000)
        )
        .as_bytes(),
        3,
    );
    let stats = std::sync::Arc::new(kestrel::warc::WarcStats::default());
    let items: Vec<_> = kestrel::warc::read_warc(
        "big".into(),
        "big".into(),
        std::io::Cursor::new([big, b].concat()),
        100_000,
        stats.clone(),
    )
    .collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap_err().kind, ErrorKind::TooLarge);
    assert!(items[1].is_ok());
    assert_eq!(stats.snapshot(), (2, 1, 0, 1));
    std::fs::remove_dir_all(&dir).ok();
}

/// Pages go through the article reader as `.html` files and inside a WARC to the same text as
/// extracting them directly, and through the pipeline to the same records' text.
fn same_text_through_warc(pages_html: &[(String, Vec<u8>)], dir: &Path, with_pipeline: bool) {
    let mut warc = Vec::new();
    for (i, (uri, bytes)) in pages_html.iter().enumerate() {
        let body = http_response("200 OK", "text/html; charset=utf-8", bytes);
        warc.extend(gzip(&warc_record(
            "response",
            Some(uri),
            "application/http; msgtype=response",
            &body,
            i,
        )));
        std::fs::write(dir.join(format!("page{i:04}.html")), bytes).unwrap();
    }
    let path = dir.join("pages.warc.gz");
    std::fs::write(&path, &warc).unwrap();
    let from_warc = read_all(&path);
    assert_eq!(from_warc.len(), pages_html.len());
    let pipeline = kestrel::Pipeline::new();
    for (i, ((_, bytes), got)) in pages_html.iter().zip(&from_warc).enumerate() {
        let direct = html::extract(bytes, Some("text/html; charset=utf-8")).text;
        let file = read_all(&dir.join(format!("page{i:04}.html")));
        match (got, &file[0]) {
            (Ok(w), Ok(f)) => {
                assert_eq!(
                    w.text, direct,
                    "page {i}: WARC text differs from direct extraction"
                );
                assert_eq!(
                    f.text, direct,
                    "page {i}: file text differs from direct extraction"
                );
                if with_pipeline {
                    let (rw, rf) = (pipeline.process(w.clone()), pipeline.process(f.clone()));
                    assert_eq!(rw.text, rf.text);
                    assert_eq!(rw.blocks, rf.blocks);
                }
            }
            (Err(w), Err(f)) => {
                // A page with no text fails the same way from both.
                assert!(direct.trim().is_empty());
                assert_eq!(w.kind, f.kind);
            }
            other => panic!("page {i}: WARC and file disagree: {other:?}"),
        }
    }
}

#[test]
fn warc_text_matches_direct_extraction_of_the_same_pages() {
    let dir = tmp_dir("same");
    let pages_html = vec![
        (
            "https://herald.example/a".to_string(),
            news_page("Council approves budget", PARAS_A).into_bytes(),
        ),
        (
            "https://herald.example/b".to_string(),
            news_page("Port workers strike", PARAS_B).into_bytes(),
        ),
    ];
    same_text_through_warc(&pages_html, &dir, true);
    std::fs::remove_dir_all(&dir).ok();
}

/// The same on the extraction benchmark's 181 real pages, when `../shared` is there.
#[test]
fn warc_of_the_benchmark_pages_matches_their_html_extraction() {
    let bench = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/eval/html/article-extraction-benchmark");
    if !bench.is_dir() {
        eprintln!("skipped: {} not present", bench.display());
        return;
    }
    let pages = kestrel::eval::html::load_pages(&bench).unwrap();
    assert_eq!(pages.len(), 181);
    let pages_html: Vec<(String, Vec<u8>)> = pages
        .into_iter()
        .map(|(id, b)| (format!("https://bench.example/{id}"), b))
        .collect();
    let dir = tmp_dir("bench");
    same_text_through_warc(&pages_html, &dir, false);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn html_files_read_and_bad_ones_reported() {
    let dir = tmp_dir("bad-html");
    let empty = dir.join("empty.html");
    std::fs::write(
        &empty,
        "<html><head><title>x</title></head><body><nav><a href=/>Home</a></nav></body></html>",
    )
    .unwrap();
    let r = read_all(&empty);
    let e = r[0].as_ref().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Empty);
    assert_eq!(e.input, empty.display().to_string());

    let ok = dir.join("story.html.gz");
    std::fs::write(
        &ok,
        gzip(news_page("Port workers strike", PARAS_B).as_bytes()),
    )
    .unwrap();
    let r = read_all(&ok);
    let a = r[0].as_ref().unwrap();
    assert_eq!(a.id, "story");
    assert!(a.text.starts_with(PARAS_B[0]));
    assert_eq!(a.source.as_deref(), Some("The Example Herald"));

    let page = news_page("Port workers strike", PARAS_B);
    let e = html::read_page("big.html", "big".into(), page.as_bytes(), 1000).unwrap_err();
    assert_eq!(
        (e.kind, e.input.as_str()),
        (ErrorKind::TooLarge, "big.html")
    );
    std::fs::remove_dir_all(&dir).ok();
}
