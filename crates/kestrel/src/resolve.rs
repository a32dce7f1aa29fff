//! Resolve: give each event its date and its counts (and, with the places stage, its place).
//!
//! An event takes the time expression of its own clause, else of its sentence, else of another
//! sentence telling the same event, else the date of an event just before that shares an actor
//! ("the two leaders agreed" after "Saleh met Trump on Wednesday"), else the published date with
//! precision `inferred`; an ongoing event dated by an approximate duration starts in the month
//! the article names for such an event's start. Counts attach to the event of their sentence whose type fits the field
//! (fatalities and injuries to violence, arrests to coercion, participants to protests); a named
//! victim of an attack later said to have died counts one dead at least. Places: see
//! [`assign_places`].

use crate::counts::{find_counts, Field, FoundCount};
use crate::model::{Block, BlockKind, Event, EventDate, EventPlace, Place, Sentence, Span};
use crate::timex::{find_times, TimeExpr};
use crate::tokens::Token;
use chrono::NaiveDate;
use std::cell::OnceCell;

/// Per-sentence time expressions and counts, each found on first use and kept: only the
/// sentences that tell an event are read (a fifth of them in news), and finding times and counts
/// in every sentence was an eighth of the pipeline's time.
pub struct SentenceFacts<'a> {
    text: &'a str,
    sentences: &'a [Sentence],
    sentence_tokens: &'a [Vec<Token>],
    published: Option<NaiveDate>,
    times: Vec<OnceCell<Vec<TimeExpr>>>,
    counts: Vec<OnceCell<Vec<FoundCount>>>,
}

impl<'a> SentenceFacts<'a> {
    pub fn new(
        text: &'a str,
        sentences: &'a [Sentence],
        sentence_tokens: &'a [Vec<Token>],
        published: Option<NaiveDate>,
    ) -> Self {
        SentenceFacts {
            text,
            sentences,
            sentence_tokens,
            published,
            times: (0..sentences.len()).map(|_| OnceCell::new()).collect(),
            counts: (0..sentence_tokens.len())
                .map(|_| OnceCell::new())
                .collect(),
        }
    }

    /// The time expressions of sentence `si` (none without a publication date); `None` when
    /// there is no such sentence.
    pub fn times(&self, si: usize) -> Option<&[TimeExpr]> {
        let cell = self.times.get(si)?;
        Some(cell.get_or_init(|| {
            let s = &self.sentences[si];
            match self.published {
                Some(p) => find_times(s.span.slice(self.text), s.span.0, p),
                None => Vec::new(),
            }
        }))
    }

    /// The counts of sentence `si`; `None` when there is no such sentence.
    pub fn counts(&self, si: usize) -> Option<&[FoundCount]> {
        let cell = self.counts.get(si)?;
        Some(cell.get_or_init(|| find_counts(self.text, &self.sentence_tokens[si])))
    }

    /// The number of sentences with counts.
    fn count_sentences(&self) -> usize {
        self.counts.len()
    }
}

/// Whether a clause break separates two byte positions of the text.
fn clause_break_between(text: &str, a: usize, b: usize) -> bool {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    let between = &text[a..b];
    between.contains(';')
        || between.contains(" but ")
        || between.contains(" while ")
        || between.contains(", and ")
        || between.contains(" and will ")
}

fn to_date(t: &TimeExpr, text: &str) -> EventDate {
    EventDate {
        value: t.value.clone(),
        precision: t.precision.as_str().to_string(),
        end: t.end.clone(),
        text: Some(t.span.slice(text).to_string()),
        span: Some(t.span),
    }
}

/// Whether the words between a time expression and an event noun after it keep them in one
/// noun phrase ("the August 2017 Unite the Right rally", "Sunday's attack").
fn in_noun_phrase(text: &str, time: Span, noun: Span) -> bool {
    time.1 <= noun.0
        && noun.0 - time.1 <= 60
        && !text[time.1..noun.0].contains(',')
        && text[time.1..noun.0].split_whitespace().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(w, "the" | "'s" | "’s" | "s")
        })
}

/// The time expression of the trigger's clause, else the nearest in the sentence. A time
/// expression follows the verb it dates, so one with another event's trigger before it (in its
/// clause) or between it and this trigger is that event's, taken only when no other is left:
/// "were convicted on Thursday of raping a tourist in 2014" dates the rape to 2014. A date
/// inside another event noun's phrase ("attended the March 2 rally") is never this one's.
/// When words were said: the time expression that belongs to the verb of saying `cue` in its
/// sentence ("Trump said on Friday"), if any.
pub fn date_of_saying(
    text: &str,
    facts: &SentenceFacts,
    sentence: usize,
    cue: Span,
) -> Option<EventDate> {
    let times = facts.times(sentence)?;
    time_for(text, times, cue, &[], false).map(|t| to_date(&t, text))
}

fn time_for(
    text: &str,
    times: &[TimeExpr],
    trigger: Span,
    others: &[Span],
    prefer_range: bool,
) -> Option<TimeExpr> {
    let anothers = |t: &TimeExpr| {
        if t.span.1 <= trigger.0 {
            !in_noun_phrase(text, t.span, trigger)
                && others.iter().any(|o| {
                    (o.0 >= t.span.1 && o.1 <= trigger.0)
                        || (o.1 <= t.span.0 && !clause_break_between(text, o.1, t.span.0))
                })
        } else {
            others.iter().any(|o| o.0 >= trigger.1 && o.1 <= t.span.0)
        }
    };
    let theirs = |t: &TimeExpr| {
        !in_noun_phrase(text, t.span, trigger)
            && others.iter().any(|o| in_noun_phrase(text, t.span, *o))
    };
    let dist = |t: &TimeExpr| {
        if t.span.0 >= trigger.1 {
            t.span.0 - trigger.1
        } else {
            trigger.0.saturating_sub(t.span.1)
        }
    };
    // "suspended parliament for five weeks": a bare "for" duration measures how long a state
    // lasts, and dates only an ongoing event ("have protested for five weeks"); "for the past
    // five weeks" is a window up to now.
    let length_only = |t: &TimeExpr| {
        let w = t.span.slice(text).to_ascii_lowercase();
        !prefer_range && w.starts_with("for ") && !w.contains(" past ") && !w.contains(" last ")
    };
    let mut cands: Vec<&TimeExpr> = times
        .iter()
        .filter(|t| !theirs(t) && !length_only(t))
        .collect();
    cands.sort_by_key(|t| {
        (
            clause_break_between(text, t.span.0, trigger.0),
            anothers(t),
            !(prefer_range && t.end.is_some()),
            dist(t),
        )
    });
    cands.first().map(|t| (*t).clone())
}

/// An ongoing event dated by an approximate duration ("for nearly four months") starts in the
/// month the article names for the start of an event of the same type within six weeks of
/// that date ("the October protest movement", "demonstrations started last October"): the
/// month is what the writer knew, the duration a rounding of it.
fn refine_approximate_starts(events: &mut [Event]) {
    const APPROX: &[&str] = &[
        "for nearly ",
        "for almost ",
        "for about ",
        "for around ",
        "for roughly ",
        "for some ",
        "for more than ",
        "for over ",
    ];
    let month_start = |v: &str| NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d").ok();
    for i in 0..events.len() {
        let Some(d) = events[i].date.as_ref() else {
            continue;
        };
        let approximate = events[i].status == "ongoing"
            && d.precision == "range"
            && d.text.as_deref().is_some_and(|t| {
                let t = t.to_lowercase();
                APPROX.iter().any(|a| t.starts_with(a))
            });
        let Some(start) = approximate
            .then(|| NaiveDate::parse_from_str(&d.value, "%Y-%m-%d").ok())
            .flatten()
        else {
            continue;
        };
        let kind = &events[i].kind;
        let named = events.iter().enumerate().find_map(|(j, o)| {
            let od = o.date.as_ref()?;
            let m = (j != i && &o.kind == kind && od.precision == "month")
                .then(|| month_start(&od.value))??;
            ((m - start).num_days().abs() <= 42).then(|| (m, od.text.clone(), od.span))
        });
        if let Some((m, text, span)) = named {
            let d = events[i].date.as_mut().expect("dated above");
            d.value = m.format("%Y-%m-%d").to_string();
            d.text = text;
            d.span = span;
        }
    }
}

/// Fill dates and counts of the article's events.
pub fn resolve_events(
    text: &str,
    sentences: &[Sentence],
    facts: &SentenceFacts,
    events: &mut [Event],
    published: Option<&str>,
) {
    // Dates. The triggers each sentence tells, for telling one event's time from another's.
    let mut told: Vec<Vec<Span>> = vec![Vec::new(); sentences.len()];
    for ev in events.iter().flat_map(|o| o.evidence.iter()) {
        if let Some(t) = told.get_mut(ev.sentence) {
            t.push(ev.trigger);
        }
    }
    for i in 0..events.len() {
        let e = &events[i];
        // A date the event's own stage found (a statement's: when it was said) stands.
        if e.date.is_some() {
            continue;
        }
        let ongoing = e.status == "ongoing";
        // The triggers of the other events told in a sentence.
        let others = |sentence: usize, mine: Span| -> Vec<Span> {
            told.get(sentence)
                .map(|t| t.iter().copied().filter(|&s| s != mine).collect())
                .unwrap_or_default()
        };
        let mut date = facts
            .times(e.sentence)
            .and_then(|ts| {
                let others = others(e.sentence, e.trigger.span);
                time_for(text, ts, e.trigger.span, &others, ongoing)
            })
            .map(|t| to_date(&t, text));
        if date.is_none() {
            // An event just before that shares an actor and has a date of its own.
            let actors = |x: &Event| -> Vec<String> {
                [&x.source, &x.target]
                    .iter()
                    .filter_map(|s| s.as_ref().and_then(|s| s.entity.clone()))
                    .collect()
            };
            let mine = actors(e);
            date = events[..i]
                .iter()
                .rev()
                .filter(|o| o.sentence + 2 >= e.sentence && o.sentence < e.sentence)
                .find(|o| {
                    o.date.as_ref().is_some_and(|d| d.precision != "inferred")
                        && actors(o).iter().any(|a| mine.contains(a))
                })
                .and_then(|o| o.date.clone());
        }
        if date.is_none() {
            date = e.evidence.iter().find_map(|ev| {
                facts
                    .times(ev.sentence)
                    .and_then(|ts| {
                        let others = others(ev.sentence, ev.trigger);
                        time_for(text, ts, ev.trigger, &others, ongoing)
                    })
                    .map(|t| to_date(&t, text))
            });
        }
        // A sentence that tells no time goes on from the one before in its paragraph, when that
        // one names a single day ("On Tuesday, police fired tear gas. Protesters threw bricks.").
        if date.is_none() && !ongoing && e.sentence > 0 {
            let block = sentences.get(e.sentence).map(|s| s.block);
            let named = (e.sentence.saturating_sub(2)..e.sentence)
                .rev()
                .take_while(|&p| sentences.get(p).map(|s| s.block) == block)
                .find_map(|p| facts.times(p).filter(|ts| !ts.is_empty()));
            if let Some([t]) = named {
                if t.precision == crate::timex::Precision::Day && t.end.is_none() {
                    date = Some(to_date(t, text));
                }
            }
        }
        if date.is_none() {
            date = published.map(|p| EventDate {
                value: p.to_string(),
                precision: "inferred".into(),
                end: None,
                text: None,
                span: None,
            });
        }
        events[i].date = date;
    }
    refine_approximate_starts(events);
    // Counts.
    for si in 0..facts.count_sentences() {
        // A count goes to an event told in its sentence, else (a crowd's size) to the
        // article's main protest: a sentence with neither has no count to give.
        let told_here =
            |e: &Event| e.sentence == si || e.evidence.iter().any(|ev| ev.sentence == si);
        let main_protest =
            |e: &Event| e.kind == "PROTEST" && e.status == "occurred" && e.participants.is_none();
        if !events.iter().any(|e| told_here(e) || main_protest(e)) {
            continue;
        }
        let counts = facts.counts(si).unwrap_or_default();
        for fc in counts {
            let fits = |e: &Event| match fc.field {
                Field::Fatalities | Field::Injuries => {
                    matches!(e.kind.as_str(), "ASSAULT" | "COERCE" | "PROTEST")
                }
                Field::Arrests => matches!(e.kind.as_str(), "COERCE" | "PROTEST" | "ASSAULT"),
                Field::Participants => e.kind == "PROTEST",
            };
            let span = fc.count.span.unwrap_or(Span(0, 0));
            let dist = |e: &Event| {
                let t = e
                    .evidence
                    .iter()
                    .filter(|ev| ev.sentence == si)
                    .map(|ev| ev.trigger)
                    .next()
                    .unwrap_or(e.trigger.span);
                if t.0 >= span.1 {
                    t.0 - span.1
                } else {
                    span.0.saturating_sub(t.1)
                }
            };
            let in_sentence = events
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    (e.sentence == si || e.evidence.iter().any(|ev| ev.sentence == si)) && fits(e)
                })
                .min_by_key(|(_, e)| dist(e))
                .map(|(k, _)| k);
            // A crowd size told apart from any protest word goes to the article's main protest.
            let target = in_sentence.or_else(|| {
                (fc.field == Field::Participants)
                    .then(|| {
                        events.iter().position(|e| {
                            e.kind == "PROTEST"
                                && e.status == "occurred"
                                && e.participants.is_none()
                        })
                    })
                    .flatten()
            });
            if let Some(k) = target {
                let slot = match fc.field {
                    Field::Participants => &mut events[k].participants,
                    Field::Fatalities => &mut events[k].fatalities,
                    Field::Injuries => &mut events[k].injuries,
                    Field::Arrests => &mut events[k].arrests,
                };
                if slot.is_none() {
                    *slot = Some(fc.count.clone());
                }
            }
        }
    }
    // Killings of named people with no number given: at least as many dead as people named.
    for e in events.iter_mut() {
        let fatal = e.kind == "ASSAULT"
            && [
                "kill",
                "murder",
                "assassinat",
                "execut",
                "behead",
                "slain",
                "shot dead",
            ]
            .iter()
            .any(|w| {
                e.trigger.text.to_lowercase().contains(w)
                    || e.mode.as_deref() == Some("assassinate")
            })
            || e.evidence.len() > 1
                && e.kind == "ASSAULT"
                && e.mode.as_deref() == Some("aerial")
                && e.target.as_ref().is_some_and(|t| t.members.len() > 1);
        if !fatal || e.fatalities.is_some() {
            continue;
        }
        let Some(t) = &e.target else { continue };
        let named = if t.members.is_empty() {
            1
        } else {
            t.members.len()
        };
        let people = t
            .members
            .iter()
            .filter(|m| {
                m.code.as_deref().is_some_and(|c| {
                    !c.ends_with("CVL") || m.text.chars().next().is_some_and(char::is_uppercase)
                })
            })
            .count()
            .max(usize::from(
                t.members.is_empty() && t.text.chars().next().is_some_and(char::is_uppercase),
            ));
        if people > 0 && people == named {
            e.fatalities = Some(crate::model::Count {
                min: Some(named as u64),
                max: None,
                text: t.text.clone(),
                span: None,
            });
        }
    }
    // A named victim of an attack later said to have died ("He died today", "Adamowicz died in
    // hospital"): one dead at least.
    for e in events.iter_mut() {
        if e.kind != "ASSAULT" || e.fatalities.is_some() {
            continue;
        }
        let Some(t) = &e.target else { continue };
        let words: Vec<&str> = t.text.split_whitespace().collect();
        let named = t.members.is_empty()
            && words.len() >= 2
            && words
                .iter()
                .all(|w| w.starts_with(|c: char| c.is_uppercase()));
        let Some(surname) = words.last().filter(|w| named && w.chars().count() >= 3) else {
            continue;
        };
        let died = (e.sentence..sentences.len().min(e.sentence + 30)).any(|k| {
            let s = sentences[k].span.slice(text);
            let about = s.contains(surname)
                || (k == e.sentence + 1 && (s.starts_with("He ") || s.starts_with("She ")));
            about && said_to_have_died(s)
        });
        if died {
            e.fatalities = Some(crate::model::Count {
                min: Some(1),
                max: None,
                text: t.text.clone(),
                span: None,
            });
        }
    }
}

/// Whether a sentence says someone died ("died", "has died", "succumbed"), not that they nearly
/// did.
fn said_to_have_died(s: &str) -> bool {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        matches!(w.as_str(), "died" | "succumbed")
            && !(i > 0 && matches!(words[i - 1].as_str(), "nearly" | "almost" | "not"))
    })
}

/// Words before a place name that make it where something happens ("in Jadriya", "at Tahrir
/// Square"), as opposed to where someone comes from ("from Samawa", "of Basra").
const AT_PLACE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "on",
    "across",
    "throughout",
    "around",
    "into",
    "to",
    "toward",
    "towards",
    "through",
    "over",
];

/// Compass words that may stand between a locative word and a name ("into north-eastern Syria",
/// "in northern Iraq").
const DIRECTION_WORDS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
];

/// The text before a span, trimmed, without a last compass word and a last "the".
fn text_before(text: &str, at: usize) -> &str {
    let mut before = text[..at].trim_end();
    let w = last_word(before);
    let key: String = w.to_lowercase().chars().filter(|c| *c != '-').collect();
    if DIRECTION_WORDS.contains(&key.as_str()) {
        before = before[..before.len() - w.len()].trim_end();
    }
    before
        .strip_suffix(" the")
        .or_else(|| before.strip_suffix(" The"))
        .unwrap_or(before)
        .trim_end()
}

/// The last word of a text.
fn last_word(before: &str) -> &str {
    before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
}

/// The word before a span, lowercased, skipping "the".
fn word_before(text: &str, at: usize) -> String {
    last_word(text_before(text, at)).to_lowercase()
}

/// Nouns for a kind of place that a name can stand beside: "the city of Gdańsk", "the
/// country's capital, Tunis".
const PLACE_NOUNS: &[&str] = &[
    "capital", "city", "town", "village", "province", "region", "district", "state", "island",
    "county",
];

/// Whether a place mention only modifies a place noun that another name follows ("the Red Sea
/// port town of Mokha", "the Kurdish border city of Qamishli"): that name is the place.
fn modifies_named_place(text: &str, end: usize) -> bool {
    let words: Vec<&str> = text[end..].split_whitespace().take(4).collect();
    (1..words.len()).any(|k| {
        PLACE_NOUNS.contains(&words[k - 1])
            && words[k] == "of"
            && words[..k - 1]
                .iter()
                .all(|w| w.chars().all(|c| c.is_lowercase() || c == '-'))
    })
}

/// Whether a place mention names where something happens: after a locative word ("in Jadriya",
/// "at Tahrir Square"), or as the name of a place noun ("the city of Gdańsk", "in the capital,
/// San Juan"); not where someone comes from ("from Samawa", "of Basra").
fn locative(text: &str, at: usize) -> bool {
    let w = word_before(text, at);
    if AT_PLACE.contains(&w.as_str()) {
        return true;
    }
    let before = text_before(text, at);
    let rest = if let Some(noun) = w.strip_suffix(',') {
        PLACE_NOUNS
            .contains(&noun)
            .then(|| before[..before.len() - w.len()].trim_end())
    } else if w == "of" {
        let rest = before[..before.len() - 2].trim_end();
        let noun = last_word(rest);
        PLACE_NOUNS
            .contains(&noun)
            .then(|| rest[..rest.len() - noun.len()].trim_end())
    } else {
        None
    };
    // "originally from the southern city of Basra" is still where someone comes from.
    rest.is_some_and(|r| {
        !r.rsplit(' ')
            .take(3)
            .any(|x| x.eq_ignore_ascii_case("from"))
    })
}

/// Whether a place is where the story's lead says something happened: a locative mention that is
/// not only a destination ("broadcast to the U.S. territory", "flew into Paris").
fn lead_locative(text: &str, at: usize) -> bool {
    let w = word_before(text, at);
    locative(text, at)
        && (!matches!(w.as_str(), "to" | "into" | "toward" | "towards") || military_into(text, at))
}

/// Nouns of armed action whose "into" names where the action happens ("an offensive into
/// northern Syria"), not a destination.
const INTO_ACTIONS: &[&str] = &[
    "offensive",
    "incursion",
    "invasion",
    "operation",
    "advance",
    "foray",
    "raid",
    "raids",
    "push",
];

/// Whether a place stands after "into" that follows a noun of armed action.
fn military_into(text: &str, at: usize) -> bool {
    let before = text_before(text, at);
    let Some(rest) = before
        .strip_suffix("into")
        .filter(|r| r.ends_with(char::is_whitespace))
    else {
        return false;
    };
    INTO_ACTIONS.contains(&last_word(rest.trim_end()).to_lowercase().as_str())
}

/// Words after "the" (and at most two modifiers) that stand for a country named before:
/// "in the European nation", "across the country".
const COUNTRY_NOUNS: &[&str] = &["country", "nation"];

/// Nouns after a demonym that make it the country's ground: "on Iraqi soil".
const GROUND_NOUNS: &[&str] = &["soil", "territory", "ground", "land"];

/// A country the text names without its name: a demonym's ground, or a country word that points
/// back to the last country named (or, with none, to the article's own country).
enum CountryRef {
    /// The country of a demonym ("on Iraqi soil").
    Code(String),
    /// The last country named before, else the article's country ("in the European nation",
    /// "vigils nationwide").
    Anaphor,
}

/// Phrases in a sentence that put what happens in a whole country: "nationwide", "across the
/// country", "in the European nation", "on Iraqi soil". Not "the country's capital, Tunis" (the
/// capital is the place) nor "leave the country" (no locative word).
fn country_phrases(
    gaz: &crate::geo::Gazetteer,
    text: &str,
    sentence: Span,
) -> Vec<(Span, CountryRef)> {
    let s = sentence.slice(text);
    // Every phrase found ends with a country or ground noun (or "nationwide", "countrywide"),
    // words with no "k" whose lowercase is ASCII: most sentences have none of them, and need no
    // splitting into words.
    static NOUNS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    let nouns = NOUNS.get_or_init(|| {
        aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(COUNTRY_NOUNS.iter().chain(GROUND_NOUNS))
            .expect("noun automaton")
    });
    if !nouns.is_match(s) {
        return Vec::new();
    }
    // Words with their byte spans in the text.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    // Byte by byte, decoding only non-ASCII characters.
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let (part, len) = if b[i] < 0x80 {
            let c = b[i];
            (c.is_ascii_alphanumeric() || c == b'-' || c == b'\'', 1)
        } else {
            let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
            (c.is_alphanumeric() || c == '’', c.len_utf8())
        };
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                words.push((sentence.0 + a, sentence.0 + i));
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(a) = start {
        words.push((sentence.0 + a, sentence.1));
    }
    let w = |k: usize| -> &str { &text[words[k].0..words[k].1] };
    let mut out = Vec::new();
    for k in 0..words.len() {
        // Compared with lower-case ASCII words only: no copy of a word without capitals.
        let lw = crate::tokens::lowercase(w(k));
        if matches!(&*lw, "nationwide" | "countrywide") {
            out.push((Span(words[k].0, words[k].1), CountryRef::Anaphor));
            continue;
        }
        if matches!(&*lw, "in" | "across" | "throughout" | "around" | "over")
            && k + 2 < words.len()
            && w(k + 1).eq_ignore_ascii_case("the")
        {
            // "in the [two modifiers] country", touching words only.
            for n in k + 2..(k + 5).min(words.len()) {
                let noun = crate::tokens::lowercase(w(n));
                if COUNTRY_NOUNS.contains(&&*noun) {
                    let after = &text[words[n].1..];
                    if !after.starts_with(['\'', '’']) {
                        out.push((Span(words[k + 1].0, words[n].1), CountryRef::Anaphor));
                    }
                    break;
                }
                // Modifiers are single words with nothing but a space between them.
                if text[words[n - 1].1..words[n].0] != *" " {
                    break;
                }
            }
        }
        if lw == "on" && k + 2 < words.len() {
            let noun = crate::tokens::lowercase(w(k + 2));
            if GROUND_NOUNS.contains(&&*noun) {
                if let Some(code) = gaz.demonym(w(k + 1)).and_then(|e| e.country()) {
                    out.push((
                        Span(words[k + 1].0, words[k + 2].1),
                        CountryRef::Code(code.to_string()),
                    ));
                }
            }
        }
    }
    out
}

/// Whether a place is a whole country.
fn is_country(p: &Place) -> bool {
    p.feature.as_deref().map(crate::geo::level_of) == Some(crate::geo::Level::Country)
}

/// The index of the place for a country: the article's own, else one added from the gazetteer
/// (with no mention: the text names it only by a demonym or a word like "nationwide").
fn country_place(
    gaz: &crate::geo::Gazetteer,
    places: &mut Vec<Place>,
    code: &str,
) -> Option<usize> {
    if let Some(i) = places
        .iter()
        .position(|p| is_country(p) && p.country.as_deref() == Some(code))
    {
        return Some(i);
    }
    let e = gaz.country(code)?;
    places.push(Place {
        id: format!("p{}", places.len() + 1),
        name: e.name.clone(),
        geonameid: Some(e.id),
        country: Some(code.to_string()),
        admin1: None,
        lat: Some(e.lat),
        lon: Some(e.lon),
        feature: Some(gaz.feature(e).to_string()),
        mentions: Vec::new(),
        precision: 3,
    });
    Some(places.len() - 1)
}

/// Whether a place after the trigger stands in the trigger's "that" clause ("agreed that troops
/// should stay in Iraq"): what was said or agreed, not where.
fn in_that_clause(text: &str, trigger: Span, place: Span) -> bool {
    place.0 > trigger.1 && text[trigger.1..place.0].starts_with(" that ")
}

/// Whether a place after the trigger of an agreement, demand, threat or refusal stands in its
/// "to" clause ("agreed to keep soldiers in the country", "urged them to vote in Lagos"): what was
/// agreed or asked, not where. Deeds keep their "to" ("marched to the square").
fn in_to_clause(text: &str, kind: &str, trigger: Span, place: Span) -> bool {
    matches!(kind, "AGREE" | "REQUEST" | "THREATEN" | "REJECT")
        && place.0 > trigger.1
        && text[trigger.1..place.0].starts_with(" to ")
}

/// Whether a place is named in what an event says, asks or agrees rather than where it happens.
fn in_complement(text: &str, kind: &str, trigger: Span, place: Span) -> bool {
    in_that_clause(text, trigger, place) || in_to_clause(text, kind, trigger, place)
}

/// Actor entities of an event's sides.
fn actor_ids(e: &Event) -> impl Iterator<Item = &str> {
    [&e.source, &e.target]
        .into_iter()
        .filter_map(|s| s.as_ref().and_then(|s| s.entity.as_deref()))
}

/// Give each event its place: the place of its own clause ("in Jadriya", "at Tahrir Square",
/// "vigils nationwide", "on Iraqi soil"), else of its sentence or another sentence telling it,
/// else, for what protesters do, the place of their protest, else the place of an event just
/// before that shares an actor ("the two leaders agreed" after "they met in Davos"), else the
/// dateline's place, or with no dateline the place of the lead sentence (where an online story
/// without a dateline says it happened); never a place that is only someone's origin ("traveled
/// from Samawa"). A country word ("in the European nation", "across the country") stands for the
/// last country named before it, else for the article's country, which is added to the places
/// when the text names it only by a demonym or such a word.
pub fn assign_places(
    text: &str,
    sentences: &[Sentence],
    blocks: &[Block],
    events: &mut [Event],
    places: &mut Vec<Place>,
    dateline_place: Option<&str>,
    gaz: &crate::geo::Gazetteer,
) {
    // Place mentions usable as event places, in text order, with whether the mention is a
    // country word standing for the place (shown by the place's name).
    let mut usable: Vec<(Span, usize, bool)> = places
        .iter()
        .enumerate()
        .flat_map(|(pi, p)| p.mentions.iter().map(move |m| (*m, pi, false)))
        .filter(|(m, pi, _)| {
            (locative(text, m.0) || named_spot(&places[*pi], text, *m))
                && !modifies_named_place(text, m.1)
        })
        .collect();
    usable.sort_by_key(|(m, _, _)| m.0);
    let lead = sentences.iter().position(|s| {
        blocks
            .get(s.block)
            .is_some_and(|b| b.kind == BlockKind::Body)
    });
    // The article's country: the dateline's, else that of the lead's place, else that of the
    // place named most.
    let lead_place = |usable: &[(Span, usize, bool)]| -> Option<usize> {
        let s = sentences.get(lead?)?;
        usable
            .iter()
            .filter(|(m, _, _)| m.0 >= s.span.0 && m.0 < s.span.1)
            .find(|(m, _, syn)| *syn || lead_locative(text, m.0))
            .map(|(_, pi, _)| *pi)
    };
    let article_country: Option<String> = dateline_place
        .and_then(|id| places.iter().find(|p| p.id == id))
        .or_else(|| lead_place(&usable).map(|pi| &places[pi]))
        .or_else(|| places.iter().max_by_key(|p| p.mentions.len()))
        .and_then(|p| p.country.clone());
    let named = places.len();
    let mut added = Vec::new();
    for s in sentences {
        for (span, r) in country_phrases(gaz, text, s.span) {
            let code = match r {
                CountryRef::Code(c) => Some(c),
                CountryRef::Anaphor => places
                    .iter()
                    .filter(|p| is_country(p))
                    .filter_map(|p| {
                        p.mentions
                            .iter()
                            .filter(|m| m.1 <= span.0 && !initialism_modifier(text, **m))
                            .map(|m| m.0)
                            .max()
                            .map(|at| (at, p))
                    })
                    .max_by_key(|(at, _)| *at)
                    .and_then(|(_, p)| p.country.clone())
                    .or_else(|| article_country.clone()),
            };
            if let Some(pi) = code.and_then(|c| country_place(gaz, places, &c)) {
                added.push((span, pi, true));
            }
        }
    }
    usable.extend(added);
    usable.sort_by_key(|(m, _, _)| m.0);
    let in_sentence = |si: usize| -> &[(Span, usize, bool)] {
        let Some(s) = sentences.get(si) else {
            return &[];
        };
        let a = usable.partition_point(|(m, _, _)| m.0 < s.span.0);
        let b = usable.partition_point(|(m, _, _)| m.0 < s.span.1);
        &usable[a..b]
    };
    let fallback = match dateline_place {
        Some(id) => places.iter().position(|p| p.id == id),
        None => lead_place(&usable),
    };
    let shown = |m: Span, pi: usize, syn: bool| EventPlace {
        place: Some(places[pi].id.clone()),
        text: if syn {
            places[pi].name.clone()
        } else {
            m.slice(text).to_string()
        },
    };
    // Whether each event's place came from its own words.
    let mut own = vec![false; events.len()];
    for i in 0..events.len() {
        let e = &events[i];
        let trig = e.trigger.span;
        let dist = |m: &Span| {
            if m.0 >= trig.1 {
                m.0 - trig.1
            } else {
                trig.0.saturating_sub(m.1)
            }
        };
        let mut chosen = in_sentence(e.sentence)
            .iter()
            .filter(|(m, _, _)| !in_complement(text, &e.kind, trig, *m))
            .min_by_key(|(m, _, _)| (clause_break_between(text, m.0, trig.0), dist(m)))
            .copied();
        if chosen.is_none() {
            chosen = e.evidence.iter().find_map(|ev| {
                in_sentence(ev.sentence)
                    .iter()
                    .find(|(m, _, _)| !in_complement(text, &e.kind, ev.trigger, *m))
                    .copied()
            });
        }
        let mut place = chosen.map(|(m, pi, syn)| shown(m, pi, syn));
        own[i] = place.is_some();
        if place.is_none()
            && e.kind != "PROTEST"
            && e.status == "occurred"
            && by_protesters(text, sentences.get(e.sentence), e)
        {
            // What protesters demand or do on the day, they do where they protest (not their
            // standing demands).
            place = (0..i)
                .rev()
                .find(|&k| own[k] && events[k].kind == "PROTEST")
                .and_then(|k| events[k].place.clone());
        }
        if place.is_none() {
            let mine: Vec<&str> = actor_ids(e).collect();
            place = (0..i)
                .rev()
                .filter(|&k| {
                    own[k]
                        && events[k].sentence < e.sentence
                        && events[k].sentence + 2 >= e.sentence
                })
                .find(|&k| actor_ids(&events[k]).any(|a| mine.contains(&a)))
                .and_then(|k| events[k].place.clone());
        }
        if place.is_none() {
            place = fallback.map(|pi| EventPlace {
                place: Some(places[pi].id.clone()),
                text: places[pi].name.clone(),
            });
        }
        events[i].place = place;
    }
    drop_unused_countries(places, named, events);
}

/// Drop the countries added for country words that no event ended up in, numbering the rest on
/// from the places the text names.
fn drop_unused_countries(places: &mut Vec<Place>, named: usize, events: &mut [Event]) {
    let used = |id: &str| {
        events
            .iter()
            .any(|e| e.place.as_ref().and_then(|p| p.place.as_deref()) == Some(id))
    };
    let mut kept: Vec<Place> = Vec::new();
    let mut renamed: Vec<(String, String)> = Vec::new();
    for p in places.drain(named..).collect::<Vec<_>>() {
        if used(&p.id) {
            let id = format!("p{}", named + kept.len() + 1);
            renamed.push((p.id.clone(), id.clone()));
            kept.push(Place { id, ..p });
        }
    }
    places.extend(kept);
    for e in events.iter_mut() {
        if let Some(ep) = e.place.as_mut() {
            if let Some((_, new)) = renamed
                .iter()
                .find(|(old, _)| ep.place.as_deref() == Some(old.as_str()))
            {
                ep.place = Some(new.clone());
            }
        }
    }
}

/// Whether a mention names a spot inside a town (a square, a bridge, a cathedral, a mosque) that
/// is not where someone comes from: what happens in the story happens there ("bombings struck the
/// Jolo Cathedral").
fn named_spot(p: &Place, text: &str, m: Span) -> bool {
    matches!(p.feature.as_deref(), Some("SQR" | "BDG" | "CH" | "MSQE"))
        && !matches!(word_before(text, m.0).as_str(), "from" | "of")
}

/// Whether an event's source is protesters ("Protesters called for his resignation"): its
/// source, or with none found the word just before its trigger, names them.
fn by_protesters(text: &str, sentence: Option<&Sentence>, e: &Event) -> bool {
    let crowd = |t: &str| {
        let t = t.to_lowercase();
        ["protester", "protestor", "demonstrator", "marcher"]
            .iter()
            .any(|w| t.contains(w))
    };
    match &e.source {
        Some(s) => crowd(&s.text),
        None => sentence.is_some_and(|s| {
            // The word right before the trigger, so that victims ("protesters have been
            // killed") are not taken for the doers.
            let start = s.span.0.min(e.trigger.span.0);
            let before = &text[start..e.trigger.span.0];
            before.split_whitespace().next_back().is_some_and(crowd)
        }),
    }
}

/// Whether a country mention is an initialism standing as a modifier ("US soldiers"), which a
/// later "the country" does not point back to.
fn initialism_modifier(text: &str, m: Span) -> bool {
    let name = m.slice(text);
    name.chars().all(|c| c.is_uppercase() || c == '.')
        && text[m.1..]
            .strip_prefix(' ')
            .is_some_and(|r| r.starts_with(|c: char| c.is_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Record};

    fn record(text: &str, published: &str) -> Record {
        crate::Pipeline::new().process(Article {
            id: "t".into(),
            text: text.to_string(),
            published: Some(published.into()),
            ..Default::default()
        })
    }

    fn place_of<'a>(r: &'a Record, trigger: &str) -> Option<&'a str> {
        let e = r.events.iter().find(|e| e.trigger.text == trigger)?;
        Some(e.place.as_ref()?.text.as_str())
    }

    #[test]
    fn a_name_beside_a_place_noun_is_where_it_happened() {
        let r = record(
            "Hundreds of students protested on Monday in the capital, Tunis, against fee rises.",
            "2021-05-04",
        );
        assert_eq!(place_of(&r, "protested"), Some("Tunis"));
        let s = "the mayor of the city of Gdańsk";
        assert!(locative(s, s.find("Gdańsk").unwrap()));
        let s = "a cleric from Karbala";
        assert!(!locative(s, s.find("Karbala").unwrap()));
        let s = "originally from the southern city of Basra";
        assert!(!locative(s, s.find("Basra").unwrap()));
    }

    #[test]
    fn a_place_modifying_a_place_noun_yields_to_the_name_after_it() {
        let r = record(
            "Hundreds of protesters rallied on Tuesday in the Black Sea port city of Odesa, \
             Ukraine.",
            "2021-05-04",
        );
        assert_eq!(place_of(&r, "rallied"), Some("Odesa"));
        let s = "in the Black Sea port city of Odesa";
        assert!(modifies_named_place(s, s.find(" port").unwrap()));
        assert!(!modifies_named_place("in Basra on Monday", 8));
    }

    #[test]
    fn a_bare_for_duration_dates_only_what_is_still_going_on() {
        let r = record(
            "British Prime Minister Mark Hale suspended the British parliament for five weeks. \
             Students have protested outside parliament for five weeks.",
            "2019-09-11",
        );
        let d = |k: &str| {
            r.events
                .iter()
                .find(|e| e.kind == k)
                .and_then(|e| e.date.clone())
                .expect("dated")
        };
        assert_eq!(d("COERCE").precision, "inferred");
        let p = d("PROTEST");
        assert_eq!(
            (p.value.as_str(), p.precision.as_str()),
            ("2019-08-07", "range")
        );
    }

    #[test]
    fn an_approximate_duration_yields_to_the_month_named_for_the_start() {
        let r = record(
            "Teachers have protested in the capital for nearly five months, demanding higher \
             pay. A union leader said the August protest movement would not stop.",
            "2023-01-20",
        );
        let e = r
            .events
            .iter()
            .find(|e| e.status == "ongoing" && e.kind == "PROTEST")
            .expect("the ongoing protest");
        let d = e.date.as_ref().expect("dated");
        assert_eq!(d.value, "2022-08-01");
        assert_eq!(d.precision, "range");
        assert_eq!(d.end.as_deref(), Some("2023-01-20"));
        // With no month named near the start, the duration's own start stays.
        let r = record(
            "Teachers have protested in the capital for nearly five months, demanding higher pay.",
            "2023-01-20",
        );
        let e = r
            .events
            .iter()
            .find(|e| e.status == "ongoing")
            .expect("ongoing");
        assert_eq!(e.date.as_ref().unwrap().value, "2022-08-20");
    }

    #[test]
    fn a_place_in_what_was_agreed_is_not_where_they_agreed() {
        let r = record(
            "On Tuesday, President Ruto met President Biden in Nairobi. The two presidents agreed \
             that American troops should stay in Somalia.",
            "2021-05-06",
        );
        assert_eq!(place_of(&r, "met"), Some("Nairobi"));
        assert_eq!(place_of(&r, "agreed"), Some("Nairobi"));
    }

    #[test]
    fn without_a_dateline_the_lead_sentence_gives_the_place() {
        let r = record(
            "Thousands of students marched in Lagos on Saturday against fee rises. The police \
             arrested twelve of them, officials said.",
            "2021-05-09",
        );
        assert_eq!(place_of(&r, "arrested"), Some("Lagos"));
    }

    #[test]
    fn a_named_victim_said_to_have_died_is_one_dead() {
        let r = record(
            "The mayor of Kumasi, Osei Mensah, was stabbed on Sunday night at a concert. He died \
             today in hospital.",
            "2021-02-01",
        );
        let e = r
            .events
            .iter()
            .find(|e| e.trigger.text == "stabbed")
            .unwrap();
        assert_eq!(e.fatalities.as_ref().and_then(|c| c.min), Some(1));
        let r = record(
            "The mayor of Kumasi, Osei Mensah, was stabbed on Sunday night at a concert. He \
             nearly died, doctors said.",
            "2021-02-01",
        );
        let e = r
            .events
            .iter()
            .find(|e| e.trigger.text == "stabbed")
            .unwrap();
        assert!(e.fatalities.is_none());
    }

    #[test]
    fn a_named_spot_is_where_things_happen_unless_an_origin() {
        let r = record(
            "MARAWI, Philippines — Two bombs struck the Santo Tomas Cathedral on Sunday morning, \
             the army said. Worshippers from the Bato Mosque helped the wounded.",
            "2021-09-06",
        );
        let cathedral = r
            .places
            .iter()
            .find(|p| p.name == "Santo Tomas Cathedral")
            .expect("the cathedral is a place");
        assert_eq!(cathedral.feature.as_deref(), Some("CH"));
        let m = cathedral.mentions[0];
        assert!(named_spot(cathedral, &r.text, m));
        let mosque = r
            .places
            .iter()
            .find(|p| p.name == "Bato Mosque")
            .expect("the mosque is a place");
        assert!(!named_spot(mosque, &r.text, mosque.mentions[0]));
    }

    #[test]
    fn a_nationwide_event_is_in_the_country() {
        let r = record(
            "Nurses walked out on Monday in the port city of Mombasa over unpaid wages. Vigils \
             nationwide on Tuesday evening were attended by hundreds.",
            "2021-03-03",
        );
        assert_eq!(place_of(&r, "Vigils"), Some("Kenya"));
        let kenya = r
            .places
            .iter()
            .find(|p| p.name == "Kenya")
            .expect("Kenya added");
        assert!(kenya.mentions.is_empty());
        assert_eq!(kenya.country.as_deref(), Some("KE"));
    }

    #[test]
    fn a_demonym_ground_is_the_country() {
        let r = record(
            "Gunmen killed five soldiers on Malian soil on Sunday, officials in Niamey said.",
            "2021-03-08",
        );
        assert_eq!(place_of(&r, "killed"), Some("Mali"));
        // A country word no event stands in adds no place.
        let r = record("Gunmen ambushed a convoy on Malian soil.", "2021-03-08");
        assert!(r.places.iter().all(|p| p.name != "Mali"));
    }

    #[test]
    fn the_nation_stands_for_the_country_named_before() {
        let r = record(
            "Austria on Friday banned a Belarusian airline from landing in the Alpine nation. The \
             airline's permit was suspended last year.",
            "2021-06-05",
        );
        assert_eq!(place_of(&r, "banned"), Some("Austria"));
        // "the country's capital, Vienna" names the capital, not the country.
        let s = "in the country's capital, Vienna";
        assert!(country_phrases(crate::geo::embedded(), s, Span(0, s.len())).is_empty());
    }

    #[test]
    fn an_offensive_into_a_region_happens_there() {
        let r = record(
            "The army began a military offensive into northern Mali on Monday, a spokesman said. \
             On Tuesday, France announced a withdrawal of its advisers from the region.",
            "2021-04-14",
        );
        assert_eq!(place_of(&r, "military offensive"), Some("Mali"));
        assert_eq!(place_of(&r, "withdrawal"), Some("Mali"));
        let s = "the minister flew into Paris";
        assert!(!lead_locative(s, s.find("Paris").unwrap()));
    }

    #[test]
    fn a_place_in_what_was_agreed_to_is_not_where_they_agreed() {
        let r = record(
            "On Monday, President Ruto met President Biden in Nairobi. The two presidents agreed \
             to keep observers in Somalia.",
            "2021-05-12",
        );
        assert_eq!(place_of(&r, "agreed"), Some("Nairobi"));
    }

    #[test]
    fn what_protesters_do_happens_where_they_protest() {
        let r = record(
            "Thousands of farmers protested in the capital, Accra, on Monday over fuel prices. The \
             minister refused to comment. Protesters called for President Nana Akufo-Addo's \
             resignation.",
            "2021-05-18",
        );
        assert_eq!(place_of(&r, "called for"), Some("Accra"));
        let r = record(
            "Thousands of farmers protested in the capital, Accra, on Monday over fuel prices. \
             Police fired on them in Kumasi on Tuesday. At least 12 protesters have been killed.",
            "2021-05-18",
        );
        let e = r
            .events
            .iter()
            .find(|e| e.trigger.text == "killed")
            .unwrap();
        assert!(!by_protesters(&r.text, r.sentences.get(e.sentence), e));
    }

    fn event<'a>(r: &'a Record, trigger: &str) -> &'a crate::model::Event {
        r.events
            .iter()
            .find(|e| e.trigger.text == trigger)
            .unwrap_or_else(|| panic!("no event \"{trigger}\""))
    }

    fn date_of<'a>(r: &'a Record, trigger: &str) -> Option<&'a crate::model::EventDate> {
        event(r, trigger).date.as_ref()
    }

    #[test]
    fn a_time_after_a_verb_dates_that_verb_not_the_deed_after_it() {
        let r = record(
            "Two Belgian soldiers were found guilty on Friday of assaulting a Moroccan student \
             in 2017.",
            "2019-03-09",
        );
        let verdict = event(&r, "found guilty");
        assert_eq!(verdict.kind, "COERCE");
        let target = verdict.target.as_ref().expect("the convicted");
        assert_eq!(target.code.as_deref(), Some("BELMIL"));
        assert_eq!(date_of(&r, "found guilty").unwrap().value, "2019-03-08");
        assert_eq!(date_of(&r, "assaulting").unwrap().value, "2017");
    }

    #[test]
    fn a_date_inside_another_event_noun_is_that_events_only() {
        let r = record(
            "Police arrested four Ukrainian activists who had attended the March 2 Liberty \
             Square rally.",
            "2019-03-09",
        );
        assert_eq!(date_of(&r, "rally").unwrap().value, "2019-03-02");
        assert_eq!(date_of(&r, "arrested").unwrap().precision, "inferred");
        // Alone in its sentence, a date before the noun still dates a verb after it.
        let r = record(
            "On Sunday, Dutch police arrested two Iraqi men outside a mosque.",
            "2019-03-12",
        );
        assert_eq!(date_of(&r, "arrested").unwrap().value, "2019-03-10");
    }

    #[test]
    fn a_sentence_with_no_time_goes_on_from_the_day_just_named() {
        let r = record(
            "On Tuesday, Kenyan police fired tear gas at striking teachers in Nairobi. The \
             teachers' union condemned the police. It said dozens of teachers were hurt.\n\n\
             The Kenyan Senate criticized the government.",
            "2024-03-08",
        );
        assert_eq!(date_of(&r, "fired tear gas").unwrap().value, "2024-03-05");
        assert_eq!(date_of(&r, "condemned").unwrap().value, "2024-03-05");
        // A new paragraph starts afresh.
        assert_eq!(date_of(&r, "criticized").unwrap().precision, "inferred");
    }

    #[test]
    fn a_bare_deed_joins_the_event_told_in_its_own_words() {
        let r = record(
            "A man went on a stabbing spree in Lyon on Tuesday, killing three. The attacker was \
             shot dead by French police. Officials said two French soldiers were stabbed in the \
             street.",
            "2019-03-09",
        );
        let stabbed = event(&r, "stabbed");
        assert_eq!(stabbed.evidence.len(), 2, "{:?}", stabbed.evidence);
        assert_eq!(stabbed.fatalities.as_ref().map(|c| c.min), Some(Some(3)));
        let shot = event(&r, "shot dead");
        assert_eq!(shot.evidence.len(), 1);
        assert!(shot.fatalities.is_none());
    }
}
