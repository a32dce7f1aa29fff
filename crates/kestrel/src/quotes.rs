//! Quotes: who said what, attributed to the right speaker.
//!
//! Direct quotes are spans in double quotation marks (straight or curly), including quotes that run
//! over several paragraphs (an opening mark at the start of each, no closing mark until the last)
//! and quotes broken by their cue ("“We want ...,” he said. “We have been ...”"). Single marks are
//! nested quotes or headlines and never start a quote of their own. A short quoted fragment inside
//! reported speech is a partial quote ("called the meeting “unacceptable.”"); "X said that ..."
//! without marks is an indirect quote. The speaker is the actor next to the cue verb before or
//! after the quote ("the official Asad al-Hashemi told Al Jazeera": al-Hashemi speaks, Al Jazeera
//! listens), and a paragraph that continues a quote with no cue keeps the previous speaker.
//! Headings are never quotes.
//!
//! The cue may sit in the sentence after the quote ("“Who pays?” Roe asked.") or in a lead-in
//! paragraph ending in a colon. After a quote the subject is the first actor before the verb
//! ("”, Jane Roe, the attorney general of a state suing the EPA, said"); "said X" puts the
//! speaker after the verb, but never after "told"/"asked" (that is the listener). A speaker the
//! entity stage missed is written out as text with no entity ("the union leader said", "said a
//! county official"). "he"/"she" resolves to the nearest actor in subject position (the subject
//! of a reporting verb, or a person opening a sentence or standing before a past-tense verb)
//! whose gender, inferred from titles and the pronouns after its mentions, does not clash, or to
//! a named speaker written out at a cue if that is nearer.

use crate::model::{Block, BlockKind, Cue, Entity, EntityKind, Quote, Sentence, Span, Speaker};
use crate::tokens::{lowercase, tokenize, TokKind, Token, WordSet};

/// Reporting verbs.
static CUES: WordSet = WordSet::new(&[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "tell",
    "added",
    "adds",
    "explained",
    "stated",
    "wrote",
    "writes",
    "tweeted",
    "argued",
    "insisted",
    "warned",
    "asked",
    "announced",
    "claimed",
    "noted",
    "replied",
    "recalled",
    "commented",
    "confirmed",
    "acknowledged",
    "declared",
    "urged",
    "called",
    "described",
    "described",
    "stressed",
    "continued",
    "shouted",
    "chanted",
    "admitted",
    "suggested",
    "predicted",
    "vowed",
    "pledged",
    "promised",
    "demanded",
    "complained",
    "remarked",
    "observed",
    "responded",
    "answered",
    "reported",
    "according",
    "saying",
    "telling",
    "adding",
    "believes",
    "thinks",
    "believed",
    "thought",
    "denied",
    "accused",
]);

/// Reporting verbs that count only right after a quotation ("“...,” she quipped"), where no other
/// reading is likely; elsewhere they are too often ordinary verbs ("charged with fraud").
static CUES_AFTER_QUOTE: WordSet = WordSet::new(&[
    "note",
    "notes",
    "concludes",
    "concluded",
    "replies",
    "reply",
    "asks",
    "ask",
    "explains",
    "responds",
    "respond",
    "continues",
    "argues",
    "insists",
    "warns",
    "recalls",
    "recalled",
    "joked",
    "jokes",
    "quipped",
    "quips",
    "retorted",
    "exclaimed",
    "echoed",
    "boomed",
    "barked",
    "snapped",
    "interjected",
    "countered",
    "counters",
    "charged",
    "yelled",
    "cautioned",
    "mused",
    "offered",
    "laughed",
    "conceded",
    "concedes",
    "agreed",
    "agrees",
    "read",
    "reads",
    "posted",
    "emailed",
    "texted",
    "boasted",
    "boasts",
    "scoffed",
    "sighed",
    "whispered",
    "cried",
    "screamed",
    "pleaded",
    "pressed",
    "repeated",
    "repeats",
    "hinted",
    "elaborated",
    "cracked",
    "teased",
    "objected",
    "protested",
    "interrupted",
    "proclaimed",
    "announces",
    "claims",
    "tweets",
    "stresses",
    "points",
    "pointed",
    "confirms",
    "acknowledges",
    "admits",
    "predicts",
    "added",
    "adds",
    "continued",
    "confessed",
    "lamented",
    "laments",
    "marveled",
    "quoted",
    "sings",
    "sang",
]);

/// Participles that introduce a quotation next to them ("footage of Roe asking, “...”",
/// "tweeted a photo, writing: “...”"). Cues for direct quotations only: the indirect-speech
/// rule keeps to [`CUES`].
static CUE_PARTICIPLES: WordSet = WordSet::new(&[
    "asking",
    "writing",
    "noting",
    "arguing",
    "explaining",
    "declaring",
    "insisting",
    "warning",
    "tweeting",
    "chanting",
    "shouting",
    "stating",
    "claiming",
    "announcing",
    "recalling",
    "replying",
    "responding",
    "joking",
    "quipping",
    "proclaiming",
    "urging",
]);

/// Words a verb can take that make it a cue: "shot back", "fired back", "went on".
fn phrasal_cue(verb: &str, particle: &str) -> bool {
    matches!(
        (verb, particle),
        (
            "shot" | "fired" | "hit" | "snapped" | "pushed" | "wrote" | "fires" | "shoots",
            "back"
        ) | ("went" | "goes" | "pointed" | "points", "on" | "out")
    )
}

/// Words that end a written-out speaker: a clause or a verb follows ("Smith, who ...").
static NOT_IN_NAME: WordSet = WordSet::new(&[
    "who", "which", "that", "when", "where", "while", "as", "if", "because", "but", "then", "is",
    "was", "are", "were", "has", "have", "had", "will", "would", "can", "could", "not", "to", "do",
    "did", "does", "said", "says", "told", "after", "before", "during", "it", "he", "she", "they",
    "we", "i", "you", "him", "her", "them", "us", "me", "also", "later", "in", "on", "at", "with",
    "about", "by", "from",
]);

/// Determiners that may open a written-out speaker ("the senator", "a narrator").
static SPEAKER_DETERMINERS: WordSet = WordSet::new(&[
    "the", "a", "an", "one", "another", "his", "her", "its", "their", "our", "some", "many",
    "several", "two", "three", "this",
]);

/// Adverbs between a speaker and the cue ("Smith later said", "the aide also told").
fn is_cue_adverb(w: &str) -> bool {
    matches!(
        w,
        "also"
            | "later"
            | "then"
            | "once"
            | "again"
            | "further"
            | "previously"
            | "reportedly"
            | "simply"
            | "recently"
            | "earlier"
            | "finally"
            | "quickly"
            | "flatly"
            | "often"
            | "has"
            | "had"
            | "have"
            | "would"
            | "will"
            | "would've"
            | "just"
            | "even"
            | "still"
    ) || (w.len() > 4 && w.ends_with("ly"))
}

/// A speaker written out in the cue clause that the entity stage did not keep ("Viguerie says",
/// "the senator said", "said a narrator"): 1 to 8 words opening with a capital or a determiner,
/// none of them a pronoun, a clause word or a preposition (other than "of" and "for" inside).
fn written_speaker(phrase: &str) -> Option<String> {
    let junk = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | '\u{201C}'
                    | '\u{201D}'
                    | '"'
                    | '\u{2018}'
                    | '\u{2019}'
                    | '\''
                    | '-'
                    | '\u{2014}'
                    | '\u{2013}'
                    | '.'
                    | ':'
                    | ';'
                    | '('
                    | ')'
            )
    };
    let mut words: Vec<&str> = phrase.trim_matches(junk).split_whitespace().collect();
    while words
        .last()
        .is_some_and(|w| is_cue_adverb(&w.to_lowercase()))
    {
        words.pop();
    }
    let cap = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    // "Jim Clyburn of South Carolina": after a full name, "of" starts a place or an employer.
    if let Some(i) = words.iter().position(|w| *w == "of") {
        if words[..i].iter().filter(|w| cap(w)).count() >= 2 {
            words.truncate(i);
        }
    }
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    let first = words[0];
    let first_l = first.to_lowercase();
    // A title in lower case before a name ("pollster Dana Roe", "senior adviser Ben Ortiz").
    let titled = words.len() >= 2
        && words.iter().take(2).any(cap)
        && !NOT_IN_NAME.contains(first_l.as_str())
        && first.chars().all(char::is_alphabetic);
    let opens = titled
        || SPEAKER_DETERMINERS.contains(first_l.as_str())
        || (first.chars().next().is_some_and(char::is_uppercase)
            && !matches!(
                first_l.as_str(),
                "he" | "she"
                    | "it"
                    | "they"
                    | "i"
                    | "we"
                    | "you"
                    | "this"
                    | "that"
                    | "there"
                    | "but"
                    | "and"
                    | "so"
                    | "then"
                    | "when"
                    | "as"
                    | "if"
                    | "in"
                    | "on"
                    | "at"
                    | "after"
                    | "before"
                    | "while"
                    | "asked"
                    | "speaking"
                    | "here"
            ));
    let last_l = words[words.len() - 1].to_lowercase();
    let ok = opens
        && !matches!(last_l.as_str(), "of" | "for" | "and" | "the" | "a" | "an")
        && !(words.len() == 1
            && SPEAKER_DETERMINERS.contains(first_l.as_str())
            && first_l != "one")
        && words.iter().all(|w| {
            let l = w.to_lowercase();
            !NOT_IN_NAME.contains(l.as_str())
                && w.chars().any(char::is_alphanumeric)
                && !w.contains(['\u{201C}', '\u{201D}', '"', '?', '!'])
        });
    ok.then(|| words.join(" "))
}

/// A span of quoted text found in one block.
#[derive(Clone, Debug)]
struct Marked {
    /// Span of the content, without the marks.
    inner: Span,
    /// Span with the marks.
    outer: Span,
    block: usize,
    /// Whether the quote continues in the next paragraph (no closing mark before the block ends).
    continues: bool,
    /// Whether it continues from the previous paragraph.
    continued: bool,
}

fn is_open(c: char) -> bool {
    matches!(c, '\u{201C}' | '\u{201E}' | '\u{AB}')
}
fn is_close(c: char) -> bool {
    matches!(c, '\u{201D}' | '\u{BB}')
}

/// Find double-quoted spans in every non-heading block.
fn marked_spans(text: &str, blocks: &[Block]) -> Vec<Marked> {
    let mut out: Vec<Marked> = Vec::new();
    let mut carry = false;
    for (bi, b) in blocks.iter().enumerate() {
        if matches!(
            b.kind,
            BlockKind::Heading | BlockKind::Byline | BlockKind::Boilerplate
        ) {
            carry = false;
            continue;
        }
        let s = b.span.slice(text);
        let mut open: Option<usize> = None;
        let continued_here = carry && s.starts_with(['\u{201C}', '"']);
        // Only '"' and the marks (lead bytes 0xE2 for U+201C..201E, 0xC2 for U+AB, U+BB) act.
        let bytes = s.as_bytes();
        let mut from = 0;
        while let Some(k) = memchr::memchr3(b'"', 0xE2, 0xC2, &bytes[from..]) {
            let i = from + k;
            let c = s[i..]
                .chars()
                .next()
                .expect("a lead byte starts a character");
            from = i + c.len_utf8();
            let straight = c == '"';
            if open.is_none() && (is_open(c) || straight) {
                open = Some(i);
            } else if let Some(o) = open {
                if is_close(c) || straight {
                    let oc = s[o..].chars().next().map_or(1, char::len_utf8);
                    out.push(Marked {
                        inner: Span(b.span.0 + o + oc, b.span.0 + i),
                        outer: Span(b.span.0 + o, b.span.0 + i + c.len_utf8()),
                        block: bi,
                        continues: false,
                        continued: continued_here && o == 0,
                    });
                    open = None;
                }
            }
        }
        carry = false;
        if let Some(o) = open {
            // No closing mark before the paragraph ends: a quote running into the next one.
            let oc = s[o..].chars().next().map_or(1, char::len_utf8);
            out.push(Marked {
                inner: Span(b.span.0 + o + oc, b.span.1),
                outer: Span(b.span.0 + o, b.span.1),
                block: bi,
                continues: true,
                continued: continued_here && o == 0,
            });
            carry = true;
        }
    }
    out
}

/// Entity mentions sorted by position: (span, entity index).
fn mention_index(entities: &[Entity]) -> Vec<(Span, usize)> {
    let mut v: Vec<(Span, usize)> = entities
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.mentions.iter().map(move |&m| (m, i)))
        .collect();
    v.sort_by_key(|(s, _)| s.0);
    v
}

fn speaker_of(entities: &[Entity], ei: usize, description: Option<String>) -> Speaker {
    let e = &entities[ei];
    Speaker {
        entity: Some(e.id.clone()),
        text: e.name.clone(),
        description: description.or_else(|| e.descriptions.first().cloned()),
    }
}

/// A transcript's speaker label opening a quote ("PENCE: Well, ...", "Q: ...", "SEN. WARREN:
/// ..."): the label and the byte offset of the words after it. Upper-case words only, at most
/// four, so that "Warning: ..." or a sentence with a colon is no label.
fn transcript_label(content: &str) -> Option<(&str, usize)> {
    let colon = content.find(": ")?;
    let label = &content[..colon];
    let ok = !label.is_empty()
        && label.len() <= 40
        && label.split_whitespace().count() <= 4
        && label.chars().any(|c| c.is_alphabetic())
        && label
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '-' | '\'' | '’'));
    let rest = content[colon + 2..].trim_start();
    (ok && !rest.is_empty()).then(|| (label, content.len() - rest.len()))
}

/// A name after a dash right behind a closing quotation mark, ending its line ("” ― Esther Tapia",
/// "” — Julie A. Diaz Martinez."): the name's span. One to six words, each capitalised, an
/// initial, or a name particle.
fn dash_attribution(text: &str, from: usize, block_end: usize) -> Option<Span> {
    if from >= block_end || block_end > text.len() {
        return None;
    }
    let end = text[from..block_end]
        .find('\n')
        .map_or(block_end, |i| from + i);
    let rest = &text[from..end];
    let after_ws = rest.trim_start();
    let dash = ['―', '—', '–']
        .iter()
        .find_map(|d| after_ws.strip_prefix(*d))
        .or_else(|| after_ws.strip_prefix("- "))
        .or_else(|| after_ws.strip_prefix("-- "))?;
    let name_start = end - dash.len() + (dash.len() - dash.trim_start().len());
    let name = text[name_start..end]
        .trim_end()
        .trim_end_matches(['.', ',']);
    let words: Vec<&str> = name.split_whitespace().collect();
    let ok = (1..=6).contains(&words.len())
        && words[0].chars().next().is_some_and(|c| c.is_uppercase())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(
                    *w,
                    "de" | "da"
                        | "del"
                        | "la"
                        | "le"
                        | "du"
                        | "di"
                        | "dos"
                        | "das"
                        | "van"
                        | "von"
                        | "der"
                        | "den"
                        | "bin"
                        | "ibn"
                        | "ben"
                        | "al"
                        | "y"
                )
                || w.starts_with("al-")
        });
    ok.then(|| Span(name_start, name_start + name.len()))
}

/// The speaker a transcript label names: the person of the article whose name ends with it
/// ("PENCE" → Mike Pence), else the label as written.
fn labelled_speaker(entities: &[Entity], label: &str) -> Speaker {
    let want = label.trim_end_matches('.').to_lowercase();
    let found = entities.iter().position(|e| {
        e.kind == EntityKind::Person
            && (e.name.to_lowercase() == want
                || e.name
                    .rsplit(' ')
                    .next()
                    .is_some_and(|last| last.to_lowercase() == want))
    });
    match found {
        Some(ei) => speaker_of(entities, ei, None),
        None => Speaker {
            entity: None,
            text: label.to_string(),
            description: None,
        },
    }
}

/// Whether an entity can speak (a person, organisation, group or country).
fn can_speak(e: &Entity) -> bool {
    matches!(
        e.kind,
        EntityKind::Person | EntityKind::Organization | EntityKind::Group | EntityKind::Country
    )
}

/// What a pronoun needs to know about the article's actors.
struct Discourse {
    /// (position, entity, strong) of actors in subject position, by position: strong for the
    /// subject of a reporting verb ("Smith said", "said Smith", "Smith, 64, told"), weak for a
    /// person opening a sentence ("Senator Jane Roe arrived ...").
    subjects: Vec<(usize, usize, bool)>,
    /// Per entity: Some(true) for a man, Some(false) for a woman, by the pronouns and titles
    /// around its mentions.
    gender: Vec<Option<bool>>,
    /// (position, name) of named speakers the entity stage did not keep, at their cue ("said
    /// NBC's Dana Roe", "Dana Roe, a pollster, said"), by position.
    written: Vec<(usize, String)>,
}

/// The article's [`Discourse`], read only to resolve a pronoun before a cue ("he said"): found
/// on first use, as many articles quote nobody that way and finding it (a pass over every
/// mention and word) cost more than the rest of the quote stage.
struct LazyDiscourse<'a> {
    text: &'a str,
    blocks: &'a [Block],
    sentences: &'a [Sentence],
    sentence_tokens: &'a [Vec<Token>],
    mentions: &'a [(Span, usize)],
    entities: &'a [Entity],
    found: std::cell::OnceCell<Discourse>,
}

impl LazyDiscourse<'_> {
    fn get(&self) -> &Discourse {
        self.found.get_or_init(|| {
            discourse(
                self.text,
                self.blocks,
                self.sentences,
                self.sentence_tokens,
                self.mentions,
                self.entities,
            )
        })
    }
}

/// Named speakers written out at a reporting verb where no actor was found: one pass over the
/// article's words.
fn written_subjects(
    text: &str,
    blocks: &[Block],
    sentences: &[Sentence],
    sentence_tokens: &[Vec<Token>],
    mentions: &[(Span, usize)],
    entities: &[Entity],
) -> Vec<(usize, String)> {
    let boundary = |c: char| {
        matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '\n'
                | '('
                | ')'
                | '\u{201C}'
                | '\u{201D}'
                | '"'
                | '\u{2014}'
                | '\u{2013}'
        )
    };
    let mut out = Vec::new();
    // A block's tokens are its sentences' tokens (sentences are separated by spaces only).
    let mut toks: Vec<Token> = Vec::new();
    let mut si = 0;
    for (bi, b) in blocks.iter().enumerate() {
        while si < sentences.len() && sentences[si].block < bi {
            si += 1;
        }
        if b.kind != BlockKind::Body {
            continue;
        }
        toks.clear();
        while si < sentences.len() && sentences[si].block == bi {
            toks.extend_from_slice(&sentence_tokens[si]);
            si += 1;
        }
        for (k, t) in toks.iter().enumerate() {
            if t.kind != TokKind::Word {
                continue;
            }
            let w = lowercase(t.text(text));
            if !CUES.contains(w.as_ref()) || w == "according" || w.ends_with("ing") {
                continue;
            }
            let inverted = k > 0 && matches!(toks[k - 1].text(text), "," | "\u{201D}" | "\"");
            let phrase = if inverted {
                if matches!(w.as_ref(), "told" | "tells" | "asked") {
                    continue;
                }
                let rest = &text[t.span.1..b.span.1];
                let end = rest.find(boundary).unwrap_or(rest.len());
                let start = t.span.1 + (rest.len() - rest.trim_start().len());
                let words: Vec<&str> = rest[..end]
                    .split_whitespace()
                    .take_while(|w| !NOT_IN_NAME.contains(w.to_lowercase().as_str()))
                    .collect();
                (start, words.join(" "))
            } else {
                let head = &text[b.span.0..t.span.0];
                let start = head
                    .char_indices()
                    .rfind(|&(_, c)| boundary(c))
                    .map_or(b.span.0, |(i, c)| b.span.0 + i + c.len_utf8());
                (start, text[start..t.span.0].to_string())
            };
            let Some(name) = written_speaker(&phrase.1) else {
                continue;
            };
            let named = name.split_whitespace().any(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && !SPEAKER_DETERMINERS.contains(w.to_lowercase().as_str())
            });
            let span = Span(phrase.0, phrase.0 + phrase.1.len());
            let lo = mentions.partition_point(|(m, _)| m.1 <= span.0);
            let has_actor = mentions[lo..]
                .iter()
                .take_while(|(m, _)| m.0 < span.1)
                .any(|(m, ei)| m.overlaps(span) && can_speak(&entities[*ei]));
            if named && !has_actor {
                out.push((phrase.0, name));
            }
        }
    }
    out
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The first word after a mention when it is a lower-case word (a verb, perhaps), else "".
fn after_verbish(tail: &str) -> &str {
    let t = tail.trim_start();
    if !t.starts_with(|c: char| c.is_lowercase()) {
        return "";
    }
    let w = t.split_whitespace().next().unwrap_or("");
    w.trim_end_matches(|c: char| !c.is_alphanumeric())
}

fn is_cue_word(w: &str) -> bool {
    CUES.contains(w) || CUES_AFTER_QUOTE.contains(w)
}

/// Subjects and genders from one pass over the mentions, looking a few words either side of
/// each (linear in the article).
fn discourse(
    text: &str,
    blocks: &[Block],
    sentences: &[Sentence],
    sentence_tokens: &[Vec<Token>],
    mentions: &[(Span, usize)],
    entities: &[Entity],
) -> Discourse {
    fn strip(w: &str) -> std::borrow::Cow<'_, str> {
        lowercase(w.trim_matches(|c: char| !c.is_alphanumeric()))
    }
    let mut subjects = Vec::new();
    let mut he = vec![0u32; entities.len()];
    let mut she = vec![0u32; entities.len()];
    // For each mention, where the next person other than its own is named: one backward pass
    // keeping the nearest person mention ahead and the nearest of another person.
    let mut next_other: Vec<Option<usize>> = vec![None; mentions.len()];
    let (mut near, mut other): (Option<(usize, usize)>, Option<usize>) = (None, None);
    for (k, &(s, ei)) in mentions.iter().enumerate().rev() {
        next_other[k] = match near {
            Some((p, e)) if e != ei => Some(p),
            _ => other,
        };
        if entities[ei].kind == EntityKind::Person {
            other = match near {
                Some((p, e)) if e != ei => Some(p),
                _ => other,
            };
            near = Some((s.0, ei));
        }
    }
    let mut bi = 0;
    for (k, &(s, ei)) in mentions.iter().enumerate() {
        let e = &entities[ei];
        // Headlines and bylines name people, but a pronoun in the story never points there.
        while bi + 1 < blocks.len() && blocks[bi].span.1 <= s.0 {
            bi += 1;
        }
        let in_heading = blocks.get(bi).is_some_and(|b| {
            b.span.contains(s)
                && matches!(
                    b.kind,
                    BlockKind::Heading | BlockKind::Byline | BlockKind::Boilerplate
                )
        });
        if !can_speak(e) || in_heading {
            continue;
        }
        // After the mention: an apposition between commas, adverbs, then the verb.
        let tail = &text[s.1..floor_boundary(text, s.1 + 160)];
        let mut after = tail;
        if let Some(rest) = tail.strip_prefix(',') {
            if let Some(close) = rest.find(',').filter(|&c| c < 120) {
                after = &rest[close + 1..];
            }
        }
        // A participle ("Smith, the mayor, saying ...") belongs to the sentence's subject.
        let strong_after = after
            .split_whitespace()
            .map(strip)
            .find(|w| !is_cue_adverb(w))
            .is_some_and(|w| is_cue_word(&w) && !w.ends_with("ing"))
            && !after.trim_start().starts_with(['\'', '\u{2019}']);
        // Before it: "”, said Smith" / "” said the Smith".
        let head = &text[floor_boundary(text, s.0.saturating_sub(40))..s.0];
        let mut back = head.split_whitespace().rev();
        let strong_before = back.next().is_some_and(|w| {
            let w = strip(w);
            is_cue_word(&w) && !matches!(&*w, "told" | "tells" | "asked" | "asks")
        }) && back
            .next()
            .is_some_and(|w| w.ends_with([',', '\u{201D}', '"', '?', '!']))
            // "..., said Roe." ends the clause; "..., said Roe's plan was" does not.
            && (tail.trim_start().is_empty()
                || tail.trim_start().starts_with([',', '.', ';', ':', '(', '\u{2014}', '\u{2013}'])
                || tail
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| matches!(w, "of" | "who" | "in" | "at" | "on")));
        // Opening its sentence, titles aside ("Former Gov. Jane Roe", "But Smith").
        let sent_head = head
            .rsplit(['.', '!', '?', '\n', ':'])
            .next()
            .unwrap_or(head);
        let opens = head.len() < 40 && !text[..s.0].contains(|c: char| !c.is_whitespace())
            || (sent_head.len() < head.len()
                && !sent_head.contains(['\u{201C}', '\u{201D}', '"'])
                && sent_head
                    .split_whitespace()
                    .next()
                    .is_none_or(|w| w.chars().next().is_some_and(char::is_uppercase))
                && sent_head.split_whitespace().all(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        || matches!(w, "the" | "of" | "and")
                }));
        if e.kind == EntityKind::Person || strong_after || strong_before {
            if strong_after || strong_before {
                subjects.push((s.0, ei, true));
            } else if opens || {
                // A name right before a verb in the past tense ("Clinton criticized ...").
                let next = after_verbish(tail);
                next.len() > 3 && next.ends_with("ed") && s.0 > 0
            } {
                subjects.push((s.0, ei, false));
            }
        }
        if e.kind != EntityKind::Person {
            continue;
        }
        // Gender: a title before the mention, else the pronouns after it up to the next person.
        let title = head.split_whitespace().next_back().unwrap_or("");
        match title.trim_end_matches('.') {
            "Mr" => he[ei] += 3,
            "Mrs" | "Ms" | "Miss" => she[ei] += 3,
            _ => {}
        }
        let next_person = next_other[k].unwrap_or(text.len()).min(s.1 + 200);
        let window = &text[s.1..floor_boundary(text, next_person).max(s.1)];
        // The first pronoun after the mention, before anyone else is named.
        for w in window.split_whitespace() {
            // Only words starting with h or s can be one of the pronouns: skip the rest uncopied.
            if !w
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .starts_with(['h', 'H', 's', 'S'])
            {
                continue;
            }
            match &*strip(w) {
                "he" | "his" | "himself" => {
                    he[ei] += 1;
                    break;
                }
                "she" | "her" | "herself" => {
                    she[ei] += 1;
                    break;
                }
                _ => {}
            }
        }
    }
    let gender = (0..entities.len())
        .map(|i| {
            // One pronoun is too little to go by (a translated "he" for a woman).
            if he[i] >= 2 && he[i] > she[i] * 2 {
                Some(true)
            } else if she[i] >= 2 && she[i] > he[i] * 2 {
                Some(false)
            } else {
                None
            }
        })
        .collect();
    let written = written_subjects(text, blocks, sentences, sentence_tokens, mentions, entities);
    Discourse {
        subjects,
        gender,
        written,
    }
}

/// The quote stage.
pub struct Quotes;

impl Quotes {
    /// Find the quotes of an article.
    pub fn extract(
        text: &str,
        blocks: &[Block],
        sentences: &[Sentence],
        sentence_tokens: &[Vec<Token>],
        entities: &[Entity],
    ) -> Vec<Quote> {
        let mentions = mention_index(entities);
        let discourse = LazyDiscourse {
            text,
            blocks,
            sentences,
            sentence_tokens,
            mentions: &mentions,
            entities,
            found: std::cell::OnceCell::new(),
        };
        let marked = marked_spans(text, blocks);
        let sentence_of = |pos: usize| crate::sentences::sentence_at(sentences, pos);
        let mut quotes: Vec<Quote> = Vec::new();
        // Speaker, block and position of the last quote.
        let mut last_speaker: Option<(Speaker, usize, usize)> = None;
        for (qi, m) in marked.iter().enumerate() {
            let content = m.inner.slice(text).trim_end_matches([',', ' ']).trim();
            if content.is_empty() {
                continue;
            }
            // A transcript line quoted whole ("“PENCE: Well, look, ...”"): the label is the
            // speaker and not part of what was said.
            let label = transcript_label(content);
            let (content, inner_start) = match label {
                Some((_, skip)) => {
                    let inner = m.inner.slice(text);
                    let lead = inner.len() - inner.trim_start().len();
                    (&content[skip..], m.inner.0 + lead + skip)
                }
                None => (content, m.inner.0),
            };
            // A stage direction of a transcript ("(CROSSTALK.)", "[applause]") is nobody's words.
            let bare = content.trim_end_matches(['.', ',']);
            if (bare.starts_with('(') && bare.ends_with(')'))
                || (bare.starts_with('[') && bare.ends_with(']'))
            {
                continue;
            }
            let words = content.split_whitespace().count();
            // The sentence(s) around the quote.
            let si = sentence_of(m.outer.0);
            let sent = si
                .map(|i| sentences[i].span)
                .unwrap_or(blocks[m.block].span);
            let sent_end = sentence_of(m.outer.1.saturating_sub(1))
                .map(|i| sentences[i].span.1)
                .unwrap_or(sent.1);
            let block_span = blocks[m.block].span;
            // Text before the opening mark within its sentence, and after the closing one.
            let before = &text[sent.0.max(block_span.0)..m.outer.0];
            let mut after_end = sent_end.max(m.outer.1).min(block_span.1);
            let lowercase_start = content.chars().next().is_some_and(|c| c.is_lowercase());
            let mid_sentence =
                !before.trim().is_empty() && !before.trim_end().ends_with([':', ',']);
            let kind = if label.is_none() && mid_sentence && (lowercase_start || words <= 4) {
                "partial"
            } else {
                "direct"
            };
            // A cue after the quote: ”, he said. / ” said Ali Adnan / ,” the official X told Y.
            // Partial quotes take the cue of the reported speech around them, before them first.
            // "“...” ― Carla Sanchez": a name after a dash attributes the quote.
            let dashed = if label.is_none() {
                dash_attribution(text, m.outer.1, block_span.1)
            } else {
                None
            };
            let (mut cue, mut from_before) = (None, false);
            if label.is_some() || dashed.is_some() {
                // The label attributes the line; no cue is looked for.
            } else if kind == "partial" {
                cue = find_cue(text, sent.0.max(block_span.0), m.outer.0, false);
                from_before = cue.is_some();
            }
            if cue.is_none() && label.is_none() && dashed.is_none() {
                cue = find_cue(text, m.outer.1, after_end, true);
                from_before = false;
            }
            // A quotation that ends its sentence ("“Who pays?” Ruiz asked.") has its cue in
            // the next one when that opens with a short subject and the verb.
            if cue.is_none()
                && label.is_none()
                && dashed.is_none()
                && !text[m.outer.1..after_end]
                    .chars()
                    .any(char::is_alphanumeric)
            {
                let next = sentence_of(m.outer.1.saturating_sub(1))
                    .and_then(|i| sentences.get(i + 1))
                    .filter(|n| {
                        n.span.0 >= m.outer.1
                            && n.span.1 <= block_span.1
                            && text[m.outer.1..n.span.0].trim().is_empty()
                    });
                if let Some(n) = next {
                    let c = find_cue(text, n.span.0, n.span.1, true)
                        .filter(|(cs, _)| text[n.span.0..cs.0].split_whitespace().count() <= 4);
                    if c.is_some() {
                        cue = c;
                        after_end = n.span.1;
                    }
                }
            }
            if cue.is_none() && label.is_none() && dashed.is_none() {
                cue = find_cue(text, sent.0.max(block_span.0), m.outer.0, false);
                from_before = cue.is_some();
            }
            // A paragraph that opens with the quotation after one that ends in a colon ("Smith
            // told reporters:"): the cue is there.
            let mut lead_in: Option<usize> = None;
            let mut lead_in_speaker: Option<Speaker> = None;
            if cue.is_none() && label.is_none() && dashed.is_none() && m.block > 0 {
                let pb = &blocks[m.block - 1];
                let prev_text = pb.span.slice(text).trim_end();
                let opens_block = text[block_span.0..m.outer.0].trim().is_empty();
                if opens_block && pb.kind == BlockKind::Body && prev_text.ends_with(':') {
                    let colon = pb.span.0 + prev_text.len() - 1;
                    let ps = sentence_of(colon)
                        .map_or(pb.span.0, |i| sentences[i].span.0)
                        .max(pb.span.0);
                    cue = find_cue(text, ps, colon, false);
                    from_before = cue.is_some();
                    lead_in = cue.as_ref().map(|_| ps);
                    if cue.is_none() {
                        // "On July 6, Sanders made the following comment:": the subject of
                        // the lead-in speaks.
                        let clause = &text[ps..colon];
                        let last = clause.rsplit(',').next().unwrap_or(clause);
                        lead_in_speaker = mentions
                            .iter()
                            .find(|(ms, ei)| {
                                ms.0 >= colon - last.len()
                                    && ms.1 <= colon
                                    && can_speak(&entities[*ei])
                                    && text[colon - last.len()..ms.0]
                                        .split_whitespace()
                                        .all(|w| w.chars().next().is_some_and(char::is_uppercase))
                            })
                            .map(|(_, ei)| speaker_of(entities, *ei, None))
                            .or_else(|| {
                                leading_name(last).map(|t| Speaker {
                                    entity: None,
                                    text: t,
                                    description: None,
                                })
                            });
                    }
                }
            }
            // The next quote of the same sentence may carry the cue ("“A,” he said. “B”" is two
            // sentences; "“A,” he said, “B.”" is one).
            let mut speaker: Option<Speaker> = None;
            let mut listener: Option<Speaker> = None;
            if let Some((cspan, cverb)) = &cue {
                let (sp, li) = speaker_near_cue(
                    text,
                    &mentions,
                    entities,
                    &discourse,
                    last_speaker.as_ref().map(|(sp, _, pos)| (*pos, sp)),
                    *cspan,
                    cverb.as_str(),
                    from_before,
                    lead_in.unwrap_or(sent.0.max(block_span.0)),
                    after_end,
                    m.outer,
                );
                speaker = sp;
                listener = li;
            }
            // A cue after the quotation that names nobody ("“...,” adding that ...") leaves the
            // quotation to the cue before it ("Roe said: “...,” adding ...").
            if speaker.is_none() && cue.is_some() && !from_before && kind == "direct" {
                let start = sent.0.max(block_span.0);
                if let Some((cspan, cverb)) = find_cue(text, start, m.outer.0, false) {
                    let (sp, li) = speaker_near_cue(
                        text,
                        &mentions,
                        entities,
                        &discourse,
                        last_speaker.as_ref().map(|(sp, _, pos)| (*pos, sp)),
                        cspan,
                        cverb.as_str(),
                        true,
                        start,
                        after_end,
                        m.outer,
                    );
                    if sp.is_some() {
                        speaker = sp;
                        listener = li;
                        cue = Some((cspan, cverb));
                    }
                }
            }
            if speaker.is_none() {
                speaker = lead_in_speaker;
            }
            if let Some((name, _)) = label {
                speaker = Some(labelled_speaker(entities, name));
            }
            if let Some(name) = dashed {
                // The entity there, unless the name finder took less of the name than the
                // line gives ("Dana K" of "Dana K. Ruiz"): then the name as written.
                let written = name.slice(text);
                speaker = Some(
                    mentions
                        .iter()
                        .find(|(ms, ei)| ms.overlaps(name) && can_speak(&entities[*ei]))
                        .map(|&(_, ei)| speaker_of(entities, ei, None))
                        .filter(|sp| sp.text.len() >= written.len())
                        .unwrap_or_else(|| Speaker {
                            entity: None,
                            text: written.to_string(),
                            description: None,
                        }),
                );
            }
            // Continuation: a quote with no cue right after a quote of the previous paragraph, or a
            // second quote in the same paragraph, keeps that speaker.
            let continuation = cue.is_none()
                && (m.continued
                    || qi > 0 && (marked[qi - 1].continues || marked[qi - 1].block + 1 >= m.block));
            if speaker.is_none() && (continuation || cue.is_some() || kind == "direct") {
                if let Some((sp, b, _)) = &last_speaker {
                    if m.block <= b + 1 {
                        speaker = Some(sp.clone());
                    }
                }
            }
            // Scare quotes and titles: short, no cue, no speaker.
            if speaker.is_none() && cue.is_none() && words <= 3 {
                continue;
            }
            if let Some(sp) = &speaker {
                last_speaker = Some((sp.clone(), m.block, m.outer.1));
            }
            quotes.push(Quote {
                id: String::new(),
                kind: kind.to_string(),
                text: content.to_string(),
                span: Span(
                    inner_start,
                    m.inner.0
                        + m.inner
                            .slice(text)
                            .trim_end_matches([',', ' '])
                            .trim_end()
                            .len(),
                ),
                speaker,
                cue: cue.map(|(span, t)| Cue { text: t, span }),
                listener,
                block: blocks[m.block].kind,
            });
        }
        // Indirect speech: "X said that ...", "according to X, ..." outside quotation marks.
        for (s, toks) in sentences.iter().zip(sentence_tokens) {
            let bk = blocks
                .get(s.block)
                .map(|b| b.kind)
                .unwrap_or(BlockKind::Body);
            if bk != BlockKind::Body || marked.iter().any(|m| m.outer.overlaps(s.span)) {
                continue;
            }
            if let Some(q) = indirect(text, s.span, toks, &mentions, entities, &discourse) {
                quotes.push(Quote { block: bk, ..q });
            }
        }
        quotes.sort_by_key(|q| q.span.0);
        for (i, q) in quotes.iter_mut().enumerate() {
            q.id = format!("q{}", i + 1);
        }
        quotes
    }
}

/// The first reporting verb in `[from, to)`: (its span, the verb). When `after` is set, only a
/// cue close to the quote counts (within the first eight words).
fn find_cue(text: &str, from: usize, to: usize, after: bool) -> Option<(Span, String)> {
    if from >= to {
        return None;
    }
    let toks = tokenize(text, Span(from, to));
    // After a quotation the cue comes within a few words, or after an apposition ("”, Jane
    // Roe, 30, of Dayton, who voted for him, said").
    let limit = if after { 24 } else { usize::MAX };
    let mut found = None;
    for (k, t) in toks.iter().enumerate().take(limit) {
        if t.kind != TokKind::Word {
            continue;
        }
        let w = lowercase(t.text(text));
        let next = toks
            .get(k + 1)
            .map_or(std::borrow::Cow::Borrowed(""), |x| lowercase(x.text(text)));
        if CUES.contains(w.as_ref())
            || CUE_PARTICIPLES.contains(w.as_ref())
            || (after && (CUES_AFTER_QUOTE.contains(w.as_ref()) || phrasal_cue(&w, &next)))
        {
            if w == "according" && next != "to" {
                continue;
            }
            found = Some((t.span, t.text(text).to_string()));
            if after {
                break;
            }
        }
        // After a quote, a new clause with its own subject ends the search.
        if after && matches!(w.as_ref(), "but" | "while" | "because") {
            break;
        }
    }
    found
}

/// The speaker (and listener) at a cue verb. After a quote the speaker may follow the verb ("said
/// Ali Adnan") or precede it ("he said", "the official X told Y"); before a quote it is the
/// subject before the verb ("X said: “...”", "X called the meeting “unacceptable.”").
#[allow(clippy::too_many_arguments)]
fn speaker_near_cue(
    text: &str,
    mentions: &[(Span, usize)],
    entities: &[Entity],
    discourse: &LazyDiscourse,
    prev: Option<(usize, &Speaker)>,
    cue: Span,
    verb: &str,
    cue_before_quote: bool,
    sent_start: usize,
    sent_end: usize,
    quote: Span,
) -> (Option<Speaker>, Option<Speaker>) {
    let verb_l = verb.to_lowercase();
    let region_before = if cue_before_quote {
        Span(sent_start, cue.0)
    } else {
        Span(quote.1, cue.0)
    };
    let region_after = Span(cue.1, if cue_before_quote { quote.0 } else { sent_end });
    // Listener: "told Al Jazeera" / "told reporters".
    let listener = if matches!(verb_l.as_str(), "told" | "tells" | "tell" | "telling") {
        mentions
            .iter()
            .find(|(s, ei)| {
                region_after.contains(*s) && s.0 <= cue.1 + 3 && can_speak(&entities[*ei])
            })
            .map(|(_, ei)| speaker_of(entities, *ei, None))
    } else {
        None
    };
    // "according to X": X follows.
    if verb_l == "according" {
        let sp = mentions
            .iter()
            .find(|(s, ei)| s.0 >= cue.1 && s.0 <= cue.1 + 8 && can_speak(&entities[*ei]))
            .map(|(_, ei)| speaker_of(entities, *ei, None))
            .or_else(|| {
                // "According to Limbaugh, ..." with no actor found: the name as written.
                let rest = text[cue.1..sent_end.max(cue.1)].trim_start();
                let rest = rest.strip_prefix("to").unwrap_or("");
                let phrase = rest
                    .split([',', '.', ';', ':', '(', '\n', '\u{201C}', '"'])
                    .next()
                    .unwrap_or("");
                written_speaker(phrase).map(|t| Speaker {
                    entity: None,
                    text: t,
                    description: None,
                })
            });
        return (sp, None);
    }
    // Nearest actor before the verb in the region (the subject). A participle after a comma
    // ("Smith met the mayor, saying: ...") takes the subject of its sentence instead: the first
    // actor that no preposition governs.
    let in_before = |s: &Span, ei: &usize| {
        region_before.contains(*s) && can_speak(&entities[*ei]) && !quote.contains(*s)
    };
    let participle = cue_before_quote
        && verb_l.ends_with("ing")
        && text[region_before.0..cue.0].trim_end().ends_with(',');
    let subject = participle
        .then(|| {
            mentions
                .iter()
                .filter(|(s, ei)| in_before(s, ei))
                .find(|(s, _)| {
                    let prev = text[region_before.0..s.0]
                        .split_whitespace()
                        .next_back()
                        .map(str::to_lowercase);
                    !prev.is_some_and(|p| {
                        matches!(
                            p.as_str(),
                            "of" | "with"
                                | "to"
                                | "for"
                                | "by"
                                | "from"
                                | "about"
                                | "after"
                                | "meeting"
                                | "at"
                                | "on"
                                | "in"
                                | "against"
                                | "and"
                        )
                    })
                })
        })
        .flatten();
    // After a quotation the subject is the first actor between the closing mark and the verb,
    // before its apposition ("”, Jane Roe, the attorney general of a state suing the EPA,
    // said"), unless it is a possessive ("”, Roe's spokesman said").
    let head_after_quote = (!cue_before_quote)
        .then(|| {
            mentions
                .iter()
                .filter(|(s, ei)| in_before(s, ei))
                .find(|(s, _)| {
                    !text[s.1..].starts_with(['\'', '\u{2019}'])
                        && text[region_before.0..s.0]
                            .trim_start_matches([',', ' '])
                            .len()
                            < 60
                })
        })
        .flatten();
    let before_sp = subject
        .or(head_after_quote)
        .or_else(|| {
            mentions
                .iter()
                .filter(|(s, ei)| in_before(s, ei))
                .max_by_key(|(s, _)| s.1)
        })
        .map(|(s, ei)| (*s, *ei));
    // A pronoun right before the verb.
    let gap_before = &text[region_before.0..region_before.1];
    let pronoun = gap_before
        .trim_end()
        .rsplit(|c: char| c.is_whitespace() || c == ',' || c == '\u{201D}' || c == '"')
        .next()
        .map(str::to_lowercase)
        .filter(|w| matches!(w.as_str(), "he" | "she" | "they" | "we" | "i"));
    if let Some(p) = pronoun {
        let discourse = discourse.get();
        let want_person = p != "they";
        let fits = |ei: usize| {
            if want_person {
                entities[ei].kind == EntityKind::Person && person_like(&entities[ei].name)
            } else {
                can_speak(&entities[ei])
            }
        };
        let limit = quote.0.min(cue.0);
        // "he said" after a quotation stands for the last person quoted or reported ("Smith
        // said ... “...,” he said"), unless another person opened a sentence since: the
        // subject of the narration in between.
        let gender_ok = |ei: usize| {
            !matches!(
                (p.as_str(), discourse.gender[ei]),
                ("he", Some(false)) | ("she", Some(true))
            )
        };
        if want_person && matches!(p.as_str(), "he" | "she") {
            let upto = discourse
                .subjects
                .partition_point(|(pos, _, _)| *pos < limit);
            let found = discourse.subjects[..upto]
                .iter()
                .rev()
                .find(|(pos, ei, _)| {
                    !quote.contains(Span(*pos, *pos + 1)) && fits(*ei) && gender_ok(*ei)
                });
            // A speaker written out at an earlier quote, closer than any named subject.
            if let Some((pos, sp)) = prev {
                if sp.entity.is_none() && found.is_none_or(|f| f.0 < pos) && pos < limit {
                    return (Some(sp.clone()), listener);
                }
            }
            // A named speaker written out at a cue, closer than any actor.
            let wupto = discourse.written.partition_point(|(pos, _)| *pos < limit);
            if let Some((pos, name)) = discourse.written[..wupto].last() {
                if found.is_none_or(|f| f.0 < *pos) && !quote.contains(Span(*pos, *pos + 1)) {
                    let sp = Speaker {
                        entity: None,
                        text: name.clone(),
                        description: None,
                    };
                    return (Some(sp), listener);
                }
            }
            if let Some(&(_, ei, _)) = found {
                return (Some(speaker_of(entities, ei, None)), listener);
            }
        }
        // The last fitting mention, then the first fitting mention of its sentence: the subject
        // ("Mariam, an 18-year-old student, attended ... “I am here,” he told"), not a name in a
        // modifier ("the Salih-Trump meeting").
        let upto = mentions.partition_point(|(s, _)| s.0 < limit);
        let last = mentions[..upto]
            .iter()
            .rev()
            .find(|(s, ei)| s.1 <= limit && !quote.contains(*s) && fits(*ei) && gender_ok(*ei));
        let ante = last.and_then(|(ls, lei)| {
            let sent_start = text[..ls.0]
                .rfind(['.', '!', '?', '\n', '\u{201D}'])
                .map_or(0, |i| i + 1);
            mentions
                .iter()
                .find(|(s, ei)| {
                    s.0 >= sent_start
                        && s.1 <= ls.1
                        && fits(*ei)
                        && !text[s.1..ls.0.max(s.1)].contains('\u{201C}')
                })
                .map(|(_, ei)| *ei)
                .or(Some(*lei))
        });
        return (ante.map(|ei| speaker_of(entities, ei, None)), listener);
    }
    // Words between the closing mark and the verb are its subject ("”, Smith told CNN"); only
    // with none ("”, said Smith") does the speaker follow the verb, and never the one told.
    let gap_empty = !gap_before.chars().any(char::is_alphanumeric);
    let told = matches!(
        verb_l.as_str(),
        "told" | "tells" | "tell" | "telling" | "asked" | "asks" | "ask" | "asking"
    );
    if !cue_before_quote && gap_empty && !told {
        // "said Ali Adnan", "said demonstrator Ali Adnan": speaker right after the verb.
        if let Some((s, ei)) = mentions.iter().find(|(s, ei)| {
            region_after.contains(*s)
                && s.0 <= cue.1 + 25
                && can_speak(&entities[*ei])
                && entities[*ei].kind == EntityKind::Person
        }) {
            let desc = text[cue.1..s.0].trim();
            let desc = (!desc.is_empty()).then(|| desc.to_string());
            return (Some(speaker_of(entities, *ei, desc)), listener);
        }
    }
    match before_sp {
        Some((s, ei)) => {
            // A descriptor before the name inside the cue clause ("the official").
            let lead = text[region_before.0..s.0].trim();
            let desc = lead
                .rsplit([',', '\u{201D}', '"'])
                .next()
                .map(str::trim)
                .filter(|d| {
                    !d.is_empty()
                        && d.split_whitespace().count() <= 4
                        && d.chars().next().is_some_and(char::is_lowercase)
                })
                .map(str::to_string);
            (Some(speaker_of(entities, ei, desc)), listener)
        }
        None => {
            let written = if cue_before_quote {
                // "Reporter Jane Roe says:", "In a statement, the committee said:".
                let clause = gap_before
                    .rsplit([',', '\u{201D}', '"', '('])
                    .next()
                    .unwrap_or("");
                if participle {
                    gap_before
                        .split([',', '\u{201D}', '"', '('])
                        .next()
                        .and_then(leading_name)
                } else {
                    written_speaker(clause)
                }
            } else if !gap_empty {
                // "”, Viguerie says." / "”, the senator said." / "”, Smith, 69, told".
                written_speaker(
                    gap_before
                        .trim_start_matches([',', ' '])
                        .split(',')
                        .next()
                        .unwrap_or(""),
                )
            } else if !told {
                // "”, said the Florida senator." / "”, says a narrator."
                let rest = &text[cue.1..sent_end.max(cue.1)];
                let phrase = rest
                    .split([
                        ',', '.', ';', ':', '(', '!', '?', '\n', '\u{2014}', '\u{2013}',
                        '\u{201C}', '"',
                    ])
                    .next()
                    .unwrap_or("");
                let cut: Vec<&str> = phrase
                    .split_whitespace()
                    .take_while(|w| !NOT_IN_NAME.contains(w.to_lowercase().as_str()))
                    .collect();
                written_speaker(&cut.join(" "))
            } else {
                None
            };
            let sp = written.map(|t| Speaker {
                entity: None,
                text: t,
                description: None,
            });
            (sp, listener)
        }
    }
}

/// Whether a name taken for a person can be one that "he" or "she" points to: not an
/// institution's name ("Commission on Debates", "Security Council"), a bare acronym ("MSNBC"),
/// or a name with a weekday stuck to it ("NBC Monday").
fn person_like(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let acronym = words.len() == 1
        && name.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && name.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
    !acronym
        && !words.iter().any(|w| {
            matches!(
                w.trim_matches(|c: char| !c.is_alphanumeric()),
                "Commission"
                    | "Council"
                    | "Committee"
                    | "Center"
                    | "Centre"
                    | "Senate"
                    | "House"
                    | "Department"
                    | "Agency"
                    | "Party"
                    | "People"
                    | "University"
                    | "Institute"
                    | "Association"
                    | "News"
                    | "Times"
                    | "Post"
                    | "Network"
                    | "Foundation"
                    | "Court"
                    | "Board"
                    | "Campaign"
                    | "Administration"
                    | "Monday"
                    | "Tuesday"
                    | "Wednesday"
                    | "Thursday"
                    | "Friday"
                    | "Saturday"
                    | "Sunday"
                    | "Bible"
                    | "Office"
                    | "Ministry"
                    | "Company"
                    | "Group"
                    | "Union"
                    | "Television"
                    | "Radio"
                    | "Magazine"
                    | "Journal"
            )
        })
}

/// The capitalised words that open a clause ("Hillary Clinton immediately posted" → "Hillary
/// Clinton"): a name, with "of" and "the" allowed inside it.
fn leading_name(clause: &str) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    for w in clause.split_whitespace() {
        let cap = w.chars().next().is_some_and(char::is_uppercase);
        if cap || (!words.is_empty() && matches!(w, "of" | "the")) {
            words.push(w);
        } else {
            break;
        }
    }
    while words.last().is_some_and(|w| matches!(*w, "of" | "the")) {
        words.pop();
    }
    written_speaker(&words.join(" "))
}

/// "X said that ...", "X told Y that ...", "according to X, ...": an indirect quote.
fn indirect(
    text: &str,
    s: Span,
    toks: &[Token],
    mentions: &[(Span, usize)],
    entities: &[Entity],
    discourse: &LazyDiscourse,
) -> Option<Quote> {
    for (k, t) in toks.iter().enumerate() {
        let w = lowercase(t.text(text));
        if !CUES.contains(w.as_ref()) || w == "according" {
            continue;
        }
        // "said that ...", "told reporters that ..."
        let that = toks
            .iter()
            .skip(k + 1)
            .take(5)
            .position(|x| x.text(text) == "that")
            .map(|p| k + 1 + p)?;
        let content_start = toks.get(that + 1)?.span.0;
        let content_end = s.1;
        let content = text[content_start..content_end].trim_end_matches(['.', ' ']);
        if content.split_whitespace().count() < 3 {
            return None;
        }
        let (speaker, _) = speaker_near_cue(
            text,
            mentions,
            entities,
            discourse,
            None,
            t.span,
            &w,
            true,
            s.0,
            s.1,
            Span(content_start, content_end),
        );
        speaker.as_ref()?;
        return Some(Quote {
            id: String::new(),
            kind: "indirect".into(),
            text: content.to_string(),
            span: Span(content_start, content_start + content.len()),
            speaker,
            cue: Some(Cue {
                text: t.text(text).to_string(),
                span: t.span,
            }),
            listener: None,
            block: BlockKind::Body,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Article;

    fn quotes_of(text: &str) -> (String, Vec<Quote>) {
        let rec = crate::Pipeline::new().process(Article {
            id: "t".into(),
            text: text.into(),
            ..Article::default()
        });
        (rec.text.clone(), rec.quotes)
    }

    #[test]
    fn transcript_labels_name_the_speaker_and_leave_the_words() {
        let (text, qs) = quotes_of(
            "Governor Mara Velasquez spoke with the host Tom Brennan on Sunday.\n\n\
             \"BRENNAN: Will the budget pass this week?\"\n\n\
             \"(CROSSTALK.)\"\n\n\
             \"VELASQUEZ: It will pass, because the votes are there and the people want it.\"\n",
        );
        let direct: Vec<&Quote> = qs.iter().filter(|q| q.kind == "direct").collect();
        assert_eq!(direct.len(), 2, "{qs:?}");
        assert_eq!(direct[0].text, "Will the budget pass this week?");
        assert_eq!(direct[0].span.slice(&text), direct[0].text);
        assert_eq!(direct[0].speaker.as_ref().unwrap().text, "Tom Brennan");
        assert!(direct[1].text.starts_with("It will pass"));
        assert!(qs.iter().all(|q| !q.text.contains("CROSSTALK")), "{qs:?}");
        assert_eq!(direct[1].speaker.as_ref().unwrap().text, "Mara Velasquez");
    }

    /// (quote text, speaker text) of every quote.
    fn speakers_of(text: &str) -> Vec<(String, Option<String>)> {
        quotes_of(text)
            .1
            .into_iter()
            .map(|q| (q.text, q.speaker.map(|s| s.text)))
            .collect()
    }

    fn speaker_for(all: &[(String, Option<String>)], quote: &str) -> Option<String> {
        all.iter()
            .find(|(t, _)| t.starts_with(quote))
            .unwrap_or_else(|| panic!("no quote {quote:?} in {all:?}"))
            .1
            .clone()
    }

    #[test]
    fn the_one_told_is_the_listener_not_the_speaker() {
        let all = speakers_of(
            "Harbor council delays vote on pier repairs\n\n\
             \u{201c}The bridge will open in May,\u{201d} Dana Whitfield told Radio Harbor on Tuesday.\n",
        );
        assert_eq!(
            speaker_for(&all, "The bridge").as_deref(),
            Some("Dana Whitfield")
        );
    }

    #[test]
    fn a_speaker_without_a_name_is_written_out() {
        let all = speakers_of(
            "Dock workers walk out\n\n\
             \u{201c}We will not back down,\u{201d} the union leader said.\n\n\
             \u{201c}The vote was close,\u{201d} said a county official.\n",
        );
        assert_eq!(
            speaker_for(&all, "We will not").as_deref(),
            Some("the union leader")
        );
        assert_eq!(
            speaker_for(&all, "The vote was").as_deref(),
            Some("a county official")
        );
        assert_eq!(written_speaker("he"), None);
        assert_eq!(written_speaker("after the meeting"), None);
        assert_eq!(
            written_speaker("the aide later").as_deref(),
            Some("the aide")
        );
    }

    #[test]
    fn a_participle_cue_belongs_to_the_subject_of_its_sentence() {
        let all = speakers_of(
            "Pier to be rebuilt\n\n\
             Governor Ellen Marsh met the mayor of Port Avery on Monday, saying: \
             \u{201c}We will rebuild the pier before winter.\u{201d}\n",
        );
        assert_eq!(
            speaker_for(&all, "We will rebuild").as_deref(),
            Some("Ellen Marsh")
        );
    }

    #[test]
    fn verbs_that_only_cue_after_a_quotation() {
        let all = speakers_of(
            "Season opens\n\n\u{201c}Not this year,\u{201d} Tom Okafor quipped.\n\n\
             \u{201c}Next year, then,\u{201d} Ana Reyes shot back.\n",
        );
        assert_eq!(
            speaker_for(&all, "Not this year").as_deref(),
            Some("Tom Okafor")
        );
        assert_eq!(speaker_for(&all, "Next year").as_deref(), Some("Ana Reyes"));
    }

    #[test]
    fn named_speakers_without_an_entity_are_kept_for_pronouns() {
        let text = "The race is closer than expected, said pollster Dana Whitcombe of the \
                    institute. The aide later said the count was slow. Ben Ortiz told reporters \
                    it was over.";
        let blocks = [Block {
            span: Span(0, text.len()),
            kind: BlockKind::Body,
        }];
        let sentences = crate::sentences::split_sentences(text, &blocks);
        let tokens = crate::tokens::tokenize_sentences(text, &sentences);
        let found: Vec<String> = written_subjects(text, &blocks, &sentences, &tokens, &[], &[])
            .into_iter()
            .map(|(_, name)| name)
            .collect();
        // "the aide" names nobody; the other two are named.
        assert_eq!(found, ["pollster Dana Whitcombe", "Ben Ortiz"]);
    }

    #[test]
    fn the_head_of_an_apposition_speaks_and_a_bare_participle_defers() {
        let all = speakers_of(
            "Coal plan in court\n\n\
             \u{201c}It is an overreach by Washington,\u{201d} Maria Quintero, the attorney \
             general of a state suing the Environmental Protection Agency, said on Monday.\n\n\
             In a statement, Harlow Mining said: \u{201c}The plant will stay open through the \
             winter,\u{201d} adding that jobs were safe.\n\n\
             According to Brandvold, \u{201c}the numbers do not add up.\u{201d}\n\n\
             On Friday, Senator Paul Ekwueme made the following remarks:\n\n\
             \u{201c}We will not let this town down.\u{201d}\n",
        );
        assert_eq!(
            speaker_for(&all, "It is an overreach").as_deref(),
            Some("Maria Quintero")
        );
        assert_eq!(
            speaker_for(&all, "The plant will").as_deref(),
            Some("Harlow Mining")
        );
        assert_eq!(
            speaker_for(&all, "the numbers").as_deref(),
            Some("Brandvold")
        );
        assert_eq!(
            speaker_for(&all, "We will not let").as_deref(),
            Some("Paul Ekwueme")
        );
    }

    #[test]
    fn subjects_are_told_apart_from_objects_of_said() {
        let all = speakers_of(
            "Leave plan questioned\n\n\
             Economist Rhea Natarajan, who studies labor markets at a university in Ohio, said \
             Tom Albrecht's plan did not add up.\n\n\
             \"I don't see who pays for it,\" she said.\n\n\
             On a radio show on Tuesday, Senator Gail Ferreira criticized the mayor of Linden, \
             Hugo Brandt.\n\n\
             \"This is just not acceptable,\" she said.\n",
        );
        assert_eq!(
            speaker_for(&all, "I don't see").as_deref(),
            Some("Economist Rhea Natarajan")
        );
        assert_eq!(
            speaker_for(&all, "This is just").as_deref(),
            Some("Gail Ferreira")
        );
    }

    #[test]
    fn institutions_and_acronyms_are_not_he_or_she() {
        assert!(person_like("Gail Ferreira"));
        assert!(!person_like("Commission on Presidential Debates"));
        assert!(!person_like("MSNBC"));
        assert!(!person_like("Radio Harbor on Tuesday"));
    }

    #[test]
    fn a_participle_next_to_the_quotation_is_its_cue() {
        let all = speakers_of(
            "Campaign ad\n\nThe new ad shows footage of Senator Ines Varga asking, \
             \u{201c}Who will fix the roads if we do not?\u{201d}\n",
        );
        assert_eq!(
            speaker_for(&all, "Who will fix").as_deref(),
            Some("Ines Varga")
        );
    }

    #[test]
    fn a_cue_cut_off_into_the_next_sentence_still_counts() {
        let all = speakers_of(
            "Bank chief grilled\n\nThe hearing ran late into the evening.\n\n\
             \u{201c}Why is this still allowed?\u{201d} Ellen Vitter demanded.\n\n\
             \u{201c}Who pays for this?\u{201d} she asked. \u{201c}Nobody knows.\u{201d}\n",
        );
        assert_eq!(
            speaker_for(&all, "Why is this").as_deref(),
            Some("Ellen Vitter")
        );
        assert_eq!(
            speaker_for(&all, "Who pays").as_deref(),
            Some("Ellen Vitter")
        );
    }

    #[test]
    fn a_paragraph_ending_in_a_colon_attributes_the_quote_below() {
        let all = speakers_of(
            "School plan\n\nMayor Lena Ortiz told the council:\n\n\
             \u{201c}We cannot wait another year for the new school.\u{201d}\n",
        );
        assert_eq!(
            speaker_for(&all, "We cannot wait").as_deref(),
            Some("Lena Ortiz")
        );
    }

    #[test]
    fn he_said_goes_to_the_last_man_who_spoke() {
        let all = speakers_of(
            "Budget fight returns to the state capitol\n\n\
             Mark Denton said the plan was too costly. He said his own proposal would save money.\n\n\
             Denton, a former banker, said he had shown the figures to the treasurer.\n\n\
             Ruth Calloway, who chairs the committee, said she would hold hearings next week. \
             She said her staff would review both plans.\n\n\
             Calloway added that she expected a vote in March.\n\n\
             \u{201c}We have time to get this right,\u{201d} he said.\n",
        );
        assert_eq!(
            speaker_for(&all, "We have time").as_deref(),
            Some("Mark Denton")
        );
    }

    const NOT_A_NAME: &str = "x\" \u{2014} and then he left.";

    #[test]
    fn a_name_after_a_dash_attributes_the_quote() {
        let (_, qs) = quotes_of(
            "Readers told us what they think of the new bridge.\n\n\
             \u{201c}It took ten years and it still leaks when it rains.\u{201d} \u{2015} Dana K. Ruiz\n\n\
             \u{201c}Finally I can cycle to work without a detour.\u{201d} \u{2014} Omar de la Fuente.\n",
        );
        let names: Vec<(&str, Option<&str>)> = qs
            .iter()
            .map(|q| (q.text.as_str(), q.speaker.as_ref().map(|s| s.text.as_str())))
            .collect();
        assert!(
            names.contains(&(
                "It took ten years and it still leaks when it rains.",
                Some("Dana K. Ruiz")
            )),
            "{names:?}"
        );
        assert!(
            names.contains(&(
                "Finally I can cycle to work without a detour.",
                Some("Omar de la Fuente")
            )),
            "{names:?}"
        );
        assert_eq!(
            dash_attribution(NOT_A_NAME, 2, NOT_A_NAME.len()),
            None,
            "a dash before ordinary words is no attribution"
        );
    }

    #[test]
    fn a_colon_in_ordinary_words_is_no_label() {
        assert_eq!(transcript_label("Warning: the road is closed"), None);
        assert_eq!(transcript_label("We said it twice: no deal"), None);
        assert_eq!(transcript_label("Q: What now?"), Some(("Q", 3)));
        assert_eq!(
            transcript_label("SEN. WARREN: You should resign"),
            Some(("SEN. WARREN", 13))
        );
        assert_eq!(transcript_label("PENCE:"), None);
    }
}
