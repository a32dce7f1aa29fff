//! Routes and their handlers.

use crate::assets::{self, Asset};
use crate::error::ApiError;
use crate::export;
use crate::params::{Params, FILTER_KEYS, MAX_LIMIT};
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kestrel::ingest::{json_lines, InputError};
use kestrel::model::Article;
use kestrel_store::query;
use kestrel_store::rusqlite::Connection;
use serde_json::{json, Value};
use std::io::Cursor;
use std::sync::Arc;

/// Most articles one `POST /api/articles` may carry.
pub const MAX_POSTED_ARTICLES: usize = 1000;

/// The API and the dashboard.
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.max_body_bytes;
    Router::new()
        .route("/", get(index))
        .route("/assets/{name}", get(asset))
        .route("/api/events", get(list_events))
        .route("/api/events/{id}", get(get_event))
        .route("/api/articles", post(post_articles))
        .route("/api/articles/{id}", get(get_article))
        .route("/api/stats", get(stats))
        .route("/api/map", get(map))
        .route("/api/export", get(export_events))
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

impl From<kestrel_store::rusqlite::Error> for ApiError {
    fn from(e: kestrel_store::rusqlite::Error) -> Self {
        kestrel_store::Error::from(e).into()
    }
}

/// Run a read on a pooled connection, inside one read transaction (one consistent snapshot),
/// off the async threads, at most `MAX_CONCURRENT_QUERIES` at once.
async fn read<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = state
        .queries
        .acquire()
        .await
        .map_err(|_| ApiError::internal("the server is shutting down"))?;
    let st = state.clone();
    tokio::task::spawn_blocking(move || {
        let conn = st.readers.get()?;
        let tx = conn.unchecked_transaction()?;
        f(&tx)
    })
    .await
    .map_err(|e| ApiError::internal(format!("query task failed: {e}")))?
}

fn send(asset: Asset, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, cache),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        asset.bytes,
    )
        .into_response()
}

async fn index() -> Response {
    let mut r = send(assets::index(), "no-cache");
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             connect-src 'self'; frame-ancestors 'none'",
        ),
    );
    r
}

async fn asset(Path(name): Path<String>) -> Result<Response, ApiError> {
    assets::get(&name)
        .map(|a| send(a, "public, max-age=300"))
        .ok_or_else(|| ApiError::not_found(format!("no asset {name:?}")))
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        assets::OPENAPI,
    )
        .into_response()
}

async fn health(State(st): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({
        "ok": true,
        "schema_version": kestrel_store::schema::SCHEMA_VERSION,
        "read_only": st.writer.is_none(),
        "kestrel": kestrel::VERSION,
    }))
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no such resource: {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not allowed on {}", uri.path()),
    )
}

async fn list_events(
    State(st): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(
        q.as_deref(),
        &[FILTER_KEYS, &["sort", "order", "offset", "limit"]],
    )?;
    let filter = p.filter()?;
    let sort = p.sort()?;
    let offset = p.int("offset", 0, 1_000_000_000)?.unwrap_or(0);
    let limit = p.int("limit", 1, MAX_LIMIT)?.unwrap_or(50);
    let page = read(&st, move |c| {
        Ok(query::list_events(c, &filter, sort, offset, limit)?)
    })
    .await?;
    Ok(Json(
        serde_json::to_value(page).map_err(|e| ApiError::internal(e.to_string()))?,
    ))
}

fn event_id(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad_request(format!(
            "event id must be a positive whole number (as in /api/events results), got {s:?}"
        ))
    })
}

async fn get_event(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = event_id(&id)?;
    Ok(Json(
        read(&st, move |c| Ok(query::get_event(c, id)?)).await?,
    ))
}

async fn get_article(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        read(&st, move |c| Ok(query::get_article(c, &id)?)).await?,
    ))
}

async fn stats(
    State(st): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(q.as_deref(), &[FILTER_KEYS, &["by"]])?;
    let filter = p.filter()?;
    let by = p.dimensions()?;
    Ok(Json(
        read(&st, move |c| Ok(query::stats(c, &filter, &by)?)).await?,
    ))
}

async fn map(
    State(st): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(q.as_deref(), &[FILTER_KEYS, &["cell"]])?;
    let filter = p.filter()?;
    let cell = p.float("cell", 0.01, 45.0)?.unwrap_or(1.0);
    Ok(Json(
        read(&st, move |c| Ok(query::map_points(c, &filter, cell)?)).await?,
    ))
}

/// Stream every event of a filtered view as CSV or JSON Lines.
async fn export_events(
    State(st): State<Arc<AppState>>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(
        q.as_deref(),
        &[FILTER_KEYS, &["sort", "order", "format", "limit"]],
    )?;
    let filter = p.filter()?;
    let sort = p.sort()?;
    let max_rows = p.int("limit", 1, i64::MAX)?;
    let csv = match p.one("format")?.as_deref() {
        None | Some("csv") => true,
        Some("jsonl") => false,
        Some(f) => {
            return Err(ApiError::bad_request(format!(
                "format: expected csv or jsonl, got {f:?}"
            )))
        }
    };
    // Counting first checks the filter, so a bad one is a 400 rather than a broken download.
    let f2 = filter.clone();
    let total = read(&st, move |c| Ok(query::count_events(c, &f2)?)).await?;
    let permit = st
        .queries
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::internal("the server is shutting down"))?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let state = st.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let conn = match state.readers.get() {
            Ok(c) => c,
            Err(e) => {
                let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
                return;
            }
        };
        let mut buf = if csv {
            export::csv_header()
        } else {
            String::new()
        };
        let mut left = max_rows.unwrap_or(i64::MAX);
        let result = query::for_each_event(&conn, &filter, sort, |row| {
            if csv {
                export::csv_row(&mut buf, &row);
            } else {
                match serde_json::to_string(&row) {
                    Ok(s) => buf.push_str(&s),
                    Err(_) => return false,
                }
                buf.push('\n');
            }
            left -= 1;
            if buf.len() >= 64 * 1024 {
                let chunk = Bytes::from(std::mem::take(&mut buf));
                if tx.blocking_send(Ok(chunk)).is_err() {
                    return false; // the client went away
                }
            }
            left > 0
        });
        match result {
            Ok(_) => {
                if !buf.is_empty() {
                    let _ = tx.blocking_send(Ok(Bytes::from(buf)));
                }
            }
            // Headers are sent: all that can be done is to cut the body short.
            Err(e) => {
                let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let (ctype, name) = if csv {
        ("text/csv; charset=utf-8", "kestrel-events.csv")
    } else {
        ("application/x-ndjson", "kestrel-events.jsonl")
    };
    let mut r = Response::new(Body::from_stream(stream));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).expect("ascii"),
    );
    h.insert(
        "x-total-count",
        HeaderValue::from_str(&total.to_string()).expect("digits"),
    );
    Ok(r)
}

/// A submitted body as JSON Lines: one object, an array of objects, or JSON Lines as they are.
/// Returns the lines and, for each, whether it gave an id.
fn body_lines(body: &str) -> Result<Vec<(String, bool)>, ApiError> {
    let trimmed = body.trim_start();
    if trimmed.is_empty() {
        return Err(ApiError::bad_request(
            "request body is empty (expected an article as JSON)",
        ));
    }
    let one = |v: &Value| -> (String, bool) {
        (v.to_string(), v.get("id").is_some_and(|i| !i.is_null()))
    };
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Array(items)) => {
            if let Some(i) = items.iter().position(|v| !v.is_object()) {
                return Err(ApiError::bad_request(format!(
                    "request:[{i}]: expected a JSON object (an article), got {}",
                    kind_of(&items[i])
                )));
            }
            Ok(items.iter().map(one).collect())
        }
        Ok(v @ Value::Object(_)) => Ok(vec![one(&v)]),
        Ok(v) => Err(ApiError::bad_request(format!(
            "request body: expected an article object, an array of them, or JSON Lines; got {}",
            kind_of(&v)
        ))),
        // Not one JSON value: read it as JSON Lines, line by line.
        Err(_) => Ok(body
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let has_id = serde_json::from_str::<Value>(l)
                    .ok()
                    .is_some_and(|v| v.get("id").is_some_and(|i| !i.is_null()));
                (l.to_string(), has_id)
            })
            .collect()),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Take articles (as JSON Lines input lines), extract them and store them at once.
async fn post_articles(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    if st.writer.is_none() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this server is read-only (started with --read-only)",
        ));
    }
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ctype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !matches!(
        mime.as_str(),
        "application/json" | "application/x-ndjson" | "application/jsonl" | "application/ndjson"
    ) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "content type must be application/json or application/x-ndjson, got {:?}",
                ctype
            ),
        ));
    }
    let body = body.map_err(|r| {
        let status = r.status();
        let msg = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!(
                "request body is larger than the limit of {} bytes",
                st.max_body_bytes
            )
        } else {
            format!("request body: {}", r.body_text())
        };
        ApiError::new(status, msg)
    })?;
    let text = std::str::from_utf8(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "request body is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let lines = body_lines(text)?;
    if lines.len() > MAX_POSTED_ARTICLES {
        return Err(ApiError::bad_request(format!(
            "{} articles in one request; the limit is {MAX_POSTED_ARTICLES}",
            lines.len()
        )));
    }
    let mut joined = String::with_capacity(text.len() + lines.len());
    for (l, _) in &lines {
        joined.push_str(l);
        joined.push('\n');
    }
    let parsed: Vec<Result<Article, InputError>> = json_lines(
        "request".into(),
        "request".into(),
        Cursor::new(joined.into_bytes()),
        st.max_body_bytes,
    )
    .collect();
    let mut articles = Vec::new();
    let mut errors = Vec::new();
    for (item, (_, has_id)) in parsed.into_iter().zip(&lines) {
        match item {
            Ok(mut a) => {
                if !has_id {
                    a.id = a.hash[..16].to_string();
                }
                articles.push(a);
            }
            Err(e) => errors.push(json!({"input": e.input, "message": e.message})),
        }
    }
    if !errors.is_empty() {
        let first = errors[0]["input"].as_str().unwrap_or("").to_string()
            + ": "
            + errors[0]["message"].as_str().unwrap_or("");
        return Err(ApiError::bad_request(format!(
            "{} of {} articles are invalid, nothing was stored; first: {first}",
            errors.len(),
            lines.len()
        ))
        .with_details(Value::Array(errors)));
    }
    let state = st.clone();
    let out = tokio::task::spawn_blocking(move || -> Result<Value, ApiError> {
        let ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
        let records: Vec<_> = articles
            .into_iter()
            .map(|a| state.pipeline.process(a))
            .collect();
        let writer = state.writer.as_ref().expect("checked above");
        let mut store = writer.lock().unwrap_or_else(|p| p.into_inner());
        let report = store.ingest(&records)?;
        let conn = store.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT e.row, e.eid, e.type, e.cluster FROM events e
             JOIN articles a ON a.row = e.article_row WHERE a.id = ?1 ORDER BY e.row",
        )?;
        let mut list = Vec::new();
        for id in ids {
            let stored = report.stored_ids.contains(&id);
            let events = if stored {
                stmt.query_map([&id], |r| {
                    Ok(json!({
                        "id": r.get::<_, i64>(0)?,
                        "key": format!("{id}#{}", r.get::<_, String>(1)?),
                        "type": r.get::<_, String>(2)?,
                        "cluster": r.get::<_, Option<i64>>(3)?,
                    }))
                })?
                .collect::<Result<Vec<_>, _>>()?
            } else {
                Vec::new()
            };
            list.push(json!({
                "id": id,
                "status": if stored { "stored" } else { "duplicate" },
                "events": events,
            }));
        }
        Ok(json!({
            "stored": report.articles,
            "duplicates": report.duplicate_ids + report.duplicate_hashes,
            "events": report.events,
            "articles": list,
        }))
    })
    .await
    .map_err(|e| ApiError::internal(format!("ingest task failed: {e}")))??;
    let status = if out["stored"].as_u64().unwrap_or(0) > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(out)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_become_lines() {
        let l = body_lines("{\"id\": \"a\", \"text\": \"x\"}").unwrap();
        assert_eq!(l.len(), 1);
        assert!(l[0].1);
        let l = body_lines("[{\"text\": \"x\"}, {\"id\": \"b\", \"text\": \"y\"}]").unwrap();
        assert_eq!(l.iter().map(|x| x.1).collect::<Vec<_>>(), [false, true]);
        let l = body_lines("{\"text\": \"x\"}\n\n{\"id\": 3, \"text\": \"y\"}\n").unwrap();
        assert_eq!(l.len(), 2);
        // A pretty-printed object is one article, not lines.
        let l = body_lines("{\n  \"text\": \"x\"\n}").unwrap();
        assert_eq!(l.len(), 1);
        assert!(body_lines("  ").is_err());
        assert!(body_lines("[1]")
            .unwrap_err()
            .message
            .contains("request:[0]"));
        assert!(body_lines("\"text\"")
            .unwrap_err()
            .message
            .contains("a string"));
    }

    #[test]
    fn event_ids_are_positive_numbers() {
        assert_eq!(event_id("12").unwrap(), 12);
        assert!(event_id("0").is_err());
        assert!(event_id("abc").unwrap_err().message.contains("\"abc\""));
    }
}
