//! Quote evaluation on PolNeAR (Newell, Margolin and Ruths, 2018): attributions in 2016 US election
//! news, in BRAT standoff.
//!
//! A PolNeAR directory holds `attributions/*.ann` and `text/*.txt`. An `.ann` file is named after
//! its text plus the annotator (`<text>_4e07.ann`); a text with several annotators (the agreement
//! documents) is scored once, against the first annotation in name order. T-lines give `Source`,
//! `Cue`, `Content` and `Attribution` spans (discontinuous spans as `START END;START END`), E-lines
//! (`Attribution:T4 Content:T3 Cue:T2 Source:T1`; `Attribution-no-source` when there is none) tie
//! them into one attribution. The offsets count Unicode code points (checked on the dev set: all
//! 9,095 span texts match as code points, 54 % as bytes); each file's unit is decided by which
//! reading reproduces more of the span texts written in it, so byte-offset files work too.
//!
//! Every text is run through the pipeline and `record.quotes` is scored against the gold Contents
//! in the raw text: quote spans are mapped back from the cleaned text through the record's repairs.
//! Two scopes, each with three content matches (greedy one to one, largest overlap first; a quote
//! on another fragment of a Content the narration interrupts, "“A,” he said, “B.”", is a second
//! piece of an already found quotation and counts neither way, since a quote is one span):
//! - `polnear.all.*`: every attribution with a Content, against every quote;
//! - `polnear.direct.*`: Contents wholly inside quotation marks (see [`is_direct`]), against quotes
//!   of kind `direct`; a `direct` quote that overlaps only non-direct gold is left out of this
//!   scope (it is a real quote, scored under `all`), not counted as spurious.
//!
//! Content fields: `content` (any overlap), `content_half` (the shared words are at least half of
//! the longer side's words), `content_exact` (same boundaries once spaces, quotation marks and edge
//! punctuation are trimmed). On pairs matched by overlap, accuracies: `speaker` (see
//! [`speaker_verdict`]), split into `speaker.named` and `speaker.pronoun`; `cue` (the predicted cue
//! overlaps the gold Cue); and `polnear.all.kind` (the quote is `direct` exactly when the gold
//! Content is direct). Predictions lying wholly inside a `Discard` span (bylines, editor's notes)
//! are not counted.

use super::Scores;
use crate::align::{Alignment, Edit};
use crate::model::{Article, Quote, Record, Span};
use crate::Pipeline;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What the offsets of one `.ann` file count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetUnit {
    /// Unicode code points (PolNeAR's unit).
    Chars,
    /// UTF-8 bytes.
    Bytes,
}

/// One gold attribution; every span is in raw-text bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoldAttribution {
    /// The E-line id.
    pub id: String,
    /// The Content fragments (and `Content2`), sorted.
    pub content: Vec<Span>,
    /// The Source fragments; empty for `Attribution-no-source`.
    pub source: Vec<Span>,
    /// The Cue fragments.
    pub cue: Vec<Span>,
    /// Whether the Content is a direct quotation ([`is_direct`]).
    pub direct: bool,
}

/// One gold document.
#[derive(Clone, Debug)]
pub struct GoldDoc {
    /// The text's file name without `.txt`.
    pub name: String,
    /// The raw text.
    pub text: String,
    pub attributions: Vec<GoldAttribution>,
    /// `Discard` spans (text the annotators set aside: bylines, notes, embeds).
    pub discard: Vec<Span>,
    pub unit: OffsetUnit,
    /// T-lines whose written text differs from the text their offsets cover.
    pub text_mismatches: usize,
    /// E-lines with no Content (not scored).
    pub without_content: usize,
    /// Attributions whose Source is a lone reporting verb ("said") and whose Cue names the
    /// speaker: the two labels were swapped, and are swapped back.
    pub swapped: usize,
}

/// A T-line as written.
struct RawT {
    kind: String,
    frags: Vec<(usize, usize)>,
    text: String,
    line: usize,
}

/// An E-line as written: (role, T id) pairs.
struct RawE {
    id: String,
    args: Vec<(String, String)>,
    line: usize,
}

/// Whether `s` looks like a BRAT annotation id (`T12`, `E3`, `#1`).
fn is_ann_id(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some('T' | 'E' | 'R' | 'A' | 'M' | 'N' | '#'))
        && cs.clone().next().is_some()
        && cs.all(|c| c.is_ascii_digit())
}

/// Parse one `.ann` file against its raw text. `label` names the file in errors.
pub fn parse_ann(label: &str, ann: &str, text: String) -> Result<GoldDoc, String> {
    let mut ts: BTreeMap<String, RawT> = BTreeMap::new();
    let mut es: Vec<RawE> = Vec::new();
    // A span text with line breaks continues on the next lines of the file.
    let mut in_t_text = false;
    for (i, line) in ann.lines().enumerate() {
        let ln = i + 1;
        let split = line.split_once('\t').filter(|(id, _)| is_ann_id(id));
        let Some((id, rest)) = split else {
            if in_t_text || line.trim().is_empty() {
                continue;
            }
            return Err(format!(
                "{label}:{ln}: not a BRAT annotation line: {line:?}"
            ));
        };
        in_t_text = false;
        match id.as_bytes()[0] {
            b'T' => {
                let (head, span_text) = rest.split_once('\t').unwrap_or((rest, ""));
                let (kind, offsets) = head
                    .split_once(' ')
                    .ok_or_else(|| format!("{label}:{ln}: {id} has no offsets"))?;
                let mut frags = Vec::new();
                for frag in offsets.split(';') {
                    let nums: Vec<&str> = frag.split_whitespace().collect();
                    let parsed: Vec<usize> = nums.iter().filter_map(|n| n.parse().ok()).collect();
                    if nums.len() != 2 || parsed.len() != 2 || parsed[0] > parsed[1] {
                        return Err(format!("{label}:{ln}: bad offsets {frag:?} in {id}"));
                    }
                    frags.push((parsed[0], parsed[1]));
                }
                ts.insert(
                    id.to_string(),
                    RawT {
                        kind: kind.to_string(),
                        frags,
                        text: span_text.to_string(),
                        line: ln,
                    },
                );
                in_t_text = true;
            }
            b'E' => {
                let mut args = Vec::new();
                for arg in rest.split_whitespace() {
                    let (role, target) = arg
                        .split_once(':')
                        .ok_or_else(|| format!("{label}:{ln}: bad argument {arg:?} in {id}"))?;
                    args.push((role.to_string(), target.to_string()));
                }
                es.push(RawE {
                    id: id.to_string(),
                    args,
                    line: ln,
                });
            }
            _ => {}
        }
    }

    // Which unit reproduces the written span texts better; code points win a tie.
    let char_starts: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let to_bytes = |frags: &[(usize, usize)], unit: OffsetUnit| -> Option<Vec<Span>> {
        frags
            .iter()
            .map(|&(s, e)| match unit {
                OffsetUnit::Chars => Some(Span(*char_starts.get(s)?, *char_starts.get(e)?)),
                OffsetUnit::Bytes => {
                    (e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e))
                        .then_some(Span(s, e))
                }
            })
            .collect()
    };
    let written_matches = |t: &RawT, spans: &[Span]| {
        let joined: Vec<&str> = spans.iter().map(|s| s.slice(&text)).collect();
        let joined = joined.join(" ");
        joined.split('\n').next().unwrap_or("") == t.text
    };
    let count = |unit: OffsetUnit| {
        ts.values()
            .filter(|t| to_bytes(&t.frags, unit).is_some_and(|sp| written_matches(t, &sp)))
            .count()
    };
    let unit = if count(OffsetUnit::Bytes) > count(OffsetUnit::Chars) {
        OffsetUnit::Bytes
    } else {
        OffsetUnit::Chars
    };
    let mut spans: BTreeMap<&str, (&str, Vec<Span>)> = BTreeMap::new();
    let mut text_mismatches = 0;
    for (id, t) in &ts {
        let sp = to_bytes(&t.frags, unit).ok_or_else(|| {
            let (len, what) = match unit {
                OffsetUnit::Chars => (char_starts.len() - 1, "characters"),
                OffsetUnit::Bytes => (text.len(), "bytes, or not on a character boundary"),
            };
            format!(
                "{label}:{}: offsets of {id} lie outside the text ({len} {what})",
                t.line
            )
        })?;
        if !written_matches(t, &sp) {
            text_mismatches += 1;
        }
        spans.insert(id.as_str(), (t.kind.as_str(), sp));
    }

    let mut attributions = Vec::new();
    let mut without_content = 0;
    let mut swapped = 0;
    for e in &es {
        let mut a = GoldAttribution {
            id: e.id.clone(),
            ..GoldAttribution::default()
        };
        for (role, target) in &e.args {
            let (_, sp) = spans.get(target.as_str()).ok_or_else(|| {
                format!(
                    "{label}:{}: {} refers to {target}, which is not defined",
                    e.line, e.id
                )
            })?;
            let base = role.trim_end_matches(|c: char| c.is_ascii_digit());
            match base {
                "Content" => a.content.extend(sp),
                "Source" => a.source.extend(sp),
                "Cue" => a.cue.extend(sp),
                _ => {}
            }
        }
        if a.content.is_empty() {
            without_content += 1;
            continue;
        }
        // An annotation slip: the reporting verb labelled Source and the speaker labelled Cue.
        let src_words = words(&excerpt(&text, &a.source));
        if !a.cue.is_empty()
            && matches!(src_words.as_slice(), [w] if REPORTING_VERBS.contains(&w.as_str()))
        {
            std::mem::swap(&mut a.source, &mut a.cue);
            swapped += 1;
        }
        a.content.sort();
        a.source.sort();
        a.cue.sort();
        a.direct = is_direct(&text, &a.content);
        attributions.push(a);
    }
    let discard = spans
        .values()
        .filter(|(k, _)| *k == "Discard")
        .flat_map(|(_, sp)| sp.iter().copied())
        .collect();
    Ok(GoldDoc {
        name: label.to_string(),
        text,
        attributions,
        discard,
        unit,
        text_mismatches,
        without_content,
        swapped,
    })
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '\u{201C}' | '"' | '\u{201E}' | '\u{AB}')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '\u{201D}' | '"' | '\u{BB}' | '\u{201C}')
}

fn is_double_quote(c: char) -> bool {
    matches!(
        c,
        '\u{201C}' | '\u{201D}' | '"' | '\u{201E}' | '\u{AB}' | '\u{BB}'
    )
}

fn is_edge_punct(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?')
}

/// One fragment's quotation: (opened, closed, the words between the marks).
fn quoted_parts(text: &str, span: Span) -> (bool, bool, &str) {
    let inner = span.slice(text);
    let lead = inner.len() - inner.trim_start().len();
    let (mut s, mut e) = (span.0 + lead, span.0 + inner.trim_end().len());
    if s >= e {
        return (false, false, "");
    }
    // Opening mark: first in the span (after at most one dash or colon), or just before it.
    let mut opened = false;
    let mut head = text[s..e].chars();
    let first = head.next();
    if let Some(c) = first.filter(|&c| is_open_quote(c)) {
        s += c.len_utf8();
        opened = true;
    } else if let Some(p) = first.filter(|&c| matches!(c, ':' | '\u{2014}' | '\u{2013}' | '-')) {
        let rest = head.as_str();
        let after = rest.trim_start();
        if let Some(q) = after.chars().next().filter(|&c| is_open_quote(c)) {
            s += p.len_utf8() + (rest.len() - after.len()) + q.len_utf8();
            opened = true;
        }
    }
    if !opened
        && text[..s]
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(is_open_quote)
    {
        opened = true;
    }
    // Closing mark: last in the span (before at most one punctuation mark), or just after it.
    let mut closed = false;
    let mut tail = text[s..e].chars();
    let last = tail.next_back();
    if let Some(c) = last.filter(|&c| is_close_quote(c)) {
        e -= c.len_utf8();
        closed = true;
    } else if let (Some(p), Some(q)) = (last, tail.next_back()) {
        if is_edge_punct(p) && is_close_quote(q) {
            e -= p.len_utf8() + q.len_utf8();
            closed = true;
        }
    }
    if !closed {
        let mut after = text[e..].chars();
        let n1 = after.next();
        let n2 = after.next();
        closed = n1.is_some_and(is_close_quote)
            || (n1.is_some_and(is_edge_punct) && n2.is_some_and(is_close_quote));
    }
    (opened, closed, &text[s..e.max(s)])
}

/// Whether a Content is a direct quotation: its first fragment opens with a double quotation mark
/// (inside the span or just before it, after at most a dash or colon), its last fragment closes
/// with one (inside or just after, allowing one punctuation mark beside it), and no fragment has a
/// double quotation mark between those (which would make it two quotations with narration between).
pub fn is_direct(text: &str, content: &[Span]) -> bool {
    let parts: Vec<(bool, bool, &str)> = content.iter().map(|&s| quoted_parts(text, s)).collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    first.0
        && last.1
        && parts
            .iter()
            .all(|(_, _, body)| !body.trim().is_empty() && !body.chars().any(is_double_quote))
}

/// The alignment from a record's cleaned text back to its raw text, rebuilt from the repairs: every
/// repair replaced `raw_span` of the raw text by `span` of the clean text, and text between repairs
/// is unchanged. Fails when the repairs overlap, leave the text, or do not account for the raw
/// text's length.
pub fn raw_alignment(record: &Record, raw_len: usize) -> Result<Alignment, String> {
    let mut reps: Vec<_> = record.repairs.iter().collect();
    reps.sort_by_key(|r| (r.span.0, r.span.1, r.raw_span.0));
    let mut edits = Vec::with_capacity(reps.len());
    let (mut out_end, mut raw_end) = (0usize, 0usize);
    for r in reps {
        let ok = r.span.0 >= out_end
            && r.raw_span.0 >= raw_end
            && r.span.0 <= r.span.1
            && r.raw_span.0 <= r.raw_span.1
            && r.span.1 <= record.text.len()
            && r.raw_span.1 <= raw_len;
        if !ok {
            return Err(format!(
                "{}: repair {:?} (raw {:?}) overlaps another or lies outside the text",
                record.id, r.span, r.raw_span
            ));
        }
        if r.span.0 - out_end != r.raw_span.0 - raw_end {
            return Err(format!(
                "{}: the unchanged text before repair {:?} (raw {:?}) differs in length",
                record.id, r.span, r.raw_span
            ));
        }
        out_end = r.span.1;
        raw_end = r.raw_span.1;
        edits.push(Edit {
            out: r.span,
            raw: r.raw_span,
            kind: r.kind,
        });
    }
    if record.text.len() - out_end != raw_len - raw_end {
        return Err(format!(
            "{}: the repairs turn {} clean bytes into {} raw bytes, but the raw text has {}",
            record.id,
            record.text.len(),
            raw_end + (record.text.len() - out_end),
            raw_len
        ));
    }
    Ok(Alignment {
        edits,
        raw_len,
        out_len: record.text.len(),
    })
}

/// The words of a text: runs of letters and digits, lowercased, without a possessive `s`.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "s")
        .map(|w| w.to_lowercase())
        .collect()
}

/// Byte spans of the words (runs of letters and digits) of a text.
fn word_spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Span(s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Span(s, text.len()));
    }
    out
}

const PERSONAL_PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "me", "us", "his", "hers",
    "their", "its", "our", "my", "your",
];
const REPORTING_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "wrote",
    "writes",
    "asked",
    "noted",
    "according",
];
const RELATIVE_PRONOUNS: &[&str] = &["who", "whom", "whose", "which", "that"];
const NAME_STOPWORDS: &[&str] = &[
    "the", "a", "an", "of", "mr", "mrs", "ms", "dr", "jr", "sr", "rev",
];

/// `Some(true)` for a relative pronoun, `Some(false)` for a personal one, None for anything else.
fn pronoun_kind(s: &str) -> Option<bool> {
    let w = words(s);
    match w.as_slice() {
        [one] if RELATIVE_PRONOUNS.contains(&one.as_str()) => Some(true),
        [one] if PERSONAL_PRONOUNS.contains(&one.as_str()) => Some(false),
        _ => None,
    }
}

/// Whether a gold Source text names the predicted speaker, leniently: the speaker's surname (its
/// last word) is one of the Source's words, or every Source word but titles and articles is one of
/// the speaker's words. The speaker's text and its description are both tried.
pub fn names_match(gold_source: &str, speaker_names: &[&str]) -> bool {
    let g = words(gold_source);
    let g_core: Vec<&String> = g
        .iter()
        .filter(|w| !NAME_STOPWORDS.contains(&w.as_str()))
        .collect();
    speaker_names.iter().any(|name| {
        let p = words(name);
        let surname = p
            .iter()
            .rev()
            .find(|w| !NAME_STOPWORDS.contains(&w.as_str()) && w.chars().count() >= 2);
        surname.is_some_and(|s| g.contains(s))
            || (!g_core.is_empty() && g_core.iter().all(|w| p.contains(w)))
    })
}

/// One prediction in raw bytes.
struct Pred<'a> {
    quote: &'a Quote,
    raw: Span,
}

fn overlap_len(a: Span, b: Span) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Text of some spans for display: joined, whitespace collapsed, cut at 90 characters.
fn excerpt(text: &str, spans: &[Span]) -> String {
    let joined: Vec<&str> = spans.iter().map(|s| s.slice(text)).collect();
    let flat = joined
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if flat.chars().count() > 90 {
        let cut: String = flat.chars().take(90).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

/// Trim spaces, quotation marks and edge punctuation from both ends of a span.
fn trimmed(text: &str, span: Span) -> Span {
    let junk = |c: char| {
        c.is_whitespace()
            || is_double_quote(c)
            || is_edge_punct(c)
            || matches!(c, '\u{2018}' | '\u{2019}' | '\'' | '\u{2014}' | '\u{2013}')
    };
    let s = span.slice(text);
    let start = span.0 + (s.len() - s.trim_start_matches(junk).len());
    let end = span.0 + s.trim_end_matches(junk).len();
    Span(start, end.max(start))
}

/// How a content match is decided.
#[derive(Clone, Copy)]
enum Criterion {
    Overlap,
    HalfWords,
    Exact,
}

/// The outcome of matching one scope's gold and predictions.
#[derive(Debug, Default)]
struct Matching {
    /// One-to-one (gold index, prediction index) pairs.
    pairs: Vec<(usize, usize)>,
    /// Predictions on another fragment of an already paired discontinuous Content (a quotation
    /// the narration interrupts: "“A,” he said, “B.”"). A quote is one span, so such a Content
    /// can only be found piece by piece; the extra pieces are neither right nor spurious.
    absorbed: Vec<(usize, usize)>,
}

/// Whether shared words are at least half of the longer side's words.
fn half_words(gold: &[usize], pred: &[usize]) -> bool {
    let shared = pred
        .iter()
        .filter(|w| gold.binary_search(w).is_ok())
        .count();
    shared > 0 && shared * 2 >= gold.len().max(pred.len())
}

/// Greedy one-to-one pairs, largest overlap first. A prediction is a candidate for a gold Content
/// when it meets the criterion against the whole Content or against one of its fragments.
fn pair_up(
    doc: &GoldDoc,
    words: &[Span],
    gold: &[&GoldAttribution],
    preds: &[&Pred],
    crit: Criterion,
) -> Matching {
    let word_ids = |spans: &[Span]| -> Vec<usize> {
        let mut ids: Vec<usize> = spans
            .iter()
            .flat_map(|s| {
                let lo = words.partition_point(|w| w.1 <= s.0);
                let hi = words.partition_point(|w| w.0 < s.1);
                lo..hi.max(lo)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let p_words: Vec<Vec<usize>> = preds.iter().map(|p| word_ids(&[p.raw])).collect();
    let p_trim: Vec<Span> = preds.iter().map(|p| trimmed(&doc.text, p.raw)).collect();
    // (overlap, gold, prediction, fragments the prediction meets the criterion on)
    let mut cands: Vec<(usize, usize, usize, Vec<usize>)> = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let (Some(first), Some(last)) = (g.content.first(), g.content.last()) else {
            continue;
        };
        let g_words = word_ids(&g.content);
        let g_extent = trimmed(&doc.text, Span(first.0, last.1));
        let frag_words: Vec<Vec<usize>> = g.content.iter().map(|&f| word_ids(&[f])).collect();
        for (pi, p) in preds.iter().enumerate() {
            let ov: usize = g.content.iter().map(|&c| overlap_len(c, p.raw)).sum();
            if ov == 0 {
                continue;
            }
            let meets = |gw: &[usize], gspan: Span| match crit {
                Criterion::Overlap => true,
                Criterion::HalfWords => half_words(gw, &p_words[pi]),
                Criterion::Exact => p_trim[pi] == gspan,
            };
            let whole = meets(&g_words, g_extent);
            let frags: Vec<usize> = (0..g.content.len())
                .filter(|&f| {
                    let frag = g.content[f];
                    let ok = if g.content.len() == 1 {
                        whole
                    } else {
                        meets(&frag_words[f], trimmed(&doc.text, frag))
                    };
                    frag.overlaps(p.raw) && ok
                })
                .collect();
            if whole || !frags.is_empty() {
                cands.push((ov, gi, pi, frags));
            }
        }
    }
    cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut g_used = vec![false; gold.len()];
    let mut p_used = vec![false; preds.len()];
    let mut m = Matching::default();
    // Fragments of each paired gold that some prediction already stands on.
    let mut covered: Vec<Vec<usize>> = vec![Vec::new(); gold.len()];
    let on_frags = |gi: usize, pi: usize| -> Vec<usize> {
        (0..gold[gi].content.len())
            .filter(|&f| gold[gi].content[f].overlaps(preds[pi].raw))
            .collect()
    };
    for (_, gi, pi, _) in &cands {
        let (gi, pi) = (*gi, *pi);
        if !g_used[gi] && !p_used[pi] {
            g_used[gi] = true;
            p_used[pi] = true;
            covered[gi] = on_frags(gi, pi);
            m.pairs.push((gi, pi));
        }
    }
    for (_, gi, pi, frags) in &cands {
        let (gi, pi) = (*gi, *pi);
        if g_used[gi] && !p_used[pi] && frags.iter().any(|f| !covered[gi].contains(f)) {
            p_used[pi] = true;
            covered[gi].extend(on_frags(gi, pi));
            m.absorbed.push((gi, pi));
        }
    }
    m
}

/// Whether a gold Source names someone: it has a capitalised word that does not merely open a
/// sentence ("Mr. Obama", "said Trump", "Laurence H. Tribe"; not "Polls", "Few people", "critics").
fn looks_named(text: &str, spans: &[Span]) -> bool {
    let Some(first) = spans.first() else {
        return false;
    };
    // What stands before the Source: a sentence end, an opening quotation mark, or nothing.
    let mut before = text[..first.0].trim_end().chars().rev();
    let opens_sentence = match before.next() {
        None => true,
        Some('.' | '!' | '?' | ':' | '\u{201C}') => true,
        Some('"') => before.next().is_none_or(char::is_whitespace),
        Some(_) => false,
    };
    let mut n = 0;
    spans.iter().any(|s| {
        s.slice(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .any(|w| {
                n += 1;
                w.chars().next().is_some_and(char::is_uppercase) && (n > 1 || !opens_sentence)
            })
    })
}

/// Whether the predicted speaker is the gold Source; None when that cannot be decided (no gold
/// Source, a Source that lies on its own Cue (an annotation slip: the Source is "said"), or a
/// personal pronoun with no named Source before it).
///
/// Right when the speaker's entity has a mention overlapping the gold Source, or when the Source
/// names the speaker ([`names_match`]). A pronoun Source is resolved first: a relative pronoun
/// ("Trump, who said") is right when a mention of the speaker's entity, or the speaker's surname,
/// ends within 80 bytes before it in the same sentence; a personal pronoun ("he said") stands for
/// the nearest gold Source before it in the document that names someone ([`looks_named`]).
/// PolNeAR ties pronouns to no antecedent, so this is an approximation following the usual news
/// convention that "he said" refers to the last named speaker.
pub fn speaker_verdict(
    doc: &GoldDoc,
    gold: &GoldAttribution,
    quote: &Quote,
    record: &Record,
    align: &Alignment,
) -> Option<bool> {
    let on_cue = gold
        .source
        .iter()
        .any(|s| gold.cue.iter().any(|c| c.overlaps(*s)));
    if gold.source.is_empty() || on_cue {
        return None;
    }
    let Some(sp) = &quote.speaker else {
        return Some(false);
    };
    let mentions: Vec<Span> = sp
        .entity
        .as_deref()
        .and_then(|id| record.entities.iter().find(|e| e.id == id))
        .map(|e| e.mentions.iter().map(|&m| align.to_raw(m)).collect())
        .unwrap_or_default();
    if mentions
        .iter()
        .any(|m| gold.source.iter().any(|s| s.overlaps(*m)))
    {
        return Some(true);
    }
    let mut names: Vec<&str> = vec![sp.text.as_str()];
    if let Some(d) = &sp.description {
        names.push(d);
    }
    let src_text = excerpt(&doc.text, &gold.source);
    match pronoun_kind(&src_text) {
        None => Some(names_match(&src_text, &names)),
        Some(true) => {
            let start = gold.source[0].0;
            let mut lo = start.saturating_sub(80);
            while !doc.text.is_char_boundary(lo) {
                lo -= 1;
            }
            if let Some(p) = doc.text[lo..start].rfind(['.', '!', '?', '\n']) {
                lo += p + 1;
            }
            let window = Span(lo, start);
            let near = mentions.iter().any(|m| m.1 > lo && m.1 <= start)
                || names_match(window.slice(&doc.text), &names);
            Some(near)
        }
        Some(false) => {
            let start = gold.source[0].0;
            let antecedent = doc
                .attributions
                .iter()
                .filter(|a| {
                    !a.source.is_empty()
                        && a.source[0].0 < start
                        && looks_named(&doc.text, &a.source)
                })
                .map(|a| (a.source[0].0, excerpt(&doc.text, &a.source)))
                .filter(|(_, t)| pronoun_kind(t).is_none())
                .max_by_key(|(s, _)| *s)?;
            Some(names_match(&antecedent.1, &names))
        }
    }
}

fn show_gold(doc: &GoldDoc, g: &GoldAttribution) -> String {
    let src = if g.source.is_empty() {
        "no source".to_string()
    } else {
        format!("source {:?}", excerpt(&doc.text, &g.source))
    };
    format!(
        "{} {}: \u{201C}{}\u{201D} ({src})",
        doc.name,
        g.id,
        excerpt(&doc.text, &g.content)
    )
}

fn show_pred(doc: &GoldDoc, p: &Pred) -> String {
    let who = p
        .quote
        .speaker
        .as_ref()
        .map_or("no speaker".to_string(), |s| {
            format!("speaker {:?}", s.text)
        });
    format!(
        "{} {} {}: \u{201C}{}\u{201D} ({who})",
        doc.name,
        p.quote.id,
        p.quote.kind,
        excerpt(&doc.text, &[p.raw])
    )
}

/// The names of every field and accuracy one scope reports.
fn scope_keys(scope: &str) -> (Vec<String>, Vec<String>) {
    let fields = ["content", "content_half", "content_exact"]
        .iter()
        .map(|f| format!("polnear.{scope}.{f}"))
        .collect();
    let mut accs: Vec<String> = ["speaker", "speaker.named", "speaker.pronoun", "cue"]
        .iter()
        .map(|a| format!("polnear.{scope}.{a}"))
        .collect();
    if scope == "all" {
        accs.push("polnear.all.kind".to_string());
    }
    (fields, accs)
}

/// Score one scope: content matches, then speaker, cue and kind on the overlap pairs.
#[allow(clippy::too_many_arguments)] // the document, its record and alignment, and the two sides
fn score_scope(
    scope: &str,
    doc: &GoldDoc,
    record: &Record,
    align: &Alignment,
    words: &[Span],
    gold: &[&GoldAttribution],
    preds: &[&Pred],
    scores: &mut Scores,
) {
    let (fields, _) = scope_keys(scope);
    let crits = [Criterion::Overlap, Criterion::HalfWords, Criterion::Exact];
    for (field, crit) in fields.iter().zip(crits) {
        let Matching { pairs, absorbed } = pair_up(doc, words, gold, preds, crit);
        let mut g_hit = vec![false; gold.len()];
        let mut p_hit = vec![false; preds.len()];
        for &(gi, pi) in &pairs {
            g_hit[gi] = true;
            p_hit[pi] = true;
            scores.tp(field);
        }
        for &(gi, pi) in &absorbed {
            p_hit[pi] = true;
            if matches!(crit, Criterion::Overlap) {
                scores.note(
                    &format!("polnear.{scope}: another piece of a split quotation (not counted)"),
                    format!(
                        "{} -> {}",
                        show_pred(doc, preds[pi]),
                        show_gold(doc, gold[gi])
                    ),
                );
            }
        }
        for (gi, g) in gold.iter().enumerate() {
            if !g_hit[gi] {
                scores.fn_(field, show_gold(doc, g));
            }
        }
        for (pi, p) in preds.iter().enumerate() {
            if !p_hit[pi] {
                scores.fp(field, show_pred(doc, p));
            }
        }
        if !matches!(crit, Criterion::Overlap) {
            continue;
        }
        for &(gi, pi) in &pairs {
            let (g, p) = (gold[gi], preds[pi]);
            if let Some(ok) = speaker_verdict(doc, g, p.quote, record, align) {
                let src = excerpt(&doc.text, &g.source);
                let sub = if pronoun_kind(&src).is_some() {
                    "pronoun"
                } else {
                    "named"
                };
                scores.accuracy(&format!("polnear.{scope}.speaker"), ok);
                scores.accuracy(&format!("polnear.{scope}.speaker.{sub}"), ok);
                if !ok {
                    scores.note(
                        &format!("polnear.{scope}.speaker: wrong"),
                        format!("{} -> {}", show_gold(doc, g), show_pred(doc, p)),
                    );
                }
            } else if !g.source.is_empty() {
                scores.note(
                    &format!("polnear.{scope}.speaker: undecided"),
                    format!(
                        "{} (a pronoun with no named source before it, or a source on the cue)",
                        show_gold(doc, g)
                    ),
                );
            }
            if !g.cue.is_empty() {
                let ok = p.quote.cue.as_ref().is_some_and(|c| {
                    let raw = align.to_raw(c.span);
                    g.cue.iter().any(|s| s.overlaps(raw))
                });
                scores.accuracy(&format!("polnear.{scope}.cue"), ok);
            }
            if scope == "all" {
                scores.accuracy("polnear.all.kind", (p.quote.kind == "direct") == g.direct);
            }
        }
    }
}

/// Whether a prediction overlaps the Content of any of `gold`.
fn overlaps_gold<'a>(p: &Pred, gold: impl IntoIterator<Item = &'a GoldAttribution>) -> bool {
    gold.into_iter()
        .any(|g| g.content.iter().any(|c| c.overlaps(p.raw)))
}

/// Score one document's record against its gold attributions. The record must come from the
/// document's raw text (its repairs are how quote spans find their way back to it).
pub fn score_record(doc: &GoldDoc, record: &Record, scores: &mut Scores) -> Result<(), String> {
    let align = raw_alignment(record, doc.text.len())?;
    let raws: Vec<String> = {
        let mut reps: Vec<_> = record.repairs.iter().collect();
        reps.sort_by_key(|r| (r.span.0, r.span.1, r.raw_span.0));
        reps.into_iter().map(|r| r.raw.clone()).collect()
    };
    if align.reconstruct(&record.text, &raws) != doc.text {
        scores.note(
            "polnear: alignment",
            format!(
                "{}: text and repairs do not rebuild the raw text; spans may be off",
                doc.name
            ),
        );
    }
    for (i, q) in record.quotes.iter().enumerate() {
        let inside = q.span.0 <= q.span.1
            && record.text.is_char_boundary(q.span.0)
            && record.text.is_char_boundary(q.span.1);
        if !inside {
            return Err(format!(
                "{}: quote {i} span {:?} lies outside the text or splits a character",
                doc.name, q.span
            ));
        }
    }
    let words = word_spans(&doc.text);
    let preds: Vec<Pred> = record
        .quotes
        .iter()
        .map(|q| Pred {
            quote: q,
            raw: align.to_raw(q.span),
        })
        .filter(|p| !doc.discard.iter().any(|d| d.contains(p.raw)))
        .collect();

    let all_gold: Vec<&GoldAttribution> = doc.attributions.iter().collect();
    let all_preds: Vec<&Pred> = preds.iter().collect();
    score_scope(
        "all", doc, record, &align, &words, &all_gold, &all_preds, scores,
    );

    let direct_gold: Vec<&GoldAttribution> = doc.attributions.iter().filter(|a| a.direct).collect();
    let mut direct_preds = Vec::new();
    for p in preds.iter().filter(|p| p.quote.kind == "direct") {
        let on_direct = overlaps_gold(p, direct_gold.iter().copied());
        let on_other = overlaps_gold(p, doc.attributions.iter().filter(|a| !a.direct));
        if !on_direct && on_other {
            scores.note(
                "polnear.direct: out of scope (a direct quote on non-direct gold)",
                show_pred(doc, p),
            );
        } else {
            direct_preds.push(p);
        }
    }
    score_scope(
        "direct",
        doc,
        record,
        &align,
        &words,
        &direct_gold,
        &direct_preds,
        scores,
    );
    Ok(())
}

/// The text a `.ann` file annotates: `text/<stem>.txt`, else `text/<stem less its annotator
/// suffix>.txt`.
fn text_for(dir: &Path, ann: &Path) -> Option<(String, PathBuf)> {
    let stem = ann.file_stem()?.to_str()?;
    let direct = dir.join("text").join(format!("{stem}.txt"));
    if direct.is_file() {
        return Some((stem.to_string(), direct));
    }
    let (base, _annotator) = stem.rsplit_once('_')?;
    let p = dir.join("text").join(format!("{base}.txt"));
    p.is_file().then(|| (base.to_string(), p))
}

/// Read a PolNeAR directory (`attributions/`, `text/`): one gold document per text, the first
/// annotation in name order where there are several, at most `max_docs` texts in name order. Also
/// returns notes on what was read.
pub fn load_dir(
    dir: &Path,
    max_docs: Option<usize>,
) -> Result<(Vec<GoldDoc>, Vec<String>), String> {
    let ann_dir = dir.join("attributions");
    let entries = std::fs::read_dir(&ann_dir).map_err(|e| {
        format!(
            "{}: {e} (a PolNeAR directory holds attributions/ and text/)",
            ann_dir.display()
        )
    })?;
    let mut anns: Vec<PathBuf> = Vec::new();
    for e in entries {
        let p = e.map_err(|e| format!("{}: {e}", ann_dir.display()))?.path();
        if p.extension().is_some_and(|x| x == "ann") {
            anns.push(p);
        }
    }
    anns.sort();
    if anns.is_empty() {
        return Err(format!("{}: no .ann files", ann_dir.display()));
    }
    // Text name -> (text path, its annotation files).
    let mut by_text: BTreeMap<String, (PathBuf, Vec<PathBuf>)> = BTreeMap::new();
    for a in anns {
        let (name, text) = text_for(dir, &a).ok_or_else(|| {
            format!(
                "{}: no text for it in {}",
                a.display(),
                dir.join("text").display()
            )
        })?;
        by_text.entry(name).or_insert((text, Vec::new())).1.push(a);
    }
    let mut docs = Vec::new();
    let mut notes = Vec::new();
    for (name, (text_path, anns)) in by_text.into_iter().take(max_docs.unwrap_or(usize::MAX)) {
        let bytes =
            std::fs::read(&text_path).map_err(|e| format!("{}: {e}", text_path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|e| format!("{}: not UTF-8: {e}", text_path.display()))?;
        let ann_path = &anns[0];
        let ann = std::fs::read_to_string(ann_path)
            .map_err(|e| format!("{}: {e}", ann_path.display()))?;
        let mut doc = parse_ann(&ann_path.display().to_string(), &ann, text)?;
        doc.name = name;
        if anns.len() > 1 {
            notes.push(format!(
                "{}: {} annotations, scored against {}",
                doc.name,
                anns.len(),
                ann_path.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
        if doc.unit == OffsetUnit::Bytes {
            notes.push(format!("{}: offsets read as bytes", doc.name));
        }
        if doc.text_mismatches > 0 {
            notes.push(format!(
                "{}: {} span texts differ from the text at their offsets",
                doc.name, doc.text_mismatches
            ));
        }
        if doc.swapped > 0 {
            notes.push(format!(
                "{}: {} attributions with Source and Cue swapped (a lone \"said\" as Source), \
                 read the other way round",
                doc.name, doc.swapped
            ));
        }
        if doc.without_content > 0 {
            notes.push(format!(
                "{}: {} attributions without a Content (not scored)",
                doc.name, doc.without_content
            ));
        }
        docs.push(doc);
    }
    Ok((docs, notes))
}

/// Run the pipeline on the texts of a PolNeAR directory and score their quotes (see the module
/// documentation for the fields).
pub fn evaluate_dir(
    pipeline: &Pipeline,
    dir: &Path,
    max_docs: Option<usize>,
) -> Result<Scores, String> {
    let (docs, notes) = load_dir(dir, max_docs)?;
    let mut scores = Scores::default();
    for scope in ["all", "direct"] {
        let (fields, accs) = scope_keys(scope);
        for f in fields {
            scores.field(&f);
        }
        for a in accs {
            scores.accuracies.entry(a).or_default();
        }
    }
    for n in notes {
        scores.note("polnear: gold", n);
    }
    let mut pipeline_secs = 0.0;
    let (mut n_gold, mut n_direct, mut n_quotes) = (0, 0, 0);
    for doc in &docs {
        let t = Instant::now();
        let record = pipeline.process(Article {
            id: doc.name.clone(),
            text: doc.text.clone(),
            ..Article::default()
        });
        pipeline_secs += t.elapsed().as_secs_f64();
        n_gold += doc.attributions.len();
        n_direct += doc.attributions.iter().filter(|a| a.direct).count();
        n_quotes += record.quotes.len();
        score_record(doc, &record, &mut scores)?;
    }
    scores.note(
        "polnear: run",
        format!(
            "{} documents, {n_gold} gold attributions ({n_direct} direct), {n_quotes} quotes \
             found; pipeline {pipeline_secs:.2} s ({:.1} ms per document)",
            docs.len(),
            1000.0 * pipeline_secs / docs.len().max(1) as f64
        ),
    );
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        BlockKind, Cue, Entity, EntityKind, Provenance, Repair, RepairKind, Speaker,
    };

    fn at(text: &str, needle: &str) -> Span {
        let s = text.find(needle).expect("needle in text");
        Span(s, s + needle.len())
    }

    fn chars(text: &str, span: Span) -> (usize, usize) {
        (
            text[..span.0].chars().count(),
            text[..span.1].chars().count(),
        )
    }

    fn record(
        text: &str,
        repairs: Vec<Repair>,
        entities: Vec<Entity>,
        quotes: Vec<Quote>,
    ) -> Record {
        Record {
            schema: crate::model::SCHEMA.to_string(),
            id: "doc".to_string(),
            hash: String::new(),
            provenance: Provenance {
                kestrel: "test".to_string(),
                lexicon: "test".to_string(),
            },
            url: None,
            source: None,
            title: None,
            published: None,
            published_from: None,
            dateline: None,
            text: text.to_string(),
            repairs,
            blocks: Vec::new(),
            sentences: Vec::new(),
            entities,
            places: Vec::new(),
            events: Vec::new(),
            quotes,
            meta: None,
        }
    }

    fn quote(id: &str, kind: &str, span: Span, speaker: Option<(&str, Option<&str>)>) -> Quote {
        Quote {
            id: id.to_string(),
            kind: kind.to_string(),
            text: String::new(),
            span,
            speaker: speaker.map(|(t, e)| Speaker {
                entity: e.map(str::to_string),
                text: t.to_string(),
                description: None,
            }),
            cue: None,
            listener: None,
            block: BlockKind::Body,
        }
    }

    #[test]
    fn direct_needs_marks_at_both_ends_and_none_between() {
        let t =
            "He said: \u{201C}We will win.\u{201D} Then \u{201C}A\u{201D} and \u{201C}B.\u{201D}";
        assert!(is_direct(t, &[at(t, "\u{201C}We will win.\u{201D}")]));
        // Marks just outside the span count, and a stop after the closing mark is allowed.
        assert!(is_direct(t, &[at(t, "We will win")]));
        assert!(is_direct(t, &[at(t, ": \u{201C}We will win.\u{201D}")]));
        // Two quotations with narration between are not one direct quote.
        assert!(!is_direct(
            t,
            &[at(t, "\u{201C}A\u{201D} and \u{201C}B.\u{201D}")]
        ));
        // Reported speech ending in a quoted fragment is not direct.
        let r = "He said that the plan would \u{201C}fail badly.\u{201D}";
        assert!(!is_direct(
            r,
            &[at(r, "that the plan would \u{201C}fail badly.\u{201D}")]
        ));
        // Straight quotes, with a comma before the closing one, and a split quote.
        let s = "\"It is over,\" she said, \"for good.\"";
        assert!(is_direct(s, &[at(s, "\"It is over,\"")]));
        assert!(is_direct(
            s,
            &[at(s, "\"It is over,"), at(s, "\"for good.\"")]
        ));
        assert!(!is_direct(s, &[at(s, "she said")]));
    }

    #[test]
    fn raw_alignment_maps_clean_spans_back_through_repairs() {
        // raw "A  b &amp; “c”" -> clean "A b & “c”"
        let raw = "A  b &amp; \u{201C}c\u{201D}";
        let clean = "A b & \u{201C}c\u{201D}";
        let repairs = vec![
            Repair {
                span: Span(1, 2),
                raw: "  ".to_string(),
                kind: RepairKind::Whitespace,
                raw_span: Span(1, 3),
            },
            Repair {
                span: Span(4, 5),
                raw: "&amp;".to_string(),
                kind: RepairKind::HtmlEntity,
                raw_span: Span(5, 10),
            },
        ];
        let rec = record(clean, repairs.clone(), vec![], vec![]);
        let a = raw_alignment(&rec, raw.len()).unwrap();
        let c = at(clean, "c");
        assert_eq!(a.to_raw(c).slice(raw), "c");
        assert_eq!(a.to_raw(at(clean, "b & ")).slice(raw), "b &amp; ");
        assert_eq!(a.to_raw(Span(0, clean.len())), Span(0, raw.len()));
        // Repairs in any order give the same alignment.
        let mut rev = repairs.clone();
        rev.reverse();
        let a2 = raw_alignment(&record(clean, rev, vec![], vec![]), raw.len()).unwrap();
        assert_eq!(a, a2);
        // A raw text of another length, or overlapping repairs, are errors naming the record.
        let err = raw_alignment(&rec, raw.len() + 1).unwrap_err();
        assert!(err.starts_with("doc:"), "{err}");
        let mut bad = repairs.clone();
        bad[1].span = Span(1, 5);
        assert!(raw_alignment(&record(clean, bad, vec![], vec![]), raw.len()).is_err());
        // No repairs: identity when the lengths agree.
        let id = raw_alignment(&record(clean, vec![], vec![], vec![]), clean.len()).unwrap();
        assert_eq!(id.to_raw(c), c);
    }

    #[test]
    fn names_match_surnames_and_names_but_not_strangers() {
        assert!(names_match("Trump", &["Donald Trump"]));
        assert!(names_match("Mr. Obama", &["Barack Obama"]));
        assert!(names_match("Republican nominee Donald Trump", &["Trump"]));
        assert!(names_match("Clinton's campaign", &["Hillary Clinton"]));
        assert!(!names_match("Mike Pence", &["Donald Trump"]));
        assert!(!names_match("sources", &["Donald Trump"]));
        let t = "Polls say so. Few people agree, said Trump. Mr. Obama said it. Trump said. \
                 \"Yes,\" Doe said. \"Critics lie.\"";
        assert!(looks_named(t, &[at(t, "Doe")]));
        assert!(!looks_named(t, &[at(t, "Critics")]));
        assert!(!looks_named(t, &[at(t, "Polls")]));
        assert!(!looks_named(t, &[at(t, "Few people")]));
        assert!(looks_named(t, &[at(t, "Trump")]));
        assert!(looks_named(t, &[at(t, "Mr. Obama")]));
        assert!(!looks_named(t, &[at(t, "Trump said.")]));
        assert_eq!(pronoun_kind("He"), Some(false));
        assert_eq!(pronoun_kind("who"), Some(true));
        assert_eq!(pronoun_kind("the senator"), None);
    }

    /// Code-point offsets of `word`, found inside the first occurrence of `context`.
    fn cp(text: &str, context: &str, word: &str) -> String {
        let c = text.find(context).expect("context in text");
        let w = c + text[c..].find(word).expect("word in context");
        let (a, b) = chars(text, Span(w, w + word.len()));
        format!("{a} {b}")
    }

    /// A tiny PolNeAR-style document with non-ASCII text before the annotations, so code-point
    /// offsets differ from byte offsets.
    fn sample() -> (String, String) {
        let text =
            "Caf\u{E9} owners met Sen. Jane Doe on Monday.\n\n\u{201C}We need help now,\u{201D} \
                    Doe said. She added that the rules were unfair.\n\nJoe Roe, who runs a bakery, \
                    said prices rose.\n\nRead more here.\n"
                .to_string();
        let q = "\u{201C}We need help now,\u{201D}";
        let lines = [
            format!("T1\tContent {}\t{q}", cp(&text, q, q)),
            format!("T2\tSource {}\tDoe", cp(&text, "Doe said", "Doe")),
            format!("T3\tCue {}\tsaid", cp(&text, "Doe said", "said")),
            format!("T4\tAttribution {}\tsaid", cp(&text, "Doe said", "said")),
            "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2".to_string(),
            format!("T5\tSource {}\tShe", cp(&text, "She added", "She")),
            format!("T6\tCue {}\tadded", cp(&text, "She added", "added")),
            format!(
                "T7\tContent {}\tthat the rules were unfair",
                cp(&text, "that the rules", "that the rules were unfair")
            ),
            format!("T8\tAttribution {}\tadded", cp(&text, "She added", "added")),
            "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5".to_string(),
            format!("T9\tSource {}\twho", cp(&text, "who runs", "who")),
            format!("T10\tCue {}\tsaid", cp(&text, "said prices", "said")),
            format!(
                "T11\tContent {}\tprices rose",
                cp(&text, "prices rose", "prices rose")
            ),
            format!(
                "T12\tAttribution {}\tsaid",
                cp(&text, "said prices", "said")
            ),
            "E3\tAttribution:T12 Source:T9 Cue:T10 Content:T11".to_string(),
            format!(
                "T13\tDiscard {}\tRead more here.",
                cp(&text, "Read", "Read more here.")
            ),
            "#1\tAnnotatorNotes T13\tnot article text".to_string(),
        ];
        (text, lines.join("\n") + "\n")
    }

    #[test]
    fn parse_reads_code_point_offsets_and_ties_attributions() {
        let (text, ann) = sample();
        let doc = parse_ann("x.ann", &ann, text.clone()).unwrap();
        assert_eq!(doc.unit, OffsetUnit::Chars);
        assert_eq!(doc.text_mismatches, 0);
        assert_eq!(doc.attributions.len(), 3);
        let a = &doc.attributions[0];
        assert_eq!(
            a.content[0].slice(&text),
            "\u{201C}We need help now,\u{201D}"
        );
        assert_eq!(a.source[0].slice(&text), "Doe");
        assert!(a.direct);
        assert!(!doc.attributions[1].direct);
        assert_eq!(doc.attributions[2].source[0].slice(&text), "who");
        assert_eq!(doc.discard.len(), 1);
    }

    #[test]
    fn parse_detects_byte_offsets_and_reports_bad_lines() {
        let text = "\u{E9}\u{E9} He said: \u{201C}Yes.\u{201D}".to_string();
        let c = at(&text, "\u{201C}Yes.\u{201D}");
        let ann = format!(
            "T1\tContent {} {}\t\u{201C}Yes.\u{201D}\nT2\tSource {} {}\tHe\n\
             E1\tAttribution-no-source:T1 Content:T1 Source:T2\n",
            c.0,
            c.1,
            at(&text, "He").0,
            at(&text, "He").1
        );
        let doc = parse_ann("b.ann", &ann, text.clone()).unwrap();
        assert_eq!(doc.unit, OffsetUnit::Bytes);
        assert_eq!(doc.attributions[0].content, vec![c]);
        // Errors name the file and line.
        let e = parse_ann("b.ann", "T1\tContent 5 x\tfoo\n", text.clone()).unwrap_err();
        assert!(e.starts_with("b.ann:1:"), "{e}");
        let e = parse_ann(
            "b.ann",
            "T1\tContent 0 2\t\u{E9}\u{E9}\nE1\tContent:T9\n",
            text.clone(),
        )
        .unwrap_err();
        assert!(e.starts_with("b.ann:2:") && e.contains("T9"), "{e}");
        let e = parse_ann("b.ann", "T1\tContent 0 999\tx\n", text.clone()).unwrap_err();
        assert!(e.contains("outside the text"), "{e}");
        let e = parse_ann("b.ann", "garbage\n", text.clone()).unwrap_err();
        assert!(e.starts_with("b.ann:1:"), "{e}");
        // A span text with a line break continues on the next line; that is not an error.
        let two = "One.\n\nTwo.".to_string();
        let ann = "T1\tContent 0 10\tOne.\n\nTwo.\nT2\tSource 0 3\tOne\nE1\tContent:T1 Source:T2\n";
        let doc = parse_ann("m.ann", ann, two).unwrap();
        assert_eq!(doc.attributions.len(), 1);
        assert_eq!(doc.text_mismatches, 0);
        // A lone "said" labelled Source with the speaker labelled Cue is read the other way round.
        let t = "\"No,\" said Ann Lee.".to_string();
        let ann = "T1\tContent 0 5\t\"No,\"\nT2\tSource 6 10\tsaid\nT3\tCue 11 18\tAnn Lee\n\
                   E1\tContent:T1 Source:T2 Cue:T3\n";
        let doc = parse_ann("w.ann", ann, t.clone()).unwrap();
        assert_eq!(doc.swapped, 1);
        assert_eq!(doc.attributions[0].source[0].slice(&t), "Ann Lee");
        assert_eq!(doc.attributions[0].cue[0].slice(&t), "said");
    }

    #[test]
    fn score_record_matches_quotes_and_judges_speakers() {
        let (raw, ann) = sample();
        let doc = parse_ann("x.ann", &ann, raw.clone()).unwrap();
        // The pipeline cleaned "\n\n" after the first line into one "\n" (a made-up repair), so
        // clean offsets after it differ from raw ones.
        let cut = raw.find("\n\n").unwrap();
        let clean = format!("{}\n{}", &raw[..cut], &raw[cut + 2..]);
        let repairs = vec![Repair {
            span: Span(cut, cut + 1),
            raw: "\n\n".to_string(),
            kind: RepairKind::Whitespace,
            raw_span: Span(cut, cut + 2),
        }];
        let doe = Entity {
            id: "e1".to_string(),
            key: "jane doe".to_string(),
            name: "Jane Doe".to_string(),
            kind: EntityKind::Person,
            actor: None,
            descriptions: vec![],
            mentions: vec![at(&clean, "Jane Doe"), at(&clean, "Doe said")],
        };
        let mut q1 = quote(
            "q1",
            "direct",
            at(&clean, "We need help now,"),
            Some(("Jane Doe", Some("e1"))),
        );
        q1.cue = Some(Cue {
            text: "said".to_string(),
            span: at(&clean, "said. She"),
        });
        q1.cue.as_mut().unwrap().span.1 = q1.cue.as_ref().unwrap().span.0 + 4;
        // Right content, speaker by the pronoun's antecedent (Doe).
        let q2 = quote(
            "q2",
            "indirect",
            at(&clean, "the rules were unfair"),
            Some(("Jane Doe", None)),
        );
        // Right content, wrong speaker for "who" (Joe Roe is just before it).
        let q3 = quote(
            "q3",
            "indirect",
            at(&clean, "prices rose"),
            Some(("Jane Doe", Some("e1"))),
        );
        // Spurious, and one inside the Discard span that is not counted.
        let q4 = quote("q4", "direct", at(&clean, "owners met"), None);
        let q5 = quote("q5", "direct", at(&clean, "more here"), None);
        let rec = record(&clean, repairs, vec![doe], vec![q1, q2, q3, q4, q5]);
        let mut s = Scores::default();
        score_record(&doc, &rec, &mut s).unwrap();
        let c = s.fields["polnear.all.content"].counts;
        assert_eq!((c.tp, c.fp, c.fn_), (3, 1, 0));
        let d = s.fields["polnear.direct.content"].counts;
        assert_eq!((d.tp, d.fp, d.fn_), (1, 1, 0));
        // Exact boundaries: q1 trims to the gold, q2 lacks "that", q3 is exact.
        let e = s.fields["polnear.all.content_exact"].counts;
        assert_eq!((e.tp, e.fp, e.fn_), (2, 2, 1));
        // Half the words: q2 has 4 of 5 words.
        let h = s.fields["polnear.all.content_half"].counts;
        assert_eq!((h.tp, h.fp, h.fn_), (3, 1, 0));
        assert_eq!(s.accuracies["polnear.all.speaker"], (2, 3));
        assert_eq!(s.accuracies["polnear.all.speaker.named"], (1, 1));
        assert_eq!(s.accuracies["polnear.all.speaker.pronoun"], (1, 2));
        assert_eq!(s.accuracies["polnear.direct.speaker"], (1, 1));
        assert_eq!(s.accuracies["polnear.all.cue"], (1, 3));
        assert_eq!(s.accuracies["polnear.all.kind"], (3, 3));
        assert!(s.notes["polnear.all.speaker: wrong"][0].contains("who"));

        // A quote span past the end of the text is an error naming the document.
        let bad = record(
            &clean,
            vec![],
            vec![],
            vec![quote("q", "direct", Span(0, 9999), None)],
        );
        let bad_doc = GoldDoc {
            text: clean.clone(),
            ..doc.clone()
        };
        assert!(score_record(&bad_doc, &bad, &mut s)
            .unwrap_err()
            .contains("outside"));
    }

    #[test]
    fn pieces_of_an_interrupted_quotation_are_not_spurious() {
        let text = "\"It is over,\" she said, \"for good.\" Then she left.".to_string();
        let a = at(&text, "\"It is over,\"");
        let b = at(&text, "\"for good.\"");
        let (a, b) = (chars(&text, a), chars(&text, b));
        let ann = format!(
            "T1\tContent {} {};{} {}\t\"It is over,\" \"for good.\"\nT2\tSource 14 17\tshe\n\
             E1\tAttribution:T2 Content:T1 Source:T2\n",
            a.0, a.1, b.0, b.1
        );
        let doc = parse_ann("s.ann", &ann, text.clone()).unwrap();
        assert_eq!(doc.text_mismatches, 0);
        assert!(doc.attributions[0].direct);
        let q1 = quote("q1", "direct", at(&text, "It is over,"), None);
        let q2 = quote("q2", "direct", at(&text, "for good."), None);
        // A second quote on the first piece again is spurious.
        let q3 = quote("q3", "direct", at(&text, "is over"), None);
        let rec = record(&text, vec![], vec![], vec![q1, q2, q3]);
        let mut s = Scores::default();
        score_record(&doc, &rec, &mut s).unwrap();
        for f in ["content", "content_half", "content_exact"] {
            let c = s.fields[&format!("polnear.all.{f}")].counts;
            assert_eq!((c.tp, c.fp, c.fn_), (1, 1, 0), "{f}");
        }
        let split = &s.notes["polnear.all: another piece of a split quotation (not counted)"];
        assert_eq!(split.len(), 1);
        assert!(split[0].contains("q2"), "{split:?}");
    }

    #[test]
    fn evaluate_dir_reads_brat_and_runs_the_pipeline() {
        let dir = std::env::temp_dir().join(format!("kestrel-polnear-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("attributions")).unwrap();
        std::fs::create_dir_all(dir.join("text")).unwrap();
        let (text, ann) = sample();
        std::fs::write(dir.join("text/story.txt"), &text).unwrap();
        std::fs::write(dir.join("attributions/story_ab12.ann"), &ann).unwrap();
        // A second annotator of the same text is not scored twice.
        std::fs::write(dir.join("attributions/story_cd34.ann"), &ann).unwrap();
        let pipeline = Pipeline::new();
        let s = evaluate_dir(&pipeline, &dir, None).unwrap();
        let all = s.fields["polnear.all.content"].counts;
        // Until the quote stage lands the pipeline finds nothing: every gold is a miss.
        assert_eq!(all.tp + all.fn_, 3);
        assert_eq!(
            s.fields["polnear.direct.content"].counts.tp
                + s.fields["polnear.direct.content"].counts.fn_,
            1
        );
        assert!(s.accuracies.contains_key("polnear.all.speaker"));
        assert!(s.notes["polnear: gold"][0].contains("2 annotations"));
        assert_eq!(
            evaluate_dir(&pipeline, &dir, Some(0)).unwrap().fields["polnear.all.content"].counts,
            Default::default()
        );
        // A missing text is an error naming the annotation file.
        std::fs::write(dir.join("attributions/orphan.ann"), "").unwrap();
        let e = evaluate_dir(&pipeline, &dir, None).unwrap_err();
        assert!(e.contains("orphan.ann"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
        let e = evaluate_dir(&pipeline, &dir, None).unwrap_err();
        assert!(e.contains("attributions"), "{e}");
    }
}
