//! The database schema and its migrations.
//!
//! The schema version is SQLite's `user_version`. [`MIGRATIONS`] holds one SQL script per version;
//! opening a database applies, in order and each in its own transaction, every script past the
//! version the file has. A file made by a newer Kestrel (a version past the last script) is refused
//! rather than guessed at.

use crate::{Error, Result};
use rusqlite::Connection;

/// Version 1: articles with full-text search, their layers, events with evidence and actors, and
/// event clusters.
const V1: &str = r#"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE articles (
    row         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    hash        TEXT NOT NULL,
    url         TEXT,
    source      TEXT,
    outlet      TEXT,            -- source, else the URL's host: what counts as one source
    title       TEXT,
    published   TEXT,
    text        TEXT NOT NULL,
    layers      TEXT NOT NULL,   -- the kestrel/1 record as JSON, without its text
    n_events    INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE UNIQUE INDEX articles_hash ON articles(hash);
CREATE INDEX articles_published ON articles(published);

CREATE VIRTUAL TABLE article_fts USING fts5(
    title, text, content = 'articles', content_rowid = 'row',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE entities (
    article_row INTEGER NOT NULL REFERENCES articles(row),
    eid         TEXT NOT NULL,
    key         TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    code        TEXT,
    country     TEXT,
    mentions    TEXT NOT NULL,
    PRIMARY KEY (article_row, eid)
);
CREATE INDEX entities_key ON entities(key);
CREATE INDEX entities_code ON entities(code);

CREATE TABLE places (
    article_row INTEGER NOT NULL REFERENCES articles(row),
    pid         TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_norm   TEXT NOT NULL,
    geonameid   INTEGER,
    country     TEXT,            -- alpha-3
    admin1      TEXT,
    lat         REAL,
    lon         REAL,
    feature     TEXT,
    precision   INTEGER,
    mentions    TEXT NOT NULL,
    PRIMARY KEY (article_row, pid)
);
CREATE INDEX places_name ON places(name_norm);

CREATE TABLE quotes (
    article_row INTEGER NOT NULL REFERENCES articles(row),
    qid         TEXT NOT NULL,
    kind        TEXT,
    text        TEXT,
    span_start  INTEGER,
    span_end    INTEGER,
    speaker     TEXT,
    speaker_entity TEXT,
    json        TEXT NOT NULL,
    PRIMARY KEY (article_row, qid)
);

CREATE TABLE clusters (
    id          INTEGER PRIMARY KEY,
    type        TEXT NOT NULL,
    day_min     INTEGER,
    day_max     INTEGER,
    lat         REAL,
    lon         REAL,
    place_name  TEXT,
    country     TEXT,
    n_events    INTEGER NOT NULL DEFAULT 0,
    n_articles  INTEGER NOT NULL DEFAULT 0,
    n_sources   INTEGER NOT NULL DEFAULT 0,
    rep_event   INTEGER
);
CREATE INDEX clusters_rep ON clusters(rep_event);

CREATE TABLE events (
    row            INTEGER PRIMARY KEY,
    article_row    INTEGER NOT NULL REFERENCES articles(row),
    eid            TEXT NOT NULL,
    type           TEXT NOT NULL,
    mode           TEXT,
    cameo          TEXT,
    acled_type     TEXT,
    acled_sub      TEXT,
    source_text    TEXT,
    source_code    TEXT,
    source_codes   TEXT NOT NULL,   -- every member code of the side, space-separated
    target_text    TEXT,
    target_code    TEXT,
    target_codes   TEXT NOT NULL,
    date           TEXT,            -- the day the event is placed on, YYYY-MM-DD, when known
    day            INTEGER,         -- the same as days since 1970-01-01
    date_value     TEXT,            -- the event's own date value as the record gives it
    date_precision TEXT,
    date_from      TEXT,            -- 'event' or 'published'
    place_id       TEXT,
    place_name     TEXT,
    place_norm     TEXT,
    lat            REAL,
    lon            REAL,
    country        TEXT,            -- alpha-3
    country_from   TEXT,            -- 'place' or 'actor'
    admin1         TEXT,
    participants_min INTEGER, participants_max INTEGER,
    fatalities_min   INTEGER, fatalities_max   INTEGER,
    injuries_min     INTEGER, injuries_max     INTEGER,
    arrests_min      INTEGER, arrests_max      INTEGER,
    status         TEXT NOT NULL,
    trigger_text   TEXT NOT NULL,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    sentence       INTEGER NOT NULL,
    sent_start     INTEGER,
    sent_end       INTEGER,
    confidence     REAL NOT NULL,
    cluster        INTEGER REFERENCES clusters(id),
    rep            INTEGER NOT NULL DEFAULT 0,  -- 1 for the representative report of its cluster
    reports        INTEGER NOT NULL DEFAULT 1,  -- its cluster's number of reports (for sorting)
    UNIQUE (article_row, eid)
);
-- The event as its record gives it, apart, so that scans of `events` read narrow rows.
CREATE TABLE event_records (
    event_row INTEGER PRIMARY KEY REFERENCES events(row),
    json      TEXT NOT NULL
);
CREATE INDEX events_day ON events(day, row);
CREATE INDEX events_type_day ON events(type, day);
CREATE INDEX events_country_day ON events(country, day);
CREATE INDEX events_status_day ON events(status, day);
CREATE INDEX events_acled_day ON events(acled_type, day);
CREATE INDEX events_mode ON events(mode);
CREATE INDEX events_place ON events(place_norm);
CREATE INDEX events_cluster ON events(cluster);
CREATE INDEX events_rep_day ON events(rep, day);
CREATE INDEX events_geo ON events(lat, lon);

CREATE TABLE event_actors (
    event_row  INTEGER NOT NULL REFERENCES events(row),
    side       TEXT NOT NULL,       -- 'source' or 'target'
    code       TEXT,
    name       TEXT NOT NULL,
    name_norm  TEXT NOT NULL,
    entity_key TEXT
);
CREATE INDEX event_actors_event ON event_actors(event_row);
CREATE INDEX event_actors_code ON event_actors(code);
CREATE INDEX event_actors_name ON event_actors(name_norm);

CREATE TABLE event_evidence (
    event_row     INTEGER NOT NULL REFERENCES events(row),
    ord           INTEGER NOT NULL,
    sentence      INTEGER NOT NULL,
    sent_start    INTEGER,
    sent_end      INTEGER,
    trigger_start INTEGER NOT NULL,
    trigger_end   INTEGER NOT NULL,
    PRIMARY KEY (event_row, ord)
);
"#;

/// One script per schema version, oldest first; the schema version is the number applied.
pub const MIGRATIONS: &[&str] = &[V1];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The schema version a database file has (0 for a new file).
pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Bring the database to [`SCHEMA_VERSION`], one transaction per step.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let have = version(conn)?;
    if have > SCHEMA_VERSION {
        return Err(Error::schema(format!(
            "database schema version {have} is newer than this kestrel supports ({SCHEMA_VERSION}); \
             use a newer kestrel"
        )));
    }
    for (i, script) in MIGRATIONS.iter().enumerate().skip(have as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(script)
            .map_err(|e| Error::schema(format!("migration to version {}: {e}", i + 1)))?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
