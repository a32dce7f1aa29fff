//! Time expressions: find dates in a sentence and resolve them against the publication date.
//!
//! Absolute dates ("January 3", "Jan. 3, 2020", "3 January", "13/10/2022" only when one number is
//! over 12), weekdays and relative dates ("on Wednesday", "Friday's rally", "yesterday", "last
//! week", "last October", "earlier this month", "two days ago"), ranges and durations ("since last
//! October", "for nearly four months", "between January 4 and February 7"). A clause's tense picks
//! the reading of dates without a year and of bare weekdays: a past-tense "Wednesday" is the most
//! recent one on or before the publication date, a future one the next. Words that look like dates
//! but are not ("march", "may", "we", ages, counts) are left alone. The rules are written out in
//! `docs/time-expressions.md`.

use crate::model::Span;
use crate::time::{month_number, weekday_number};
use crate::tokens::lowercase;
use aho_corasick::AhoCorasick;
use chrono::{Datelike, Days, Months, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// How precise a resolved time is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Day,
    Month,
    Year,
    Range,
}

impl Precision {
    pub fn as_str(&self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
            Precision::Range => "range",
        }
    }
}

/// A time expression found in text, with its resolved value.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeExpr {
    pub span: Span,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; the start day for a range.
    pub value: String,
    pub precision: Precision,
    /// The end day of a range.
    pub end: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tense {
    Past,
    Future,
}

const MONTH: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.|Jan|Feb|Aug|Sept|Oct|Nov|Dec)";
const WEEKDAY: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const NUM: &str = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|\d{1,3})";
const DAYNUM: &str = r"(?:[12]?\d|3[01])(?:st|nd|rd|th)?\b";
const TOD: &str = r"(?:\s(?:morning|afternoon|evening|night))?";

/// Word boundaries are ASCII ones: a Unicode `\b` makes the regex engine give up its fast DFA on
/// any text with a non-ASCII character (curly quotes, names), and time words are ASCII.
fn re(p: &str) -> Regex {
    Regex::new(&p.replace(r"\b", r"(?-u:\b)")).expect("valid time regex")
}

/// One pattern: a regex and what kind of expression it finds.
struct Pat {
    re: Regex,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Between,
    Since,
    Duration,
    Ago,
    FullDate,
    Iso,
    Numeric,
    MonthYear,
    Relative,
    Period,
    LastNextWeekday,
    LastNextMonth,
    BareMonth,
    Weekday,
    Year,
    Holiday,
}

static PATS: LazyLock<Vec<Pat>> = LazyLock::new(|| {
    let date1 = format!(
        r"(?:{WEEKDAY},?\s)?(?:{MONTH}\s{DAYNUM}(?:,?\s\d{{4}})?|{DAYNUM}\s{MONTH}(?:,?\s\d{{4}})?)"
    );
    let point =
        format!(r"(?:{date1}|(?:early\s|late\s|mid-)?{MONTH}(?:\s\d{{4}})?|\d{{4}}|{WEEKDAY})");
    vec![
        Pat {
            re: re(&format!(
                r"\b(?:[Bb]etween\s(?P<a>{point}|{DAYNUM})\sand\s(?P<b>{point})|[Ff]rom\s(?P<c>{point}|{DAYNUM})\s(?:to|until|through)\s(?P<d>{point}))"
            )),
            kind: Kind::Between,
        },
        Pat {
            re: re(&format!(r"\b[Ss]ince\s(?P<x>(?:last\s)?(?:{point}))")),
            kind: Kind::Since,
        },
        Pat {
            re: re(&format!(
                r"(?i:\b(?:(?:for\s(?:(?:nearly|almost|about|around|more\sthan|over|at\sleast|exactly|some|the\spast|the\slast)\s)?|(?:the\s)?(?:past|last)\s)(?P<n>{NUM})\s(?P<u>days?|weeks?|months?|years?)\b|for\sthe\s(?:past|last)\s(?P<u1>day|week|month|year)\b))"
            )),
            kind: Kind::Duration,
        },
        Pat {
            re: re(&format!(
                r"(?i:\b(?:(?:nearly|almost|about|around|more\sthan|over|exactly|some)\s)?(?P<n>{NUM})\s(?P<u>days?|weeks?|months?|years?)\sago\b)"
            )),
            kind: Kind::Ago,
        },
        Pat {
            re: re(&format!(r"\b{date1}\b")),
            kind: Kind::FullDate,
        },
        Pat {
            re: re(r"\b\d{4}-\d{2}-\d{2}\b"),
            kind: Kind::Iso,
        },
        Pat {
            re: re(r"\b\d{1,2}/\d{1,2}/\d{4}\b"),
            kind: Kind::Numeric,
        },
        Pat {
            re: re(&format!(
                r"\b(?:(?:early|late|mid-)\s?)?{MONTH}\s(?:of\s)?\d{{4}}\b"
            )),
            kind: Kind::MonthYear,
        },
        Pat {
            re: re(
                r"\b(?:[Tt]he\sday\sbefore\syesterday|[Tt]he\sday\safter\stomorrow|[Yy]esterday(?:\s(?:morning|afternoon|evening))?|[Ll]ast\snight|[Tt]onight|[Tt]oday|[Tt]omorrow(?:\s(?:morning|afternoon|evening|night))?|[Tt]his\s(?:morning|afternoon|evening))\b",
            ),
            kind: Kind::Relative,
        },
        Pat {
            re: re(
                r"\b(?:(?P<el>[Ee]arlier|[Ll]ater)\s(?:this|in\sthe)\s(?P<u1>week|month|year)|(?P<w>[Ll]ast|[Tt]his|[Nn]ext)\s(?P<u2>week|month|year|weekend)|over\sthe\sweekend)\b",
            ),
            kind: Kind::Period,
        },
        Pat {
            re: re(&format!(
                r"\b(?P<w>[Ll]ast|[Nn]ext|[Tt]his)\s(?P<d>{WEEKDAY}){TOD}\b"
            )),
            kind: Kind::LastNextWeekday,
        },
        Pat {
            re: re(&format!(
                r"\b(?P<w>[Ll]ast|[Nn]ext|[Tt]his)\s(?P<m>{MONTH})\b"
            )),
            kind: Kind::LastNextMonth,
        },
        Pat {
            re: re(&format!(r"\b(?:(?:early|late|mid-)\s?)?(?P<m>{MONTH})\b")),
            kind: Kind::BareMonth,
        },
        Pat {
            re: re(&format!(r"\b(?P<d>{WEEKDAY}){TOD}\b")),
            kind: Kind::Weekday,
        },
        Pat {
            re: re(r"\b(?:19[5-9]\d|20[0-4]\d)\b"),
            kind: Kind::Year,
        },
        Pat {
            re: re(
                r"\b(?:Christmas\s(?:Day|Eve)|New\sYear's\s(?:Day|Eve)|New\sYear’s\s(?:Day|Eve))(?:,?\s\d{4})?\b",
            ),
            kind: Kind::Holiday,
        },
    ]
});

fn num_value(w: &str) -> Option<u32> {
    Some(match w.to_lowercase().as_str() {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        d => return d.parse().ok(),
    })
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn month_str(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(d.weekday().num_days_from_monday() as u64)
}

fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let first_next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    first_next.expect("valid") - Days::new(1)
}

/// Words that mark a clause as future.
const FUTURE_MARKS: &[&str] = &[
    "will",
    "'ll",
    "’ll",
    "shall",
    "plans",
    "planned",
    "planning",
    "scheduled",
    "expected",
    "expects",
    "expect",
    "upcoming",
    "intends",
    "may",
    "might",
    "could",
    "would",
    "should",
    "opens",
    "begins",
    "starts",
    "ends",
    "closes",
    "expires",
    "resumes",
    "reopens",
    "convenes",
];

/// Irregular past forms that mark a clause as past.
const PAST_MARKS: &[&str] = &[
    "was", "were", "had", "did", "said", "met", "held", "began", "took", "taken", "went", "came",
    "left", "fought", "made", "told", "gave", "won", "lost", "fled", "led", "sent", "shot", "hit",
    "struck", "broke", "built", "ran", "saw", "seen", "stood", "spoke", "wrote", "brought",
    "caught", "kept", "knew", "found", "became", "thought", "paid", "sold", "rose", "fell",
];

/// Two-word schedule phrases in the present that speak of the future ("takes effect").
const SCHEDULE: &[(&str, &str)] = &[
    ("take", "effect"),
    ("takes", "effect"),
    ("comes", "into"),
    ("come", "into"),
    ("go", "to"),
    ("goes", "to"),
    ("is", "to"),
    ("are", "to"),
    ("is", "due"),
    ("are", "due"),
    ("due", "to"),
    ("set", "to"),
    ("going", "to"),
    ("plan", "to"),
    ("vowed", "to"),
    ("pledged", "to"),
    ("promised", "to"),
    ("threatened", "to"),
    ("agreed", "to"),
    ("hopes", "to"),
    ("wants", "to"),
];

/// The tense of the clause around an expression at `[at, end)`: the marker nearest to it decides
/// (a future auxiliary, modal, schedule phrase or infinitive; or a past verb); a date right after
/// "by", "until" or "for" is a deadline or appointment and reads as future. Past by default.
fn tense_of(sentence: &str, at: usize, end: usize) -> Tense {
    let pre = sentence[..at].trim_end();
    let prev = pre.rsplit(' ').next().unwrap_or("").to_lowercase();
    if matches!(prev.as_str(), "by" | "until" | "till" | "for") && !pre.ends_with("for the") {
        return Tense::Future;
    }
    // The clause: between boundaries (punctuation, "and", "but", relative pronouns).
    let is_boundary = |w: &str| {
        matches!(
            w,
            "and" | "but" | "while" | "which" | "who" | "whereas" | "although"
        )
    };
    let words: Vec<(usize, &str)> = {
        let mut v = Vec::new();
        let mut start = None;
        for (i, c) in sentence.char_indices() {
            let word_char = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
            match (word_char, start) {
                (true, None) => start = Some(i),
                (false, Some(s0)) => {
                    v.push((s0, &sentence[s0..i]));
                    start = None;
                    if matches!(c, ',' | ';' | ':' | '(' | ')' | '—' | '–') {
                        v.push((i, ","));
                    }
                }
                (false, None) if matches!(c, ',' | ';' | ':' | '(' | ')' | '—' | '–') => {
                    v.push((i, ","))
                }
                _ => {}
            }
        }
        if let Some(s0) = start {
            v.push((s0, &sentence[s0..]));
        }
        v
    };
    let first = words
        .iter()
        .rposition(|(p, w)| *p < at && (*w == "," || is_boundary(&lowercase(w))))
        .map(|i| i + 1)
        .unwrap_or(0);
    let last = words
        .iter()
        .position(|(p, w)| *p >= end && (*w == "," || is_boundary(&lowercase(w))))
        .unwrap_or(words.len());
    let clause = &words[first..last.max(first)];
    let mut best: Option<(usize, Tense)> = None;
    let mut consider = |pos: usize, t: Tense| {
        let d = if pos < at { at - pos } else { pos - end };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, t));
        }
    };
    for (k, (pos, w)) in clause.iter().enumerate() {
        if *pos >= at && *pos < end {
            continue;
        }
        let lw = lowercase(w);
        let next = clause
            .get(k + 1)
            .map(|x| lowercase(x.1))
            .unwrap_or_default();
        if FUTURE_MARKS.contains(&&*lw) || SCHEDULE.iter().any(|(a, b)| *a == lw && *b == next) {
            consider(*pos, Tense::Future);
        } else if lw == "to"
            && *pos < at
            && !next.is_empty()
            && next.chars().all(|c| c.is_lowercase())
            && !matches!(
                &*next,
                "the" | "a" | "an" | "his" | "her" | "their" | "its" | "our" | "be" | "date"
            )
        {
            // An infinitive before the date: "vowed to return on Saturday".
            consider(*pos, Tense::Future);
        } else if PAST_MARKS.contains(&&*lw)
            || (lw.len() > 4
                && lw.ends_with("ed")
                && !matches!(
                    &*lw,
                    "united" | "need" | "speed" | "proposed" | "planned" | "scheduled" | "expected"
                ))
        {
            consider(*pos, Tense::Past);
        }
    }
    best.map(|b| b.1).unwrap_or(Tense::Past)
}

/// Parse a day-month phrase without year to (month, day).
fn month_day(s: &str) -> Option<(u32, u32, Option<i32>)> {
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let mut month = None;
    let mut dayn = None;
    let mut year = None;
    for w in words {
        if weekday_number(w).is_some() && w.len() > 3 {
            continue;
        }
        if let Some(m) = month_number(w) {
            month = Some(m);
            continue;
        }
        let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.len() == 4 {
            year = digits.parse().ok();
        } else if !digits.is_empty() && digits.len() <= 2 {
            dayn = digits.parse().ok();
        }
    }
    Some((month?, dayn?, year))
}

/// Resolve a month and day without a year by tense.
fn resolve_md(pubd: NaiveDate, m: u32, d: u32, tense: Tense) -> Option<NaiveDate> {
    let this = NaiveDate::from_ymd_opt(pubd.year(), m, d);
    match tense {
        Tense::Past => match this {
            Some(x) if x <= pubd => Some(x),
            _ => NaiveDate::from_ymd_opt(pubd.year() - 1, m, d),
        },
        Tense::Future => match this {
            Some(x) if x >= pubd => Some(x),
            _ => NaiveDate::from_ymd_opt(pubd.year() + 1, m, d),
        },
    }
}

fn resolve_weekday(pubd: NaiveDate, wd: u32, tense: Tense) -> NaiveDate {
    let cur = pubd.weekday().num_days_from_monday();
    match tense {
        Tense::Past => pubd - Days::new(((cur + 7 - wd) % 7) as u64),
        Tense::Future => {
            let ahead = (wd + 7 - cur) % 7;
            pubd + Days::new(if ahead == 0 { 7 } else { ahead } as u64)
        }
    }
}

/// Resolve a bare month by tense to (year, month).
fn resolve_month(pubd: NaiveDate, m: u32, tense: Tense) -> (i32, u32) {
    match tense {
        Tense::Past => {
            if m <= pubd.month() {
                (pubd.year(), m)
            } else {
                (pubd.year() - 1, m)
            }
        }
        Tense::Future => {
            if m >= pubd.month() {
                (pubd.year(), m)
            } else {
                (pubd.year() + 1, m)
            }
        }
    }
}

/// A resolved point: its first day, last day and natural precision.
#[derive(Clone, Copy, Debug)]
struct Point {
    start: NaiveDate,
    end: NaiveDate,
}

impl Point {
    fn day(d: NaiveDate) -> Point {
        Point { start: d, end: d }
    }
    fn month(y: i32, m: u32) -> Option<Point> {
        Some(Point {
            start: NaiveDate::from_ymd_opt(y, m, 1)?,
            end: last_day_of_month(y, m),
        })
    }
    fn year(y: i32) -> Option<Point> {
        Some(Point {
            start: NaiveDate::from_ymd_opt(y, 1, 1)?,
            end: NaiveDate::from_ymd_opt(y, 12, 31)?,
        })
    }
}

/// Resolve a point phrase ("January 4", "October", "last October", "2014", "Friday").
fn resolve_point(s: &str, pubd: NaiveDate, tense: Tense) -> Option<Point> {
    let s = s.trim();
    let lower = s.to_lowercase();
    let (last, rest) = match lower.strip_prefix("last ") {
        Some(r) => (true, &s[s.len() - r.len()..]),
        None => (false, s),
    };
    let rest = rest
        .trim_start_matches("early ")
        .trim_start_matches("late ")
        .trim_start_matches("mid-");
    if rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit()) {
        return Point::year(rest.parse().ok()?);
    }
    if let Some((m, d, y)) = month_day(rest) {
        let date = match y {
            Some(y) => NaiveDate::from_ymd_opt(y, m, d)?,
            None => resolve_md(pubd, m, d, tense)?,
        };
        return Some(Point::day(date));
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    if let Some(m) = words.first().and_then(|w| month_number(w)) {
        if let Some(y) = words.get(1).and_then(|w| w.parse::<i32>().ok()) {
            return Point::month(y, m);
        }
        let (y, mm) = if last {
            if m < pubd.month() {
                (pubd.year(), m)
            } else {
                (pubd.year() - 1, m)
            }
        } else {
            resolve_month(pubd, m, tense)
        };
        return Point::month(y, mm);
    }
    if let Some(wd) = words.first().and_then(|w| weekday_number(w)) {
        return Some(Point::day(resolve_weekday(pubd, wd, tense)));
    }
    None
}

fn sub_units(d: NaiveDate, n: u32, unit: &str) -> Option<NaiveDate> {
    match unit.trim_end_matches('s') {
        "day" => d.checked_sub_days(Days::new(n as u64)),
        "week" => d.checked_sub_days(Days::new(7 * n as u64)),
        "month" => d.checked_sub_months(Months::new(n)),
        "year" => d.checked_sub_months(Months::new(12 * n)),
        _ => None,
    }
}

/// Whether the text just before a bare month name makes it a date ("in March", "last May").
fn month_context_ok(sentence: &str, start: usize, m_text: &str, end: usize) -> bool {
    let before = sentence[..start].trim_end();
    let prev = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_lowercase();
    let after = sentence[end..].trim_start();
    let next_is_year = after.chars().take(4).all(|c| c.is_ascii_digit()) && after.len() >= 4;
    let risky = matches!(
        m_text.trim_end_matches('.'),
        "May" | "March" | "Mar" | "Jan" | "Dec" | "Aug" | "Sept"
    );
    let prep = matches!(
        prev.as_str(),
        "in" | "since"
            | "until"
            | "till"
            | "by"
            | "during"
            | "from"
            | "of"
            | "early"
            | "late"
            | "mid"
            | "through"
            | "before"
            | "after"
            | "last"
            | "next"
            | "this"
            | "throughout"
            | "around"
    );
    // "the October protest movement": a month before a lower-case word names when something was.
    let modifier = prev == "the" && after.starts_with(|c: char| c.is_ascii_lowercase());
    prep || next_is_year || (!risky && (prev != "the" || modifier))
}

/// Find and resolve the time expressions of `sentence` (its byte offset in the text is `base`),
/// published on `published`.
pub fn find_times(sentence: &str, base: usize, published: NaiveDate) -> Vec<TimeExpr> {
    let anchors = Anchors::of(sentence);
    if anchors == Anchors::default() {
        return Vec::new();
    }
    find_times_with(sentence, base, published, anchors)
}

fn find_times_with(
    sentence: &str,
    base: usize,
    published: NaiveDate,
    anchors: Anchors,
) -> Vec<TimeExpr> {
    let mut cands: Vec<(usize, usize, Kind, usize)> = Vec::new();
    for (pi, p) in PATS.iter().enumerate() {
        if !anchors.may_match(p.kind) {
            continue;
        }
        for m in p.re.find_iter(sentence) {
            cands.push((m.start(), m.end(), p.kind, pi));
        }
    }
    // Longest first, then earliest pattern; keep non-overlapping.
    cands.sort_by_key(|c| (std::cmp::Reverse(c.1 - c.0), c.3, c.0));
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    for (s, e, kind, pi) in cands {
        if taken.iter().any(|&(a, b)| s < b && a < e) {
            continue;
        }
        if let Some(t) = resolve(sentence, s, e, kind, &PATS[pi].re, published) {
            taken.push((s, e));
            let (ts, te) = (t.0, t.1);
            out.push(TimeExpr {
                span: Span(base + ts, base + te),
                value: t.2,
                precision: t.3,
                end: t.4,
            });
        }
    }
    out.sort_by_key(|t| t.span.0);
    out
}

/// The words some pattern cannot match without, found in one pass over the sentence, so that
/// `find_times` runs only the patterns that can match (most sentences hold no time expression,
/// and running all the patterns over every sentence was a tenth of the pipeline's time). Each
/// bit is a superset of what its patterns need: the words are found case-insensitively and
/// inside longer words ("Monday" also sets `UNIT`, "market" sets `MONTH` when capitalised).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Anchors(u16);

impl Anchors {
    const DIGIT: u16 = 1;
    const MONTH: u16 = 1 << 1;
    const WEEKDAY: u16 = 1 << 2;
    /// day, week, month, year (durations, "ago", "last week").
    const UNIT: u16 = 1 << 3;
    /// yesterday, today, tonight, tomorrow, night, morning, afternoon, evening.
    const RELATIVE: u16 = 1 << 4;
    const HOLIDAY: u16 = 1 << 5;
    /// between, from (ranges).
    const RANGE: u16 = 1 << 6;
    const SINCE: u16 = 1 << 7;
    const AGO: u16 = 1 << 8;
    /// for, past, last (durations).
    const DURATION: u16 = 1 << 9;
    /// this, last, next, earlier, later, over (periods and "last Friday").
    const DEICTIC: u16 = 1 << 10;
    /// Every anchor: no pattern skipped.
    #[cfg(test)]
    const ALL: Anchors = Anchors((1 << 11) - 1);

    fn of(sentence: &str) -> Anchors {
        let mut a = if sentence.bytes().any(|b| b.is_ascii_digit()) {
            Anchors::DIGIT
        } else {
            0
        };
        let (ac, bits) = &*ANCHORS;
        // Overlapping search: "Monday" is a weekday and holds the unit "day".
        for m in ac.find_overlapping_iter(sentence) {
            let bit = bits[m.pattern().as_usize()];
            // Month and weekday names are matched case-sensitively by the patterns, and every
            // one of them starts with a capital.
            let cased = bit & (Anchors::MONTH | Anchors::WEEKDAY) != 0;
            if !cased || sentence.as_bytes()[m.start()].is_ascii_uppercase() {
                a |= bit;
            }
        }
        Anchors(a)
    }

    /// Whether a pattern of `kind` can match a sentence with these anchors: it needs every bit
    /// of `all` and, when `any` is not empty, one bit of `any`.
    fn may_match(&self, kind: Kind) -> bool {
        const POINT: u16 = Anchors::DIGIT | Anchors::MONTH | Anchors::WEEKDAY;
        let (all, any) = match kind {
            Kind::Between => (Anchors::RANGE, POINT),
            Kind::Since => (Anchors::SINCE, POINT),
            Kind::Duration => (Anchors::DURATION | Anchors::UNIT, 0),
            Kind::Ago => (Anchors::AGO | Anchors::UNIT, 0),
            Kind::Period => (Anchors::DEICTIC | Anchors::UNIT, 0),
            Kind::FullDate | Kind::MonthYear => (Anchors::MONTH | Anchors::DIGIT, 0),
            Kind::Iso | Kind::Numeric | Kind::Year => (Anchors::DIGIT, 0),
            Kind::Relative => (Anchors::RELATIVE, 0),
            Kind::LastNextWeekday => (Anchors::DEICTIC | Anchors::WEEKDAY, 0),
            Kind::Weekday => (Anchors::WEEKDAY, 0),
            Kind::LastNextMonth => (Anchors::DEICTIC | Anchors::MONTH, 0),
            Kind::BareMonth => (Anchors::MONTH, 0),
            Kind::Holiday => (Anchors::HOLIDAY, 0),
        };
        self.0 & all == all && (any == 0 || self.0 & any != 0)
    }
}

/// The anchor words and the bit each sets.
static ANCHORS: LazyLock<(AhoCorasick, Vec<u16>)> = LazyLock::new(|| {
    const MONTHS: &[&str] = &[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ];
    const WEEKDAYS: &[&str] = &[
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let groups: &[(&[&str], u16)] = &[
        (MONTHS, Anchors::MONTH),
        (WEEKDAYS, Anchors::WEEKDAY),
        (&["day", "week", "month", "year"], Anchors::UNIT),
        (
            &[
                "yesterday",
                "today",
                "tonight",
                "tomorrow",
                "night",
                "morning",
                "afternoon",
                "evening",
            ],
            Anchors::RELATIVE,
        ),
        (&["Christmas", "New Year"], Anchors::HOLIDAY),
        (&["between", "from"], Anchors::RANGE),
        (&["since"], Anchors::SINCE),
        (&["ago"], Anchors::AGO),
        (&["for", "past", "last"], Anchors::DURATION),
        (
            &["this", "last", "next", "earlier", "later", "over"],
            Anchors::DEICTIC,
        ),
    ];
    let words: Vec<(&str, u16)> = groups
        .iter()
        .flat_map(|&(ws, bit)| ws.iter().map(move |&w| (w, bit)))
        .collect();
    let ac = aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(words.iter().map(|w| w.0))
        .expect("valid anchor words");
    (ac, words.into_iter().map(|w| w.1).collect())
});

type Resolved = (usize, usize, String, Precision, Option<String>);

fn range(s: usize, e: usize, a: NaiveDate, b: NaiveDate) -> Option<Resolved> {
    Some((s, e, day(a), Precision::Range, Some(day(b))))
}

fn resolve(
    sentence: &str,
    s: usize,
    e: usize,
    kind: Kind,
    re: &Regex,
    pubd: NaiveDate,
) -> Option<Resolved> {
    let text = &sentence[s..e];
    // Only some kinds need the tense: worked out when asked.
    let tense = || tense_of(sentence, s, e);
    let caps = re.captures(text)?;
    match kind {
        Kind::Between => {
            let (a, b) = match (
                caps.name("a"),
                caps.name("b"),
                caps.name("c"),
                caps.name("d"),
            ) {
                (Some(a), Some(b), _, _) | (_, _, Some(a), Some(b)) => (a.as_str(), b.as_str()),
                _ => return None,
            };
            // "between 12 and 14 November": the first side borrows the second's month.
            let pb = resolve_point(b, pubd, tense())?;
            let pa = if a.len() <= 4
                && !(a.len() == 4 && a.bytes().all(|b| b.is_ascii_digit()))
                && a.chars().next()?.is_ascii_digit()
            {
                let d: u32 = a
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect::<String>()
                    .parse()
                    .ok()?;
                Point::day(NaiveDate::from_ymd_opt(
                    pb.start.year(),
                    pb.start.month(),
                    d,
                )?)
            } else {
                let mut pa = resolve_point(a, pubd, tense())?;
                // Without years, the first side lies on or before the second.
                if pa.start > pb.start && !a.chars().any(|c| c.is_ascii_digit() && a.len() > 6) {
                    pa.start = pa.start.checked_sub_months(Months::new(12))?;
                    pa.end = pa.end.checked_sub_months(Months::new(12))?;
                }
                pa
            };
            if pa.start > pb.end {
                return None;
            }
            range(s, e, pa.start, pb.end)
        }
        Kind::Since => {
            let x = caps.name("x")?.as_str();
            if let Some(w) = x.split_whitespace().next() {
                if month_number(w).is_some()
                    && x.split_whitespace().count() == 1
                    && !month_context_ok(sentence, s + text.len() - x.len(), x, e)
                {
                    return None;
                }
            }
            let p = resolve_point(x, pubd, Tense::Past)?;
            if p.start > pubd {
                return None;
            }
            range(s, e, p.start, pubd)
        }
        Kind::Duration => {
            let (n, u) = match (caps.name("n"), caps.name("u"), caps.name("u1")) {
                (Some(n), Some(u), _) => (num_value(n.as_str())?, u.as_str()),
                (_, _, Some(u1)) => (1, u1.as_str()),
                _ => return None,
            };
            // "for four days of strikes" is no duration ending now; "for years" has no number.
            let start = sub_units(pubd, n, u)?;
            range(s, e, start, pubd)
        }
        Kind::Ago => {
            let n = num_value(caps.name("n")?.as_str())?;
            let u = caps.name("u")?.as_str();
            Some((s, e, day(sub_units(pubd, n, u)?), Precision::Day, None))
        }
        Kind::FullDate => {
            let (m, d, y) = month_day(text)?;
            let date = match y {
                Some(y) => NaiveDate::from_ymd_opt(y, m, d)?,
                None => resolve_md(pubd, m, d, tense())?,
            };
            // A named weekday must agree with the date.
            if let Some(w) = text.split([',', ' ']).next().and_then(weekday_number) {
                if date.weekday().num_days_from_monday() != w && y.is_some() {
                    return None;
                }
            }
            Some((s, e, day(date), Precision::Day, None))
        }
        Kind::Iso => {
            let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            Some((s, e, day(d), Precision::Day, None))
        }
        Kind::Numeric => {
            let parts: Vec<u32> = text.split('/').filter_map(|p| p.parse().ok()).collect();
            let (a, b, y) = (parts[0], parts[1], parts[2] as i32);
            let d = if a > 12 && b <= 12 {
                NaiveDate::from_ymd_opt(y, b, a)?
            } else if (b > 12 && a <= 12) || a == b {
                NaiveDate::from_ymd_opt(y, a, b)?
            } else {
                return None;
            };
            Some((s, e, day(d), Precision::Day, None))
        }
        Kind::MonthYear => {
            let words: Vec<&str> = text
                .split_whitespace()
                .filter(|w| !matches!(*w, "early" | "late" | "of"))
                .collect();
            let m = words
                .iter()
                .find_map(|w| month_number(w.trim_start_matches("mid-")))?;
            let y: i32 = words.last()?.parse().ok()?;
            Some((s, e, month_str(y, m), Precision::Month, None))
        }
        Kind::Relative => {
            let l = text.to_lowercase();
            let d = if l.starts_with("the day before") {
                pubd - Days::new(2)
            } else if l.starts_with("the day after") {
                pubd + Days::new(2)
            } else if l.starts_with("yesterday") || l.starts_with("last night") {
                pubd - Days::new(1)
            } else if l.starts_with("tomorrow") {
                pubd + Days::new(1)
            } else {
                pubd
            };
            Some((s, e, day(d), Precision::Day, None))
        }
        Kind::Period => {
            let l = text.to_lowercase();
            if l == "over the weekend" {
                // The most recent Saturday strictly before the publication date, and its Sunday.
                let cur = pubd.weekday().num_days_from_monday();
                let back = if cur == 6 { 1 } else { (cur + 7 - 5) % 7 };
                let back = if back == 0 { 7 } else { back };
                let sat = pubd - Days::new(back as u64);
                return range(s, e, sat, sat + Days::new(1));
            }
            if let (Some(el), Some(u)) = (caps.name("el"), caps.name("u1")) {
                let earlier = el.as_str().eq_ignore_ascii_case("earlier");
                let (a, b) = match u.as_str() {
                    "week" => (monday_of(pubd), monday_of(pubd) + Days::new(6)),
                    "month" => (
                        pubd.with_day(1)?,
                        last_day_of_month(pubd.year(), pubd.month()),
                    ),
                    _ => (
                        NaiveDate::from_ymd_opt(pubd.year(), 1, 1)?,
                        NaiveDate::from_ymd_opt(pubd.year(), 12, 31)?,
                    ),
                };
                return if earlier {
                    range(s, e, a, pubd)
                } else {
                    range(s, e, pubd, b)
                };
            }
            let w = caps.name("w")?.as_str().to_lowercase();
            let u = caps.name("u2")?.as_str();
            let shift: i64 = match w.as_str() {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
            match u {
                "week" | "weekend" => {
                    let mon = monday_of(pubd);
                    let mon = if shift < 0 {
                        mon - Days::new(7)
                    } else if shift > 0 {
                        mon + Days::new(7)
                    } else {
                        mon
                    };
                    if u == "week" {
                        range(s, e, mon, mon + Days::new(6))
                    } else {
                        range(s, e, mon + Days::new(5), mon + Days::new(6))
                    }
                }
                "month" => {
                    let d = pubd.with_day(1)?;
                    let d = if shift < 0 {
                        d.checked_sub_months(Months::new(1))?
                    } else if shift > 0 {
                        d.checked_add_months(Months::new(1))?
                    } else {
                        d
                    };
                    Some((s, e, month_str(d.year(), d.month()), Precision::Month, None))
                }
                _ => Some((
                    s,
                    e,
                    format!("{:04}", pubd.year() + shift as i32),
                    Precision::Year,
                    None,
                )),
            }
        }
        Kind::LastNextWeekday => {
            let w = caps.name("w")?.as_str().to_lowercase();
            let wd = weekday_number(caps.name("d")?.as_str())?;
            let mon = monday_of(pubd);
            let week = match w.as_str() {
                "last" => mon - Days::new(7),
                "next" => mon + Days::new(7),
                _ => mon,
            };
            Some((s, e, day(week + Days::new(wd as u64)), Precision::Day, None))
        }
        Kind::LastNextMonth => {
            let w = caps.name("w")?.as_str().to_lowercase();
            let m = month_number(caps.name("m")?.as_str())?;
            let y = match w.as_str() {
                "last" => {
                    if m < pubd.month() {
                        pubd.year()
                    } else {
                        pubd.year() - 1
                    }
                }
                "next" => {
                    if m > pubd.month() {
                        pubd.year()
                    } else {
                        pubd.year() + 1
                    }
                }
                _ => pubd.year(),
            };
            Some((s, e, month_str(y, m), Precision::Month, None))
        }
        Kind::BareMonth => {
            let m_text = caps.name("m")?.as_str();
            if !month_context_ok(sentence, s, m_text, e) {
                return None;
            }
            // "Grace May", "April Nolan": a capitalised word right after makes it a name.
            let after = sentence[e..].trim_start();
            if after.chars().next().is_some_and(|c| c.is_uppercase()) && !after.starts_with("I ") {
                return None;
            }
            let before = sentence[..s].trim_end();
            if before.chars().next_back().is_some_and(|c| c.is_uppercase())
                && !before.ends_with('.')
            {
                return None;
            }
            let m = month_number(m_text)?;
            let (y, mm) = resolve_month(pubd, m, tense());
            Some((s, e, month_str(y, mm), Precision::Month, None))
        }
        Kind::Weekday => {
            let wd = weekday_number(caps.name("d")?.as_str())?;
            // "Sunday Times", "Bloody Sunday", "Good Friday": part of a name.
            let after = sentence[e..].trim_start();
            let before = sentence[..s].trim_end();
            let prev = before.rsplit(' ').next().unwrap_or("");
            // "on Sunday Presidents Buhari and Talon signed": after "on" a capitalised word
            // starts the clause's subject, unless it names a paper ("on Sunday Times").
            let on_day = matches!(prev, "on" | "On")
                && ![
                    "Times",
                    "Telegraph",
                    "Express",
                    "Mail",
                    "Mirror",
                    "Herald",
                    "Post",
                ]
                .iter()
                .any(|n| after.starts_with(n));
            if after.starts_with(|c: char| c.is_uppercase()) && !on_day
                || matches!(
                    prev,
                    "Bloody"
                        | "Good"
                        | "Black"
                        | "Holy"
                        | "Easter"
                        | "Palm"
                        | "Super"
                        | "Sheffield"
                        | "Mail"
                        | "every"
                        | "Every"
                )
                || before.ends_with("on the") && after.starts_with("prayers")
            {
                return None;
            }
            // "early Wednesday", "late Thursday" keep their qualifier in the text.
            let s = ["early ", "late ", "Early ", "Late "]
                .iter()
                .find(|q| sentence[..s].ends_with(*q))
                .map_or(s, |q| s - q.len());
            Some((
                s,
                e,
                day(resolve_weekday(pubd, wd, tense())),
                Precision::Day,
                None,
            ))
        }
        Kind::Year => {
            // A year, not a count: no "$", no "No."/"Article"/"Flight" before, no count noun after.
            let before = sentence[..s].trim_end();
            // The checks below read at most the first 12 bytes after the year.
            let rest = sentence[e..].trim_start();
            let mut cut = rest.len().min(16);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            let after = rest[..cut].to_lowercase();
            let prev = before.rsplit(' ').next().unwrap_or("").to_lowercase();
            if before.ends_with(['$', '€', '£', '#', ',', '-', '/', '.'])
                || sentence[e..].starts_with([',', '.'])
                    && sentence[e..]
                        .chars()
                        .nth(1)
                        .is_some_and(|c| c.is_ascii_digit())
                || matches!(
                    prev.as_str(),
                    "no."
                        | "article"
                        | "resolution"
                        | "flight"
                        | "route"
                        | "room"
                        | "number"
                        | "bill"
                        | "section"
                        | "about"
                        | "around"
                        | "some"
                        | "nearly"
                        | "than"
                        | "of"
                        | "and"
                        | "to"
                ) && !matches!(prev.as_str(), "of")
                || after.starts_with("people")
                || after.starts_with("troops")
                || after.starts_with("soldiers")
                || after.starts_with("votes")
                || after.starts_with("members")
                || after.starts_with("pennsylvania")
                || after.starts_with("percent")
                || after.starts_with('%')
            {
                return None;
            }
            Some((s, e, text.to_string(), Precision::Year, None))
        }
        Kind::Holiday => {
            let l = text.to_lowercase();
            let (m, d) = if l.starts_with("christmas day") {
                (12, 25)
            } else if l.starts_with("christmas eve") {
                (12, 24)
            } else if l.contains("day") {
                (1, 1)
            } else {
                (12, 31)
            };
            let y: Option<i32> = text.split([' ', ',']).filter_map(|w| w.parse().ok()).next();
            let date = match y {
                Some(y) => NaiveDate::from_ymd_opt(y, m, d)?,
                None => resolve_md(pubd, m, d, tense())?,
            };
            Some((s, e, day(date), Precision::Day, None))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str, published: &str) -> Vec<(String, String, Option<String>)> {
        let p = NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
        find_times(s, 0, p)
            .into_iter()
            .map(|x| (x.span.slice(s).to_string(), x.value, x.end))
            .collect()
    }

    /// Every anchor set: what `find_times` finds when no pattern is skipped.
    fn ungated(s: &str, p: NaiveDate) -> Vec<TimeExpr> {
        find_times_with(s, 0, p, Anchors::ALL)
    }

    #[test]
    fn skipping_patterns_by_anchor_words_changes_nothing_on_the_time_gold() {
        let gold = include_str!("../../../gold/time-expressions.jsonl");
        let mut n = 0;
        for line in gold.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let s = v["sentence"].as_str().unwrap();
            let p =
                NaiveDate::parse_from_str(v["published"].as_str().unwrap(), "%Y-%m-%d").unwrap();
            assert_eq!(find_times(s, 0, p), ungated(s, p), "{s}");
            n += 1;
        }
        assert!(n >= 300, "{n} gold sentences");
    }

    proptest::proptest! {
        #[test]
        fn skipping_patterns_changes_nothing_on_made_up_sentences(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "on", "Monday", "monday", "May", "may", "last", "Last", "next", "week", "weekend",
                "three", "days", "ago", "for", "the", "past", "2019", "3", "12/4/2020",
                "2020-01-03", "since", "Since", "between", "and", "from", "to", "Jan.", "Sept.",
                "mid-", "early", "Christmas", "Day", "New", "Year's", "Eve", "yesterday",
                "Tonight", "this", "morning", "night", "earlier", "month", "year", "of", ",", "Between", "From", "until", "through", "Over", "later", "Next", "Ago", "FOR", "Past",
                "March", "march", "protesters", "Friday's", "4th",
            ]), 0..14)
        ) {
            let s = words.join(" ");
            let p = NaiveDate::from_ymd_opt(2020, 1, 25).unwrap();
            proptest::prop_assert_eq!(find_times(&s, 0, p), ungated(&s, p));
        }
    }

    #[test]
    fn the_seed_fridays_are_not_a_week_early() {
        // Published Friday 2020-01-24: "the Friday rally" and "On Friday" are that day.
        assert_eq!(
            t(
                "Those calls were renewed during the Friday rally in Jadriya.",
                "2020-01-24"
            )[0]
            .1,
            "2020-01-24"
        );
        assert_eq!(
            t(
                "On Wednesday, Iraqi President Barham Saleh met US President Donald Trump.",
                "2020-01-24"
            )[0]
            .1,
            "2020-01-22"
        );
        assert_eq!(
            t(
                "The US military drone attack on January 3 also killed him.",
                "2020-01-24"
            )[0]
            .1,
            "2020-01-03"
        );
    }

    #[test]
    fn false_dates_are_left_alone() {
        for s in [
            "They called for a march of a million men.",
            "Troops may leave soon.",
            "We want to restore our sovereignty.",
            "Mohammed Jasim al-Kinani, 55, spoke.",
            "including 5,200 US troops",
            "The Sunday Times reported it.",
        ] {
            assert!(
                t(s, "2020-01-24").is_empty(),
                "{s}: {:?}",
                t(s, "2020-01-24")
            );
        }
    }

    #[test]
    fn ranges_durations_and_relative_dates() {
        assert_eq!(
            t(
                "since the demonstrations started last October",
                "2020-01-24"
            )
            .len(),
            1
        );
        let since = t("protests since last October", "2020-01-24");
        assert_eq!(
            since[0],
            (
                "since last October".into(),
                "2019-10-01".into(),
                Some("2020-01-24".into())
            )
        );
        let four = t(
            "has taken over the capital for nearly four months",
            "2020-01-24",
        );
        assert_eq!(four[0].1, "2019-09-24");
        assert_eq!(t("talks two days ago", "2020-01-24")[0].1, "2020-01-22");
        assert_eq!(
            t("They will meet on Monday.", "2020-01-24")[0].1,
            "2020-01-27"
        );
        assert_eq!(
            t("between January 4 and February 7", "2020-03-01")[0]
                .2
                .as_deref(),
            Some("2020-02-07")
        );
        assert_eq!(t("last week", "2020-01-24")[0].1, "2020-01-13");
    }

    #[test]
    fn on_weekday_before_a_name_and_month_modifiers() {
        let on = t(
            "Delegates gathered for a summit where on Sunday Presidents Ali and Omar signed the pact.",
            "2021-03-10",
        );
        assert_eq!(on[0].0, "Sunday");
        assert_eq!(on[0].1, "2021-03-07");
        assert!(t("The story ran on Sunday Times pages.", "2021-03-10").is_empty());
        let oct = t("She said the October uprising was different.", "2021-03-10");
        assert_eq!(oct[0].1, "2020-10");
        let earlier = t(
            "The bloc fined the company earlier in the month over its accounts.",
            "2021-03-10",
        );
        assert_eq!(
            earlier[0],
            (
                "earlier in the month".into(),
                "2021-03-01".into(),
                Some("2021-03-10".into())
            )
        );
    }
}
