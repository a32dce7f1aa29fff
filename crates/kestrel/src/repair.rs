//! Repair: undo the damage real copies of news carry, recording every change.
//!
//! Handles HTML character references (named and numeric, including machine-translation spacing such
//! as `& # 39;` and `& quot;`), bare entity tails whose `&` was lost (`unacceptable, quot;`),
//! double escaping (`&amp;#39;`), mojibake (UTF-8 read as Windows-1252 or Latin-1), C0/C1 control
//! characters, zero-width characters, non-breaking and other special spaces, and whitespace runs.
//!
//! Clean text passes through unchanged and repairing twice changes nothing: one scan is applied
//! until it reaches a fixed point, and the rounds' alignments are composed, so every repair still
//! names the raw input it replaced. Not for: HTML markup (that is the HTML ingest's job).

use crate::align::{Alignment, Edit};
use crate::model::{Repair, RepairKind, Span};
use std::borrow::Cow;

/// The cleaned text, the repairs that made it, and the alignment back to the raw text.
#[derive(Clone, Debug)]
pub struct Repaired {
    pub text: String,
    pub repairs: Vec<Repair>,
    pub alignment: Alignment,
}

/// Repair `raw`, returning the cleaned text and every change made.
pub fn repair(raw: &str) -> Repaired {
    let mut text: Cow<str> = Cow::Borrowed(raw);
    let mut alignment = Alignment::identity(raw.len());
    // Each round can reveal damage the previous one uncovered (double mojibake, an escaped
    // ampersand that now forms an entity); a handful of rounds reaches the fixed point.
    for _ in 0..8 {
        let (out, round) = repair_round(&text);
        if round.edits.is_empty() {
            break;
        }
        alignment = alignment.compose(&round);
        text = Cow::Owned(out);
        // Most texts need one round (spacing only): skip the round that would find nothing.
        if settled(&text) {
            debug_assert!(repair_round(&text).1.edits.is_empty(), "{text:?}");
            break;
        }
    }
    let text = text.into_owned();
    let repairs = alignment
        .edits
        .iter()
        .map(|e| Repair {
            span: e.out,
            raw: raw[e.raw.0..e.raw.1].to_string(),
            kind: e.kind,
            raw_span: e.raw,
        })
        .collect();
    Repaired {
        text,
        repairs,
        alignment,
    }
}

/// Whether a repair round over `s` would change nothing: spacing already normalised and none
/// of the characters a round repairs (references, entity tails, control and invisible
/// characters, odd spaces, the lead characters of mojibake). Checked in debug builds against a
/// real round.
fn settled(s: &str) -> bool {
    if s.starts_with([' ', '\n']) || s.ends_with([' ', '\n']) {
        return false;
    }
    let b = s.as_bytes();
    let finder = |pat: &str| memchr::memmem::find(b, pat.as_bytes()).is_some();
    if ["  ", " \n", "\n ", "\n\n\n"].iter().any(|p| finder(p)) || memchr::memchr(b'&', b).is_some()
    {
        return false;
    }
    if memchr::memchr(b';', b).is_some() && TAILS.iter().any(|(t, _)| finder(t)) {
        return false;
    }
    if b.iter().any(|&x| (x < 0x20 && x != b'\n') || x == 0x7F) {
        return false;
    }
    if s.is_ascii() {
        return true;
    }
    !s.chars().any(|c| {
        ('\u{80}'..='\u{F4}').contains(&c)
            || matches!(
                c,
                '\u{2000}'
                    ..='\u{200B}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{2060}' | '\u{FEFF}'
            )
    })
}

/// One scanned unit of input: `len` raw bytes that become `out`.
struct Unit<'a> {
    len: usize,
    out: Cow<'a, str>,
    kind: Option<RepairKind>,
    /// How the unit attaches to neighbouring spaces (for machine-translation-spaced quote marks).
    glue: Glue,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Glue {
    None,
    /// Swallow the space before it ("al-Sadr & # 39; Called" → "al-Sadr' Called").
    Left,
    /// Swallow the space after it ("& # 39; Get rid" → "'Get rid").
    Right,
}

/// Builds the output of one round and its edits.
struct Writer {
    out: String,
    edits: Vec<Edit>,
}

impl Writer {
    fn push(&mut self, raw: Span, text: &str, kind: Option<RepairKind>) {
        let start = self.out.len();
        self.out.push_str(text);
        if let Some(kind) = kind {
            // Merge with an edit that ends exactly here, so one damaged stretch is one repair.
            if let Some(last) = self.edits.last_mut() {
                if last.out.1 == start && last.raw.1 == raw.0 && last.kind == kind {
                    last.out.1 = self.out.len();
                    last.raw.1 = raw.1;
                    return;
                }
            }
            self.edits.push(Edit {
                out: Span(start, self.out.len()),
                raw,
                kind,
            });
        }
    }
}

fn repair_round(raw: &str) -> (String, Alignment) {
    let bytes = raw.as_bytes();
    let mut w = Writer {
        out: String::with_capacity(raw.len()),
        edits: Vec::new(),
    };
    let mut pos = 0usize;
    // A pending run of whitespace-like units: raw start, newline count, kinds seen, raw end.
    let mut ws_start: Option<usize> = None;
    let mut ws_newlines = 0usize;
    let mut ws_kind: Option<RepairKind> = None;
    let mut ws_has_space = false;
    let mut pending_right_glue: Option<RepairKind> = None;

    while pos < raw.len() {
        // Fast path: the inside of a word (ASCII letters and digits after a letter or digit) is
        // copied as a run; only word starts, punctuation, spaces and non-ASCII are scanned.
        if ws_start.is_none()
            && pos > 0
            && bytes[pos].is_ascii_alphanumeric()
            && bytes[pos - 1].is_ascii_alphanumeric()
        {
            let end = bytes[pos..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(bytes.len(), |i| pos + i);
            w.out.push_str(&raw[pos..end]);
            pending_right_glue = None;
            pos = end;
            continue;
        }
        // Fast path: one plain space between words ("said the"), which a round keeps as it is:
        // copy it and the word after it. The word must not start with a letter that may begin
        // a bare entity tail ("quot;", "amp;", "rsquo;", "lsquo;").
        if ws_start.is_none()
            && pending_right_glue.is_none()
            && bytes[pos] == b' '
            && !w.out.is_empty()
            && bytes.get(pos + 1).is_some_and(|&b| {
                b.is_ascii_alphanumeric() && !matches!(b, b'q' | b'a' | b'r' | b'l')
            })
        {
            let end = bytes[pos + 1..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(bytes.len(), |i| pos + 1 + i);
            w.out.push_str(&raw[pos..end]);
            pos = end;
            continue;
        }
        let unit = scan_unit(raw, pos, &w.out);
        let is_ws = unit.out.chars().all(|c| c == ' ' || c == '\n');
        if is_ws {
            if ws_start.is_none() {
                ws_start = Some(pos);
                ws_newlines = 0;
                ws_kind = None;
                ws_has_space = false;
            }
            ws_newlines += unit.out.bytes().filter(|&b| b == b'\n').count();
            ws_has_space |= !unit.out.is_empty();
            if unit.kind.is_some() && ws_kind.is_none() {
                ws_kind = unit.kind;
            }
            pos += unit.len;
            continue;
        }
        // A glue-left unit swallows a pending run of plain spaces after a word.
        if let Some(start) = ws_start.take() {
            let glue_left = unit.glue == Glue::Left
                && ws_newlines == 0
                && w.out
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || ".,!?".contains(c));
            let glue_right = pending_right_glue.filter(|_| ws_newlines == 0);
            let swallow = glue_left || glue_right.is_some();
            // A swallowed space belongs to the repair of the quotation mark it was glued to.
            let kind = if glue_left {
                unit.kind
            } else {
                glue_right.or(ws_kind)
            };
            flush_ws(
                &mut w,
                raw,
                Span(start, pos),
                ws_newlines,
                ws_has_space,
                kind,
                swallow,
                false,
            );
        }
        pending_right_glue = None;
        let at_line_start = w.out.is_empty() || w.out.ends_with('\n') || w.out.ends_with(' ');
        w.push(Span(pos, pos + unit.len), &unit.out, unit.kind);
        if unit.glue == Glue::Right
            || (unit.glue == Glue::Left
                && at_line_start
                && next_is_space_then_word(bytes, pos + unit.len))
        {
            pending_right_glue = unit.kind;
        }
        pos += unit.len;
    }
    if let Some(start) = ws_start.take() {
        flush_ws(
            &mut w,
            raw,
            Span(start, raw.len()),
            ws_newlines,
            ws_has_space,
            ws_kind,
            false,
            true,
        );
    }
    let out_len = w.out.len();
    (
        w.out,
        Alignment {
            edits: w.edits,
            raw_len: raw.len(),
            out_len,
        },
    )
}

fn next_is_space_then_word(bytes: &[u8], pos: usize) -> bool {
    bytes.get(pos) == Some(&b' ')
        && bytes
            .get(pos + 1)
            .is_some_and(|b| b.is_ascii_alphanumeric())
}

/// Emit a run of whitespace-like units normalised: nothing at the text's start or end (or when
/// glued), one space within a line, one newline, or one blank line between paragraphs.
#[allow(clippy::too_many_arguments)]
fn flush_ws(
    w: &mut Writer,
    raw: &str,
    span: Span,
    newlines: usize,
    has_space: bool,
    kind: Option<RepairKind>,
    swallow: bool,
    at_end: bool,
) {
    let norm: &str = if w.out.is_empty() || at_end || swallow || !has_space {
        ""
    } else if newlines == 0 {
        " "
    } else if newlines == 1 {
        "\n"
    } else {
        "\n\n"
    };
    let raw_text = &raw[span.0..span.1];
    if raw_text == norm {
        w.push(span, norm, None);
    } else {
        w.push(span, norm, Some(kind.unwrap_or(RepairKind::Whitespace)));
    }
}

/// Read one unit of input at `pos`.
fn scan_unit<'a>(raw: &'a str, pos: usize, out_so_far: &str) -> Unit<'a> {
    let rest = &raw[pos..];
    let c = rest.chars().next().expect("pos inside text");
    let clen = c.len_utf8();
    let plain = |kind: Option<RepairKind>, out: Cow<'a, str>| Unit {
        len: clen,
        out,
        kind,
        glue: Glue::None,
    };
    match c {
        '&' => {
            if let Some(u) = scan_entity(raw, pos) {
                return u;
            }
            plain(None, Cow::Borrowed(&rest[..clen]))
        }
        '\n' => plain(None, Cow::Borrowed("\n")),
        '\r' => {
            let len = if rest.as_bytes().get(1) == Some(&b'\n') {
                2
            } else {
                1
            };
            Unit {
                len,
                out: Cow::Borrowed("\n"),
                kind: Some(RepairKind::Whitespace),
                glue: Glue::None,
            }
        }
        ' ' => plain(None, Cow::Borrowed(" ")),
        '\t' => plain(Some(RepairKind::Whitespace), Cow::Borrowed(" ")),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            plain(Some(RepairKind::Nbsp), Cow::Borrowed(" "))
        }
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
            plain(Some(RepairKind::InvisibleChar), Cow::Borrowed(""))
        }
        '\u{00C2}'..='\u{00F4}' => {
            if let Some(u) = scan_mojibake(rest) {
                return u;
            }
            plain(None, Cow::Borrowed(&rest[..clen]))
        }
        c if (c as u32) < 0x20 || c == '\u{7F}' || ('\u{80}'..='\u{9F}').contains(&c) => {
            plain(Some(RepairKind::ControlChar), Cow::Borrowed(""))
        }
        'q' | 'a' | 'r' | 'l' | '#' => {
            if let Some(u) = scan_entity_tail(raw, pos, out_so_far) {
                return u;
            }
            plain(None, Cow::Borrowed(&rest[..clen]))
        }
        _ => plain(None, Cow::Borrowed(&rest[..clen])),
    }
}

/// Decode a character reference starting at `&`, allowing the spacing machine translation adds,
/// and following a decoded `&` into a second reference (double escaping).
fn scan_entity(raw: &str, pos: usize) -> Option<Unit<'static>> {
    let b = raw.as_bytes();
    let (decoded, mut end, spaced) = parse_entity_body(b, pos + 1)?;
    let mut decoded = decoded;
    let mut kind = RepairKind::HtmlEntity;
    let mut spaced_any = spaced;
    // `&amp;#39;`, `&amp;quot;`, `& amp; # 39;`: the decoded ampersand starts another reference.
    while decoded == "&" {
        match parse_entity_body(b, end) {
            Some((d, e, sp)) => {
                decoded = d;
                end = e;
                spaced_any |= sp;
                kind = RepairKind::DoubleEscape;
            }
            None => break,
        }
    }
    let glue = if spaced_any && (decoded == "'" || decoded == "\u{2019}") {
        Glue::Left
    } else {
        Glue::None
    };
    // Special spaces decoded from references are normalised like their literal forms.
    let decoded = match decoded.as_str() {
        "\u{00A0}" | "\u{202F}" | "\u{2009}" | "\u{2002}" | "\u{2003}" => " ".to_string(),
        "\u{200B}" | "\u{FEFF}" | "\u{00AD}" | "\u{2060}" => String::new(),
        "\t" => " ".to_string(),
        "\r" => "\n".to_string(),
        _ if decoded.chars().any(|c| (c as u32) < 0x20 && c != '\n') => String::new(),
        _ => decoded,
    };
    Some(Unit {
        len: end - pos,
        out: Cow::Owned(decoded),
        kind: Some(kind),
        glue,
    })
}

fn skip_spaces(b: &[u8], mut i: usize, max: usize) -> (usize, bool) {
    let start = i;
    while i < b.len() && b[i] == b' ' && i - start < max {
        i += 1;
    }
    (i, i > start)
}

/// Parse what follows an `&`: `#39;`, `#x27;`, `quot;`, with up to two spaces around the parts.
/// Returns the decoded text, the end offset and whether spacing was present.
fn parse_entity_body(b: &[u8], at: usize) -> Option<(String, usize, bool)> {
    let (mut i, sp1) = skip_spaces(b, at, 2);
    if i < b.len() && b[i] == b'#' {
        let (j, sp2) = skip_spaces(b, i + 1, 2);
        i = j;
        let hex = i < b.len() && (b[i] == b'x' || b[i] == b'X');
        if hex {
            i += 1;
        }
        let ds = i;
        while i < b.len()
            && i - ds < 7
            && (if hex {
                b[i].is_ascii_hexdigit()
            } else {
                b[i].is_ascii_digit()
            })
        {
            i += 1;
        }
        if i == ds {
            return None;
        }
        let digits = std::str::from_utf8(&b[ds..i]).ok()?;
        let (j, sp3) = skip_spaces(b, i, 2);
        if j >= b.len() || b[j] != b';' {
            return None;
        }
        let n = u32::from_str_radix(digits, if hex { 16 } else { 10 }).ok()?;
        let c = numeric_reference_char(n)?;
        return Some((c.to_string(), j + 1, sp1 || sp2 || sp3));
    }
    let ns = i;
    while i < b.len() && i - ns < 32 && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if i - ns < 2 || !b[ns].is_ascii_alphabetic() {
        return None;
    }
    let name = std::str::from_utf8(&b[ns..i]).ok()?;
    let (j, sp2) = skip_spaces(b, i, 1);
    if j >= b.len() || b[j] != b';' {
        return None;
    }
    // Spaced forms are only taken for names machine translation is known to split, so prose such
    // as "Smith & Co;" is never read as a reference.
    if (sp1 || sp2) && !COMMON_NAMES.contains(&name) {
        return None;
    }
    let decoded = decode_named(name)?;
    Some((decoded, j + 1, sp1 || sp2))
}

/// Named references that appear split by spaces in machine-translated text.
const COMMON_NAMES: &[&str] = &[
    "quot", "amp", "apos", "lt", "gt", "nbsp", "rsquo", "lsquo", "rdquo", "ldquo", "mdash",
    "ndash", "hellip", "laquo", "raquo",
];

fn decode_named(name: &str) -> Option<String> {
    let src = format!("&{name};");
    let d = htmlize::unescape(src.as_str());
    // A legacy prefix match ("&not" in "&notanentity;") leaves the rest, and its ";", behind.
    if d == src || (d.ends_with(';') && d != ";") {
        None
    } else {
        Some(d.into_owned())
    }
}

/// The character a numeric reference stands for, per the HTML standard (128–159 are read as
/// Windows-1252); `None` for references that name no character.
fn numeric_reference_char(n: u32) -> Option<char> {
    if (0x80..=0x9F).contains(&n) {
        return cp1252_high(n as u8);
    }
    if n == 0 || (0xD800..=0xDFFF).contains(&n) {
        return None;
    }
    char::from_u32(n)
}

/// Windows-1252's characters for bytes 0x80–0x9F (None for the five undefined bytes).
pub fn cp1252_high(b: u8) -> Option<char> {
    const TABLE: [u32; 32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
        0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ];
    let v = TABLE[(b - 0x80) as usize];
    if v == 0 {
        None
    } else {
        char::from_u32(v)
    }
}

/// Decode bytes as Windows-1252 (undefined bytes read as Latin-1 controls).
pub fn decode_cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if (0x80..=0x9F).contains(&b) {
                cp1252_high(b).unwrap_or(b as char)
            } else {
                b as char
            }
        })
        .collect()
}

/// The byte a character stands for when UTF-8 was mis-read as Windows-1252 or Latin-1.
fn mojibake_byte(c: char) -> Option<u8> {
    let n = c as u32;
    if (0xA0..=0xFF).contains(&n) || (0x80..=0x9F).contains(&n) {
        return Some(n as u8);
    }
    (0x80u8..=0x9F).find(|&b| cp1252_high(b) == Some(c))
}

/// Undo one mis-decoded UTF-8 sequence (`â€™` → `’`, `Ã©` → `é`) starting at a lead character.
fn scan_mojibake(rest: &str) -> Option<Unit<'static>> {
    let mut chars = rest.char_indices();
    let (_, lead) = chars.next()?;
    let lead_b = mojibake_byte(lead)?;
    let need = match lead_b {
        0xC2..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF4 => 3,
        _ => return None,
    };
    let mut bytes = vec![lead_b];
    let mut end = lead.len_utf8();
    for _ in 0..need {
        let (i, c) = chars.next()?;
        let b = mojibake_byte(c)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        bytes.push(b);
        end = i + c.len_utf8();
    }
    let s = std::str::from_utf8(&bytes).ok()?;
    let fixed = s.chars().next()?;
    // Mis-read special spaces and controls are normalised like their literal forms.
    let out = match fixed {
        '\u{00A0}' | '\u{202F}' | '\u{2000}'..='\u{200A}' => " ".to_string(),
        '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{2060}' => String::new(),
        c if ('\u{80}'..='\u{9F}').contains(&c) => String::new(),
        c => c.to_string(),
    };
    Some(Unit {
        len: end,
        out: Cow::Owned(out),
        kind: Some(RepairKind::Mojibake),
        glue: Glue::None,
    })
}

/// Entity names whose tails survive without their `&` in machine-translated copies.
const TAILS: &[(&str, &str)] = &[
    ("quot;", "\""),
    ("#39;", "'"),
    ("#34;", "\""),
    ("apos;", "'"),
    ("rsquo;", "\u{2019}"),
    ("lsquo;", "\u{2018}"),
    ("rdquo;", "\u{201D}"),
    ("ldquo;", "\u{201C}"),
    ("amp;", "&"),
];

/// A bare entity tail (`quot;` after a word, with its `&` lost). A closing quotation mark swallows
/// the space before it and matches the style of the open quotation it closes.
fn scan_entity_tail<'a>(raw: &'a str, pos: usize, out_so_far: &str) -> Option<Unit<'a>> {
    let rest = &raw[pos..];
    let (name, val) = TAILS.iter().find(|(n, _)| rest.starts_with(n))?;
    // Must stand alone: not inside a word, not after `&` (a real reference is handled there).
    let prev = raw[..pos].chars().next_back();
    if prev.is_some_and(|c| c.is_alphanumeric() || c == '&' || c == '#' || c == '_') {
        return None;
    }
    let out: String = if *val == "\"" {
        // Closing if an opening curly quote is open in this paragraph.
        let para = out_so_far.rsplit("\n\n").next().unwrap_or("");
        let open = para.rfind('\u{201C}');
        let close = para.rfind('\u{201D}');
        match (open, close) {
            (Some(o), Some(c)) if o > c => "\u{201D}".into(),
            (Some(_), None) => "\u{201D}".into(),
            _ => "\"".into(),
        }
    } else {
        val.to_string()
    };
    let glue = if out == "\u{201D}" || out == "'" || out == "\"" {
        Glue::Left
    } else {
        Glue::None
    };
    Some(Unit {
        len: name.len(),
        out: Cow::Owned(out),
        kind: Some(RepairKind::EntityTail),
        glue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        repair(s).text
    }

    #[test]
    fn machine_translation_spaced_apostrophe_joins_the_word_before() {
        assert_eq!(
            clean("cleric Muqtada al-Sadr & # 39; Called to participate"),
            "cleric Muqtada al-Sadr' Called to participate"
        );
    }

    #[test]
    fn spaced_quotes_around_a_heading_join_inwards() {
        assert_eq!(
            clean("& # 39; Get rid of American troops & # 39;"),
            "'Get rid of American troops'"
        );
    }

    #[test]
    fn bare_quot_tail_closes_the_open_curly_quote() {
        let r = repair("was \u{201C}unacceptable, quot; (Emma Francis / Al Jazeera)");
        assert_eq!(
            r.text,
            "was \u{201C}unacceptable,\u{201D} (Emma Francis / Al Jazeera)"
        );
        assert_eq!(r.repairs.len(), 1);
        assert_eq!(r.repairs[0].kind, RepairKind::EntityTail);
        assert_eq!(r.repairs[0].raw, " quot;");
    }

    #[test]
    fn named_numeric_and_double_escaped_references() {
        assert_eq!(clean("Tom &amp; Jerry"), "Tom & Jerry");
        assert_eq!(clean("it&#39;s &#x2019;"), "it's \u{2019}");
        assert_eq!(clean("don&amp;#39;t"), "don't");
        assert_eq!(clean("say &amp;quot;no&amp;quot;"), "say \"no\"");
        assert_eq!(clean("a & amp; b"), "a & b");
        let r = repair("don&amp;#39;t");
        assert_eq!(r.repairs[0].kind, RepairKind::DoubleEscape);
    }

    #[test]
    fn chained_tails_revealed_by_control_characters_converge() {
        // Found by the repair fuzz target: removing the controls makes a chain of tails.
        let once = repair("amp\u{2};amp\u{2};amp\u{2};amp\u{2};");
        let twice = repair(&once.text);
        assert_eq!(once.text, twice.text);
    }

    #[test]
    fn prose_ampersands_are_left_alone() {
        for s in [
            "AT&T and R&D",
            "Smith & Co; then",
            "Q&A: 5 & 6",
            "&notanentity;",
        ] {
            assert_eq!(clean(s), s);
        }
    }

    #[test]
    fn mojibake_is_undone() {
        assert_eq!(clean("doesnâ€™t"), "doesn\u{2019}t");
        assert_eq!(clean("cafÃ© in SÃ£o Paulo"), "caf\u{e9} in S\u{e3}o Paulo");
        // Twice mis-decoded.
        assert_eq!(clean("cafÃƒÂ©"), "caf\u{e9}");
        // Legitimate Latin-1 letters stay.
        assert_eq!(clean("naïve Zürich Ångström"), "naïve Zürich Ångström");
    }

    #[test]
    fn invisible_control_and_space_characters() {
        assert_eq!(clean("a\u{200B}b\u{0007}c"), "abc");
        assert_eq!(
            clean("Friday, January 4, 2019\u{A0}\n\n\nText"),
            "Friday, January 4, 2019\n\nText"
        );
        assert_eq!(clean("  two  spaces\t here \r\n"), "two spaces here");
        assert_eq!(clean("a \u{200B} b"), "a b");
    }

    #[test]
    fn clean_text_is_unchanged_and_has_no_repairs() {
        let s = "Baghdad, Iraq \u{2013} Thousands rallied.\n\n\u{201C}We want it,\u{201D} he said.";
        let r = repair(s);
        assert_eq!(r.text, s);
        assert!(r.repairs.is_empty());
    }

    #[test]
    fn repairs_map_back_to_the_raw_text() {
        let raw = "x &amp; y\u{A0}\u{A0}z";
        let r = repair(raw);
        let pieces: Vec<String> = r.repairs.iter().map(|p| p.raw.clone()).collect();
        assert_eq!(r.alignment.reconstruct(&r.text, &pieces), raw);
        for p in &r.repairs {
            assert_eq!(&raw[p.raw_span.0..p.raw_span.1], p.raw);
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn damaged() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                "[a-zA-Z]{1,6}",
                Just(" ".to_string()),
                Just("  ".to_string()),
                Just("\n".to_string()),
                Just("\n\n\n".to_string()),
                Just("& # 39;".to_string()),
                Just("&amp;".to_string()),
                Just("&amp;#39;".to_string()),
                Just("& quot;".to_string()),
                Just(" quot;".to_string()),
                Just("&".to_string()),
                Just("#".to_string()),
                Just(";".to_string()),
                Just("amp;".to_string()),
                Just("amp\u{2};".to_string()),
                Just("â€™".to_string()),
                Just("Ã©".to_string()),
                Just("Ãƒ".to_string()),
                Just("Â".to_string()),
                Just("\u{A0}".to_string()),
                Just("\u{200B}".to_string()),
                Just("\u{201C}".to_string()),
                Just("\r\n".to_string()),
                Just("\t".to_string()),
                Just("\u{0085}".to_string()),
                any::<char>().prop_map(|c| c.to_string()),
            ];
            prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn repairing_twice_changes_nothing(s in damaged()) {
                let once = repair(&s);
                let twice = repair(&once.text);
                prop_assert_eq!(&twice.text, &once.text);
                prop_assert!(twice.repairs.is_empty(), "{:?}", twice.repairs);
            }

            #[test]
            fn repairs_reconstruct_the_raw_text(s in damaged()) {
                let r = repair(&s);
                let pieces: Vec<String> = r.repairs.iter().map(|p| p.raw.clone()).collect();
                prop_assert_eq!(r.alignment.reconstruct(&r.text, &pieces), s.clone());
                for p in &r.repairs {
                    prop_assert!(r.text.is_char_boundary(p.span.0) && r.text.is_char_boundary(p.span.1));
                }
            }

            #[test]
            fn clean_prose_passes_through(s in "[A-Za-z0-9,.;:!?'\u{2019}\u{201C}\u{201D}()-]{1,12}( [A-Za-z0-9,.;:!?'\u{2019}()-]{1,12}){0,12}") {
                let r = repair(&s);
                prop_assert_eq!(&r.text, &s);
                prop_assert!(r.repairs.is_empty());
            }
        }
    }
}
