//! Resolve: give each event its date and its counts (and, with the places stage, its place).
//!
//! An event takes the time expression of its own clause, else of its sentence, else of another
//! sentence telling the same event, else the date of an event just before that shares an actor
//! ("the two leaders agreed" after "Saleh met Trump on Wednesday"), else the published date with
//! precision `inferred`. Counts attach to the event of their sentence whose type fits the field
//! (fatalities and injuries to violence, arrests to coercion, participants to protests).

use crate::counts::{find_counts, Field, FoundCount};
use crate::model::{Block, BlockKind, Event, EventDate, EventPlace, Place, Sentence, Span};
use crate::timex::{find_times, TimeExpr};
use crate::tokens::Token;
use chrono::NaiveDate;

/// Per-sentence time expressions and counts, computed once.
pub struct SentenceFacts {
    pub times: Vec<Vec<TimeExpr>>,
    pub counts: Vec<Vec<FoundCount>>,
}

impl SentenceFacts {
    pub fn new(
        text: &str,
        sentences: &[Sentence],
        sentence_tokens: &[Vec<Token>],
        published: Option<NaiveDate>,
    ) -> Self {
        let times = sentences
            .iter()
            .map(|s| match published {
                Some(p) => find_times(s.span.slice(text), s.span.0, p),
                None => Vec::new(),
            })
            .collect();
        let counts = sentence_tokens
            .iter()
            .map(|toks| find_counts(text, toks))
            .collect();
        SentenceFacts { times, counts }
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

/// The time expression of the trigger's clause, else the nearest in the sentence.
fn time_for(text: &str, times: &[TimeExpr], trigger: Span, prefer_range: bool) -> Option<TimeExpr> {
    let dist = |t: &TimeExpr| {
        if t.span.0 >= trigger.1 {
            t.span.0 - trigger.1
        } else {
            trigger.0.saturating_sub(t.span.1)
        }
    };
    let mut cands: Vec<&TimeExpr> = times.iter().collect();
    cands.sort_by_key(|t| {
        (
            clause_break_between(text, t.span.0, trigger.0),
            !(prefer_range && t.end.is_some()),
            dist(t),
        )
    });
    cands.first().map(|t| (*t).clone())
}

/// Fill dates and counts of the article's events.
pub fn resolve_events(
    text: &str,
    sentences: &[Sentence],
    facts: &SentenceFacts,
    events: &mut [Event],
    published: Option<&str>,
) {
    // Dates.
    for i in 0..events.len() {
        let e = &events[i];
        let ongoing = e.status == "ongoing";
        let mut date = facts
            .times
            .get(e.sentence)
            .and_then(|ts| time_for(text, ts, e.trigger.span, ongoing))
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
                    .times
                    .get(ev.sentence)
                    .and_then(|ts| time_for(text, ts, ev.trigger, ongoing))
                    .map(|t| to_date(&t, text))
            });
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
    // Counts.
    for (si, counts) in facts.counts.iter().enumerate() {
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
    let _ = sentences;
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

/// The text before a span, trimmed, without a last "the".
fn text_before(text: &str, at: usize) -> &str {
    let before = text[..at].trim_end();
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
    locative(text, at)
        && !matches!(
            word_before(text, at).as_str(),
            "to" | "into" | "toward" | "towards"
        )
}

/// Whether a place after the trigger stands in the trigger's "that" clause ("agreed that troops
/// should stay in Iraq"): what was said or agreed, not where.
fn in_that_clause(text: &str, trigger: Span, place: Span) -> bool {
    place.0 > trigger.1 && text[trigger.1..place.0].starts_with(" that ")
}

/// Actor entities of an event's sides.
fn actor_ids(e: &Event) -> impl Iterator<Item = &str> {
    [&e.source, &e.target]
        .into_iter()
        .filter_map(|s| s.as_ref().and_then(|s| s.entity.as_deref()))
}

/// Give each event its place: the place of its own clause ("in Jadriya", "at Tahrir Square"),
/// else of its sentence or another sentence telling it, else the place of an event just before
/// that shares an actor ("the two leaders agreed" after "they met in Davos"), else the dateline's
/// place, or with no dateline the place of the lead sentence (where an online story without a
/// dateline says it happened); never a place that is only someone's origin ("traveled from
/// Samawa").
pub fn assign_places(
    text: &str,
    sentences: &[Sentence],
    blocks: &[Block],
    events: &mut [Event],
    places: &[Place],
    dateline_place: Option<&str>,
) {
    // Place mentions usable as event places, in text order.
    let mut usable: Vec<(Span, usize)> = places
        .iter()
        .enumerate()
        .flat_map(|(pi, p)| p.mentions.iter().map(move |m| (*m, pi)))
        .filter(|(m, _)| locative(text, m.0))
        .collect();
    usable.sort_by_key(|(m, _)| m.0);
    let in_sentence = |si: usize| -> &[(Span, usize)] {
        let Some(s) = sentences.get(si) else {
            return &[];
        };
        let a = usable.partition_point(|(m, _)| m.0 < s.span.0);
        let b = usable.partition_point(|(m, _)| m.0 < s.span.1);
        &usable[a..b]
    };
    let fallback = match dateline_place {
        Some(id) => places.iter().position(|p| p.id == id),
        None => sentences
            .iter()
            .position(|s| {
                blocks
                    .get(s.block)
                    .is_some_and(|b| b.kind == BlockKind::Body)
            })
            .and_then(|si| {
                in_sentence(si)
                    .iter()
                    .find(|(m, _)| lead_locative(text, m.0))
            })
            .map(|(_, pi)| *pi),
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
            .filter(|(m, _)| !in_that_clause(text, trig, *m))
            .min_by_key(|(m, _)| (clause_break_between(text, m.0, trig.0), dist(m)))
            .copied();
        if chosen.is_none() {
            chosen = e.evidence.iter().find_map(|ev| {
                in_sentence(ev.sentence)
                    .iter()
                    .find(|(m, _)| !in_that_clause(text, ev.trigger, *m))
                    .copied()
            });
        }
        let mut place = chosen.map(|(m, pi)| EventPlace {
            place: Some(places[pi].id.clone()),
            text: m.slice(text).to_string(),
        });
        own[i] = place.is_some();
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
}
