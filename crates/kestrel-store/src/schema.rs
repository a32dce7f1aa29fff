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

/// Version 2: what the filtered queries of the API need to stay fast at 100,000 events and more.
///
/// - Covering indexes led by the columns that filter most (`day`, `type`, `country`, `status`):
///   each holds every other filter column plus what counts, sorts, stats and map points read,
///   so a query led by one of them never reads the wide `events` rows. `row` follows `day` so
///   that the default order (`day DESC, row DESC`) walks the index with no sorting; `DESC` makes
///   a filter's newest-first page a forward walk. Version 1's `(type, day)`, `(country, day)`
///   and `(status, day)` stay: walked backwards they give the descending sorts by those keys.
/// - A narrow `(lat, lon, country)` index: the unfiltered map reads every event's position.
/// - One index per other filter and sort key (`mode`, `place_norm`, `reports`, `confidence`,
///   source and target; `day` after the key breaks ties without sorting the whole set), and the
///   article id copied onto each event (`events.article_id`, written at ingest) so that sorting
///   by article needs no join.
/// - `event_actor_words`: every word of every actor's normalised name with its event, so that
///   a name search starts from an index range rather than reading every actor.
/// - `event_actors(code, event_row)` replaces `event_actors(code)`: code searches read no rows.
/// - `event_tally`: the number of events by type, country, day, status, ACLED type and mode, of
///   events without a position by country, and of articles with events, kept by ingest, so
///   that the unfiltered stats (the dashboard's timeline) read a few hundred rows, not every
///   event.
/// - `map_tiles`: geocoded events summed per tile (count, compensated sums of the coordinates,
///   the box they span) at four sizes, 4° down to 2^-7°, each tile split in 8 × 8 by the next
///   level; kept by ingest, so that the unfiltered map sums a few hundred tiles rather than
///   every event (see `query::map_points`).
const V2: &str = r#"
DROP INDEX events_day;
DROP INDEX events_mode;
DROP INDEX events_place;
DROP INDEX events_geo;
DROP INDEX event_actors_code;

ALTER TABLE events ADD COLUMN article_id TEXT;  -- the article's id (articles.id), for sorting
UPDATE events SET article_id = (SELECT id FROM articles WHERE articles.row = events.article_row);

CREATE INDEX events_day_cover ON events(day, row, type, country, status, mode, acled_type,
    place_norm, rep, cluster, article_row, reports, confidence, lat, lon);
CREATE INDEX events_type_cover ON events(type, day DESC, row DESC, country, status, mode,
    acled_type, place_norm, rep, cluster, article_row, reports, confidence, lat, lon);
CREATE INDEX events_country_cover ON events(country, day DESC, row DESC, type, status, mode,
    acled_type, place_norm, rep, cluster, article_row, reports, confidence, lat, lon);
CREATE INDEX events_status_cover ON events(status, day DESC, row DESC, type, country, mode,
    acled_type, place_norm, rep, cluster, article_row, reports, confidence, lat, lon);
CREATE INDEX events_mode_day ON events(mode, day);
CREATE INDEX events_place_day ON events(place_norm, day);
CREATE INDEX events_reports_day ON events(reports, day DESC);
CREATE INDEX events_confidence_day ON events(confidence, day);
CREATE INDEX events_source_day ON events(source_text COLLATE NOCASE, day DESC);
CREATE INDEX events_target_day ON events(target_text COLLATE NOCASE, day DESC);
CREATE INDEX events_article_day ON events(article_id, day DESC);
CREATE INDEX events_geo_country ON events(lat, lon, country);
CREATE INDEX event_actors_code_event ON event_actors(code, event_row);

CREATE TABLE event_actor_words (
    word      TEXT NOT NULL,    -- one space-separated word of event_actors.name_norm
    event_row INTEGER NOT NULL REFERENCES events(row),
    PRIMARY KEY (word, event_row)
) WITHOUT ROWID;
WITH RECURSIVE split(event_row, word, rest) AS (
    SELECT event_row, '', name_norm || ' ' FROM event_actors
    UNION ALL
    SELECT event_row, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest != ''
)
INSERT OR IGNORE INTO event_actor_words (word, event_row)
SELECT word, event_row FROM split WHERE word != '';

CREATE TABLE event_tally (
    dim TEXT NOT NULL,          -- type, country, day, status, acled, mode; unlocated (the
                                -- country of events without a position); or articles
    key,                        -- the column's value (NULL: events without one); NULL for articles
    n   INTEGER NOT NULL        -- events with it; for articles, articles with events
);
CREATE INDEX event_tally_key ON event_tally(dim, key);
INSERT INTO event_tally (dim, key, n)
          SELECT 'type', type, count(*) FROM events GROUP BY type
UNION ALL SELECT 'country', country, count(*) FROM events GROUP BY country
UNION ALL SELECT 'day', day, count(*) FROM events GROUP BY day
UNION ALL SELECT 'status', status, count(*) FROM events GROUP BY status
UNION ALL SELECT 'acled', acled_type, count(*) FROM events GROUP BY acled_type
UNION ALL SELECT 'mode', mode, count(*) FROM events GROUP BY mode
UNION ALL SELECT 'unlocated', country, count(*) FROM events
          WHERE lat IS NULL OR lon IS NULL GROUP BY country
UNION ALL SELECT 'articles', NULL, count(DISTINCT article_row) FROM events;

CREATE TABLE map_tiles (
    level   INTEGER NOT NULL,   -- k: tiles of 2^-k degrees (-2, 1, 4, 7: 4°, 0.5°, 0.0625°, 0.0078125°)
    ty      INTEGER NOT NULL,   -- floor(lat / 2^-k): the tile's row
    tx      INTEGER NOT NULL,   -- floor(lon / 2^-k)
    n       INTEGER NOT NULL,   -- geocoded events in it
    lat_sum REAL NOT NULL,      -- their latitudes summed (a compensated sum: sum + err)
    lat_err REAL NOT NULL,
    lon_sum REAL NOT NULL,
    lon_err REAL NOT NULL,
    lat_min REAL NOT NULL,      -- the box their positions span
    lat_max REAL NOT NULL,
    lon_min REAL NOT NULL,
    lon_max REAL NOT NULL,
    PRIMARY KEY (level, ty, tx)
) WITHOUT ROWID;
WITH levels(level, size) AS (VALUES (-2, 4.0), (1, 0.5), (4, 0.0625), (7, 0.0078125))
INSERT INTO map_tiles
SELECT level, ty, tx, count(*), sum(lat), 0, sum(lon), 0, min(lat), max(lat), min(lon), max(lon)
FROM (SELECT level, lat, lon,
             CAST(lat / size AS INTEGER) - (lat / size < CAST(lat / size AS INTEGER)) AS ty,
             CAST(lon / size AS INTEGER) - (lon / size < CAST(lon / size AS INTEGER)) AS tx
      FROM events, levels WHERE lat IS NOT NULL AND lon IS NOT NULL)
GROUP BY level, ty, tx;
"#;

/// One script per schema version, oldest first; the schema version is the number applied.
pub const MIGRATIONS: &[&str] = &[V1, V2];

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
    // A file that already had planner statistics gets them again, for the indexes just made
    // (without them SQLite guesses, and may filter through an unselective index).
    if have > 0 && have < SCHEMA_VERSION {
        let analyzed: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')",
            [],
            |r| r.get(0),
        )?;
        if analyzed {
            conn.execute_batch("ANALYZE")?;
        }
    }
    Ok(())
}
