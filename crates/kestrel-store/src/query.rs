//! Reading the store: filtered, sorted, paged event lists; one event with its evidence; one
//! article with every layer; counts by type, country and day; aggregated map points; and streaming
//! every event of a filtered view (for CSV and JSON Lines export).
//!
//! Every query is built from fixed SQL fragments with `?` placeholders; caller values only ever
//! travel as bound parameters.

use crate::ingest::{day_string, normalise_name};
use crate::{Error, Result};
use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Which events a query is about. Empty lists and `None` mean "no condition".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventFilter {
    /// PLOVER types (any of).
    pub types: Vec<String>,
    /// PLOVER modes (any of).
    pub modes: Vec<String>,
    /// ACLED event types (any of).
    pub acled_types: Vec<String>,
    /// An actor code (a prefix: `IRQ` takes `IRQCVL`) or words of an actor's name.
    pub actor: Option<String>,
    /// ISO alpha-3 countries (any of).
    pub countries: Vec<String>,
    /// The start of a place name ("bagh" takes Baghdad), compared normalised.
    pub place: Option<String>,
    /// First and last day, inclusive, as day numbers (see [`crate::ingest`]).
    pub day_from: Option<i64>,
    pub day_to: Option<i64>,
    /// Statuses (any of).
    pub statuses: Vec<String>,
    /// Full-text query over article titles and texts: words (all must occur), `word*` prefixes.
    pub text: Option<String>,
    /// Only the events of this article id.
    pub article: Option<String>,
    /// Only the events of this cluster.
    pub cluster: Option<i64>,
    /// One event per cluster: its representative (the most confident report).
    pub clusters_only: bool,
}

/// What an event list is ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Date,
    Type,
    Country,
    Place,
    Status,
    Confidence,
    Reports,
    Source,
    Target,
    Article,
    Id,
}

impl SortKey {
    /// The names the API accepts.
    pub const NAMES: &'static [&'static str] = &[
        "date",
        "type",
        "country",
        "place",
        "status",
        "confidence",
        "reports",
        "source",
        "target",
        "article",
        "id",
    ];

    pub fn parse(s: &str) -> Option<SortKey> {
        Some(match s {
            "date" => SortKey::Date,
            "type" => SortKey::Type,
            "country" => SortKey::Country,
            "place" => SortKey::Place,
            "status" => SortKey::Status,
            "confidence" => SortKey::Confidence,
            "reports" => SortKey::Reports,
            "source" => SortKey::Source,
            "target" => SortKey::Target,
            "article" => SortKey::Article,
            "id" => SortKey::Id,
            _ => return None,
        })
    }

    fn column(self) -> &'static str {
        match self {
            SortKey::Date => "e.day",
            SortKey::Type => "e.type",
            SortKey::Country => "e.country",
            SortKey::Place => "e.place_norm",
            SortKey::Status => "e.status",
            SortKey::Confidence => "e.confidence",
            SortKey::Reports => "e.reports",
            SortKey::Source => "e.source_text COLLATE NOCASE",
            SortKey::Target => "e.target_text COLLATE NOCASE",
            SortKey::Article => "a.id",
            SortKey::Id => "e.row",
        }
    }
}

/// An order: key and direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Date,
            descending: true,
        }
    }
}

impl Sort {
    fn sql(&self) -> String {
        let dir = if self.descending { "DESC" } else { "ASC" };
        match self.key {
            SortKey::Date => format!("e.day {dir}, e.row {dir}"),
            SortKey::Id => format!("e.row {dir}"),
            k => format!("{} {dir}, e.day DESC, e.row DESC", k.column()),
        }
    }
}

/// The WHERE clause of a filter (after `WHERE 1`) and its parameters.
struct Clause {
    sql: String,
    params: Vec<Sql>,
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn is_code(s: &str) -> bool {
    s.len() >= 3 && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'-')
}

/// Turn a user's words into an FTS5 query: each word quoted (so FTS5 syntax in the input is just
/// text), a trailing `*` kept as a prefix search; all words must occur.
pub fn fts_query(q: &str) -> Option<String> {
    let mut parts = Vec::new();
    for w in q.split_whitespace() {
        let (word, prefix) = match w.strip_suffix('*') {
            Some(s) => (s, true),
            None => (w, false),
        };
        let word: String = word.chars().filter(|c| *c != '"').collect();
        if word.is_empty() {
            continue;
        }
        parts.push(format!("\"{word}\"{}", if prefix { "*" } else { "" }));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn clause(f: &EventFilter) -> Result<Clause> {
    let mut sql = String::new();
    let mut params: Vec<Sql> = Vec::new();
    let mut any_of = |sql: &mut String, col: &str, vals: &[String]| {
        if !vals.is_empty() {
            sql.push_str(&format!(" AND {col} IN ({})", placeholders(vals.len())));
            params.extend(vals.iter().map(|v| Sql::Text(v.clone())));
        }
    };
    any_of(&mut sql, "e.type", &f.types);
    any_of(&mut sql, "e.mode", &f.modes);
    any_of(&mut sql, "e.acled_type", &f.acled_types);
    any_of(&mut sql, "e.country", &f.countries);
    any_of(&mut sql, "e.status", &f.statuses);
    if let Some(d) = f.day_from {
        sql.push_str(" AND e.day >= ?");
        params.push(Sql::Integer(d));
    }
    if let Some(d) = f.day_to {
        sql.push_str(" AND e.day <= ?");
        params.push(Sql::Integer(d));
    }
    if let Some(p) = &f.place {
        let norm = normalise_name(p);
        if norm.is_empty() {
            return Err(Error::invalid(format!(
                "place: {p:?} has no letters or digits"
            )));
        }
        // Normalised names hold only letters, digits and spaces: no GLOB metacharacters.
        sql.push_str(" AND e.place_norm GLOB ?");
        params.push(Sql::Text(format!("{norm}*")));
    }
    if let Some(a) = &f.actor {
        let a = a.trim();
        if is_code(a) {
            sql.push_str(" AND e.row IN (SELECT event_row FROM event_actors WHERE code GLOB ?)");
            params.push(Sql::Text(format!("{}*", a.replace(['*', '?', '['], ""))));
        } else {
            let norm = normalise_name(a);
            if norm.is_empty() {
                return Err(Error::invalid(format!(
                    "actor: {a:?} is neither an actor code nor a name"
                )));
            }
            // Every word of the query starts a word of the actor's name.
            sql.push_str(" AND e.row IN (SELECT event_row FROM event_actors WHERE 1");
            for w in norm.split(' ') {
                sql.push_str(" AND (' ' || name_norm) GLOB ?");
                params.push(Sql::Text(format!("* {w}*")));
            }
            sql.push(')');
        }
    }
    if let Some(q) = &f.text {
        let Some(m) = fts_query(q) else {
            return Err(Error::invalid("q: the text query has no words"));
        };
        sql.push_str(
            " AND e.article_row IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)",
        );
        params.push(Sql::Text(m));
    }
    if let Some(id) = &f.article {
        sql.push_str(" AND e.article_row = (SELECT row FROM articles WHERE id = ?)");
        params.push(Sql::Text(id.clone()));
    }
    if let Some(c) = f.cluster {
        sql.push_str(" AND e.cluster = ?");
        params.push(Sql::Integer(c));
    }
    if f.clusters_only {
        sql.push_str(" AND e.rep = 1");
    }
    Ok(Clause { sql, params })
}

/// A reference to an article.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ArticleRef {
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
}

/// One side of an event in a list row.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SideRef {
    pub text: String,
    pub code: Option<String>,
}

/// A place in a list row.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PlaceRef {
    pub id: Option<String>,
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub admin1: Option<String>,
}

/// A count range.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Range {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// The cluster an event belongs to.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ClusterRef {
    pub id: Option<i64>,
    /// Events (reports) in the cluster.
    pub reports: i64,
    /// Distinct articles.
    pub articles: i64,
    /// Distinct outlets.
    pub sources: i64,
}

/// ACLED's classification in a list row.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AcledRef {
    pub event_type: String,
    pub sub_event_type: Option<String>,
}

/// One event as lists, exports and the table show it: flat, every layer it has.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EventRow {
    /// The event's number in this store (for `/api/events/{id}`).
    pub id: i64,
    /// `ARTICLE#EVENT`: stable across stores.
    pub key: String,
    pub article: ArticleRef,
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    pub cameo: Option<String>,
    pub acled: Option<AcledRef>,
    pub source: Option<SideRef>,
    pub target: Option<SideRef>,
    /// The day the event is placed on.
    pub date: Option<String>,
    pub date_precision: Option<String>,
    /// Where `date` came from: `event` (the event's own date) or `published`.
    pub date_from: Option<String>,
    pub place: Option<PlaceRef>,
    /// ISO alpha-3.
    pub country: Option<String>,
    /// Where `country` came from: `place` or `actor`.
    pub country_from: Option<String>,
    pub participants: Option<Range>,
    pub fatalities: Option<Range>,
    pub injuries: Option<Range>,
    pub arrests: Option<Range>,
    pub status: String,
    pub trigger: String,
    pub confidence: f64,
    pub sentence: i64,
    pub sentence_text: Option<String>,
    pub cluster: ClusterRef,
}

const ROW_COLUMNS: &str =
    "e.row, e.eid, a.id, a.title, a.source, a.url, a.published, e.type, e.mode,
    e.cameo, e.acled_type, e.acled_sub, e.source_text, e.source_code, e.target_text, e.target_code,
    e.date, e.date_precision, e.date_from, e.place_id, e.place_name, e.lat, e.lon, e.admin1,
    e.country, e.country_from, e.participants_min, e.participants_max, e.fatalities_min,
    e.fatalities_max, e.injuries_min, e.injuries_max, e.arrests_min, e.arrests_max, e.status,
    e.trigger_text, e.confidence, e.sentence,
    CASE WHEN e.sent_start IS NOT NULL AND e.sent_end > e.sent_start
         THEN substr(CAST(a.text AS BLOB), e.sent_start + 1, e.sent_end - e.sent_start) END,
    e.cluster, c.n_events, c.n_articles, c.n_sources";

const ROW_FROM: &str = "FROM events e JOIN articles a ON a.row = e.article_row
    LEFT JOIN clusters c ON c.id = e.cluster";

fn lossy(b: Option<Vec<u8>>) -> Option<String> {
    b.map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn range(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Range>> {
    let (min, max): (Option<i64>, Option<i64>) = (r.get(i)?, r.get(i + 1)?);
    Ok((min.is_some() || max.is_some()).then_some(Range { min, max }))
}

fn event_row(r: &Row<'_>) -> rusqlite::Result<EventRow> {
    let side = |t: Option<String>, c: Option<String>| t.map(|text| SideRef { text, code: c });
    let article_id: String = r.get(2)?;
    let eid: String = r.get(1)?;
    let place_name: Option<String> = r.get(20)?;
    Ok(EventRow {
        id: r.get(0)?,
        key: format!("{article_id}#{eid}"),
        article: ArticleRef {
            id: article_id,
            title: r.get(3)?,
            source: r.get(4)?,
            url: r.get(5)?,
            published: r.get(6)?,
        },
        kind: r.get(7)?,
        mode: r.get(8)?,
        cameo: r.get(9)?,
        acled: r.get::<_, Option<String>>(10)?.map(|t| AcledRef {
            event_type: t,
            sub_event_type: r.get(11).ok().flatten(),
        }),
        source: side(r.get(12)?, r.get(13)?),
        target: side(r.get(14)?, r.get(15)?),
        date: r.get(16)?,
        date_precision: r.get(17)?,
        date_from: r.get(18)?,
        place: match place_name {
            Some(name) => Some(PlaceRef {
                id: r.get(19)?,
                name,
                lat: r.get(21)?,
                lon: r.get(22)?,
                admin1: r.get(23)?,
            }),
            None => None,
        },
        country: r.get(24)?,
        country_from: r.get(25)?,
        participants: range(r, 26)?,
        fatalities: range(r, 28)?,
        injuries: range(r, 30)?,
        arrests: range(r, 32)?,
        status: r.get(34)?,
        trigger: r.get(35)?,
        confidence: r.get(36)?,
        sentence: r.get(37)?,
        sentence_text: lossy(r.get(38)?),
        cluster: ClusterRef {
            id: r.get(39)?,
            reports: r.get::<_, Option<i64>>(40)?.unwrap_or(1),
            articles: r.get::<_, Option<i64>>(41)?.unwrap_or(1),
            sources: r.get::<_, Option<i64>>(42)?.unwrap_or(1),
        },
    })
}

/// One page of a filtered, sorted event list.
#[derive(Clone, Debug, Serialize)]
pub struct EventPage {
    /// Events matching the filter, all pages together.
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
    pub events: Vec<EventRow>,
}

/// Count the events a filter matches.
pub fn count_events(conn: &Connection, f: &EventFilter) -> Result<i64> {
    let c = clause(f)?;
    let sql = format!("SELECT count(*) FROM events e WHERE 1{}", c.sql);
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(c.params), |r| r.get(0))?)
}

/// One page of events.
pub fn list_events(
    conn: &Connection,
    f: &EventFilter,
    sort: Sort,
    offset: i64,
    limit: i64,
) -> Result<EventPage> {
    let total = count_events(conn, f)?;
    let c = clause(f)?;
    // Two steps: pick the page's events by the filter and order alone, then read their columns
    // (sentence text included) for those rows only, never for the whole filtered set.
    let order = sort.sql();
    // The first step joins only what the order needs, so that skipping to a deep page walks an
    // index, not the rows.
    let joins = match sort.key {
        SortKey::Article => "JOIN articles a ON a.row = e.article_row",
        _ => "",
    };
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM (
             SELECT e.row AS picked FROM events e {joins}
             WHERE 1{} ORDER BY {order} LIMIT ? OFFSET ?
         ) p JOIN events e ON e.row = p.picked
         JOIN articles a ON a.row = e.article_row LEFT JOIN clusters c ON c.id = e.cluster
         ORDER BY {order}",
        c.sql
    );
    let mut params = c.params;
    params.push(Sql::Integer(limit));
    params.push(Sql::Integer(offset));
    let events = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params), event_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(EventPage {
        total,
        offset,
        limit,
        events,
    })
}

/// Every event of a filtered view, in order, handed to `each` until it returns false. Returns
/// how many were handed over.
pub fn for_each_event(
    conn: &Connection,
    f: &EventFilter,
    sort: Sort,
    mut each: impl FnMut(EventRow) -> bool,
) -> Result<u64> {
    let c = clause(f)?;
    let sql = format!(
        "SELECT {ROW_COLUMNS} {ROW_FROM} WHERE 1{} ORDER BY {}",
        c.sql,
        sort.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(c.params))?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        n += 1;
        if !each(event_row(r)?) {
            break;
        }
    }
    Ok(n)
}

fn event_row_by_id(conn: &Connection, id: i64) -> Result<EventRow> {
    conn.prepare_cached(&format!("SELECT {ROW_COLUMNS} {ROW_FROM} WHERE e.row = ?1"))?
        .query_row([id], event_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("no event {id}")))
}

/// One event with its record form, its evidence and every report of its cluster.
pub fn get_event(conn: &Connection, id: i64) -> Result<Value> {
    let row = event_row_by_id(conn, id)?;
    let record_event: String = conn
        .prepare_cached("SELECT json FROM event_records WHERE event_row = ?1")?
        .query_row([id], |r| r.get(0))?;
    let cluster = row.cluster.id;
    // Evidence of this event first, then of the other reports of its cluster.
    let mut stmt = conn.prepare_cached(
        "SELECT e.row, e.eid, a.id, a.title, a.source, a.url, a.published, v.ord, v.sentence,
                v.sent_start, v.sent_end, v.trigger_start, v.trigger_end,
                CASE WHEN v.sent_end > v.sent_start
                     THEN substr(CAST(a.text AS BLOB), v.sent_start + 1, v.sent_end - v.sent_start) END,
                CASE WHEN v.trigger_end > v.trigger_start
                     THEN substr(CAST(a.text AS BLOB), v.trigger_start + 1, v.trigger_end - v.trigger_start) END
         FROM events e JOIN event_evidence v ON v.event_row = e.row
              JOIN articles a ON a.row = e.article_row
         WHERE e.row = ?1 OR (?2 IS NOT NULL AND e.cluster = ?2)
         ORDER BY e.row != ?1, e.row, v.ord
         LIMIT 500",
    )?;
    let evidence = stmt
        .query_map(params![id, cluster], |r| {
            let start: Option<i64> = r.get(9)?;
            let end: Option<i64> = r.get(10)?;
            Ok(json!({
                "event": r.get::<_, i64>(0)?,
                "event_key": format!("{}#{}", r.get::<_, String>(2)?, r.get::<_, String>(1)?),
                "article": {
                    "id": r.get::<_, String>(2)?,
                    "title": r.get::<_, Option<String>>(3)?,
                    "source": r.get::<_, Option<String>>(4)?,
                    "url": r.get::<_, Option<String>>(5)?,
                    "published": r.get::<_, Option<String>>(6)?,
                },
                "sentence": r.get::<_, i64>(8)?,
                "sentence_span": start.zip(end).map(|(s, e)| [s, e]),
                "sentence_text": lossy(r.get(13)?),
                "trigger_span": [r.get::<_, i64>(11)?, r.get::<_, i64>(12)?],
                "trigger_text": lossy(r.get(14)?),
            }))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut v = serde_json::to_value(&row)?;
    let o = v.as_object_mut().expect("an event row is an object");
    o.insert("record".into(), serde_json::from_str(&record_event)?);
    o.insert("evidence".into(), Value::Array(evidence));
    Ok(v)
}

/// One article: the full `kestrel/1` record, plus the store's number and cluster of each event.
pub fn get_article(conn: &Connection, id: &str) -> Result<Value> {
    let (row, text, layers, ingested): (i64, String, String, String) = conn
        .prepare_cached("SELECT row, text, layers, ingested_at FROM articles WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?
        .ok_or_else(|| Error::not_found(format!("no article {id:?}")))?;
    let mut record: Value = serde_json::from_str(&layers)?;
    let mut stored = Map::new();
    let mut stmt = conn.prepare_cached(
        "SELECT e.eid, e.row, e.cluster, c.n_events, c.n_sources, e.date, e.country
         FROM events e LEFT JOIN clusters c ON c.id = e.cluster WHERE e.article_row = ?1",
    )?;
    let rows = stmt.query_map([row], |r| {
        Ok((
            r.get::<_, String>(0)?,
            json!({
                "id": r.get::<_, i64>(1)?,
                "cluster": r.get::<_, Option<i64>>(2)?,
                "reports": r.get::<_, Option<i64>>(3)?,
                "sources": r.get::<_, Option<i64>>(4)?,
                "date": r.get::<_, Option<String>>(5)?,
                "country": r.get::<_, Option<String>>(6)?,
            }),
        ))
    })?;
    for r in rows {
        let (eid, v) = r?;
        stored.insert(eid, v);
    }
    if let Some(o) = record.as_object_mut() {
        o.insert("text".into(), Value::String(text));
        o.insert(
            "stored".into(),
            json!({"ingested_at": ingested, "events": stored}),
        );
    }
    Ok(record)
}

/// What `stats` can count by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Type,
    Country,
    Day,
    Status,
    Acled,
    Mode,
}

impl Dimension {
    pub const NAMES: &'static [&'static str] =
        &["type", "country", "day", "status", "acled", "mode"];

    pub fn parse(s: &str) -> Option<Dimension> {
        Some(match s {
            "type" => Dimension::Type,
            "country" => Dimension::Country,
            "day" => Dimension::Day,
            "status" => Dimension::Status,
            "acled" => Dimension::Acled,
            "mode" => Dimension::Mode,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Dimension::Type => "type",
            Dimension::Country => "country",
            Dimension::Day => "day",
            Dimension::Status => "status",
            Dimension::Acled => "acled",
            Dimension::Mode => "mode",
        }
    }

    fn column(self) -> &'static str {
        match self {
            Dimension::Type => "e.type",
            Dimension::Country => "e.country",
            Dimension::Day => "e.day",
            Dimension::Status => "e.status",
            Dimension::Acled => "e.acled_type",
            Dimension::Mode => "e.mode",
        }
    }
}

/// Counts of the events a filter matches: totals, and by each dimension asked for (`by_type`,
/// `by_country`, `by_day`, ...: lists of `{key, n}`; days ascending, the rest by count).
pub fn stats(conn: &Connection, f: &EventFilter, by: &[Dimension]) -> Result<Value> {
    let c = clause(f)?;
    // Without a filter the totals come from indexes and the clusters table; with one, from the
    // filtered events.
    let totals_sql = if *f == EventFilter::default() {
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM clusters),
                (SELECT count(DISTINCT article_row) FROM events)"
            .to_string()
    } else {
        format!(
            "SELECT count(*), count(DISTINCT e.cluster), count(DISTINCT e.article_row)
             FROM events e WHERE 1{}",
            c.sql
        )
    };
    let (events, clusters, articles): (i64, i64, i64) = conn
        .prepare_cached(&totals_sql)?
        .query_row(params_from_iter(c.params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let all_articles: i64 = conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))?;
    let mut out = Map::new();
    out.insert(
        "totals".into(),
        json!({
            "events": events,
            "clusters": clusters,
            "articles_with_events": articles,
            "articles": all_articles,
        }),
    );
    for d in by {
        let col = d.column();
        let order = if *d == Dimension::Day {
            format!("{col} ASC")
        } else {
            format!("count(*) DESC, {col} ASC")
        };
        let sql = format!(
            "SELECT {col}, count(*) FROM events e WHERE 1{} GROUP BY {col} ORDER BY {order}",
            c.sql
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(c.params.iter()), |r| {
            let key: Option<Value> = match d {
                Dimension::Day => r
                    .get::<_, Option<i64>>(0)?
                    .map(|n| Value::String(day_string(n))),
                _ => r.get::<_, Option<String>>(0)?.map(Value::String),
            };
            Ok(json!({"key": key, "n": r.get::<_, i64>(1)?}))
        })?;
        let list = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        out.insert(format!("by_{}", d.name()), Value::Array(list));
    }
    Ok(Value::Object(out))
}

/// Events on the map: geocoded ones summed per grid cell of `cell_deg` degrees (at the cell's
/// mean position, `points`), the rest by country (`countries`, for a country-level mark), and
/// all of them by country (`by_country`, for shading).
pub fn map_points(conn: &Connection, f: &EventFilter, cell_deg: f64) -> Result<Value> {
    if !(cell_deg.is_finite() && (0.01..=45.0).contains(&cell_deg)) {
        return Err(Error::invalid(format!(
            "cell: must be between 0.01 and 45 degrees, got {cell_deg}"
        )));
    }
    let c = clause(f)?;
    let sql = format!(
        "SELECT avg(e.lat), avg(e.lon), count(*),
                CAST(e.lat / ?1 AS INTEGER) - (e.lat / ?1 < CAST(e.lat / ?1 AS INTEGER)) AS gy,
                CAST(e.lon / ?1 AS INTEGER) - (e.lon / ?1 < CAST(e.lon / ?1 AS INTEGER)) AS gx
         FROM events e WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL{}
         GROUP BY gy, gx ORDER BY count(*) DESC LIMIT 20000",
        c.sql
    );
    // `?1` is the cell size; the filter's plain `?`s number on from 2. The grid index is the
    // floor of degrees / cell (SQLite's CAST truncates towards zero, so negatives step down one).
    let mut params = vec![Sql::Real(cell_deg)];
    params.extend(c.params.iter().cloned());
    let points = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params), |r| {
            Ok(json!({
                "lat": r.get::<_, f64>(0)?,
                "lon": r.get::<_, f64>(1)?,
                "n": r.get::<_, i64>(2)?,
            }))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let sql = format!(
        "SELECT e.country, count(*) FROM events e
         WHERE (e.lat IS NULL OR e.lon IS NULL) AND e.country IS NOT NULL{}
         GROUP BY e.country ORDER BY count(*) DESC",
        c.sql
    );
    let countries = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(c.params.iter()), |r| {
            Ok(json!({"country": r.get::<_, String>(0)?, "n": r.get::<_, i64>(1)?}))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let by_country = conn
        .prepare_cached(&format!(
            "SELECT e.country, count(*) FROM events e WHERE e.country IS NOT NULL{}
             GROUP BY e.country ORDER BY count(*) DESC",
            c.sql
        ))?
        .query_map(params_from_iter(c.params.iter()), |r| {
            Ok(json!({"country": r.get::<_, String>(0)?, "n": r.get::<_, i64>(1)?}))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let unplaced: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM events e WHERE (e.lat IS NULL OR e.lon IS NULL)
             AND e.country IS NULL{}",
            c.sql
        ))?
        .query_row(params_from_iter(c.params.iter()), |r| r.get(0))?;
    Ok(json!({
        "cell": cell_deg,
        "points": points,
        "countries": countries,
        "by_country": by_country,
        "unplaced": unplaced,
    }))
}

/// The distinct values of a column, most frequent first (for filter menus): `mode`, `status`,
/// `acled` or `type`.
pub fn facet(conn: &Connection, dim: Dimension) -> Result<Vec<(String, i64)>> {
    let col = dim.column();
    let sql = format!(
        "SELECT {col}, count(*) FROM events e WHERE {col} IS NOT NULL
         GROUP BY {col} ORDER BY count(*) DESC LIMIT 500"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_input_is_quoted_word_by_word() {
        assert_eq!(fts_query("Baghdad rally").unwrap(), "\"Baghdad\" \"rally\"");
        assert_eq!(fts_query("prot*").unwrap(), "\"prot\"*");
        assert_eq!(fts_query("\"a\" OR b").unwrap(), "\"a\" \"OR\" \"b\"");
        assert_eq!(fts_query("  \" * "), None);
    }

    #[test]
    fn sort_orders_are_fixed_fragments() {
        assert_eq!(Sort::default().sql(), "e.day DESC, e.row DESC");
        let by_id = Sort {
            key: SortKey::Id,
            descending: false,
        };
        assert_eq!(by_id.sql(), "e.row ASC");
        let by_type = Sort {
            key: SortKey::Type,
            descending: false,
        };
        assert_eq!(by_type.sql(), "e.type ASC, e.day DESC, e.row DESC");
        for n in SortKey::NAMES {
            assert!(SortKey::parse(n).is_some(), "{n}");
        }
    }

    #[test]
    fn codes_and_names_are_told_apart() {
        assert!(is_code("IRQ"));
        assert!(is_code("IRQCVL"));
        assert!(!is_code("Iraq"));
        assert!(!is_code("US"));
    }
}
