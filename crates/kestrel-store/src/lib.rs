//! Kestrel's event store: `kestrel/1` records in one SQLite file.
//!
//! What it is for: keeping articles and every layer the pipeline found in them (entities, places,
//! events with their evidence, quotes) in indexed tables, with full-text search over the article
//! text, grouping the reports of one real-world event from many articles into *event clusters*
//! ([`cluster`]), and answering the filtered, paged queries the HTTP API serves ([`query`]).
//! What it is not for: extraction (that is the `kestrel` crate) or HTTP (that is
//! `kestrel-server`).
//!
//! Guarantees:
//! - **Idempotent ingest**: an article whose id, or whose content hash, is already stored is
//!   skipped; ingesting the same files again changes nothing.
//! - **Atomic batches**: [`Store::ingest`] writes one batch in one transaction, clusters included,
//!   so a crash leaves the database as it was before the batch, and a re-run completes it.
//! - **Versioned schema**: [`schema`] migrates older files forward and refuses newer ones.
//! - The file is in WAL mode: readers ([`open_reader`]) never block the writer, nor it them.

pub mod cluster;
pub mod countries;
mod ingest;
#[cfg(test)]
mod plan_tests;
pub mod query;
pub mod records;
pub mod schema;

pub use cluster::ClusterConfig;
pub use ingest::{day_number, day_string, normalise_name, IngestReport};
/// The SQLite binding in use, for callers that hold connections from [`open_reader`].
pub use rusqlite;

use kestrel::model::Record;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What went wrong, by class, so callers (the API) can tell a bad request from a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// SQLite failed (I/O, corruption, a full disk, a lock held too long).
    Database,
    /// The file's schema cannot be used by this build.
    Schema,
    /// A caller's value was not acceptable (a bad filter, an unknown sort key).
    Invalid,
    /// The thing asked for does not exist.
    NotFound,
}

/// A store error: its class and a message naming what failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }
    pub fn schema(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Schema, message)
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::new(ErrorKind::Database, format!("database: {e}"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::new(ErrorKind::Database, format!("JSON: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// How long a connection waits for a lock before reporting the database busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

fn with_path(path: &Path, e: impl fmt::Display) -> Error {
    Error::new(ErrorKind::Database, format!("{}: {e}", path.display()))
}

/// The writer: one per database file at a time (SQLite allows one writer; readers are many).
pub struct Store {
    conn: Connection,
    path: PathBuf,
    config: ClusterConfig,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("config", &self.config)
            .finish()
    }
}

const CONFIG_KEY: &str = "cluster_config";

impl Store {
    /// Open (creating and migrating as needed) the database at `path`, keeping the clustering
    /// thresholds it was made with (the defaults for a new file).
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, None)
    }

    /// Open with clustering thresholds: when they differ from the ones stored in the file, they
    /// are stored and every cluster is rebuilt under them.
    pub fn open_with(path: &Path, config: Option<ClusterConfig>) -> Result<Store> {
        if let Some(c) = &config {
            c.validate().map_err(Error::invalid)?;
        }
        let mut conn = Connection::open(path).map_err(|e| with_path(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| with_path(path, format!("not a usable SQLite database ({e})")))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(with_path(
                path,
                format!("cannot switch to WAL mode (got {mode})"),
            ));
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        schema::migrate(&mut conn)
            .map_err(|e| Error::new(e.kind, format!("{}: {e}", path.display())))?;
        conn.execute_batch(query::TEXT_HITS_TABLE)?;
        let stored: Option<String> = conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [CONFIG_KEY],
                |r| r.get(0),
            )
            .optional()?;
        let stored: Option<ClusterConfig> = match stored {
            Some(s) => Some(serde_json::from_str(&s).map_err(|e| {
                Error::schema(format!(
                    "{}: stored cluster settings are unreadable: {e}",
                    path.display()
                ))
            })?),
            None => None,
        };
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            config: stored.clone().unwrap_or_default(),
        };
        match (stored, config) {
            (None, c) => {
                store.config = c.unwrap_or_default();
                store.save_config()?;
            }
            (Some(_), Some(new)) => {
                store.set_config(new)?;
            }
            (Some(_), None) => {}
        }
        Ok(store)
    }

    /// Change the clustering thresholds: when they differ from the ones in force they are stored
    /// in the file and every cluster is rebuilt under them. Returns whether anything changed.
    pub fn set_config(&mut self, config: ClusterConfig) -> Result<bool> {
        config.validate().map_err(Error::invalid)?;
        if config == self.config {
            return Ok(false);
        }
        self.config = config;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [CONFIG_KEY, &serde_json::to_string(&self.config)?],
        )?;
        cluster::rebuild(&tx, &self.config)?;
        tx.commit()?;
        Ok(true)
    }

    fn save_config(&self) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [CONFIG_KEY, &serde_json::to_string(&self.config)?],
        )?;
        Ok(())
    }

    /// The file this store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The clustering thresholds in force.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// The writer's connection, for queries that must see its own writes.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Store a batch of records in one transaction: articles already stored (same id or same
    /// content hash, in the file or earlier in the batch) are skipped; new events join clusters.
    pub fn ingest(&mut self, records: &[Record]) -> Result<IngestReport> {
        let tx = self.conn.transaction()?;
        let report = ingest::ingest_batch(&tx, records, &self.config)?;
        tx.commit()?;
        if report.articles > 0 {
            self.refresh_statistics()?;
        }
        Ok(report)
    }

    /// Keep the query planner's statistics current: ANALYZE once there are 1,000 events and
    /// again whenever their number has doubled since (so its cost stays a small share of
    /// ingest; sampled statistics, `analysis_limit`, proved too rough to choose indexes by).
    /// Without statistics SQLite may filter through an unselective index (status) where a
    /// selective one (country) is at hand, and a filtered page takes a hundred times longer.
    fn refresh_statistics(&self) -> Result<()> {
        const KEY: &str = "analyzed_at_events";
        let events: i64 = self
            .conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
        let last: i64 = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if events >= 1000 && (last == 0 || events >= 2 * last) {
            self.conn.execute_batch("ANALYZE")?;
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [KEY, &events.to_string()],
            )?;
        }
        Ok(())
    }

    /// Rebuild every cluster under the current thresholds; returns the number of clusters.
    pub fn recluster(&mut self) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let n = cluster::rebuild(&tx, &self.config)?;
        tx.commit()?;
        Ok(n)
    }
}

/// Run a setting PRAGMA, whether or not it answers with a row.
fn pragma_set(conn: &Connection, pragma: &str) -> Result<()> {
    let mut stmt = conn.prepare(pragma)?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    Ok(())
}

/// Open a read-only connection to an existing store (for query workers). The file must exist and
/// have this build's schema version.
pub fn open_reader(path: &Path) -> Result<Connection> {
    if !path.exists() {
        return Err(with_path(path, "no such database file"));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|e| with_path(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let v = schema::version(&conn).map_err(|e| with_path(path, e))?;
    if v != schema::SCHEMA_VERSION {
        return Err(Error::schema(format!(
            "{}: schema version {v}, expected {} (open it for writing once to migrate)",
            path.display(),
            schema::SCHEMA_VERSION
        )));
    }
    // Queries read indexes and rows all over the file: map it (up to SQLite's limit, 2 GB)
    // rather than copying pages through a 2 MB cache, and sort in memory.
    for pragma in [
        "PRAGMA mmap_size = 2147418112",
        "PRAGMA cache_size = -16384",
        "PRAGMA temp_store = MEMORY",
    ] {
        pragma_set(&conn, pragma)?;
    }
    conn.execute_batch(query::TEXT_HITS_TABLE)?;
    Ok(conn)
}
