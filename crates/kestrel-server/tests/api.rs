//! The HTTP API through the router: every endpoint, filters, paging, exports, submissions, and
//! the JSON errors for bad input.

#[path = "../../kestrel-store/tests/fixtures/mod.rs"]
mod fixtures;

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use kestrel_server::{router, AppState, ServerConfig};
use kestrel_store::Store;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

struct Api {
    app: Router,
    _dir: tempfile::TempDir,
}

fn api_with(max_body: usize, read_only: bool) -> Api {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("api.db");
    Store::open(&db)
        .unwrap()
        .ingest(&fixtures::rally_set())
        .unwrap();
    let mut cfg = ServerConfig::new(db);
    cfg.max_body_bytes = max_body;
    cfg.read_only = read_only;
    let state: Arc<AppState> = AppState::open(&cfg, kestrel::Pipeline::new()).unwrap();
    Api {
        app: router(state),
        _dir: dir,
    }
}

fn api() -> Api {
    api_with(1 << 20, false)
}

impl Api {
    async fn call(&self, req: Request<Body>) -> (StatusCode, String, Option<String>) {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let ctype = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string());
        let body = to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap(), ctype)
    }

    async fn get(&self, uri: &str) -> (StatusCode, Value) {
        let (s, body, ctype) = self
            .call(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        assert_eq!(ctype.as_deref(), Some("application/json"), "{uri}: {body}");
        (s, serde_json::from_str(&body).unwrap())
    }

    async fn ok(&self, uri: &str) -> Value {
        let (s, v) = self.get(uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {v}");
        v
    }

    async fn post(&self, ctype: &str, body: impl Into<Body>) -> (StatusCode, Value) {
        let (s, body, _) = self
            .call(
                Request::post("/api/articles")
                    .header(header::CONTENT_TYPE, ctype)
                    .body(body.into())
                    .unwrap(),
            )
            .await;
        (s, serde_json::from_str(&body).unwrap())
    }
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap().to_string())
        .collect();
    k.sort();
    k
}

#[tokio::test]
async fn events_filter_sort_and_page() {
    let api = api();
    let all = api.ok("/api/events").await;
    assert_eq!(all["total"], 5);
    assert_eq!(all["limit"], 50);
    let iraq = api.ok("/api/events?country=IQ&sort=date&order=asc").await;
    assert_eq!(iraq["total"], 4);
    assert_eq!(iraq["events"][0]["date"], "2020-01-24");
    assert_eq!(iraq["events"][3]["date"], "2020-01-25");
    let v = api
        .ok("/api/events?type=protest&mode=strike&actor=KEN&from=2020-01-01&to=2020-01-31")
        .await;
    assert_eq!(keys(&v), ["nairobi-1#v1"]);
    let v = api.ok("/api/events?actor=iraqis&place=bagh").await;
    assert_eq!(keys(&v), ["daily-1#v1", "wire-1#v1"]);
    let v = api
        .ok("/api/events?q=troops%20friday&status=occurred")
        .await;
    assert_eq!(v["total"], 4);
    let v = api.ok("/api/events?group=clusters").await;
    assert_eq!(v["total"], 3);
    let v = api
        .ok("/api/events?acled=protests&sort=-reports&limit=1")
        .await;
    assert_eq!(v["events"][0]["cluster"]["reports"], 3);
    assert_eq!(v["events"][0]["cluster"]["sources"], 2);
    let p1 = api.ok("/api/events?limit=2&offset=0").await;
    let p3 = api.ok("/api/events?limit=2&offset=4").await;
    assert_eq!(p1["events"].as_array().unwrap().len(), 2);
    assert_eq!(p3["events"].as_array().unwrap().len(), 1);
    let e = &all["events"][0];
    for field in [
        "id",
        "key",
        "article",
        "type",
        "date",
        "place",
        "country",
        "status",
        "trigger",
        "cluster",
        "sentence_text",
    ] {
        assert!(e.get(field).is_some(), "{field} missing from {e}");
    }
}

#[tokio::test]
async fn bad_parameters_are_400_with_the_parameter_named() {
    let api = api();
    for (uri, needle) in [
        ("/api/events?type=RIOT", "type: unknown event type"),
        (
            "/api/events?limit=0",
            "limit: expected a whole number from 1 to 500",
        ),
        ("/api/events?limit=5000", "limit:"),
        ("/api/events?offset=-1", "offset:"),
        (
            "/api/events?from=24/01/2020",
            "from: expected a date YYYY-MM-DD",
        ),
        ("/api/events?country=Narnia", "country:"),
        ("/api/events?sort=colour", "sort: unknown key"),
        ("/api/events?order=up", "order: expected asc or desc"),
        (
            "/api/events?colour=red",
            "unknown query parameter \"colour\"",
        ),
        ("/api/events?place=%2A%2A", "place:"),
        ("/api/events?q=%22%22", "q: the text query has no words"),
        ("/api/stats?by=week", "by: unknown dimension"),
        ("/api/map?cell=90", "cell:"),
        ("/api/export?format=xml", "format: expected csv or jsonl"),
        (
            "/api/events/abc",
            "event id must be a positive whole number",
        ),
    ] {
        let (s, v) = api.get(uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert_eq!(v["error"]["status"], 400);
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(msg.contains(needle), "{uri}: {msg}");
    }
    let (s, v) = api.get("/api/events/424242").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
    let (s, _) = api.get("/api/articles/nope").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = api.get("/api/nothing-here").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("/api/nothing-here"));
    let (s, _, _) = api
        .call(Request::delete("/api/events").body(Body::empty()).unwrap())
        .await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn an_event_comes_with_its_evidence_and_its_article_with_every_layer() {
    let api = api();
    let list = api.ok("/api/events?article=wire-1").await;
    let id = list["events"][0]["id"].as_i64().unwrap();
    let ev = api.ok(&format!("/api/events/{id}")).await;
    assert_eq!(ev["record"]["trigger"]["text"], "rallied");
    let evidence = ev["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 3);
    assert_eq!(evidence[0]["article"]["id"], "wire-1");
    assert_eq!(evidence[0]["trigger_text"], "rallied");
    let span = &evidence[0]["sentence_span"];
    let art = api.ok("/api/articles/wire-1").await;
    let text = art["text"].as_str().unwrap();
    let (a, b) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[a..b], evidence[0]["sentence_text"].as_str().unwrap());
    for layer in [
        "entities",
        "places",
        "events",
        "quotes",
        "sentences",
        "blocks",
        "repairs",
    ] {
        assert!(art[layer].is_array(), "{layer}");
    }
    assert_eq!(art["stored"]["events"]["v1"]["id"], id);
}

#[tokio::test]
async fn stats_map_and_openapi() {
    let api = api();
    let s = api.ok("/api/stats?by=type,day").await;
    assert_eq!(s["totals"]["events"], 5);
    assert_eq!(s["totals"]["articles"], 5);
    assert!(s.get("by_country").is_none());
    assert_eq!(s["by_day"].as_array().unwrap().len(), 3);
    let s = api.ok("/api/stats?type=PROTEST&country=KE").await;
    assert_eq!(s["by_country"], json!([{"key": "KEN", "n": 1}]));
    // Ten-degree cells put Baghdad and Basra together, Nairobi apart.
    let m = api.ok("/api/map?cell=10").await;
    assert_eq!(m["points"].as_array().unwrap().len(), 2, "{m}");
    let m = api.ok("/api/map?cell=0.5").await;
    assert_eq!(m["points"].as_array().unwrap().len(), 3, "{m}");
    let doc = api.ok("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/events",
        "/api/events/{id}",
        "/api/articles",
        "/api/articles/{id}",
        "/api/stats",
        "/api/map",
        "/api/export",
        "/api/health",
        "/api/openapi.json",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} undocumented");
    }
    let h = api.ok("/api/health").await;
    assert_eq!(h["ok"], true);
}

#[tokio::test]
async fn exports_follow_the_filters() {
    let api = api();
    let (s, csv, ctype) = api
        .call(
            Request::get("/api/export?country=IRQ&sort=date&order=asc")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ctype.as_deref(), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert!(lines[0].starts_with("id,key,date,date_precision,date_from,type,"));
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(lines[1].contains(",2020-01-24,") && lines[1].contains(",PROTEST,"));
    assert!(
        lines[1].ends_with(
            ",Thousands of Iraqis rallied in Baghdad on Friday against the presence of US troops."
        ),
        "{}",
        lines[1]
    );
    let (s, jsonl, ctype) = api
        .call(
            Request::get("/api/export?format=jsonl&type=PROTEST&limit=2")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ctype.as_deref(), Some("application/x-ndjson"));
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["type"], "PROTEST");
}

const STORY: &str = "NAIROBI, Kenya — Thousands of teachers marched through Nairobi on Monday \
    demanding higher pay, the Kenya National Union of Teachers said.";

#[tokio::test]
async fn posted_articles_are_extracted_and_stored_once() {
    let api = api();
    let body = json!({"id": "posted-1", "source": "Test Wire", "published": "2024-03-04",
                      "title": "Teachers march", "text": STORY, "desk": "africa"});
    let (s, v) = api.post("application/json", body.to_string()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["stored"], 1);
    assert_eq!(v["articles"][0]["status"], "stored");
    let events = v["articles"][0]["events"].as_array().unwrap();
    assert!(
        !events.is_empty(),
        "the pipeline found no event in {STORY:?}"
    );
    let art = api.ok("/api/articles/posted-1").await;
    assert_eq!(art["meta"]["desk"], "africa");
    assert_eq!(art["published"], "2024-03-04");
    let id = events[0]["id"].as_i64().unwrap();
    api.ok(&format!("/api/events/{id}")).await;
    // Again: nothing changes.
    let before = api.ok("/api/stats?by=type").await;
    let (s, v) = api.post("application/json", body.to_string()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (v["stored"].as_i64(), v["duplicates"].as_i64()),
        (Some(0), Some(1))
    );
    assert_eq!(api.ok("/api/stats?by=type").await, before);
    // An array, and JSON Lines; an article without an id is named by its hash.
    let arr = json!([{"text": format!("{STORY} Police watched.")}, {"id": "posted-3", "text": format!("{STORY} Again.")}]);
    let (s, v) = api.post("application/json", arr.to_string()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["stored"], 2);
    assert_eq!(v["articles"][0]["id"].as_str().unwrap().len(), 16);
    let lines = format!(
        "{}\n{}\n",
        json!({"id": "posted-4", "text": format!("{STORY} Four.")}),
        json!({"id": "posted-5", "text": format!("{STORY} Five.")})
    );
    let (s, v) = api.post("application/x-ndjson", lines).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["stored"], 2);
}

#[tokio::test]
async fn bad_submissions_store_nothing() {
    let api = api_with(4096, false);
    let before = api.ok("/api/stats?by=type").await;
    for (ctype, body, status, needle) in [
        (
            "text/plain",
            "{}".to_string(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content type",
        ),
        (
            "application/json",
            "".to_string(),
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            "application/json",
            "42".to_string(),
            StatusCode::BAD_REQUEST,
            "a number",
        ),
        (
            "application/json",
            json!({"id": "x"}).to_string(),
            StatusCode::BAD_REQUEST,
            "missing \"text\"",
        ),
        (
            "application/json",
            json!([{"id": "ok", "text": STORY}, {"id": "bad", "text": 5}]).to_string(),
            StatusCode::BAD_REQUEST,
            "1 of 2 articles are invalid",
        ),
        (
            "application/x-ndjson",
            "{\"text\": \"a\"}\n{oops\n".to_string(),
            StatusCode::BAD_REQUEST,
            "request:2: malformed JSON",
        ),
        (
            "application/json",
            json!({"text": "x".repeat(10_000)}).to_string(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "larger than the limit of 4096 bytes",
        ),
    ] {
        let (s, v) = api.post(ctype, body).await;
        assert_eq!(s, status, "{v}");
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(msg.contains(needle), "{msg}");
    }
    let (s, v) = api.post("application/json", vec![0xffu8, 0xfe]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"]["message"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(api.ok("/api/stats?by=type").await, before);

    let ro = api_with(1 << 20, true);
    let (s, v) = ro
        .post("application/json", json!({"text": STORY}).to_string())
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
}

#[tokio::test]
async fn the_dashboard_is_served_from_the_binary() {
    let api = api();
    let (s, html, ctype) = api
        .call(Request::get("/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ctype.as_deref(), Some("text/html; charset=utf-8"));
    assert!(html.contains("/assets/app.js") && html.contains("/assets/app.css"));
    for (path, ctype) in [
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/app.css", "text/css; charset=utf-8"),
        ("/assets/basemap.json", "application/json"),
    ] {
        let (s, body, c) = api
            .call(Request::get(path).body(Body::empty()).unwrap())
            .await;
        assert_eq!((s, c.as_deref()), (StatusCode::OK, Some(ctype)), "{path}");
        assert!(body.len() > 1000, "{path} is nearly empty");
    }
    let (_, basemap, _) = api
        .call(
            Request::get("/assets/basemap.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let map: Value = serde_json::from_str(&basemap).unwrap();
    let countries = map["countries"].as_array().unwrap();
    assert!(countries.len() > 150);
    assert!(countries.iter().any(|c| c["a3"] == "IRQ"));
    let (s, _) = api.get("/assets/secret.txt").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
