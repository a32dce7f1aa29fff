//! Layout: cut the cleaned text into blocks (body, heading, caption, byline, boilerplate), and read
//! the dateline ("BAGHDAD, Iraq –") and the date line ("Friday, January 4, 2019").
//!
//! Blocks are paragraphs: text between blank lines, or lines when the text has no blank lines. A
//! block's kind is decided from its own shape (a credit in brackets makes a caption; a short line
//! without final punctuation a heading), never from a later stage.

use crate::model::{Block, BlockKind, Dateline, Span};
use crate::time::parse_full_date;
use regex::Regex;
use std::sync::LazyLock;

/// The layout of one article.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub blocks: Vec<Block>,
    pub dateline: Option<Dateline>,
    /// The date of a line that holds only a date (Wikinews puts one first), `YYYY-MM-DD`.
    pub date_line: Option<String>,
}

/// Cut `text` into classified blocks and read its dateline and date line.
pub fn layout(text: &str) -> Layout {
    let spans = paragraph_spans(text);
    let mut blocks = Vec::with_capacity(spans.len());
    let mut date_line = None;
    let mut dateline = None;
    let mut seen_body = false;
    for (i, span) in spans.iter().enumerate() {
        let t = span.slice(text);
        let mut kind = classify(t, i == 0);
        if kind == BlockKind::Byline && date_line.is_none() && !seen_body {
            if let Some(d) = parse_full_date(t.trim()) {
                date_line = Some(d);
            }
        }
        if kind == BlockKind::Body && !seen_body {
            seen_body = true;
            if let Some(d) = read_dateline(t) {
                dateline = Some(Dateline {
                    text: d.text.to_string(),
                    place: None,
                    span: Span(span.0 + d.start, span.0 + d.start + d.text.len()),
                    date: d.date,
                });
            }
        }
        // A heading-shaped first line before any body is the title; keep it a heading.
        if kind == BlockKind::Heading && i + 1 == spans.len() && !seen_body {
            kind = BlockKind::Body;
        }
        blocks.push(Block { span: *span, kind });
    }
    Layout {
        blocks,
        dateline,
        date_line,
    }
}

/// Paragraph spans: split at blank lines; if there are none, at line ends. A date line or byline
/// that shares a paragraph with the text after it (one line break apart) is a block of its own.
fn paragraph_spans(text: &str) -> Vec<Span> {
    let sep = if text.contains("\n\n") { "\n\n" } else { "\n" };
    let mut out = Vec::new();
    let mut start = 0;
    for part in text.split(sep) {
        let end = start + part.len();
        let lead = part.len() - part.trim_start().len();
        let trail = part.len() - part.trim_end().len();
        if end - trail > start + lead {
            let (s, e) = (start + lead, end - trail);
            match text[s..e].find('\n') {
                Some(nl) if is_standalone_first_line(&text[s..s + nl]) => {
                    out.push(Span(s, s + nl));
                    out.push(Span(s + nl + 1, e));
                }
                _ => out.push(Span(s, e)),
            }
        }
        start = end + sep.len();
    }
    out
}

fn is_standalone_first_line(line: &str) -> bool {
    let line = line.trim();
    parse_full_date(line).is_some() || (line.len() < 120 && BYLINE.is_match(line))
}

static CREDIT_BRACKETS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)[(\[]\s*(?:
            [^()\[\]/]{2,60}\s?/\s?[^()\[\]]{2,60}                # (Emma Francis / Al Jazeera)
          | (?:AP|AFP|Reuters|Getty\ Images|EPA|Xinhua|Anadolu|Bloomberg|AP\ Photo)[^()\[\]]{0,60}
          | (?:Photo|Picture|Image|Credit|Photograph)s?\b[^()\[\]]{0,80}
        )[)\]]\s*[.]?\s*$",
    )
    .expect("valid regex")
});

static CREDIT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[.!?)]\s+)(?:image|photo|photograph|picture|credit|video)s?\s*(?:credit)?\s*:\s*[^\n]{1,120}$")
        .expect("valid regex")
});

static CAPTION_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:photo|pictured|above|file photo|caption)\s*[:\-–]").expect("valid regex")
});

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:By|BY|Written by|Reporting by|Story by)\s+\p{Lu}[\p{L}.'’\-]+(?:\s+(?:\p{Lu}[\p{L}.'’\-]*|and|&|de|van|von|al-\p{L}+))*\s*(?:[,|–—-]\s*[^\n]{0,60})?$",
    )
    .expect("valid regex")
});

static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            related\ (?:news|articles|stories|coverage) | sources? | external\ links | see\ also
          | share\ (?:this|on)\b.* | advertisement | (?:read|see)\ more\b.* | click\ here\b.*
          | sign\ up\b.* | subscribe\b.* | follow\ us\b.* | all\ rights\ reserved.* | ©.* | copyright\ .*
          | this\ (?:article|story)\ (?:is|was)\ (?:published|updated|first)\b.*
          | (?:https?://|www\.)\S+
          | [\-–—_=*•·|\s]+
          | [█■▪●◼⬛]\s*[^\n]{0,60}
        )\s*[.:]?\s*$",
    )
    .expect("valid regex")
});

/// Decide a block's kind from its text.
pub fn classify(t: &str, first: bool) -> BlockKind {
    let t = t.trim();
    if parse_full_date(t).is_some() {
        return BlockKind::Byline;
    }
    if BOILERPLATE.is_match(t) || looks_like_table(t) {
        return BlockKind::Boilerplate;
    }
    if t.len() < 400
        && ((ends_in_bracket(t) && CREDIT_BRACKETS.is_match(t))
            || (t.contains(':') && CREDIT_LABEL.is_match(t))
            || CAPTION_START.is_match(t))
    {
        return BlockKind::Caption;
    }
    if t.len() < 120 && BYLINE.is_match(t) {
        return BlockKind::Byline;
    }
    if is_heading(t, first) {
        return BlockKind::Heading;
    }
    BlockKind::Body
}

/// Whether `t` ends with a closing bracket, perhaps then a full stop: what `CREDIT_BRACKETS`
/// needs at its end. Checked first because those end-anchored patterns otherwise scan every
/// paragraph backwards.
fn ends_in_bracket(t: &str) -> bool {
    let t = t.trim_end();
    let t = t.strip_suffix('.').unwrap_or(t).trim_end();
    t.ends_with([')', ']'])
}

fn looks_like_table(t: &str) -> bool {
    let pipes = t.matches('|').count();
    let tabs = t.matches('\t').count();
    pipes >= 3 || tabs >= 3
}

/// A short, title-like line without final punctuation.
fn is_heading(t: &str, _first: bool) -> bool {
    if t.contains('\n') || t.len() > 110 {
        return false;
    }
    let stripped = t.trim_matches(|c: char| "'\"‘’“”«»".contains(c)).trim();
    let words = stripped.split_whitespace().count();
    if words == 0 || words > 14 {
        return false;
    }
    let last = stripped.chars().last().unwrap_or('.');
    if ".!?,;:…".contains(last) {
        return false;
    }
    let first_char = stripped.chars().next().unwrap_or('a');
    first_char.is_uppercase() || first_char.is_numeric()
}

struct DatelineMatch<'a> {
    start: usize,
    text: &'a str,
    date: Option<String>,
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^
        (?P<place>
            \p{Lu}[\p{L}.'’\-]*(?:\ \p{Lu}[\p{L}.'’\-]*){0,3}          # BAGHDAD, New York, Washington D.C.
            (?:,\ \p{Lu}[\p{L}.'’\-]*(?:\ \p{Lu}[\p{L}.'’\-]*){0,3})?   # , Iraq
        )
        (?:,?\ (?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\ \d{1,2}(?:,\ \d{4})?))?
        \s*(?:\((?P<agency>[\p{L}\ .&]{2,30})\))?
        \s*[–—]\s|^
        (?P<place2>\p{Lu}[\p{L}.'’\-]*(?:\ \p{Lu}[\p{L}.'’\-]*){0,3}(?:,\ \p{Lu}[\p{L}.'’\-]*(?:\ \p{Lu}[\p{L}.'’\-]*){0,3})?)
        \s*(?:\((?P<agency2>[\p{L}\ .&]{2,30})\))?\s+-{1,2}\s",
    )
    .expect("valid regex")
});

/// Read a dateline at the start of the first body paragraph.
fn read_dateline(t: &str) -> Option<DatelineMatch<'_>> {
    // A dateline's dash comes within its first 27 words (8 of place, 3 of date, 15 of agency, the
    // dash): paragraphs without one there skip the capturing search, which runs the regex's
    // slowest engine.
    let dash_early = t
        .split_whitespace()
        .take(32)
        .any(|w| w.ends_with(['–', '—']) || w == "-" || w == "--");
    if !dash_early {
        return None;
    }
    let caps = DATELINE.captures(t)?;
    let place = caps.name("place").or_else(|| caps.name("place2"))?;
    // A dateline's place is short and not a sentence start such as "But" or "The".
    let first_word = place.as_str().split([' ', ',']).next().unwrap_or("");
    if [
        "The", "A", "An", "But", "And", "In", "On", "At", "It", "He", "She", "They", "We",
    ]
    .contains(&first_word)
    {
        return None;
    }
    let date = caps
        .name("date")
        .and_then(|d| crate::time::parse_month_day(d.as_str()));
    Some(DatelineMatch {
        start: place.start(),
        text: place.as_str(),
        date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(BlockKind, String)> {
        let l = layout(text);
        l.blocks
            .iter()
            .map(|b| (b.kind, b.span.slice(text).chars().take(20).collect()))
            .collect()
    }

    #[test]
    fn datelines_of_several_styles() {
        for (t, want) in [
            (
                "Baghdad, Iraq \u{2013} While thousands marched, police watched.",
                "Baghdad, Iraq",
            ),
            ("LONDON (Reuters) - Britain said it would leave.", "LONDON"),
            (
                "NAIROBI, Kenya \u{2014} Teachers went on strike.",
                "NAIROBI, Kenya",
            ),
            ("WASHINGTON \u{2014} The Senate voted.", "WASHINGTON"),
            ("BEIRUT\u{2014} Banks stayed shut.", "BEIRUT"),
            (
                "CAIRO, Egypt, Jan. 3, 2020 (Nile News Agency) \u{2014} Bread prices rose.",
                "CAIRO, Egypt",
            ),
        ] {
            let l = layout(t);
            assert_eq!(l.dateline.map(|d| d.text), Some(want.to_string()), "{t}");
        }
        assert!(
            layout("The minister said on Monday - in a statement - that")
                .dateline
                .is_none()
        );
    }

    #[test]
    fn wikinews_date_line_is_a_byline_with_the_date() {
        let t = "Friday, January 4, 2019\n\nAn apartment building collapsed on Monday.";
        let l = layout(t);
        assert_eq!(l.date_line.as_deref(), Some("2019-01-04"));
        assert_eq!(l.blocks[0].kind, BlockKind::Byline);
        assert_eq!(l.blocks[1].kind, BlockKind::Body);
    }

    #[test]
    fn credits_in_brackets_or_after_a_label_make_captions() {
        for t in [
            "Riot police outside the court (Jane Roe / Example News).",
            "Riot police outside the court [Photo: Example News] ",
            "Riot police outside the court. Photo credit: Jane Roe",
        ] {
            assert_eq!(classify(t, false), BlockKind::Caption, "{t}");
        }
        for t in [
            "Police said (in a statement) that the court was closed.",
            "The court said: the hearing is closed.",
        ] {
            assert_eq!(classify(t, false), BlockKind::Body, "{t}");
        }
    }

    #[test]
    fn captions_headings_and_boilerplate() {
        let t = "Soldiers rallied in the city on Friday.\n\n\
                 A soldier stands on a roof above the rally (Jane Roe / Example News)\n\n\
                 Range of protest movements\n\n\
                 Stage where speeches were given. Image: J. Doe.\n\n\
                 Related news\n\n\
                 By Jane Roe and John Doe\n\n\
                 The crowd later dispersed, police said.";
        let k: Vec<BlockKind> = kinds(t).into_iter().map(|x| x.0).collect();
        assert_eq!(
            k,
            vec![
                BlockKind::Body,
                BlockKind::Caption,
                BlockKind::Heading,
                BlockKind::Caption,
                BlockKind::Boilerplate,
                BlockKind::Byline,
                BlockKind::Body
            ]
        );
    }

    #[test]
    fn quoted_heading_is_a_heading_and_a_quote_paragraph_is_body() {
        assert_eq!(
            classify("'Get rid of American troops'", false),
            BlockKind::Heading
        );
        assert_eq!(
            classify("\u{201C}We want to restore our sovereignty.\u{201D}", false),
            BlockKind::Body
        );
    }
}
