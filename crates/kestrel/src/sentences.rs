//! Sentence spans inside each block, surviving abbreviations (Mr., Gen., U.S., Jan., No.),
//! initials, decimals, ellipses and quotations that end sentences (`...,” he said.`).
//!
//! A sentence never crosses a block boundary. The splitter looks at the punctuation, the word it
//! ends and the word that follows; it needs no model.

use crate::model::{Block, Sentence, Span};

/// Titles and abbreviations after which a period never ends a sentence.
const NEVER_END: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "cpt", "maj", "adm",
    "cmdr", "rep", "sen", "gov", "pres", "rev", "fr", "st", "mt", "ft", "jr", "sr", "hon", "amb",
    "supt", "insp", "cpl", "pvt", "brig", "messrs", "mme", "mlle", "sgt", "no", "nos", "vol",
    "art", "fig", "vs", "v", "cf", "approx", "dept", "univ", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thurs",
    "fri", "sat", "sun", "ave", "blvd", "rd", "gens", "reps", "sens", "govs", "e.g", "i.e", "ca",
    "c", "al",
];

/// Abbreviations that can also end a sentence ("in the U.S. The ..."): they end one only when the
/// next word is a typical sentence opener.
const MAYBE_END: &[&str] = &[
    "inc", "ltd", "co", "corp", "etc", "bros", "plc", "llc", "a.m", "p.m",
];

/// Capitalised words that usually open a sentence, used after ambiguous abbreviations.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "And",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "There",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "If",
    "However",
    "Meanwhile",
    "Some",
    "Many",
    "Most",
    "One",
    "Two",
    "Police",
    "Officials",
    "According",
    "Since",
    "Last",
    "Earlier",
    "Later",
    "On",
    "By",
    "For",
    "With",
];

/// The index of the sentence that holds byte `pos` (an empty sentence holds its start).
pub fn sentence_at(sentences: &[Sentence], pos: usize) -> Option<usize> {
    sentences
        .iter()
        .position(|s| s.span.0 <= pos && pos < s.span.1.max(s.span.0 + 1))
}

/// Split every block of `text` into sentences.
pub fn split_sentences(text: &str, blocks: &[Block]) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (bi, b) in blocks.iter().enumerate() {
        for s in split_span(text, b.span) {
            out.push(Sentence { span: s, block: bi });
        }
    }
    out
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201D}' | '\u{2019}' | ')' | ']' | '\u{BB}'
    )
}

fn is_opener_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201C}' | '\u{2018}' | '(' | '[' | '\u{AB}'
    )
}

/// Sentence spans within one block span. Works on byte offsets, jumping from one terminator
/// ('.', '!', '?', '…') to the next: only those and what follows them are looked at.
pub fn split_span(text: &str, span: Span) -> Vec<Span> {
    let block = &text[span.0..span.1];
    let n = block.len();
    let at = |p: usize| block.get(p..).and_then(|r| r.chars().next());
    let mut spans = Vec::new();
    let mut start = 0usize;
    let mut p = 0usize;
    while let Some(off) = find_terminator(&block[p..]) {
        let i = p + off;
        let c = at(i).expect("a terminator");
        // Extend over runs of terminators and closing quotes/brackets.
        let mut j = i + c.len_utf8();
        while let Some(cj) = at(j) {
            if matches!(cj, '.' | '!' | '?' | '\u{2026}') || is_closer(cj) {
                j += cj.len_utf8();
            } else {
                break;
            }
        }
        // Need whitespace after, then a plausible sentence start.
        let Some(cj) = at(j) else {
            break;
        };
        if !cj.is_whitespace() {
            p = j;
            continue;
        }
        let mut k = j;
        while let Some(ck) = at(k).filter(|ck| ck.is_whitespace()) {
            k += ck.len_utf8();
        }
        let Some(next) = at(k) else {
            break;
        };
        let next_word = word_at(block, k);
        let starts_upper = next.is_uppercase()
            || next.is_ascii_digit()
            || (is_opener_char(next)
                && at(k + next.len_utf8()).is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()));
        if !starts_upper {
            p = j;
            continue;
        }
        if c == '.' && j == i + 1 && !ends_sentence_after_period(block, i, next_word) {
            p = j;
            continue;
        }
        push_trimmed(&mut spans, block, span.0, start, j);
        start = k;
        p = k;
        debug_assert!(p <= n);
    }
    push_trimmed(&mut spans, block, span.0, start, n);
    spans
}

/// The byte of the first sentence terminator ('.', '!', '?', '…') in `s`: a byte scan (the
/// terminators are ASCII or start with a lead byte) instead of decoding every character.
fn find_terminator(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    loop {
        let i = from
            + b[from..]
                .iter()
                .position(|&x| matches!(x, b'.' | b'!' | b'?' | 0xE2))?;
        if b[i] != 0xE2 || b[i..].starts_with("\u{2026}".as_bytes()) {
            return Some(i);
        }
        from = i + 1;
    }
}

fn push_trimmed(spans: &mut Vec<Span>, block: &str, base: usize, start: usize, end: usize) {
    let piece = &block[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        spans.push(Span(
            base + start + lead,
            base + start + lead + trimmed.len(),
        ));
    }
}

fn word_at(s: &str, pos: usize) -> &str {
    let rest = &s[pos..];
    let rest = rest.trim_start_matches(is_opener_char);
    let end = rest
        .find(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Whether the period at byte `pos` of `block` ends a sentence, given the next word.
fn ends_sentence_after_period(block: &str, pos: usize, next_word: &str) -> bool {
    let before = &block[..pos];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || is_opener_char(c) || c == '(')
        .map(|i| i + before[i..].chars().next().map_or(1, |c| c.len_utf8()))
        .unwrap_or(0);
    let word = &before[word_start..];
    if word.is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    // Single initial ("John F. Kennedy") or an initialism with inner periods ("U.S", "U.N").
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() == 1 && word.chars().count() == 1 && letters[0].is_uppercase() {
        return false;
    }
    if word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2) {
        // "U.S." / "U.K." / "a.m." can end a sentence: only before a typical opener.
        return OPENERS.contains(&next_word);
    }
    if NEVER_END.contains(&lower.as_str()) {
        // "No. 10", "Gen. Smith", "Jan. 3": never a sentence end.
        return false;
    }
    if MAYBE_END.contains(&lower.as_str()) {
        return OPENERS.contains(&next_word);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first splitter, over a vector of characters: the reference the byte-offset one is
    /// checked against.
    fn split_span_by_chars(text: &str, span: Span) -> Vec<Span> {
        let block = &text[span.0..span.1];
        let mut spans = Vec::new();
        let mut start = 0usize;
        let chars: Vec<(usize, char)> = block.char_indices().collect();
        let n = chars.len();
        let mut i = 0;
        while i < n {
            let (pos, c) = chars[i];
            let is_term = matches!(c, '.' | '!' | '?' | '\u{2026}');
            if c == '\n' {
                // A single line break inside a block separates sentences only if the line before ends
                // with sentence punctuation (handled below) or is very short (a list item).
                i += 1;
                continue;
            }
            if !is_term {
                i += 1;
                continue;
            }
            // Extend over runs of terminators and closing quotes/brackets.
            let mut j = i + 1;
            while j < n
                && (matches!(chars[j].1, '.' | '!' | '?' | '\u{2026}') || is_closer(chars[j].1))
            {
                j += 1;
            }
            // Need whitespace after, then a plausible sentence start.
            if j >= n {
                break;
            }
            if !chars[j].1.is_whitespace() {
                i = j;
                continue;
            }
            let mut k = j;
            while k < n && chars[k].1.is_whitespace() {
                k += 1;
            }
            if k >= n {
                break;
            }
            let next = chars[k].1;
            let next_word = word_at(block, chars[k].0);
            let starts_upper = next.is_uppercase()
                || next.is_ascii_digit()
                || (is_opener_char(next)
                    && k + 1 < n
                    && (chars[k + 1].1.is_uppercase() || chars[k + 1].1.is_ascii_digit()));
            if !starts_upper {
                i = j;
                continue;
            }
            if c == '.' && j == i + 1 && !ends_sentence_after_period(block, pos, next_word) {
                i = j;
                continue;
            }
            if c == '.'
                && i + 2 < n
                && chars[i + 1].1 == '.'
                && chars[i + 2].1 == '.'
                && !starts_upper
            {
                i = j;
                continue;
            }
            let end = chars[j - 1].0 + chars[j - 1].1.len_utf8();
            push_trimmed(&mut spans, block, span.0, start, end);
            start = chars[k].0;
            i = k;
        }
        push_trimmed(&mut spans, block, span.0, start, block.len());
        spans
    }

    proptest::proptest! {
        #[test]
        fn byte_splitter_agrees_with_the_char_one(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "The", "he", " ", "  ", "\n", ".", "...", "!", "?", "\u{2026}", "\u{201D}", "\"",
                "'", ")", "(", "U.S.", "Gen.", "No.", "Jan.", "a.m.", "J.", "5", "3.5", "É",
                "é", "\u{201C}", "Mr.", "said", "It", "x", "\u{a0}", "ß", "日本",
            ]), 0..30)
        ) {
            let s = parts.concat();
            proptest::prop_assert_eq!(
                split_span(&s, Span(0, s.len())),
                split_span_by_chars(&s, Span(0, s.len()))
            );
        }
    }

    fn split(t: &str) -> Vec<&str> {
        split_span(t, Span(0, t.len()))
            .into_iter()
            .map(|s| s.slice(t))
            .collect()
    }

    #[test]
    fn abbreviations_initials_and_decimals_do_not_split() {
        assert_eq!(
            split(
                "Mr. Smith met Gen. Jones on Jan. 3 at No. 10 Downing St. in London. They talked."
            ),
            vec![
                "Mr. Smith met Gen. Jones on Jan. 3 at No. 10 Downing St. in London.",
                "They talked."
            ]
        );
        assert_eq!(
            split("John F. Kennedy was shot. Growth was 2.5 percent. U.S. troops left."),
            vec![
                "John F. Kennedy was shot.",
                "Growth was 2.5 percent.",
                "U.S. troops left."
            ]
        );
        assert_eq!(
            split("He lives in the U.S. The war ended."),
            vec!["He lives in the U.S.", "The war ended."]
        );
        assert_eq!(
            split("The U.S. Senate voted."),
            vec!["The U.S. Senate voted."]
        );
    }

    #[test]
    fn quotations_ending_sentences() {
        let t = "\u{201C}We want to leave,\u{201D} he said. \u{201C}We have been hurt.\u{201D} She agreed.";
        assert_eq!(
            split(t),
            vec![
                "\u{201C}We want to leave,\u{201D} he said.",
                "\u{201C}We have been hurt.\u{201D}",
                "She agreed."
            ]
        );
    }

    #[test]
    fn ellipses_and_question_marks() {
        assert_eq!(
            split("Wait... and see. Why? Because."),
            vec!["Wait... and see.", "Why?", "Because."]
        );
        assert_eq!(
            split("It ended\u{2026} Then it began."),
            vec!["It ended\u{2026}", "Then it began."]
        );
    }
}
