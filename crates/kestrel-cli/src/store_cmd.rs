//! The commands that write to and serve a Kestrel SQLite store: `kestrel ingest` (articles, or
//! `kestrel/1` records with `--records`, into the store), `kestrel serve` (the HTTP API and
//! dashboard), and the `--db` sink of `kestrel extract` (records to the store as well as to the
//! output).
//!
//! Records are written in batches, one transaction each: a run that is interrupted leaves every
//! finished batch stored and nothing of the unfinished one, and running it again stores the rest
//! (articles already stored are skipped by id and by content hash).

use super::{load_pipeline, read_options, threads, InputArgs};
use clap::Args;
use kestrel::driver::{self, Summary};
use kestrel::ingest::expand_inputs;
use kestrel::model::Record;
use kestrel_store::{records::read_records, IngestReport, Store};
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Records per transaction unless `--batch` says otherwise.
const DEFAULT_BATCH: usize = 500;

#[derive(Args)]
pub struct ClusterArgs {
    /// Clustering: largest difference in days between two reports of one event (stored in the
    /// database; changing it rebuilds the clusters).
    #[arg(long)]
    cluster_days: Option<u32>,
    /// Clustering: largest distance in km between two geocoded reports of one event.
    #[arg(long)]
    cluster_km: Option<f64>,
}

#[derive(Args)]
pub struct IngestArgs {
    /// The database file (created when missing).
    #[arg(long)]
    db: PathBuf,
    #[command(flatten)]
    input: InputArgs,
    /// The inputs are `kestrel/1` records (JSON Lines from `kestrel extract`), stored as they are.
    #[arg(long)]
    records: bool,
    /// Articles per transaction.
    #[arg(long, default_value_t = DEFAULT_BATCH)]
    batch: usize,
    #[command(flatten)]
    cluster: ClusterArgs,
    /// Print no summary.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
pub struct ServeArgs {
    /// The database file (created when missing).
    #[arg(long)]
    db: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Largest request body accepted (POST /api/articles), in MB.
    #[arg(long, default_value_t = 16.0)]
    max_body_mb: f64,
    /// Refuse POST /api/articles.
    #[arg(long)]
    read_only: bool,
    /// Extra dictionary directory for submitted articles (repeatable).
    #[arg(long)]
    lexicon: Vec<PathBuf>,
    #[command(flatten)]
    cluster: ClusterArgs,
}

/// Open the store and apply any clustering thresholds given on the command line.
fn open_store(db: &Path, c: &ClusterArgs) -> Result<Store, String> {
    let mut store = Store::open(db).map_err(|e| e.to_string())?;
    if c.cluster_days.is_some() || c.cluster_km.is_some() {
        let mut cfg = store.config().clone();
        if let Some(d) = c.cluster_days {
            cfg.max_days = d;
        }
        if let Some(k) = c.cluster_km {
            cfg.max_km = k;
        }
        let changed = store
            .set_config(cfg)
            .map_err(|e| format!("{}: {e}", db.display()))?;
        if changed {
            eprintln!("kestrel: clustering thresholds changed; clusters rebuilt");
        }
    }
    Ok(store)
}

/// Batches records into a store; the `--db` sink of `extract` and the body of `ingest`.
pub struct StoreSink {
    store: Option<Store>,
    batch: Vec<Record>,
    batch_size: usize,
    report: IngestReport,
}

impl StoreSink {
    /// A sink writing to `db`, or doing nothing when there is none.
    pub fn open(db: Option<&Path>) -> Result<StoreSink, String> {
        let store = match db {
            Some(p) => Some(Store::open(p).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(Self::with_store(store, DEFAULT_BATCH))
    }

    fn with_store(store: Option<Store>, batch_size: usize) -> StoreSink {
        StoreSink {
            store,
            batch: Vec::new(),
            batch_size: batch_size.max(1),
            report: IngestReport::default(),
        }
    }

    /// Queue a record; a full batch is written in one transaction.
    pub fn push(&mut self, rec: &Record) -> io::Result<()> {
        if self.store.is_some() {
            self.batch.push(rec.clone());
            if self.batch.len() >= self.batch_size {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(store) = self.store.as_mut() {
            if !self.batch.is_empty() {
                let r = store
                    .ingest(&self.batch)
                    .map_err(|e| io::Error::other(format!("{}: {e}", store.path().display())))?;
                self.report.add(r);
                self.batch.clear();
            }
        }
        Ok(())
    }

    /// Write what is queued and say what was stored (unless `quiet`).
    pub fn finish(mut self, quiet: bool) -> Result<IngestReport, String> {
        self.flush().map_err(|e| e.to_string())?;
        if let (Some(store), false) = (&self.store, quiet) {
            print_store_summary(store, &self.report);
        }
        Ok(self.report)
    }
}

fn print_store_summary(store: &Store, r: &IngestReport) {
    let totals = store.conn().query_row(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),
                (SELECT count(*) FROM clusters)",
        [],
        |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
            ))
        },
    );
    let mut line = format!(
        "kestrel: {}: {} articles stored, {} already there ({} by id, {} by content), {} events",
        store.path().display(),
        r.articles,
        r.duplicate_ids + r.duplicate_hashes,
        r.duplicate_ids,
        r.duplicate_hashes,
        r.events
    );
    if let Ok((a, e, c)) = totals {
        line.push_str(&format!(
            "; the store holds {a} articles, {e} events in {c} clusters"
        ));
    }
    eprintln!("{line}");
}

/// `kestrel ingest`.
pub fn ingest(a: IngestArgs) -> Result<ExitCode, String> {
    if a.input.inputs.is_empty() {
        return Err("no input given (files, directories, or - for standard input)".into());
    }
    if a.batch == 0 {
        return Err("--batch must be at least 1".into());
    }
    let store = open_store(&a.db, &a.cluster)?;
    let mut sink = StoreSink::with_store(Some(store), a.batch);
    let start = Instant::now();
    let (read, failed) = if a.records {
        let mut read = 0usize;
        let mut failed = 0usize;
        for input in &a.input.inputs {
            for item in read_records(input) {
                match item {
                    Ok(rec) => {
                        read += 1;
                        sink.push(&rec).map_err(|e| e.to_string())?;
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("kestrel: error: {e}");
                    }
                }
            }
        }
        (read, failed)
    } else {
        let opts = read_options(&a.input)?;
        let (sources, input_errors) = expand_inputs(&a.input.inputs);
        let pipeline = load_pipeline(&a.input, a.quiet)?;
        let mut pre = Summary::default();
        driver::report_all(&input_errors, &mut pre);
        let progress = std::cell::RefCell::new(crate::progress::Progress::new(a.quiet));
        let summary = driver::run_with_progress(
            &pipeline,
            &sources,
            &opts,
            threads(&a.input),
            |item| {
                match item {
                    Ok(rec) => sink.push(&rec)?,
                    Err(e) => {
                        progress.borrow_mut().clear();
                        driver::report(&e)
                    }
                }
                Ok(())
            },
            |s| progress.borrow_mut().update(s),
        )
        .map_err(|e| e.to_string())?;
        progress.borrow_mut().clear();
        (summary.records_out, summary.failed() + pre.failed())
    };
    sink.finish(a.quiet)?;
    if !a.quiet {
        eprintln!(
            "kestrel: {read} {} read, {failed} failed, in {:.2} s",
            if a.records { "records" } else { "articles" },
            start.elapsed().as_secs_f64()
        );
    }
    // As for extract: 0 all good, 1 some inputs failed (the rest are stored), 2 nothing usable.
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else if read > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::from(2)
    })
}

/// `kestrel serve`.
pub fn serve(a: ServeArgs) -> Result<ExitCode, String> {
    if !(a.max_body_mb.is_finite() && a.max_body_mb > 0.0) {
        return Err("--max-body-mb must be positive".into());
    }
    // Apply threshold changes (and create or migrate the file) before serving.
    drop(open_store(&a.db, &a.cluster)?);
    let pipeline = kestrel::Pipeline::with_lexicons(&a.lexicon)?;
    let mut config = kestrel_server::ServerConfig::new(a.db);
    config.addr = a.addr;
    config.max_body_bytes = (a.max_body_mb * 1024.0 * 1024.0) as usize;
    config.read_only = a.read_only;
    kestrel_server::run(config, pipeline)?;
    Ok(ExitCode::SUCCESS)
}
