//! Main-text extraction from HTML, scored the way the article-extraction benchmark scores it.
//!
//! The benchmark (`../shared/eval/html/article-extraction-benchmark/`) holds pages as
//! `html/<id>.html.gz` and the true article body of each in `ground-truth.json`. Its metric: split
//! text into `\w+` tokens (Unicode, case kept), form 4-token shingles, and per page count true
//! positives, false positives and false negatives as the multiset overlap of the shingles.
//! Precision is the mean of per-page precisions (over pages that predicted anything), recall the
//! mean of per-page recalls (over pages whose truth has anything), F1 the harmonic mean of the two
//! means, and accuracy the share of pages whose token sequence equals the truth's exactly.
//!
//! [`evaluate_dir`] runs Kestrel's own extractor ([`crate::html`]) on every page; [`score_texts`]
//! scores any extractor's output (the benchmark's `peer-output/*.json` files included, which is how
//! this scorer is checked against the published figures).

use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

/// Shingle length, in tokens.
pub const SHINGLE: usize = 4;

/// The benchmark's tokens: runs of Unicode letters, numbers and `_` (Python's `\w+`).
pub fn tokens(text: &str) -> Vec<&str> {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let re = WORD.get_or_init(|| Regex::new(r"[\p{L}\p{N}_]+").expect("valid regex"));
    re.find_iter(text).map(|m| m.as_str()).collect()
}

/// The multiset of 4-token shingles of a token sequence. A text shorter than four tokens (but not
/// empty) is one shingle of all its tokens.
fn shingles<'a>(toks: &[&'a str]) -> HashMap<Vec<&'a str>, usize> {
    let mut out = HashMap::new();
    if toks.is_empty() {
        return out;
    }
    if toks.len() < SHINGLE {
        out.insert(toks.to_vec(), 1);
        return out;
    }
    for w in toks.windows(SHINGLE) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// One page's shingle counts and whether its token sequence is exactly the truth's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageScore {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub exact: bool,
}

impl PageScore {
    /// Precision, or None when nothing was predicted.
    pub fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0).then(|| self.tp as f64 / (self.tp + self.fp) as f64)
    }
    /// Recall, or None when the truth is empty.
    pub fn recall(&self) -> Option<f64> {
        (self.tp + self.fn_ > 0).then(|| self.tp as f64 / (self.tp + self.fn_) as f64)
    }
}

/// Score one page: predicted text against the true article body.
pub fn score_page(truth: &str, predicted: &str) -> PageScore {
    let t = tokens(truth);
    let p = tokens(predicted);
    let ts = shingles(&t);
    let ps = shingles(&p);
    let mut tp = 0;
    let mut fp = 0;
    for (sh, &n) in &ps {
        let m = ts.get(sh).copied().unwrap_or(0);
        tp += n.min(m);
        fp += n.saturating_sub(m);
    }
    let fn_ = ts
        .iter()
        .map(|(sh, &n)| n.saturating_sub(ps.get(sh).copied().unwrap_or(0)))
        .sum();
    PageScore {
        tp,
        fp,
        fn_,
        exact: t == p,
    }
}

/// The benchmark figures over a set of pages, with the per-page scores.
#[derive(Clone, Debug, Default)]
pub struct HtmlScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
    pub pages: usize,
    /// Per-page scores by page id.
    pub per_page: BTreeMap<String, PageScore>,
}

impl HtmlScores {
    /// Aggregate per-page scores the benchmark's way.
    pub fn from_pages(per_page: BTreeMap<String, PageScore>) -> Self {
        let mean = |v: Vec<f64>| {
            if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        let precision = mean(per_page.values().filter_map(|s| s.precision()).collect());
        let recall = mean(per_page.values().filter_map(|s| s.recall()).collect());
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        let pages = per_page.len();
        let exact = per_page.values().filter(|s| s.exact).count();
        HtmlScores {
            precision,
            recall,
            f1,
            accuracy: if pages == 0 {
                0.0
            } else {
                exact as f64 / pages as f64
            },
            pages,
            per_page,
        }
    }

    /// A small table of the figures, with the `worst` lowest-F1 pages.
    pub fn render(&self, worst: usize) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<10} {:>6} {:>9} {:>7} {:>7} {:>9}",
            "metric", "pages", "precision", "recall", "F1", "accuracy"
        );
        let _ = writeln!(
            s,
            "{:<10} {:>6} {:>9.3} {:>7.3} {:>7.3} {:>9.3}",
            "shingles", self.pages, self.precision, self.recall, self.f1, self.accuracy
        );
        if worst > 0 {
            let mut pages: Vec<(&String, f64, f64)> = self
                .per_page
                .iter()
                .map(|(id, s)| (id, s.precision().unwrap_or(0.0), s.recall().unwrap_or(0.0)))
                .collect();
            let f = |p: f64, r: f64| {
                if p + r == 0.0 {
                    0.0
                } else {
                    2.0 * p * r / (p + r)
                }
            };
            pages.sort_by(|a, b| f(a.1, a.2).total_cmp(&f(b.1, b.2)).then(a.0.cmp(b.0)));
            let _ = writeln!(s, "\nworst pages (precision, recall):");
            for (id, p, r) in pages.iter().take(worst) {
                let _ = writeln!(s, "  {:.3} {:.3}  {id}", p, r);
            }
        }
        s
    }
}

/// Score predicted texts against true texts, page by page. A page with no prediction counts as an
/// empty prediction; predictions for pages not in the truth are ignored.
pub fn score_texts(
    truth: &BTreeMap<String, String>,
    predicted: &BTreeMap<String, String>,
) -> HtmlScores {
    let per_page = truth
        .iter()
        .map(|(id, t)| {
            let p = predicted.get(id).map(String::as_str).unwrap_or("");
            (id.clone(), score_page(t, p))
        })
        .collect();
    HtmlScores::from_pages(per_page)
}

/// Read a benchmark-shaped JSON file (`{id: {"articleBody": ..., ...}}`) into id → body. A page
/// whose body is missing or null maps to the empty string.
pub fn load_bodies(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: malformed JSON: {e}", path.display()))?;
    // Some peer files wrap the pages: {"output": {...}, "version": ...}.
    let v = match v {
        Value::Object(mut o) if o.get("output").is_some_and(Value::is_object) => {
            o.remove("output").unwrap_or_default()
        }
        v => v,
    };
    let Value::Object(obj) = v else {
        return Err(format!(
            "{}: expected an object keyed by page id",
            path.display()
        ));
    };
    let mut out = BTreeMap::new();
    for (id, page) in obj {
        let body = match page.get("articleBody") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(_) => {
                return Err(format!(
                    "{}: page {id}: \"articleBody\" must be a string",
                    path.display()
                ))
            }
        };
        out.insert(id, body);
    }
    Ok(out)
}

/// The benchmark's pages: id → raw HTML bytes, read from `DIR/html/<id>.html.gz` (or `.html`).
pub fn load_pages(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let html_dir = dir.join("html");
    let rd = std::fs::read_dir(&html_dir).map_err(|e| format!("{}: {e}", html_dir.display()))?;
    let mut out = BTreeMap::new();
    for entry in rd {
        let path = entry
            .map_err(|e| format!("{}: {e}", html_dir.display()))?
            .path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (id, gz) = if let Some(id) = name.strip_suffix(".html.gz") {
            (id.to_string(), true)
        } else if let Some(id) = name.strip_suffix(".html") {
            (id.to_string(), false)
        } else {
            continue;
        };
        let raw = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let bytes = if gz {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("{}: corrupt gzip: {e}", path.display()))?;
            out
        } else {
            raw
        };
        out.insert(id, bytes);
    }
    Ok(out)
}

/// Run Kestrel's HTML extractor on every page of a benchmark directory (the one holding
/// `ground-truth.json` and `html/`) and score it.
/// The benchmark's article body has no figure captions, so they are left out here (see
/// [`evaluate_dir_with`] to score other settings).
pub fn evaluate_dir(dir: &Path) -> Result<HtmlScores, String> {
    evaluate_dir_with(dir, &crate::html::Options { captions: false })
}

/// [`evaluate_dir`] with extraction options.
pub fn evaluate_dir_with(dir: &Path, opts: &crate::html::Options) -> Result<HtmlScores, String> {
    evaluate_with(dir, |bytes| {
        crate::html::extract_with(bytes, None, opts).text
    })
}

/// Run any extractor (raw page bytes → text) on a benchmark directory and score it.
pub fn evaluate_with(
    dir: &Path,
    extract: impl Fn(&[u8]) -> String + Sync,
) -> Result<HtmlScores, String> {
    use rayon::prelude::*;
    let truth = load_bodies(&dir.join("ground-truth.json"))?;
    let pages = load_pages(dir)?;
    let missing: Vec<&String> = truth.keys().filter(|id| !pages.contains_key(*id)).collect();
    if let Some(id) = missing.first() {
        return Err(format!(
            "{}: no page html/{id}.html.gz for a ground-truth id ({} missing)",
            dir.display(),
            missing.len()
        ));
    }
    let predicted: BTreeMap<String, String> = pages
        .par_iter()
        .filter(|(id, _)| truth.contains_key(*id))
        .map(|(id, bytes)| (id.clone(), extract(bytes)))
        .collect();
    Ok(score_texts(&truth, &predicted))
}

/// Score a peer extractor's output file (`peer-output/NAME.json`) against the benchmark's truth.
pub fn evaluate_peer(dir: &Path, peer_file: &Path) -> Result<HtmlScores, String> {
    let truth = load_bodies(&dir.join("ground-truth.json"))?;
    let predicted = load_bodies(peer_file)?;
    Ok(score_texts(&truth, &predicted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unicode_words() {
        assert_eq!(
            tokens("Ça va? l'été_2 — 42 km²"),
            vec!["Ça", "va", "l", "été_2", "42", "km²"]
        );
    }

    #[test]
    fn identical_text_is_perfect_and_exact() {
        let s = score_page("one two three four five", "one two  three\nfour five!");
        assert_eq!((s.tp, s.fp, s.fn_, s.exact), (2, 0, 0, true));
    }

    #[test]
    fn extra_and_missing_text_count_as_fp_and_fn() {
        let s = score_page("a b c d e f", "x a b c d");
        // truth shingles: abcd bcde cdef; predicted: xabc abcd
        assert_eq!((s.tp, s.fp, s.fn_, s.exact), (1, 1, 2, false));
        assert_eq!(s.precision(), Some(0.5));
        assert!((s.recall().unwrap() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn repeated_shingles_are_a_multiset() {
        let s = score_page("a b c d", "a b c d a b c d");
        assert_eq!((s.tp, s.fp, s.fn_), (1, 4, 0));
    }

    #[test]
    fn empty_prediction_has_no_precision_and_zero_recall() {
        let s = score_page("a b c d", "");
        assert_eq!(s.precision(), None);
        assert_eq!(s.recall(), Some(0.0));
    }

    #[test]
    fn means_skip_undefined_pages() {
        let mut m = BTreeMap::new();
        m.insert("a".to_string(), score_page("w x y z", "w x y z"));
        m.insert("b".to_string(), score_page("w x y z", ""));
        let s = HtmlScores::from_pages(m);
        assert_eq!(s.precision, 1.0);
        assert_eq!(s.recall, 0.5);
        assert!((s.f1 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.accuracy, 0.5);
    }
}
