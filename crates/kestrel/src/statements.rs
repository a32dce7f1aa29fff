//! Statements: what a speaker does to another actor in its own quoted words.
//!
//! The events stage reads the narrative and leaves words in quotation marks alone: they are the
//! speaker's, not the reporter's. But a quotation is itself an act of its speaker when it
//! criticises ("a lousy deal"), demands ("they must leave"), rejects ("a non-starter"), threatens,
//! praises or apologises (ANNOTATION.md, "Statements"). This stage reads the stance cues of
//! `data/events/stances.tsv` inside each attributed quotation and makes one event per cue type,
//! with the speaker as source and the actor the quotation names nearest the cue as target. The
//! cue is the event's trigger, so the event points at the words that make it.

use crate::model::{Entity, Event, EventSide, Evidence, Quote, Sentence, Span, Trigger};
use crate::tokens::FormMatcher;
use std::collections::HashMap;
use std::path::Path;

const EMBEDDED: &str = include_str!("../../../data/events/stances.tsv");

/// One line of the stance dictionary.
#[derive(Clone, Debug)]
pub struct StanceDef {
    pub kind: String,
    pub mode: Option<String>,
    pub cameo: String,
}

/// The stance cues, compiled.
pub struct Stances {
    defs: Vec<StanceDef>,
    /// For each phrase of the matcher, its line.
    phrase_def: Vec<usize>,
    matcher: FormMatcher,
    /// The dictionary files' text, for the lexicon hash.
    pub hash_input: Vec<u8>,
}

impl std::fmt::Debug for Stances {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stances")
            .field("defs", &self.defs.len())
            .finish()
    }
}

const TYPES: &[&str] = &[
    "ACCUSE", "REQUEST", "REJECT", "THREATEN", "SUPPORT", "CONCEDE", "AGREE",
];

fn parse(
    src: &str,
    origin: &str,
    defs: &mut Vec<StanceDef>,
    phrases: &mut Vec<(String, usize)>,
) -> Result<(), String> {
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 4 {
            return Err(format!(
                "{origin}:{}: a stance line has 4 TAB-separated columns, not {}",
                i + 1,
                cols.len()
            ));
        }
        if !TYPES.contains(&cols[1]) {
            return Err(format!(
                "{origin}:{}: type must be one of {}, not {:?}",
                i + 1,
                TYPES.join(" "),
                cols[1]
            ));
        }
        let cameo = cols[3];
        if !(2..=4).contains(&cameo.len()) || !cameo.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{origin}:{}: CAMEO code must be 2-4 digits, not {cameo:?}",
                i + 1
            ));
        }
        let d = defs.len();
        defs.push(StanceDef {
            kind: cols[1].to_string(),
            mode: (!cols[2].is_empty()).then(|| cols[2].to_string()),
            cameo: cameo.to_string(),
        });
        for p in cols[0].split('|') {
            let p = p.trim().to_lowercase();
            if p.is_empty() {
                return Err(format!("{origin}:{}: empty phrase", i + 1));
            }
            phrases.push((p, d));
        }
    }
    Ok(())
}

impl Stances {
    /// The embedded cues plus `stances.tsv` files in user directories (later lines win).
    pub fn load(dirs: &[&Path]) -> Result<Stances, String> {
        let mut defs = Vec::new();
        let mut phrases = Vec::new();
        let mut hash_input = EMBEDDED.as_bytes().to_vec();
        parse(EMBEDDED, "data/events/stances.tsv", &mut defs, &mut phrases)?;
        for d in dirs {
            let p = d.join("stances.tsv");
            if p.is_file() {
                let t = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                hash_input.extend_from_slice(t.as_bytes());
                parse(&t, &p.display().to_string(), &mut defs, &mut phrases)?;
            }
        }
        let mut by_phrase: HashMap<String, usize> = HashMap::new();
        for (p, d) in phrases {
            by_phrase.insert(p.replace('\u{2019}', "'"), d);
        }
        let mut order: Vec<(String, usize)> = by_phrase.into_iter().collect();
        order.sort();
        let mut forms = Vec::new();
        let mut phrase_def = Vec::new();
        for (p, d) in &order {
            forms.push(p.clone());
            phrase_def.push(*d);
            if p.contains('\'') {
                forms.push(p.replace('\'', "\u{2019}"));
                phrase_def.push(*d);
            }
        }
        let matcher = FormMatcher::new(&forms);
        Ok(Stances {
            defs,
            phrase_def,
            matcher,
            hash_input,
        })
    }

    /// Cues in `text[span]` on whole words: (span, line).
    fn find(&self, text: &str, span: Span) -> Vec<(Span, usize)> {
        let s = &text[span.0..span.1];
        let mut out = Vec::new();
        let joins = |c: char| c.is_alphanumeric() || c == '-';
        crate::tokens::find_at_word_starts(&self.matcher, s, joins, |a, b, pi| {
            if !s.is_char_boundary(b) || s[b..].chars().next().is_some_and(joins) {
                return false;
            }
            out.push((Span(span.0 + a, span.0 + b), self.phrase_def[pi]));
            true
        });
        out
    }

    /// Statement events of the article's attributed quotations, added to `events` unless the
    /// narrative already tells the same act of the same speaker nearby. Quotes in other than
    /// quotation marks (`indirect`) are the narrative's and left to the events stage.
    pub fn add_events(
        &self,
        text: &str,
        sentences: &[Sentence],
        facts: &crate::resolve::SentenceFacts,
        entities: &[Entity],
        quotes: &[Quote],
        events: &mut Vec<Event>,
    ) {
        let sentence_of = |at: usize| {
            crate::sentences::sentence_at(sentences, at)
                .or_else(|| sentences.iter().rposition(|s| s.span.0 <= at))
                .unwrap_or(0)
        };
        let narrative = events.len();
        // A fragment in quotation marks with no verb of saying may be a name, a slogan on a
        // banner or a scare quote: only a cued one is someone's statement.
        for q in quotes
            .iter()
            .filter(|q| q.kind == "direct" || q.kind == "partial" && q.cue.is_some())
        {
            let Some(speaker) = q
                .speaker
                .as_ref()
                .and_then(|s| s.entity.as_deref())
                .and_then(|id| entities.iter().find(|e| e.id == id))
            else {
                continue;
            };
            // When it was said: the time of the verb of saying ("said on Friday").
            let said = q.cue.as_ref().and_then(|c| {
                crate::resolve::date_of_saying(text, facts, sentence_of(c.span.0), c.span)
            });
            let q_first = sentence_of(q.span.0);
            let q_last = sentence_of(q.span.1.saturating_sub(1));
            let mut seen: Vec<&str> = Vec::new();
            for (cue, d) in self.find(text, q.span) {
                let def = &self.defs[d];
                if seen.contains(&def.kind.as_str())
                    || negated(text, q.span.0, cue)
                    || (def.kind == "REQUEST"
                        && self_exhortation(text, q.span.0, cue)
                        && !names_actor_after(entities, q.span, cue))
                {
                    continue;
                }
                seen.push(&def.kind);
                let si = sentence_of(cue.0);
                // The narrative tells it already: "Schiff called the plan 'a non-starter'".
                let told = events[..narrative].iter().any(|e| {
                    e.kind == def.kind
                        && e.source.as_ref().and_then(|s| s.entity.as_deref())
                            == Some(speaker.id.as_str())
                        && e.sentence + 1 >= q_first
                        && e.sentence <= q_last + 1
                });
                if told {
                    continue;
                }
                let target =
                    nearest_named(entities, q.span, cue, &speaker.id).map(|(e, m)| EventSide {
                        entity: Some(e.id.clone()),
                        text: m.slice(text).to_string(),
                        code: e.actor.as_ref().map(|a| a.code.clone()),
                        members: Vec::new(),
                    });
                let ev = Event {
                    id: String::new(),
                    kind: def.kind.clone(),
                    mode: def.mode.clone(),
                    context: Vec::new(),
                    cameo: def.cameo.clone(),
                    acled: None,
                    source: Some(EventSide {
                        entity: Some(speaker.id.clone()),
                        text: speaker.name.clone(),
                        code: speaker.actor.as_ref().map(|a| a.code.clone()),
                        members: Vec::new(),
                    }),
                    target,
                    date: said.clone(),
                    place: None,
                    participants: None,
                    fatalities: None,
                    injuries: None,
                    arrests: None,
                    status: "occurred".to_string(),
                    trigger: Trigger {
                        text: cue.slice(text).to_string(),
                        span: cue,
                    },
                    sentence: si,
                    evidence: vec![Evidence {
                        sentence: si,
                        trigger: cue,
                    }],
                    confidence: 0.5,
                };
                // One act once: the same speaker doing the same to the same actor again is
                // more evidence of the event already made.
                let same = events[narrative..].iter_mut().find(|o| {
                    o.kind == ev.kind
                        && side_entity(&o.source) == side_entity(&ev.source)
                        && side_entity(&o.target) == side_entity(&ev.target)
                });
                match same {
                    Some(o) => o.evidence.push(Evidence {
                        sentence: si,
                        trigger: cue,
                    }),
                    None => events.push(ev),
                }
            }
        }
        events.sort_by_key(|e| e.trigger.span.0);
        for (i, e) in events.iter_mut().enumerate() {
            e.id = format!("v{}", i + 1);
        }
    }
}

fn side_entity(s: &Option<EventSide>) -> Option<&str> {
    s.as_ref().and_then(|s| s.entity.as_deref())
}

/// "not a mistake", "we don't support": a negation among the three words before the cue (within
/// the quotation) unsays it; a cue that is itself negative ("not accept") is not unsaid by it.
fn negated(text: &str, quote_start: usize, cue: Span) -> bool {
    let cue_text = cue.slice(text).to_lowercase();
    if cue_text.starts_with("not ") || cue_text.starts_with("never ") || cue_text.starts_with("no ")
    {
        return false;
    }
    text[quote_start..cue.0]
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'))
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|w| {
            let w = w.to_lowercase().replace('\u{2019}', "'");
            matches!(w.as_str(), "not" | "never" | "no" | "without" | "nor") || w.ends_with("n't")
        })
}

/// "We must get it done", "I still need to ...": an obligation the speaker puts on itself is
/// no demand on anyone ("The Americans must leave" is), unless an actor is what it acts on.
fn self_exhortation(text: &str, quote_start: usize, cue: Span) -> bool {
    let cue_text = cue.slice(text).to_lowercase();
    if !["must", "have to", "has to", "need to", "needs to"].contains(&cue_text.as_str()) {
        return false;
    }
    text[quote_start..cue.0]
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '[' | ']'))
        .filter(|w| !w.is_empty())
        .rev()
        .take(2)
        .any(|w| matches!(w.to_lowercase().as_str(), "we" | "i"))
}

/// Whether the quotation names an actor in the words right after the cue, as what the
/// obligation acts on ("we must get rid of American troops").
fn names_actor_after(entities: &[Entity], quote: Span, cue: Span) -> bool {
    entities
        .iter()
        .flat_map(|e| e.mentions.iter())
        .any(|m| quote.contains(*m) && m.0 >= cue.1 && m.0 - cue.1 <= 40)
}

/// The actor named in the quotation nearest the cue, other than the speaker.
fn nearest_named<'e>(
    entities: &'e [Entity],
    quote: Span,
    cue: Span,
    speaker: &str,
) -> Option<(&'e Entity, Span)> {
    entities
        .iter()
        .filter(|e| e.id != speaker)
        .flat_map(|e| e.mentions.iter().map(move |m| (e, *m)))
        .filter(|(_, m)| quote.contains(*m) && !m.overlaps(cue))
        .min_by_key(|(_, m)| {
            if m.1 <= cue.0 {
                cue.0 - m.1
            } else {
                m.0.saturating_sub(cue.1)
            }
        })
}

#[cfg(test)]
mod tests {
    use crate::model::Article;

    fn events(text: &str) -> Vec<crate::model::Event> {
        let p = crate::Pipeline::new();
        p.process(Article {
            id: "t".into(),
            text: text.into(),
            published: Some("2024-03-08".into()),
            ..Default::default()
        })
        .events
    }

    fn has(evs: &[crate::model::Event], kind: &str, trigger: &str) -> bool {
        evs.iter()
            .any(|e| e.kind == kind && e.trigger.text.eq_ignore_ascii_case(trigger))
    }

    #[test]
    fn criticism_in_a_quote_is_the_speakers_accusation() {
        let evs = events(
            "Opposition leader Maria Costa spoke in Lisbon on Tuesday. \"This is a lousy deal \
             for the workers of Portugal,\" Costa told reporters.",
        );
        let e = evs
            .iter()
            .find(|e| e.kind == "ACCUSE" && e.trigger.text == "lousy")
            .expect("an accusation");
        assert_eq!(e.source.as_ref().unwrap().text, "Maria Costa");
        assert_eq!(e.status, "occurred");
    }

    #[test]
    fn a_negated_cue_and_an_unattributed_quote_make_nothing() {
        let evs = events(
            "Prime Minister Jan Novak spoke in Prague on Monday. \"It was not a mistake to sign \
             the treaty,\" Novak said. The banner read \"Corruption kills\".",
        );
        assert!(!has(&evs, "ACCUSE", "mistake"));
        assert!(!has(&evs, "ACCUSE", "corruption"));
    }

    #[test]
    fn an_obligation_the_speaker_puts_on_itself_is_no_demand() {
        let evs = events(
            "Prime Minister Jan Novak spoke in Prague on Monday. \"We must finish the reform \
             this year,\" Novak said.",
        );
        assert!(!evs.iter().any(|e| e.kind == "REQUEST"), "{evs:?}");
        let evs = events(
            "Iraqi cleric Ali Hassan spoke at the rally on Friday. \"First we must get rid of \
             the American troops,\" Hassan said.",
        );
        assert!(evs.iter().any(|e| e.kind == "REQUEST"), "{evs:?}");
    }

    #[test]
    fn a_demand_names_its_target_and_repeats_are_one_event() {
        let evs = events(
            "Iraqi cleric Ali Hassan spoke at the rally on Friday. \"The Americans must leave \
             Iraq,\" Hassan said. \"The Americans must leave now,\" he added.",
        );
        let req: Vec<_> = evs.iter().filter(|e| e.kind == "REQUEST").collect();
        assert_eq!(req.len(), 1, "{req:?}");
        assert_eq!(req[0].evidence.len(), 2);
        assert!(req[0].target.is_some());
    }

    #[test]
    fn user_cues_load_and_bad_lines_name_file_and_line() {
        let dir = std::env::temp_dir().join(format!("kestrel-stances-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("stances.tsv");
        std::fs::write(&file, "# user cues\nsell-out\tACCUSE\tdisapprove\t111\n").unwrap();
        let st = super::Stances::load(&[dir.as_path()]).unwrap();
        let text = "\"It is a sell-out,\" she said.";
        let found = st.find(text, crate::model::Span(1, 17));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.slice(text), "sell-out");
        std::fs::write(&file, "sell-out\tSCOLD\t\t111\n").unwrap();
        let err = super::Stances::load(&[dir.as_path()]).unwrap_err();
        assert!(
            err.contains("stances.tsv:1") && err.contains("SCOLD"),
            "{err}"
        );
        std::fs::write(&file, "sell-out\tACCUSE\t111\n").unwrap();
        assert!(super::Stances::load(&[dir.as_path()]).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}
