//! `kestrel`: political event data from news, on the command line.
//!
//! Subcommands: `extract` (articles in, `kestrel/1` records out) and `eval` (score the pipeline
//! against gold annotations); `ingest` and `serve` (a SQLite store and its HTTP API and dashboard,
//! in `store_cmd`). Records go to `-o` or stdout; messages and the closing summary go to
//! stderr. Exit status: 0 all good, 1 some inputs failed (the rest were written), 2 usage error or
//! nothing could be processed.

use clap::{Args, Parser, Subcommand};
use kestrel::driver::{self, Summary};
use kestrel::eval;
use kestrel::ingest::{expand_inputs, InputError, ReadOptions};
use kestrel::output::{OutputFormat, RecordWriter};
use kestrel::Pipeline;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

mod progress;
mod store_cmd;

// The pipeline makes many small short-lived allocations (tokens, spans, names); mimalloc serves them
// markedly faster than glibc's malloc (measured in bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Allocator settings for the batch commands.
mod allocator {
    use std::os::raw::{c_int, c_long};

    extern "C" {
        // From the mimalloc C library that the `mimalloc` crate links (mimalloc.h).
        #[cfg(test)]
        fn mi_option_get(option: c_int) -> c_long;
        fn mi_option_set(option: c_int, value: c_long);
    }

    /// `mi_option_purge_delay` in mimalloc.h's `mi_option_t` (the same index in mimalloc 2 and 3).
    const PURGE_DELAY: c_int = 15;

    /// Keep freed memory mapped for the life of the process. By default mimalloc hands freed pages
    /// back to the kernel a second later, and the next articles fault them in again, zeroed (as
    /// transparent huge pages where the kernel allows, 2 MB each): on Wikinews x48 with one
    /// thread that was 5,000-10,700 page faults a run; kept, about 540 (as many as one article).
    /// Peak memory is what it was (the pipeline's memory is bounded by its queues, not by giving
    /// pages back), and resident memory after the peak simply stays there until exit, which suits
    /// a batch job. A `MIMALLOC_PURGE_DELAY` in the environment still wins.
    pub fn keep_freed_memory() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: plain C calls on an integer option, made before any worker thread starts.
            unsafe { mi_option_set(PURGE_DELAY, -1) }
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn purge_delay_index_names_mimalloc_purge_delay() {
            // mimalloc 3's default purge delay is 1000 ms and no other option defaults to 1000;
            // a changed enum would make this index set something else.
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
                // SAFETY: reads an integer option.
                assert_eq!(unsafe { super::mi_option_get(super::PURGE_DELAY) }, 1000);
            }
        }
    }
}

#[derive(Parser)]
#[command(
    name = "kestrel",
    version,
    about = "Political event data from news text"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract `kestrel/1` records from articles (.txt, .jsonl, directories, .gz, or - for stdin).
    Extract(ExtractArgs),
    /// Run the pipeline on articles and score it against gold annotations.
    Eval(EvalArgs),
    /// Store articles (or `kestrel/1` records) in a SQLite database, clustering events.
    Ingest(store_cmd::IngestArgs),
    /// Serve a database: HTTP API and dashboard.
    Serve(store_cmd::ServeArgs),
}

#[derive(Args, Clone)]
struct InputArgs {
    /// Input files or directories; `-` reads standard input.
    inputs: Vec<String>,
    /// Publication date (YYYY-MM-DD) for plain-text inputs.
    #[arg(long, value_parser = parse_date)]
    published: Option<String>,
    /// Id for a plain-text article read from standard input.
    #[arg(long)]
    id: Option<String>,
    /// Articles larger than this are reported and skipped.
    #[arg(long, default_value_t = 16.0)]
    max_article_mb: f64,
    /// Extra dictionary directory (repeatable).
    #[arg(long)]
    lexicon: Vec<PathBuf>,
    /// Resolve places with a gazetteer read from a GeoNames dump (`allCountries.txt`,
    /// `citiesNNN.txt`, optionally gzipped) instead of the embedded one.
    #[arg(long, value_name = "GEONAMES_FILE")]
    gazetteer: Option<PathBuf>,
    /// GeoNames `alternateNamesV2.txt` for `--gazetteer` (names in other languages).
    #[arg(long, value_name = "FILE", requires = "gazetteer")]
    gazetteer_alternates: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Args)]
struct ExtractArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output file (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Output format.
    #[arg(long, default_value = "jsonl", value_parser = ["jsonl", "csv", "plover", "cameo", "parquet"])]
    format: String,
    /// Also store the records in this SQLite database (see `kestrel ingest`).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Print no summary.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct EvalArgs {
    /// Gold annotations (kestrel-gold/1 JSON Lines); repeatable.
    #[arg(long)]
    gold: Vec<PathBuf>,
    /// Time-expression gold (sentences with resolved expressions).
    #[arg(long)]
    timex: Option<PathBuf>,
    /// PLOVER gold standard records (JSON array), scored for type and actor codes.
    #[arg(long)]
    plover: Option<PathBuf>,
    /// PETRARCH-2 validation records (XML), scored as correct / uncoded / extra.
    #[arg(long)]
    petr2: Option<PathBuf>,
    /// PolNeAR directory (attributions/*.ann and text/*.txt), scored for quotes and speakers.
    #[arg(long)]
    polnear: Option<PathBuf>,
    /// Score at most this many documents of a directory gold set.
    #[arg(long)]
    max_docs: Option<usize>,
    /// Toponym gold (LGL, GeoWebNews or GeoVirus XML), scored for resolution; repeatable.
    #[arg(long)]
    geo: Vec<PathBuf>,
    /// HTML extraction benchmark directory (html/*.html.gz and ground-truth.json).
    #[arg(long)]
    html: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// How many misses to print per field (0: none).
    #[arg(long, default_value_t = 10)]
    misses: usize,
    /// Print the scores as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn parse_date(s: &str) -> Result<String, String> {
    kestrel::ingest::normalise_date(s)
        .filter(|d| d.len() == s.trim().len())
        .ok_or_else(|| format!("{s:?} is not a date of the form YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(a) => {
            allocator::keep_freed_memory();
            extract(a)
        }
        Command::Eval(a) => {
            allocator::keep_freed_memory();
            evaluate(a)
        }
        Command::Ingest(a) => store_cmd::ingest(a),
        Command::Serve(a) => store_cmd::serve(a),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("kestrel: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn read_options(a: &InputArgs) -> Result<ReadOptions, String> {
    if a.max_article_mb.is_nan() || a.max_article_mb <= 0.0 {
        return Err("--max-article-mb must be positive".into());
    }
    Ok(ReadOptions {
        max_article_bytes: (a.max_article_mb * 1024.0 * 1024.0) as usize,
        published: a.published.clone(),
        id: a.id.clone(),
    })
}

fn threads(a: &InputArgs) -> usize {
    a.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
}

/// Build the pipeline, reporting resource loading time apart from processing.
fn load_pipeline(a: &InputArgs, quiet: bool) -> Result<Pipeline, String> {
    let t = Instant::now();
    let mut p = Pipeline::with_lexicons(&a.lexicon).map_err(|e| e.to_string())?;
    let dictionaries = t.elapsed().as_secs_f64();
    if let Some(g) = &a.gazetteer {
        let gaz = kestrel::geo::Gazetteer::from_geonames(g, a.gazetteer_alternates.as_deref())?;
        if gaz.is_empty() {
            return Err(format!("{}: no places in this gazetteer file", g.display()));
        }
        p = p.with_gazetteer(gaz);
    } else {
        // The embedded gazetteer loads once per process; load it now, so that its time is
        // counted here and not in the first article's.
        p.gazetteer();
    }
    if !quiet {
        let all = t.elapsed().as_secs_f64();
        eprintln!(
            "kestrel: resources loaded in {all:.3} s (dictionaries {dictionaries:.3} s, \
             gazetteer {:.3} s)",
            all - dictionaries
        );
    }
    Ok(p)
}

fn exit_code(summary: &Summary) -> ExitCode {
    if summary.failed() == 0 {
        ExitCode::SUCCESS
    } else if summary.records_out > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::from(2)
    }
}

fn print_summary(summary: &Summary, secs: f64) {
    let mb = summary.bytes_in as f64 / 1e6;
    let mut line = format!(
        "kestrel: {} articles in, {} records out, {} failed; {:.1} MB in {:.2} s ({:.1} MB/s, {:.0} articles/s)",
        summary.articles_in,
        summary.records_out,
        summary.failed(),
        mb,
        secs,
        if secs > 0.0 { mb / secs } else { 0.0 },
        if secs > 0.0 { summary.articles_in as f64 / secs } else { 0.0 },
    );
    if !summary.failures.is_empty() {
        let parts: Vec<String> = summary
            .failures
            .iter()
            .map(|(k, n)| format!("{n} {}", k.as_str()))
            .collect();
        line.push_str(&format!(" [{}]", parts.join(", ")));
    }
    eprintln!("{line}");
}

fn extract(a: ExtractArgs) -> Result<ExitCode, String> {
    if a.input.inputs.is_empty() {
        return Err("no input given (files, directories, or - for standard input)".into());
    }
    let opts = read_options(&a.input)?;
    let format = OutputFormat::parse(&a.format)?;
    let (sources, input_errors) = expand_inputs(&a.input.inputs);
    let pipeline = load_pipeline(&a.input, a.quiet)?;
    let out: Box<dyn Write> = match &a.output {
        Some(p) => Box::new(
            File::create(p).map_err(|e| format!("{}: cannot create output: {e}", p.display()))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let mut writer = RecordWriter::new(BufWriter::with_capacity(1 << 20, out), format);
    let mut db = store_cmd::StoreSink::open(a.db.as_deref())?;
    let mut summary_pre = Summary::default();
    driver::report_all(&input_errors, &mut summary_pre);
    let start = Instant::now();
    let progress = std::cell::RefCell::new(progress::Progress::new(a.quiet));
    let result = driver::run_with_progress(
        &pipeline,
        &sources,
        &opts,
        threads(&a.input),
        |item| match item {
            Ok(rec) => {
                db.push(&rec)?;
                writer.write(&rec)
            }
            Err(e) => {
                progress.borrow_mut().clear();
                driver::report(&e);
                Ok(())
            }
        },
        |s| progress.borrow_mut().update(s),
    );
    progress.borrow_mut().clear();
    let mut summary = match result {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(format!("writing output: {e}")),
    };
    db.finish(a.quiet)?;
    match writer.finish() {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(format!("writing output: {e}")),
    }
    for (k, n) in summary_pre.failures {
        *summary.failures.entry(k).or_default() += n;
    }
    if !a.quiet {
        print_summary(&summary, start.elapsed().as_secs_f64());
    }
    Ok(exit_code(&summary))
}

fn evaluate(a: EvalArgs) -> Result<ExitCode, String> {
    let opts = read_options(&a.input)?;
    let mut extra = eval::Scores::default();
    if let Some(t) = &a.timex {
        extra.merge(eval::timex::evaluate_file(t)?);
    }
    if a.plover.is_some() || a.petr2.is_some() || a.polnear.is_some() {
        let pipeline = load_pipeline(&a.input, true)?;
        if let Some(p) = &a.plover {
            extra.merge(eval::external::evaluate_plover(&pipeline, p)?);
        }
        if let Some(p) = &a.petr2 {
            extra.merge(eval::external::evaluate_petr2(&pipeline, p)?);
        }
        if let Some(d) = &a.polnear {
            extra.merge(eval::polnear::evaluate_dir(&pipeline, d, a.max_docs)?);
        }
    }
    let mut printed = false;
    let own_gazetteer = match (&a.input.gazetteer, a.geo.is_empty()) {
        (Some(p), false) => Some(kestrel::geo::Gazetteer::from_geonames(
            p,
            a.input.gazetteer_alternates.as_deref(),
        )?),
        _ => None,
    };
    for g in &a.geo {
        let gaz = match &own_gazetteer {
            Some(g) => g,
            None => kestrel::geo::embedded(),
        };
        let scores = eval::geo::evaluate_file(gaz, g)?;
        print!("{}", scores.render(a.misses));
        printed = true;
    }
    if let Some(d) = &a.html {
        let scores = eval::html::evaluate_dir(d)?;
        print!("{}", scores.render(a.misses));
        printed = true;
    }
    if a.gold.is_empty() {
        if printed
            && a.timex.is_none()
            && a.plover.is_none()
            && a.petr2.is_none()
            && a.polnear.is_none()
        {
            return Ok(ExitCode::SUCCESS);
        }
        if a.timex.is_none() && a.plover.is_none() && a.petr2.is_none() && a.polnear.is_none() {
            return Err("nothing to evaluate: give --gold with inputs, or another gold set".into());
        }
        if a.json {
            println!("{}", extra.to_json());
        } else {
            print!("{}", extra.render(a.misses));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if a.input.inputs.is_empty() {
        return Err("--gold needs the inputs the gold refers to".into());
    }
    let mut gold = Vec::new();
    for g in &a.gold {
        gold.extend(eval::load_gold(g)?);
    }
    let (sources, input_errors) = expand_inputs(&a.input.inputs);
    let pipeline = load_pipeline(&a.input, true)?;
    let mut summary_pre = Summary::default();
    driver::report_all(&input_errors, &mut summary_pre);
    let mut records = BTreeMap::new();
    let wanted: std::collections::HashSet<&str> = gold.iter().map(|g| g.id.as_str()).collect();
    let mut errors: Vec<InputError> = Vec::new();
    driver::run(&pipeline, &sources, &opts, threads(&a.input), |item| {
        match item {
            Ok(rec) => {
                if wanted.contains(rec.id.as_str()) {
                    records.insert(rec.id.clone(), rec);
                }
            }
            Err(e) => {
                driver::report(&e);
                errors.push(e);
            }
        }
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    let mut scores = eval::evaluate(&gold, &records);
    scores.merge(extra);
    if a.json {
        println!("{}", scores.to_json());
    } else {
        print!("{}", scores.render(a.misses));
    }
    Ok(if errors.is_empty() && summary_pre.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
