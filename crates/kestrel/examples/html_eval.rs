//! Score Kestrel's HTML main-text extraction on the article-extraction benchmark, and any peer
//! outputs given, with the benchmark's own metric.
//!
//! ```sh
//! cargo run --release -p kestrel --example html_eval -- \
//!     ../shared/eval/html/article-extraction-benchmark [peer-output/*.json ...] [--worst N]
//! ```

use kestrel::eval::html;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut worst = 0;
    if let Some(i) = args.iter().position(|a| a == "--worst") {
        worst = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(10);
        args.drain(i..(i + 2).min(args.len()));
    }
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: html_eval BENCHMARK_DIR [PEER.json ...] [--worst N]");
        return ExitCode::from(2);
    };
    println!(
        "{:<28} {:>6} {:>9} {:>7} {:>7} {:>9}",
        "extractor", "pages", "precision", "recall", "F1", "accuracy"
    );
    let row = |name: &str, s: &html::HtmlScores| {
        println!(
            "{:<28} {:>6} {:>9.3} {:>7.3} {:>7.3} {:>9.3}",
            name, s.pages, s.precision, s.recall, s.f1, s.accuracy
        )
    };
    for peer in &args[1..] {
        match html::evaluate_peer(&dir, PathBuf::from(peer).as_path()) {
            Ok(s) => row(
                &peer.rsplit('/').next().unwrap_or(peer).replace(".json", ""),
                &s,
            ),
            Err(e) => {
                eprintln!("html_eval: {e}");
                return ExitCode::from(2);
            }
        }
    }
    match html::evaluate_dir_with(&dir, &kestrel::html::Options { captions: true }) {
        Ok(s) => row("kestrel (captions kept)", &s),
        Err(e) => {
            eprintln!("html_eval: {e}");
            return ExitCode::from(2);
        }
    }
    let t = Instant::now();
    match html::evaluate_dir(&dir) {
        Ok(s) => {
            row("kestrel", &s);
            eprintln!(
                "(kestrel: {:.2} s for {} pages)",
                t.elapsed().as_secs_f64(),
                s.pages
            );
            if worst > 0 {
                print!("{}", s.render(worst));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("html_eval: {e}");
            ExitCode::from(2)
        }
    }
}
