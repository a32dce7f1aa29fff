//! A bounded concurrent load test on loopback: many readers query the API while articles are
//! submitted; no request may fail and no submitted article may be lost. Only 127.0.0.1 is
//! contacted; the number of requests and the time are both capped.

#[path = "../../kestrel-store/tests/fixtures/mod.rs"]
mod fixtures;

use kestrel_server::{serve_until, AppState, ServerConfig};
use kestrel_store::Store;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const READERS: usize = 24;
const READS_EACH: usize = 40;
const WRITERS: usize = 2;
const POSTS_EACH: usize = 15;
const ARTICLES_PER_POST: usize = 4;

/// One HTTP/1.1 request over a fresh connection; returns the status and the body.
async fn request(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr)
        .await
        .expect("connect to the test server");
    let body = body.unwrap_or("");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8(buf).expect("UTF-8 response");
    let (head, body) = text.split_once("\r\n\r\n").expect("a header block");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("a status line");
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "this client reads plain bodies only"
    );
    (status, body.to_string())
}

fn article(writer: usize, post: usize, i: usize) -> Value {
    let places = ["Nairobi", "Baghdad", "Lagos", "Karachi", "Lima"];
    let place = places[(writer + post + i) % places.len()];
    json!({
        "id": format!("load-{writer}-{post}-{i}"),
        "source": format!("Load Wire {}", writer),
        "published": format!("2024-04-{:02}", 1 + (post % 28)),
        "title": format!("Workers march in {place}"),
        "text": format!(
            "{place} — Hundreds of workers marched in {place} on Tuesday demanding unpaid wages, \
             union officials said. Police arrested {n} organisers, witnesses said. (Item {writer}/{post}/{i}.)",
            n = 2 + i
        ),
    })
}

#[test]
fn many_readers_while_ingesting_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("load.db");
    Store::open(&db)
        .unwrap()
        .ingest(&fixtures::rally_set())
        .unwrap();
    let state = AppState::open(&ServerConfig::new(db), kestrel::Pipeline::new()).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve_until(state, listener, async {
            let _ = stopped.await;
        }));
        let run = async {
            let mut tasks = Vec::new();
            for w in 0..WRITERS {
                tasks.push(tokio::spawn(async move {
                    let mut failures = Vec::new();
                    for p in 0..POSTS_EACH {
                        let batch: Vec<Value> =
                            (0..ARTICLES_PER_POST).map(|i| article(w, p, i)).collect();
                        let body = Value::Array(batch).to_string();
                        let (s, b) = request(addr, "POST", "/api/articles", Some(&body)).await;
                        if s != 201 {
                            failures.push(format!("POST {s}: {b}"));
                        }
                    }
                    failures
                }));
            }
            for r in 0..READERS {
                tasks.push(tokio::spawn(async move {
                    let paths = [
                        "/api/events?limit=20",
                        "/api/events?type=PROTEST&sort=-reports",
                        "/api/events?q=workers&limit=5",
                        "/api/stats",
                        "/api/map?cell=2",
                        "/api/events?actor=IRQ&group=clusters",
                        "/api/articles/wire-1",
                        "/api/health",
                    ];
                    let mut failures = Vec::new();
                    for i in 0..READS_EACH {
                        let path = paths[(r + i) % paths.len()];
                        let (s, b) = request(addr, "GET", path, None).await;
                        if s != 200 || serde_json::from_str::<Value>(&b).is_err() {
                            failures.push(format!("GET {path}: {s} {b}"));
                        }
                    }
                    failures
                }));
            }
            let mut failures = Vec::new();
            for t in tasks {
                failures.extend(t.await.unwrap());
            }
            failures
        };
        let failures = tokio::time::timeout(Duration::from_secs(240), run)
            .await
            .expect("the load test finished within its time limit");
        assert!(
            failures.is_empty(),
            "{} failed requests: {:?}",
            failures.len(),
            &failures[..failures.len().min(5)]
        );

        // Nothing lost: every submitted article is stored, with its events.
        let (_, stats) = request(addr, "GET", "/api/stats?by=type", None).await;
        let stats: Value = serde_json::from_str(&stats).unwrap();
        let posted = WRITERS * POSTS_EACH * ARTICLES_PER_POST;
        assert_eq!(stats["totals"]["articles"], (5 + posted) as u64, "{stats}");
        for w in 0..WRITERS {
            for p in 0..POSTS_EACH {
                for i in 0..ARTICLES_PER_POST {
                    let id = format!("load-{w}-{p}-{i}");
                    let (s, b) = request(addr, "GET", &format!("/api/articles/{id}"), None).await;
                    assert_eq!(s, 200, "{id}: {b}");
                    let v: Value = serde_json::from_str(&b).unwrap();
                    let n = v["events"].as_array().unwrap().len();
                    assert_eq!(v["stored"]["events"].as_object().unwrap().len(), n, "{id}");
                }
            }
        }
        let _ = stop.send(());
        server.await.unwrap().unwrap();
    });
}
