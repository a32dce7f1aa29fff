//! The batch driver: stream articles from sources through the pipeline on a thread pool and hand
//! records (and input errors) to a sink in input order.
//!
//! Articles are read in bounded batches, so memory depends on the batch size and the largest
//! article, never on the number of articles; output order is the input order whatever the number
//! of threads, so the same input always gives byte-identical output.

use crate::ingest::{read_source, ErrorKind, InputError, ReadOptions, Source};
use crate::model::Record;
use crate::Pipeline;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io;

/// What a run read and wrote.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub articles_in: usize,
    pub records_out: usize,
    pub bytes_in: u64,
    pub failures: BTreeMap<ErrorKind, usize>,
}

impl Summary {
    pub fn failed(&self) -> usize {
        self.failures.values().sum()
    }
    pub fn note_error(&mut self, e: &InputError) {
        *self.failures.entry(e.kind).or_default() += 1;
    }
}

/// One item for the sink: a record, or the error that kept an article from becoming one.
pub type Item = Result<Record, InputError>;

/// Batches are cut at this many articles or this many bytes of text, whichever comes first.
const BATCH_ARTICLES: usize = 512;
const BATCH_BYTES: usize = 16 * 1024 * 1024;

/// Run the pipeline over every source. `sink` receives every item in input order; an `Err` from
/// the sink (e.g. a closed output pipe) stops the run.
pub fn run(
    pipeline: &Pipeline,
    sources: &[Source],
    opts: &ReadOptions,
    threads: usize,
    sink: impl FnMut(Item) -> io::Result<()>,
) -> io::Result<Summary> {
    run_with_progress(pipeline, sources, opts, threads, sink, |_| {})
}

/// [`run`], calling `progress` with the running totals after every batch (for a progress
/// display; it is called on the calling thread, between batches).
pub fn run_with_progress(
    pipeline: &Pipeline,
    sources: &[Source],
    opts: &ReadOptions,
    threads: usize,
    mut sink: impl FnMut(Item) -> io::Result<()>,
    mut progress: impl FnMut(&Summary),
) -> io::Result<Summary> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(io::Error::other)?;
    let mut summary = Summary::default();
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH_ARTICLES);
    let mut batch_bytes = 0usize;
    let mut raw_batch: Vec<Result<crate::model::Article, InputError>> = Vec::new();
    let flush = |raw_batch: &mut Vec<Result<crate::model::Article, InputError>>,
                 batch: &mut Vec<Item>,
                 summary: &mut Summary,
                 sink: &mut dyn FnMut(Item) -> io::Result<()>|
     -> io::Result<()> {
        let items: Vec<Result<crate::model::Article, InputError>> = std::mem::take(raw_batch);
        pool.install(|| {
            items
                .into_par_iter()
                .map(|a| a.map(|a| pipeline.process(a)))
                .collect_into_vec(batch)
        });
        for item in batch.drain(..) {
            match &item {
                Ok(_) => summary.records_out += 1,
                Err(e) => summary.note_error(e),
            }
            sink(item)?;
        }
        Ok(())
    };
    for source in sources {
        for item in read_source(source, opts) {
            if let Ok(a) = &item {
                summary.articles_in += 1;
                summary.bytes_in += a.text.len() as u64;
                batch_bytes += a.text.len();
            }
            raw_batch.push(item);
            if raw_batch.len() >= BATCH_ARTICLES || batch_bytes >= BATCH_BYTES {
                flush(&mut raw_batch, &mut batch, &mut summary, &mut sink)?;
                batch_bytes = 0;
                progress(&summary);
            }
        }
    }
    flush(&mut raw_batch, &mut batch, &mut summary, &mut sink)?;
    progress(&summary);
    Ok(summary)
}

/// Report an input error on standard error in the one format every command uses.
pub fn report(e: &InputError) {
    eprintln!("kestrel: error: {e}");
}

/// Turn command-line input errors into summary counts and messages.
pub fn report_all(errors: &[InputError], summary: &mut Summary) {
    for e in errors {
        report(e);
        summary.note_error(e);
    }
}
