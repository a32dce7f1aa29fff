//! Reading the store: filtered, sorted, paged event lists; one event with its evidence; one
//! article with every layer; counts by type, country and day; aggregated map points; and streaming
//! every event of a filtered view (for CSV and JSON Lines export).
//!
//! Every query is built from fixed SQL fragments with `?` placeholders; caller values only ever
//! travel as bound parameters.

use crate::ingest::{day_string, normalise_name};
use crate::{Error, Result};
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

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
            SortKey::Article => "e.article_id",
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
pub(crate) struct Clause {
    pub(crate) sql: String,
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

/// How a statement reads the events of a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Every match: counts, stats, map points.
    All,
    /// The first matches in an order: a page, an export.
    Ordered,
}

/// Where [`plan`] changes its mind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// A full-text query matching at least this many articles (about 2,000 events) is broad.
    pub broad_text_articles: i64,
    /// An actor search matching at least this many actor entries is broad.
    pub broad_actor_entries: i64,
    /// A name word that starts more actor name words than this is looked for by reading every
    /// actor name: gathering that many events from the word index would cost more.
    pub name_word_index_limit: i64,
}

const LIMITS: Limits = Limits {
    broad_text_articles: 500,
    broad_actor_entries: 2000,
    name_word_index_limit: 20_000,
};

#[cfg(test)]
thread_local! {
    /// Other limits for this thread's queries, so that tests reach every plan with little data.
    pub(crate) static TEST_LIMITS: std::cell::Cell<Option<Limits>> =
        const { std::cell::Cell::new(None) };
}

fn limits() -> Limits {
    #[cfg(test)]
    if let Some(l) = TEST_LIMITS.with(|l| l.get()) {
        return l;
    }
    LIMITS
}

/// A condition that is a set of events from another table: the events of an actor search
/// (`column` `e.row`) or of the articles a full-text query finds (`e.article_row`).
struct SetTerm {
    column: &'static str,
    subquery: String,
    params: Vec<Sql>,
    broad: bool,
}

/// A checked filter, ready to be written as SQL for either [`Reading`]. Making one runs the
/// full-text search into the connection's temporary table `kestrel_text_hits`, which the SQL
/// then reads: finish with one query on a connection before planning the next.
///
/// SQLite estimates that `x IN (SELECT ...)` yields a couple of dozen rows whatever the
/// subquery, so it always starts from such a set and reads each of its events' rows. For a
/// small set that is right; for a broad one (most articles contain the words; `IRQ` is in
/// thousands of events) it reads thousands of rows to sort them, where walking the index of the
/// order (or of another filter) and testing each entry against the set stops after a page. So
/// the size of each set is found first (the articles the search found; actor entries, counted
/// up to a threshold), and a broad set is written `+column IN (...)`, which SQLite can only
/// test, not start from, whenever something else can lead: the order of a page, another
/// filter, or another set. To count every match of a broad set with nothing else to lead,
/// starting from the set is still the cheaper way. Either way the rows matched are the same:
/// only the plan differs (`plan_tests` holds every answer to the SQL written before plans).
pub(crate) struct Plan {
    sql: String,
    params: Vec<Sql>,
    sets: Vec<SetTerm>,
    /// Another filter SQLite can start from (an indexed column, the article, the cluster).
    indexed: bool,
}

/// The rows of a subquery (`SELECT 1 FROM ... WHERE ...`, one parameter `?1`), counted up to
/// `n` at most.
fn rows_up_to(conn: &Connection, subquery: &str, param: &Sql, n: i64) -> Result<i64> {
    let sql = format!("SELECT count(*) FROM ({subquery} LIMIT ?2)");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![param, n], |r| r.get(0))?)
}

/// The temporary table of the articles a full-text query found (see [`plan`]). Reader
/// connections make it when they open, outside any transaction, so that a query's read
/// transaction does not make it (and roll it back) each time.
pub(crate) const TEXT_HITS_TABLE: &str =
    "CREATE TEMP TABLE IF NOT EXISTS kestrel_text_hits (article_row INTEGER PRIMARY KEY)";

/// Whether a subquery (as for [`rows_up_to`]) has at least `n` rows.
fn at_least(conn: &Connection, subquery: &str, param: &Sql, n: i64) -> Result<bool> {
    Ok(rows_up_to(conn, subquery, param, n)? >= n)
}

pub(crate) fn plan(conn: &Connection, f: &EventFilter) -> Result<Plan> {
    let limits = limits();
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
    let mut sets = Vec::new();
    if let Some(a) = &f.actor {
        let a = a.trim();
        if is_code(a) {
            let pattern = Sql::Text(format!("{}*", a.replace(['*', '?', '['], "")));
            let broad = at_least(
                conn,
                "SELECT 1 FROM event_actors WHERE code GLOB ?1",
                &pattern,
                limits.broad_actor_entries,
            )?;
            sets.push(SetTerm {
                column: "e.row",
                subquery: "SELECT event_row FROM event_actors WHERE code GLOB ?".into(),
                params: vec![pattern],
                broad,
            });
        } else {
            let norm = normalise_name(a);
            if norm.is_empty() {
                return Err(Error::invalid(format!(
                    "actor: {a:?} is neither an actor code nor a name"
                )));
            }
            // Every word of the query starts a word of the actor's name. The events to test
            // come from the word index, by the query's longest word (the likeliest to be rare),
            // unless that word starts too many names to be worth it.
            let words: Vec<&str> = norm.split(' ').collect();
            let lead = words
                .iter()
                .copied()
                .fold("", |best, w| if w.len() > best.len() { w } else { best });
            let lead = Sql::Text(format!("{lead}*"));
            let entries = rows_up_to(
                conn,
                "SELECT 1 FROM event_actor_words WHERE word GLOB ?1",
                &lead,
                limits.name_word_index_limit,
            )?;
            let indexed = entries < limits.name_word_index_limit;
            let broad = entries >= limits.broad_actor_entries;
            let mut subquery = String::from("SELECT ea.event_row FROM event_actors ea WHERE 1");
            let mut set_params = Vec::new();
            if indexed {
                subquery.push_str(
                    " AND ea.event_row IN
                      (SELECT w.event_row FROM event_actor_words w WHERE w.word GLOB ?)",
                );
                set_params.push(lead);
            }
            for w in &words {
                subquery.push_str(" AND (' ' || ea.name_norm) GLOB ?");
                set_params.push(Sql::Text(format!("* {w}*")));
            }
            sets.push(SetTerm {
                column: "e.row",
                subquery,
                params: set_params,
                broad,
            });
        }
    }
    if let Some(q) = &f.text {
        let Some(m) = fts_query(q) else {
            return Err(Error::invalid("q: the text query has no words"));
        };
        // The articles found, kept for the statements of this query (a count and a page; the
        // stats): the full-text search runs once, and `IN` then looks rows up in this table's
        // own B-tree instead of building a temporary index from the search each time.
        conn.execute_batch(TEXT_HITS_TABLE)?;
        conn.prepare_cached("DELETE FROM temp.kestrel_text_hits")?
            .execute([])?;
        let found = conn
            .prepare_cached(
                "INSERT INTO temp.kestrel_text_hits (article_row)
                 SELECT rowid FROM article_fts WHERE article_fts MATCH ?1",
            )?
            .execute([m])?;
        sets.push(SetTerm {
            column: "e.article_row",
            subquery: "SELECT article_row FROM temp.kestrel_text_hits".into(),
            params: Vec::new(),
            broad: found as i64 >= limits.broad_text_articles,
        });
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
    let indexed = !(f.types.is_empty()
        && f.modes.is_empty()
        && f.acled_types.is_empty()
        && f.countries.is_empty()
        && f.statuses.is_empty()
        && f.day_from.is_none()
        && f.day_to.is_none()
        && f.place.is_none()
        && f.article.is_none()
        && f.cluster.is_none());
    Ok(Plan {
        sql,
        params,
        sets,
        indexed,
    })
}

impl Plan {
    pub(crate) fn clause(&self, reading: Reading) -> Clause {
        let mut sql = self.sql.clone();
        let mut params = self.params.clone();
        // Something other than a broad set to start from.
        let mut led = self.indexed || self.sets.iter().any(|s| !s.broad);
        for s in &self.sets {
            let test_only = s.broad && (reading == Reading::Ordered || led);
            if s.broad && !test_only {
                led = true;
            }
            let plus = if test_only { "+" } else { "" };
            sql.push_str(&format!(" AND {plus}{} IN ({})", s.column, s.subquery));
            params.extend(s.params.iter().cloned());
        }
        Clause { sql, params }
    }
}

fn clause(conn: &Connection, f: &EventFilter, reading: Reading) -> Result<Clause> {
    Ok(plan(conn, f)?.clause(reading))
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
    plan(conn, f)?.count(conn)
}

impl Plan {
    fn count(&self, conn: &Connection) -> Result<i64> {
        // An actor search alone: its events, counted from the actor index (every actor entry
        // belongs to a stored event) without reading the events table.
        if let [set] = self.sets.as_slice() {
            if self.sql.is_empty() && set.column == "e.row" {
                let sql = format!("SELECT count(DISTINCT event_row) FROM ({})", set.subquery);
                return Ok(conn
                    .prepare_cached(&sql)?
                    .query_row(params_from_iter(set.params.iter()), |r| r.get(0))?);
            }
        }
        let c = self.clause(Reading::All);
        let sql = format!("SELECT count(*) FROM events e WHERE 1{}", c.sql);
        Ok(conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(c.params.iter()), |r| r.get(0))?)
    }
}

/// One page of events.
pub fn list_events(
    conn: &Connection,
    f: &EventFilter,
    sort: Sort,
    offset: i64,
    limit: i64,
) -> Result<EventPage> {
    let plan = plan(conn, f)?;
    let total = plan.count(conn)?;
    let c = plan.clause(Reading::Ordered);
    // Two steps: pick the page's events by the filter and order alone, then read their columns
    // (sentence text included) for those rows only, never for the whole filtered set. The
    // first step reads `events` alone (the article id is copied onto each event for sorting),
    // so that it walks an index and skipping to a deep page reads no rows.
    let order = sort.sql();
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM (
             SELECT e.row AS picked FROM events e
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
    let c = clause(conn, f, Reading::Ordered)?;
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
    let c = clause(conn, f, Reading::All)?;
    let everything = *f == EventFilter::default();
    // Without a filter the totals and counts come from indexes, the clusters table and the
    // tally ingest keeps (`event_tally`); with one, from the filtered events, read once from a
    // covering index: the distinct clusters and articles are counted here, which costs far less
    // than SQLite's count(DISTINCT) (a temporary B-tree each).
    let (events, clusters, articles) = if everything {
        conn.prepare_cached(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM clusters),
                    (SELECT ifnull(sum(n), 0) FROM event_tally WHERE dim = 'articles')",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
    } else {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT e.cluster, e.article_row FROM events e WHERE 1{}",
            c.sql
        ))?;
        let mut rows = stmt.query(params_from_iter(c.params.iter()))?;
        let mut events = 0i64;
        let mut clusters: HashSet<i64, BuildHasherDefault<CellHasher>> = HashSet::default();
        let mut articles: HashSet<i64, BuildHasherDefault<CellHasher>> = HashSet::default();
        while let Some(r) = rows.next()? {
            events += 1;
            // count(DISTINCT) leaves NULL out.
            if let Some(cluster) = r.get::<_, Option<i64>>(0)? {
                clusters.insert(cluster);
            }
            if let Some(article) = r.get::<_, Option<i64>>(1)? {
                articles.insert(article);
            }
        }
        (events, clusters.len() as i64, articles.len() as i64)
    };
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
        let sql = if everything {
            // The same groups in the same order, counted in advance.
            let order = if *d == Dimension::Day {
                "key ASC"
            } else {
                "n DESC, key ASC"
            };
            format!(
                "SELECT key, n FROM event_tally WHERE dim = '{}' ORDER BY {order}",
                d.name()
            )
        } else {
            format!(
                "SELECT {col}, count(*) FROM events e WHERE 1{} GROUP BY {col} ORDER BY {order}",
                c.sql
            )
        };
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

/// A running sum as SQLite's `sum()` and `avg()` keep it (Kahan–Babuška–Neumaier), so that a
/// mean computed here is the one SQL's `avg()` gives.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Sum {
    sum: f64,
    err: f64,
}

impl Sum {
    pub(crate) fn add(&mut self, r: f64) {
        let s = self.sum;
        let t = s + r;
        if s.abs() > r.abs() {
            self.err += (s - t) + r;
        } else {
            self.err += (r - t) + s;
        }
        self.sum = t;
    }

    /// Add another running sum (a tile's).
    fn merge(&mut self, o: &Sum) {
        self.add(o.sum);
        self.err += o.err;
    }

    pub(crate) fn from_parts(sum: f64, err: f64) -> Sum {
        Sum { sum, err }
    }

    pub(crate) fn parts(&self) -> (f64, f64) {
        (self.sum, self.err)
    }

    fn mean(&self, n: i64) -> f64 {
        let mut r = self.sum;
        if self.err.is_finite() {
            r += self.err;
        }
        r / n as f64
    }
}

/// The levels of `map_tiles`, coarsest first: tiles of 2^-k degrees. Sizes are powers of two,
/// so that dividing a coordinate by them is exact and a tile's eight by eight children at the
/// next level are exactly those numbered `8 * ty .. 8 * ty + 7` (and likewise for `tx`).
pub(crate) const TILE_LEVELS: [i64; 4] = [-2, 1, 4, 7];

/// The side of a tile of level `k`, in degrees.
pub(crate) fn tile_size(k: i64) -> f64 {
    2f64.powi(-(k as i32))
}

/// Geocoded events summed over a tile (a row of `map_tiles`) or a map cell.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tile {
    pub(crate) n: i64,
    pub(crate) lat: Sum,
    pub(crate) lon: Sum,
    /// The smallest and largest coordinates summed.
    pub(crate) lat_range: (f64, f64),
    pub(crate) lon_range: (f64, f64),
}

impl Tile {
    /// An empty tile, its box starting at a first position.
    pub(crate) fn new(lat: f64, lon: f64) -> Tile {
        Tile {
            n: 0,
            lat: Sum::default(),
            lon: Sum::default(),
            lat_range: (lat, lat),
            lon_range: (lon, lon),
        }
    }

    pub(crate) fn add(&mut self, lat: f64, lon: f64) {
        self.n += 1;
        self.lat.add(lat);
        self.lon.add(lon);
        self.lat_range = (self.lat_range.0.min(lat), self.lat_range.1.max(lat));
        self.lon_range = (self.lon_range.0.min(lon), self.lon_range.1.max(lon));
    }

    pub(crate) fn merge(&mut self, o: &Tile) {
        self.n += o.n;
        self.lat.merge(&o.lat);
        self.lon.merge(&o.lon);
        self.lat_range = (
            self.lat_range.0.min(o.lat_range.0),
            self.lat_range.1.max(o.lat_range.1),
        );
        self.lon_range = (
            self.lon_range.0.min(o.lon_range.0),
            self.lon_range.1.max(o.lon_range.1),
        );
    }
}

/// The grid index of a coordinate: the floor of `degrees / cell`, computed as the SQL this
/// replaced did (`CAST(x AS INTEGER) - (x < CAST(x AS INTEGER))`: truncate, then step down one
/// for negatives).
pub(crate) fn grid(degrees: f64, cell: f64) -> i64 {
    let x = degrees / cell;
    let t = x.trunc();
    t as i64 - i64::from(x < t)
}

/// A hasher for grid cells and row numbers: small integers, mixed by one multiplication each
/// (the default SipHash costs more than the rest of the work per event).
#[derive(Default)]
struct CellHasher(u64);

impl std::hash::Hasher for CellHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
    fn write_i64(&mut self, v: i64) {
        self.write_u64(v as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map cell's events: how many, and their coordinates summed.
type CellSums = (i64, Sum, Sum);

type CellMap = HashMap<(i64, i64), CellSums, BuildHasherDefault<CellHasher>>;

/// Events per country: all of them, and those without a position.
#[derive(Default)]
struct CountryCounts {
    /// (code, events, events without a position); few countries, so a list.
    counts: Vec<(Vec<u8>, i64, i64)>,
    last: usize,
}

impl CountryCounts {
    fn add(&mut self, code: &[u8], placed: bool) {
        let i = match self.counts.get(self.last) {
            Some(c) if c.0 == code => self.last,
            _ => match self.counts.iter().position(|c| c.0 == code) {
                Some(i) => i,
                None => {
                    self.counts.push((code.to_vec(), 0, 0));
                    self.counts.len() - 1
                }
            },
        };
        self.last = i;
        self.counts[i].1 += 1;
        if !placed {
            self.counts[i].2 += 1;
        }
    }

    /// `{country, n}` objects, most first (ties by code), counting all events or only those
    /// without a position.
    fn list(&self, unplaced_only: bool) -> Vec<Value> {
        let mut list: Vec<(String, i64)> = self
            .counts
            .iter()
            .map(|(k, all, unplaced)| {
                let n = if unplaced_only { *unplaced } else { *all };
                (String::from_utf8_lossy(k).into_owned(), n)
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list.into_iter()
            .map(|(country, n)| json!({"country": country, "n": n}))
            .collect()
    }
}

/// A number column's value (a REAL column gives reals; an integer is taken for its value, as
/// `avg()` takes it), or None for NULL.
fn real(v: ValueRef<'_>) -> Option<f64> {
    match v {
        ValueRef::Real(x) => Some(x),
        ValueRef::Integer(i) => Some(i as f64),
        _ => None,
    }
}

/// Events on the map: geocoded ones summed per grid cell of `cell_deg` degrees (at the cell's
/// mean position, `points`), the rest by country (`countries`, for a country-level mark), and
/// all of them by country (`by_country`, for shading). Cells and countries with equal counts
/// come in cell and code order.
///
/// Grouping by a computed cell in SQL sorts every geocoded event first, which at 100,000 events
/// took most of a second; the sums are made here instead. With a filter, in one pass over the
/// filtered events (position and country, from a covering index). Without one, and with cells
/// large enough (the dashboard's world view), from what ingest keeps: `map_tiles` (events
/// summed per tile, see [`cells_from_tiles`]) and `event_tally`. The counts are the same either
/// way; a mean from tiles may differ from SQL's `avg()` in the last binary digits (sums added
/// in another order).
pub fn map_points(conn: &Connection, f: &EventFilter, cell_deg: f64) -> Result<Value> {
    if !(cell_deg.is_finite() && (0.01..=45.0).contains(&cell_deg)) {
        return Err(Error::invalid(format!(
            "cell: must be between 0.01 and 45 degrees, got {cell_deg}"
        )));
    }
    /// Most cells returned.
    const MAX_POINTS: usize = 20_000;
    let mut cells = CellMap::default();
    let everything = *f == EventFilter::default();
    let tiled = everything && cells_from_tiles(conn, cell_deg, &mut cells)?;
    let (countries, by_country, unplaced) = if tiled {
        let countries = |dim: &str| -> Result<Vec<Value>> {
            let mut stmt = conn.prepare_cached(
                "SELECT key, n FROM event_tally WHERE dim = ?1 AND key IS NOT NULL
                 ORDER BY n DESC, key ASC",
            )?;
            let rows = stmt.query_map([dim], |r| {
                Ok(json!({"country": r.get::<_, String>(0)?, "n": r.get::<_, i64>(1)?}))
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        };
        let unplaced: i64 = conn
            .prepare_cached(
                "SELECT ifnull(sum(n), 0) FROM event_tally WHERE dim = 'unlocated' AND key IS NULL",
            )?
            .query_row([], |r| r.get(0))?;
        (countries("unlocated")?, countries("country")?, unplaced)
    } else {
        cells.clear();
        let c = clause(conn, f, Reading::All)?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT e.lat, e.lon, e.country FROM events e WHERE 1{}",
            c.sql
        ))?;
        let mut rows = stmt.query(params_from_iter(c.params.iter()))?;
        let mut countries = CountryCounts::default();
        let mut unplaced = 0i64;
        while let Some(r) = rows.next()? {
            let position = real(r.get_ref(0)?).zip(real(r.get_ref(1)?));
            if let Some((lat, lon)) = position {
                add_to_cell(&mut cells, cell_deg, lat, lon);
            }
            match r.get_ref(2)? {
                ValueRef::Null => unplaced += i64::from(position.is_none()),
                ValueRef::Text(k) => countries.add(k, position.is_some()),
                v => {
                    let e = rusqlite::Error::InvalidColumnType(2, "country".into(), v.data_type());
                    return Err(e.into());
                }
            }
        }
        (countries.list(true), countries.list(false), unplaced)
    };
    let mut cells: Vec<((i64, i64), CellSums)> = cells.into_iter().collect();
    cells.sort_unstable_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
    cells.truncate(MAX_POINTS);
    let points: Vec<Value> = cells
        .into_iter()
        .map(|(_, (n, lat, lon))| json!({"lat": lat.mean(n), "lon": lon.mean(n), "n": n}))
        .collect();
    Ok(json!({
        "cell": cell_deg,
        "points": points,
        "countries": countries,
        "by_country": by_country,
        "unplaced": unplaced,
    }))
}

fn add_to_cell(cells: &mut CellMap, cell_deg: f64, lat: f64, lon: f64) {
    let cell = cells
        .entry((grid(lat, cell_deg), grid(lon, cell_deg)))
        .or_default();
    cell.0 += 1;
    cell.1.add(lat);
    cell.2.add(lon);
}

/// Every geocoded event summed into `cells`, from `map_tiles`: from the coarsest tiles down,
/// a tile whose events all fall in one cell adds its sums to that cell, one that a cell
/// boundary crosses hands over to its children, and a crossed tile of the finest level to its
/// events. Each crossed tile costs a query, so when cells are small enough for boundaries to
/// cross many tiles this gives up (returns false, `cells` to be cleared) and the caller reads
/// every event instead.
fn cells_from_tiles(conn: &Connection, cell_deg: f64, cells: &mut CellMap) -> Result<bool> {
    /// Most crossed tiles followed at one level.
    const MAX_CROSSED: usize = 64;
    let tile = |r: &Row<'_>| -> rusqlite::Result<(i64, i64, Tile)> {
        Ok((
            r.get(0)?,
            r.get(1)?,
            Tile {
                n: r.get(2)?,
                lat: Sum::from_parts(r.get(3)?, r.get(4)?),
                lon: Sum::from_parts(r.get(5)?, r.get(6)?),
                lat_range: (r.get(7)?, r.get(8)?),
                lon_range: (r.get(9)?, r.get(10)?),
            },
        ))
    };
    const COLUMNS: &str =
        "ty, tx, n, lat_sum, lat_err, lon_sum, lon_err, lat_min, lat_max, lon_min, lon_max";
    let mut tiles: Vec<(i64, i64, Tile)> = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM map_tiles WHERE level = ?1"))?
        .query_map([TILE_LEVELS[0]], tile)?
        .collect::<rusqlite::Result<_>>()?;
    let mut children = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM map_tiles
         WHERE level = ?1 AND ty BETWEEN ?2 AND ?3 AND tx BETWEEN ?4 AND ?5"
    ))?;
    // A tile's box holds its events and no other tile's (the tile of a coordinate never
    // decreases as the coordinate grows).
    let mut events = conn.prepare_cached(
        "SELECT lat, lon FROM events WHERE lat BETWEEN ?1 AND ?2 AND lon BETWEEN ?3 AND ?4",
    )?;
    for (i, _) in TILE_LEVELS.iter().enumerate() {
        let mut crossed = Vec::new();
        for (ty, tx, t) in tiles {
            // The cell of a coordinate never decreases as the coordinate grows either, so the
            // events of a tile all fall in one cell when its box's corners do.
            let y = grid(t.lat_range.0, cell_deg);
            let x = grid(t.lon_range.0, cell_deg);
            if y == grid(t.lat_range.1, cell_deg) && x == grid(t.lon_range.1, cell_deg) {
                let cell = cells.entry((y, x)).or_default();
                cell.0 += t.n;
                cell.1.merge(&t.lat);
                cell.2.merge(&t.lon);
            } else {
                crossed.push((ty, tx, t));
            }
        }
        if crossed.len() > MAX_CROSSED {
            return Ok(false);
        }
        tiles = Vec::new();
        match TILE_LEVELS.get(i + 1) {
            Some(&next) => {
                for (ty, tx, t) in crossed {
                    let found = children
                        .query_map(params![next, 8 * ty, 8 * ty + 7, 8 * tx, 8 * tx + 7], tile)?
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                    let n: i64 = found.iter().map(|c| c.2.n).sum();
                    if n != t.n {
                        return Err(tiles_broken(t.n, n));
                    }
                    tiles.extend(found);
                }
            }
            None => {
                for (_, _, t) in crossed {
                    let mut rows = events.query(params![
                        t.lat_range.0,
                        t.lat_range.1,
                        t.lon_range.0,
                        t.lon_range.1
                    ])?;
                    let mut n = 0;
                    while let Some(r) = rows.next()? {
                        add_to_cell(cells, cell_deg, r.get(0)?, r.get(1)?);
                        n += 1;
                    }
                    if n != t.n {
                        return Err(tiles_broken(t.n, n));
                    }
                }
            }
        }
    }
    Ok(true)
}

fn tiles_broken(counted: i64, found: i64) -> Error {
    Error::new(
        crate::ErrorKind::Database,
        format!("map tiles: a tile counts {counted} events, its parts hold {found}"),
    )
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
