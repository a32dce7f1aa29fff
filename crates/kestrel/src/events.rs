//! Events: PLOVER events with CAMEO codes and ACLED types, their source and target actors, and
//! their status, from trigger words and clause structure — no external parser.
//!
//! For each trigger ([`crate::triggers`]) in a sentence the stage finds the clause around it and
//! reads the arguments from word order: the subject before an active verb is the source and its
//! object (or the actor after a target preposition: "protest against", "talks with") the target;
//! a passive ("was killed by X") swaps them; a modifier or possessive before an event noun ("the
//! US drone attack", "Sadr's march") is its source; coordinated subjects ("Saleh and Trump
//! agreed") form a compound side whose actors stay separate in `members`. The words around the
//! trigger give its status (did not → negated, should → hypothetical, will / called for →
//! planned, accused ... of → reported claim, has been ... for months → ongoing). The same event
//! told twice (headline and body, caption and body) becomes one event with several evidence
//! entries. Dates, places and counts are filled by the resolve stage.

use crate::model::{
    Acled, Block, BlockKind, Entity, Event, EventSide, Evidence, Sentence, SideMember, Span,
    Trigger,
};
use crate::tokens::{TokKind, Token};
use crate::triggers::{Form, Pos, TriggerMatch, Triggers};

/// Prepositions that put the actor after them out of subject position.
const PREPS: &[&str] = &[
    "of",
    "in",
    "from",
    "at",
    "on",
    "to",
    "for",
    "with",
    "by",
    "against",
    "near",
    "about",
    "over",
    "into",
    "than",
    "like",
    "during",
    "after",
    "before",
    "between",
    "among",
    "toward",
    "towards",
    "across",
    "through",
    "under",
    "including",
    "via",
];

/// Verbs that make their subject the actor of the event noun they govern.
const DOING: &[&str] = &[
    "launched",
    "launch",
    "launches",
    "carried",
    "carry",
    "carries",
    "staged",
    "stage",
    "stages",
    "held",
    "hold",
    "holds",
    "led",
    "lead",
    "leads",
    "conducted",
    "conduct",
    "organized",
    "organised",
    "organize",
    "began",
    "begin",
    "started",
    "start",
    "mounted",
    "made",
    "make",
    "joined",
    "join",
    "attended",
    "attend",
    "signed",
    "sign",
    "reached",
    "reach",
    "imposed",
    "impose",
    "ordered",
    "order",
    "threatened",
    "continued",
    "resumed",
    "announced",
    "declared",
    "claimed",
    "took",
    "take",
    "staging",
    "holding",
    "leading",
    "launching",
    "participated",
    "filed",
    "file",
    "files",
    "brought",
    "lodged",
    "entered",
    "issued",
    "issue",
    "issues",
];

const BE: &[&str] = &[
    "was", "were", "been", "being", "is", "are", "be", "got", "get", "gets", "'s", "’s",
];

const NEGATIONS: &[&str] = &[
    "not", "n't", "never", "no", "without", "neither", "nor", "denied", "deny", "denies",
];
const HYPOTHETICAL: &[&str] = &[
    "should", "could", "would", "might", "may", "must", "if", "unless", "whether", "can",
];
const PLANNED: &[&str] = &[
    "will",
    "'ll",
    "’ll",
    "plan",
    "plans",
    "planned",
    "planning",
    "scheduled",
    "set",
    "expected",
    "intends",
    "intend",
    "intended",
    "going",
    "upcoming",
    "proposed",
    "called",
    "calls",
    "call",
    "calling",
    "urged",
    "urges",
    "urging",
    "vowed",
    "vows",
    "promised",
    "promises",
    "pledged",
    "pledges",
    "threatened",
    "threatens",
    "announced",
    "announces",
    "demanded",
    "demands",
    "asked",
    "wants",
    "want",
    "hopes",
    "hope",
    "prepare",
    "prepares",
    "preparing",
    "ready",
];
const ONGOING: &[&str] = &[
    "continue",
    "continues",
    "continued",
    "continuing",
    "ongoing",
    "still",
    "since",
];

/// Words that end a clause when scanning left for a subject.
fn is_clause_break(w: &str) -> bool {
    matches!(
        w,
        ";" | ":"
            | "—"
            | "–"
            | "("
            | ")"
            | "\u{201C}"
            | "\u{201D}"
            | "\""
            | "while"
            | "although"
            | "though"
            | "because"
            | "whereas"
            | "but"
            | "after"
            | "before"
            | "when"
            | "as"
            | "since"
            | "until"
    )
}

/// An actor mention in the article: its span and entity index.
#[derive(Clone, Copy, Debug)]
struct Mention {
    span: Span,
    entity: usize,
}

/// The event stage, sharing the trigger dictionary.
pub struct Events<'a> {
    pub triggers: &'a Triggers,
}

struct Ctx<'t> {
    text: &'t str,
    toks: &'t [Token],
    words: Vec<&'t str>,
    /// The words in lowercase (borrowed when they have no capital).
    lower: Vec<std::borrow::Cow<'t, str>>,
    /// For each token, the mention index covering it.
    mention_at: Vec<Option<usize>>,
    /// Token ranges inside quotation marks.
    quoted: Vec<bool>,
}

impl<'a> Events<'a> {
    /// Find the events of an article.
    pub fn extract(
        &self,
        text: &str,
        blocks: &[Block],
        sentences: &[Sentence],
        sentence_tokens: &[Vec<Token>],
        entities: &[Entity],
    ) -> Vec<Event> {
        let mut mentions: Vec<Mention> = entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.mentions
                    .iter()
                    .map(move |&span| Mention { span, entity: i })
            })
            .collect();
        mentions.sort_by_key(|m| (m.span.0, std::cmp::Reverse(m.span.1)));
        let mut events: Vec<Event> = Vec::new();
        let mut in_quote = false;
        for (si, s) in sentences.iter().enumerate() {
            let kind = blocks
                .get(s.block)
                .map(|b| b.kind)
                .unwrap_or(BlockKind::Body);
            if matches!(kind, BlockKind::Byline | BlockKind::Boilerplate) {
                continue;
            }
            // A new paragraph resets an unclosed quotation.
            if si == 0 || sentences[si - 1].block != s.block {
                in_quote = false;
            }
            let toks = &sentence_tokens[si];
            let words: Vec<&str> = toks.iter().map(|t| t.text(text)).collect();
            let mut mention_at = vec![None; toks.len()];
            for (mi, m) in mentions
                .iter()
                .enumerate()
                .filter(|(_, m)| s.span.contains(m.span))
            {
                for (ti, t) in toks.iter().enumerate() {
                    if m.span.contains(t.span) && mention_at[ti].is_none() {
                        mention_at[ti] = Some(mi);
                    }
                }
            }
            let mut quoted = vec![false; toks.len()];
            for (ti, w) in words.iter().enumerate() {
                match *w {
                    "\u{201C}" => in_quote = true,
                    "\u{201D}" => {
                        quoted[ti] = true;
                        in_quote = false;
                        continue;
                    }
                    "\"" => {
                        in_quote = !in_quote;
                        quoted[ti] = true;
                        continue;
                    }
                    _ => {}
                }
                quoted[ti] = in_quote;
            }
            let ctx = Ctx {
                text,
                toks,
                lower: words.iter().map(|w| crate::tokens::lowercase(w)).collect(),
                words,
                mention_at,
                quoted,
            };
            for tm in self.triggers.find(text, s.span) {
                if let Some(ev) = self.event_at(&ctx, &tm, &mentions, entities, si, kind) {
                    events.push(ev);
                }
            }
        }
        let events = merge_repeats(events, sentences, blocks);
        let events = merge_also(text, events);
        // An event is something an actor did: an event with no actor on either side joins an
        // event of its type that has actors ("the attack" after "rebels attacked"), else it is
        // dropped, unless it is a protest (made by the article's crowd, below).
        let (mut events, bare): (Vec<Event>, Vec<Event>) = events
            .into_iter()
            .partition(|e| e.source.is_some() || e.target.is_some() || e.kind == "PROTEST");
        for e in bare {
            if let Some(o) = events
                .iter_mut()
                .find(|o| o.kind == e.kind && happened(&o.status) == happened(&e.status))
            {
                o.evidence.push(Evidence {
                    sentence: e.sentence,
                    trigger: e.trigger.span,
                });
            }
        }
        // Protests with no named source were made by the article's civilians ("protesters",
        // "demonstrators", "Iraqis"): the most mentioned civilian group.
        let crowd = entities
            .iter()
            .filter(|e| {
                e.kind == crate::model::EntityKind::Group
                    && e.actor
                        .as_ref()
                        .is_some_and(|a| a.roles.iter().any(|r| r == "CVL"))
            })
            .filter(|e| !e.name.to_lowercase().contains("movement"))
            .max_by_key(|e| e.mentions.len());
        // With no civilian group named, a protest told bare ("the bill sparked protests") was
        // made by the civilians of the article's country: the country most mentioned by its actors.
        let crowd_side = match crowd {
            Some(crowd) => Some(EventSide {
                entity: Some(crowd.id.clone()),
                text: crowd.name.clone(),
                code: crowd.actor.as_ref().map(|a| a.code.clone()),
                members: Vec::new(),
            }),
            None => main_country(entities).map(|c| EventSide {
                entity: None,
                text: format!("civilians ({c})"),
                code: Some(format!("{c}CVL")),
                members: Vec::new(),
            }),
        };
        if let Some(crowd) = crowd_side {
            let mut crowd_made = vec![false; events.len()];
            for (i, ev) in events.iter_mut().enumerate() {
                if ev.kind == "PROTEST" && ev.source.is_none() {
                    crowd_made[i] = true;
                    ev.source = Some(crowd.clone());
                }
            }
            events = merge_crowd_protests(text, events, &crowd_made);
        }
        for (i, e) in events.iter_mut().enumerate() {
            e.id = format!("v{}", i + 1);
        }
        events
    }

    #[allow(clippy::too_many_arguments)]
    fn event_at(
        &self,
        c: &Ctx,
        tm: &TriggerMatch,
        mentions: &[Mention],
        entities: &[Entity],
        si: usize,
        block_kind: BlockKind,
    ) -> Option<Event> {
        let def = &self.triggers.defs[tm.def];
        let ti = c.toks.iter().position(|t| t.span.0 >= tm.span.0)?;
        let tj = c
            .toks
            .iter()
            .rposition(|t| t.span.1 <= tm.span.1)
            .map(|x| x + 1)?;
        if tj <= ti {
            return None;
        }
        // Words in quotation marks are someone's statement, not the narrative (quotes are their
        // own layer); a trigger inside an actor's name ("Protest Party") is no event.
        if c.quoted[ti]
            || c.mention_at[ti].is_some_and(|m| {
                entities[mentions[m].entity].kind != crate::model::EntityKind::Group
                    && mentions[m].span.0 < c.toks[ti].span.0
            })
        {
            return None;
        }
        let trig_text = tm.span.slice(c.text);
        // "March" the month, "strike" in a name.
        if trig_text.chars().next().is_some_and(|ch| ch.is_uppercase()) && ti > 0 {
            let next = c.words.get(tj).copied().unwrap_or("");
            let prev = &*c.lower[ti - 1];
            if next.chars().next().is_some_and(|ch| ch.is_ascii_digit())
                || matches!(
                    prev,
                    "in" | "on"
                        | "since"
                        | "last"
                        | "early"
                        | "late"
                        | "mid"
                        | "of"
                        | "until"
                        | "by"
                        | "from"
                        | "through"
                        | "this"
                        | "next"
                )
            {
                return None;
            }
        }
        let is_verb = def.pos != Pos::Noun && tm.form != Form::Nominal;
        if is_verb && tm.form == Form::Past && adjectival(c, ti, tj, &def.pattern) {
            return None;
        }
        // A verb used as a noun modifier or after a determiner is a noun ("the attack").
        let after_det = ti > 0
            && matches!(
                &*c.lower[ti - 1],
                "the" | "a" | "an" | "this" | "that" | "its" | "their" | "his" | "her" | "our"
            );
        let verbal = is_verb && !after_det;
        let left = clause_start(c, ti);
        let right = clause_end(c, tj);
        // Passive: "was killed by", "have been killed".
        // "anyone accused of a crime": a participle after its noun; the accused is the actor
        // just before, and with no actor there the accusation is nobody's event.
        let reduced = verbal
            && tm.form == Form::Past
            && def.pattern == "accuse"
            && c.lower.get(tj).is_some_and(|w| w == "of")
            && ti >= 1
            && !BE.contains(&&*c.lower[ti - 1]);
        if reduced && c.mention_at[ti - 1].is_none() {
            return None;
        }
        let passive = verbal
            && tm.form == Form::Past
            && (ti >= 1 && BE.contains(&&*c.lower[ti - 1])
                || ti >= 2
                    && BE.contains(&&*c.lower[ti - 2])
                    && (c.words[ti - 1].ends_with("ly")
                        || matches!(&*c.lower[ti - 1], "both" | "all" | "also"))
                || reduced);
        let mut source: Vec<usize>;
        let mut target: Vec<usize>;
        if verbal {
            let subj = subject(c, left, ti, mentions, entities);
            let by = after_prep(c, tj, right, &["by"], mentions);
            let obj = self.object(c, tj, right, def.target_preps.as_slice(), mentions);
            if passive {
                target = subj;
                source = by;
            } else {
                source = subj;
                target = obj;
            }
        } else {
            // An event noun: its modifier or possessive before it, else the clause's subject.
            source = modifier_before(c, left, ti, mentions, entities);
            // The clause's subject is the noun event's source only when a verb of doing links
            // them ("rebels launched an attack"), not a verb of saying ("Reuters reported the attack").
            if source.is_empty() && c.lower[left..ti].iter().any(|w| DOING.contains(&&**w)) {
                source = subject(c, left, ti, mentions, entities);
            }
            // A treaty or an agreement named ("the NATO treaty", "withdrew from the treaty") is
            // no event unless its clause makes or signs it ("signed a treaty", "entered into an
            // agreement").
            if def.kind == "AGREE" && !c.lower[left..ti].iter().any(|w| DOING.contains(&&**w)) {
                return None;
            }
            // "a lawsuit filed by the Senate", "the march led by students".
            if source.is_empty()
                && c.lower.get(tj + 1).is_some_and(|w| w == "by")
                && DOING.contains(&&*c.lower[tj])
            {
                source = after_prep(c, tj + 1, right, &["by"], mentions);
            }
            target = if def.target_preps.is_empty() {
                Vec::new()
            } else {
                after_prep(
                    c,
                    tj,
                    right,
                    &def.target_preps
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                    mentions,
                )
            };
        }
        // "The two leaders agreed": the two people just named.
        if source.is_empty() && ti >= 2 {
            if let Some(two) = two_of(c, left, ti) {
                let persons: Vec<usize> =
                    previous_people(mentions, entities, c.toks[left.min(ti)].span.0, two);
                if persons.len() == two {
                    source = persons;
                }
            }
        }
        // Reciprocal events: one party in source, the other in target.
        let reciprocal = def.target_preps.iter().any(|p| p == "with")
            && matches!(def.kind.as_str(), "CONSULT" | "AGREE" | "COOPERATE");
        if reciprocal && target.is_empty() && source.len() >= 2 {
            target = source.split_off(1);
        }
        // The same actor on both sides is no event between two actors.
        target.retain(|t| {
            !source
                .iter()
                .any(|s| mentions[*s].entity == mentions[*t].entity)
        });
        // "released a statement", "met with applause": these words are an event only when an
        // actor is acted upon.
        // "The governor agreed, saying ...": agreeing with what was said, not with an actor.
        let agreed_with_words = verbal
            && def.kind == "AGREE"
            && def.pattern.starts_with("agree")
            && target.is_empty()
            && source.len() < 2
            && two_of(c, left, ti).is_none()
            && c.lower
                .get(tj)
                .is_none_or(|w| matches!(&**w, "," | "." | "that"));
        if agreed_with_words {
            return None;
        }
        let met_with_thing = verbal
            && def.kind == "CONSULT"
            && target.is_empty()
            && c.lower.get(tj).is_some_and(|w| w == "with");
        if (def.needs_target || met_with_thing) && target.is_empty() {
            return None;
        }
        let status = status(c, left, ti, tj, right, tm.form, verbal);
        let side = |ms: &[usize]| -> Option<EventSide> {
            let first = *ms.first()?;
            let members: Vec<SideMember> = if ms.len() > 1 {
                ms.iter()
                    .map(|&m| {
                        let e = &entities[mentions[m].entity];
                        SideMember {
                            entity: Some(e.id.clone()),
                            text: mentions[m].span.slice(c.text).to_string(),
                            code: e.actor.as_ref().map(|a| a.code.clone()),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let e = &entities[mentions[first].entity];
            let text = if ms.len() > 1 {
                Span(
                    mentions[ms[0]].span.0.min(mentions[*ms.last()?].span.0),
                    mentions[ms[0]].span.1.max(mentions[*ms.last()?].span.1),
                )
                .slice(c.text)
                .to_string()
            } else {
                mentions[first].span.slice(c.text).to_string()
            };
            Some(EventSide {
                entity: Some(e.id.clone()),
                text,
                code: e.actor.as_ref().map(|a| a.code.clone()),
                members,
            })
        };
        let source_side = side(&source);
        let target_side = side(&target);
        let (mut kind, mut mode, mut acled) =
            (def.kind.clone(), def.mode.clone(), def.acled.clone());
        retype(
            &mut kind,
            &mut mode,
            &mut acled,
            source_side.as_ref(),
            target_side.as_ref(),
        );
        let mut cameo = def.cameo.clone();
        if verbal && def.pattern == "attack" && words_attack(source_side.as_ref()) {
            kind = "ACCUSE".into();
            mode = Some("disapprove".into());
            acled = None;
            cameo = "111".into();
        }
        let mut confidence: f64 = 0.4;
        if source_side.is_some() {
            confidence += 0.25;
        }
        if target_side.is_some() {
            confidence += 0.2;
        }
        if verbal {
            confidence += 0.1;
        }
        if block_kind != BlockKind::Body {
            confidence -= 0.1;
        }
        let span = tm.span;
        Some(Event {
            id: String::new(),
            kind,
            mode,
            context: def.context.clone(),
            cameo,
            acled: acled.map(|(event_type, sub_event_type)| Acled {
                event_type,
                sub_event_type,
            }),
            source: source_side,
            target: target_side,
            date: None,
            place: None,
            participants: None,
            fatalities: None,
            injuries: None,
            arrests: None,
            status: status.to_string(),
            trigger: Trigger {
                text: trig_text.to_string(),
                span,
            },
            sentence: si,
            evidence: vec![Evidence {
                sentence: si,
                trigger: span,
            }],
            confidence: confidence.clamp(0.05, 0.95),
        })
    }

    /// The target of an active verb: an actor after a target preposition, else its direct object.
    fn object(
        &self,
        c: &Ctx,
        tj: usize,
        right: usize,
        preps: &[String],
        mentions: &[Mention],
    ) -> Vec<usize> {
        // Direct object: the first actor within a few words, with no preposition or verb between.
        let mut k = tj;
        let mut steps = 0;
        while k < right && steps < 5 {
            if let Some(m) = c.mention_at[k] {
                return coordinated_from(c, k, right, m, mentions);
            }
            let w = &*c.lower[k];
            if PREPS.contains(&w)
                || c.toks[k].kind == TokKind::Punct
                || matches!(w, "that" | "to" | "and" | "who" | "which")
            {
                break;
            }
            k += 1;
            steps += 1;
        }
        // Else an actor after a target preposition ("met with", "protested against").
        let p: Vec<&str> = preps.iter().map(String::as_str).collect();
        after_prep(c, tj, right, &p, mentions)
    }
}

/// Whether the past participle at `[ti, tj)` modifies a noun rather than telling an event:
/// "guarding captured fighters", "the arrested men", "extradite accused criminals".
fn adjectival(c: &Ctx, ti: usize, tj: usize, pattern: &str) -> bool {
    if tj != ti + 1 || tj >= c.words.len() {
        return false;
    }
    let next = c.words[tj];
    let next_is_noun = c.toks[tj].kind == TokKind::Word
        && !PREPS.contains(&&*c.lower[tj])
        && !matches!(&*c.lower[tj], "and" | "or" | "that" | "as");
    if !next_is_noun {
        return false;
    }
    // "accused" takes a person or "of": before any other lower-case word it is an adjective.
    // "accused" takes its target and "of": "accused criminals", with no "of" after, is an
    // adjective.
    if pattern == "accuse"
        && next.chars().all(|ch| ch.is_ascii_lowercase())
        && !c.lower[tj..c.words.len().min(tj + 5)]
            .iter()
            .any(|w| w == "of" || w == "that")
    {
        return true;
    }
    let Some(prev) = ti.checked_sub(1).map(|k| &*c.lower[k]) else {
        return false;
    };
    matches!(
        prev,
        "the" | "a" | "an" | "of" | "for" | "with" | "its" | "their" | "his" | "her"
    ) || (prev.len() > 4
        && prev.ends_with("ing")
        && !matches!(prev, "being" | "having")
        && c.mention_at[ti - 1].is_none())
}

/// First token of the clause holding token `ti`.
fn clause_start(c: &Ctx, ti: usize) -> usize {
    let mut k = ti;
    while k > 0 {
        // A parenthesis or an aside between dashes before the trigger does not end the clause:
        // "The European Union (EU) condemned ...".
        if let Some(open) = aside_start(c, 0, k - 1) {
            if open > 0 {
                k = open;
                continue;
            }
        }
        if is_clause_break(&c.lower[k - 1]) && c.mention_at[k - 1].is_none() {
            return k;
        }
        k -= 1;
    }
    0
}

/// One past the last token of the clause after token `tj`.
fn clause_end(c: &Ctx, tj: usize) -> usize {
    let mut k = tj;
    while k < c.words.len() {
        let w = &*c.lower[k];
        if matches!(
            w,
            ";" | "."
                | "!"
                | "?"
                | ":"
                | "—"
                | "–"
                | "\u{201C}"
                | "but"
                | "while"
                | "although"
                | "because"
                | "whereas"
                | "who"
                | "which"
                | "where"
        ) {
            return k;
        }
        k += 1;
    }
    c.words.len()
}

/// The subject before a verb: the nearest actor in the clause that is not the object of a
/// preposition, with the actors coordinated with it ("Saleh and Trump").
fn subject(
    c: &Ctx,
    left: usize,
    ti: usize,
    mentions: &[Mention],
    entities: &[Entity],
) -> Vec<usize> {
    // "X, who chairs the committee, also criticized": a relative clause closed by a comma right
    // before the verb is skipped; the subject is the actor before ", who".
    let mut v = ti;
    while v > left
        && matches!(
            &*c.lower[v - 1],
            "also" | "then" | "later" | "has" | "have" | "had"
        )
    {
        v -= 1;
    }
    if v > left + 3 && c.words[v - 1] == "," {
        if let Some(w) = (left + 1..v - 1)
            .rev()
            .find(|&j| matches!(&*c.lower[j], "who" | "which"))
        {
            if c.words[w - 1] == "," && w >= left + 2 {
                return match c.mention_at[w - 2] {
                    Some(m) if c.lower[w] == "who" => vec![m],
                    _ => Vec::new(),
                };
            }
        }
    }
    let mut k = ti;
    while k > left {
        k -= 1;
        if let Some(open) = aside_start(c, left, k) {
            k = open;
            continue;
        }
        let Some(m) = c.mention_at[k] else {
            let w = &*c.lower[k];
            // A relative clause ("people who had been accused", "Lam, who is supported by"): its
            // subject is the actor the pronoun follows, or none when it follows a plain noun.
            // A condition opens its own clause: its subject is inside it.
            if matches!(w, "if" | "unless") {
                return Vec::new();
            }
            if matches!(w, "who" | "whom" | "which") {
                let mut j = k;
                if j > left && c.words[j - 1] == "," {
                    j -= 1;
                }
                return match (j > left).then(|| c.mention_at[j - 1]).flatten() {
                    Some(m) if w == "who" => vec![m],
                    _ => Vec::new(),
                };
            }
            // A pronoun subject stands for the last person ("he", "she") or group ("they") named.
            let want_person = match w {
                "he" | "she" => Some(true),
                "they" => Some(false),
                _ => None,
            };
            if let (Some(wp), false) = (want_person, c.quoted[k]) {
                let prev = if k > left { &*c.lower[k - 1] } else { "" };
                if !PREPS.contains(&prev) {
                    return antecedent(mentions, entities, c.toks[k].span.0, wp)
                        .into_iter()
                        .collect();
                }
            }
            continue;
        };
        if c.quoted[k] {
            continue;
        }
        // Start of this mention.
        let mut s = k;
        while s > left && c.mention_at[s - 1] == Some(m) {
            s -= 1;
        }
        // Titles outside the mention ("for U.S. President Donald Trump") stand between it and
        // the preposition.
        let mut titles = 0;
        while s > left + 1
            && titles < 4
            && c.mention_at[s - 1].is_none()
            && c.words[s - 1].starts_with(|ch: char| ch.is_uppercase())
        {
            s -= 1;
            titles += 1;
        }
        let prev = if s > left { &*c.lower[s - 1] } else { "" };
        let prev2 = if s > left + 1 { &*c.lower[s - 2] } else { "" };
        // Skip actors inside prepositional phrases ("the presence of US troops", "in Iraq") and
        // possessive modifiers of another noun ("Iraq's parliament" keeps "parliament").
        // An adjective may stand between ("by local media", "from state television").
        let adjective = !prev.is_empty()
            && c.words[s - 1].chars().all(|ch| ch.is_ascii_lowercase())
            && !BE.contains(&prev)
            && !prev.ends_with("ed");
        let prepositional = PREPS.contains(&prev)
            || ((matches!(prev, "the" | "a" | "an" | "its" | "their") || adjective)
                && PREPS.contains(&prev2));
        let possessive = matches!(c.words.get(k + 1).copied(), Some("’s" | "'s"));
        if prepositional || possessive {
            k = s;
            continue;
        }
        let mut out = vec![m];
        // Coordinated subjects before it: "X and Y", "X, Y and Z".
        let mut j = s;
        while j >= 2 && matches!(c.words[j - 1], "and" | ",") && j - 1 > left {
            let Some(m2) = c.mention_at[j - 2] else { break };
            if out
                .iter()
                .any(|&o| mentions[o].entity == mentions[m2].entity)
            {
                break;
            }
            out.insert(0, m2);
            let mut s2 = j - 2;
            while s2 > left && c.mention_at[s2 - 1] == Some(m2) {
                s2 -= 1;
            }
            j = s2;
        }
        return out;
    }
    Vec::new()
}

/// An actor right before an event noun: "the US drone attack", "Sadr's march", "Iraqi protests".
fn modifier_before(
    c: &Ctx,
    left: usize,
    ti: usize,
    mentions: &[Mention],
    entities: &[Entity],
) -> Vec<usize> {
    let mut k = ti;
    let mut steps = 0;
    while k > left && steps < 4 {
        k -= 1;
        steps += 1;
        if let Some(m) = c.mention_at[k] {
            // "the Salih-Trump meeting", "Iraqi and US officials' talks": both modifiers.
            let mut s = k;
            while s > left && c.mention_at[s - 1] == Some(m) {
                s -= 1;
            }
            if s >= 2 && matches!(c.words[s - 1], "-" | "and" | "\u{2013}") {
                if let Some(m2) = c.mention_at[s - 2] {
                    if mentions[m2].entity != mentions[m].entity {
                        return vec![m2, m];
                    }
                }
            }
            return vec![m];
        }
        let w = c.words[k];
        let lower = w.to_lowercase();
        // "Iraq's", and the plural possessive "protesters'".
        if matches!(w, "’s" | "'s" | "'" | "’") {
            continue;
        }
        // A verb stands between a subject and its object, not a modifier and its noun ("Reuters
        // reported Monday's attack").
        if matches!(
            lower.as_str(),
            "said"
                | "says"
                | "say"
                | "told"
                | "reported"
                | "reports"
                | "described"
                | "called"
                | "is"
                | "was"
                | "are"
                | "were"
        ) {
            break;
        }
        // "their demands": the nearest group or organisation before, in this sentence.
        if k + 1 == ti || (k + 2 == ti && c.toks[k + 1].kind == TokKind::Word) {
            if let Some(want_person) = match lower.as_str() {
                "their" => Some(false),
                "his" | "her" => Some(true),
                _ => None,
            } {
                if let Some(m) = antecedent(mentions, entities, c.toks[k].span.0, want_person) {
                    return vec![m];
                }
                break;
            }
        }
        // Only modifiers may stand between: adjectives, nouns, numbers ("military drone").
        if c.toks[k].kind == TokKind::Punct
            || PREPS.contains(&lower.as_str())
            || matches!(lower.as_str(), "the" | "a" | "an" | "and" | "that" | "this")
        {
            break;
        }
    }
    Vec::new()
}

/// Nouns and quantifiers that name part of a group: "members of", "leaders of", "thousands of".
const PARTITIVE: &[&str] = &[
    "members",
    "member",
    "leaders",
    "leader",
    "officials",
    "representatives",
    "ministers",
    "supporters",
    "some",
    "many",
    "most",
    "all",
    "several",
    "one",
    "two",
    "dozens",
    "hundreds",
    "thousands",
    "tens",
    "part",
    "parts",
];

/// Where an aside that closes at token `k` opens: the "(" of a ")", or the first of two dashes
/// ("The army — whose commander is the president — entered"). None when `k` closes nothing.
fn aside_start(c: &Ctx, lo: usize, k: usize) -> Option<usize> {
    let w = &*c.lower[k];
    let open = match w {
        ")" => "(",
        "—" | "–" => w,
        _ => return None,
    };
    (lo..k).rev().find(|&j| c.lower[j] == open)
}

/// The actor after one of `preps` following the trigger, within the clause.
fn after_prep(
    c: &Ctx,
    tj: usize,
    right: usize,
    preps: &[&str],
    mentions: &[Mention],
) -> Vec<usize> {
    let mut k = tj;
    while k < right && k < tj + 10 {
        let w = &*c.lower[k];
        if preps.contains(&w) {
            let mut j = k + 1;
            while j < right && j < k + 5 {
                if let Some(m) = c.mention_at[j] {
                    return coordinated_from(c, j, right, m, mentions);
                }
                // "by members of the EU", "by thousands of protesters": the actor is the group
                // after a partitive "of".
                let partitive =
                    c.lower[j] == "of" && j > k + 1 && PARTITIVE.contains(&&*c.lower[j - 1]);
                if !partitive && (PREPS.contains(&&*c.lower[j]) || c.toks[j].kind == TokKind::Punct)
                {
                    break;
                }
                j += 1;
            }
        }
        k += 1;
    }
    Vec::new()
}

/// A mention starting at token `k` and the actors coordinated after it ("X and Y").
fn coordinated_from(c: &Ctx, k: usize, right: usize, m: usize, mentions: &[Mention]) -> Vec<usize> {
    let mut out = vec![m];
    let mut j = k;
    while j < right && c.mention_at[j] == Some(m) {
        j += 1;
    }
    while j + 1 < right && matches!(c.words[j], "and" | ",") {
        let Some(m2) = c.mention_at[j + 1] else { break };
        if out
            .iter()
            .any(|&o| mentions[o].entity == mentions[m2].entity)
        {
            break;
        }
        out.push(m2);
        j += 1;
        while j < right && c.mention_at[j] == Some(m2) {
            j += 1;
        }
    }
    out
}

/// "the two leaders", "both sides": how many people a plural reference points back to.
fn two_of(c: &Ctx, left: usize, ti: usize) -> Option<usize> {
    let from = left.max(ti.saturating_sub(4));
    let ws = &c.lower[from..ti];
    let has = |w: &str| ws.iter().any(|x| x == w);
    if (has("two") || has("both"))
        && ws.iter().any(|x| {
            matches!(
                &**x,
                "leaders" | "presidents" | "men" | "sides" | "ministers" | "heads"
            )
        })
    {
        Some(2)
    } else {
        None
    }
}

/// The entity a pronoun points back to: the last person (or the last group or organisation)
/// mentioned before byte `before`.
fn antecedent(
    mentions: &[Mention],
    entities: &[Entity],
    before: usize,
    person: bool,
) -> Option<usize> {
    mentions.iter().enumerate().rev().find_map(|(mi, m)| {
        if m.span.1 > before {
            return None;
        }
        let kind = entities[m.entity].kind;
        let is_person = kind == crate::model::EntityKind::Person;
        let ok = if person {
            is_person
        } else {
            matches!(
                kind,
                crate::model::EntityKind::Group | crate::model::EntityKind::Organization
            )
        };
        ok.then_some(mi)
    })
}

/// The last `n` distinct people mentioned before byte `before`.
fn previous_people(
    mentions: &[Mention],
    entities: &[Entity],
    before: usize,
    n: usize,
) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for (mi, m) in mentions.iter().enumerate().rev() {
        if m.span.1 > before {
            continue;
        }
        let e = &entities[m.entity];
        if e.kind == crate::model::EntityKind::Person
            && !out.iter().any(|&o| mentions[o].entity == m.entity)
        {
            out.push(mi);
            if out.len() == n {
                break;
            }
        }
    }
    out.reverse();
    out
}

/// The status of the event at tokens `[ti, tj)` from the words of its clause.
fn status(
    c: &Ctx,
    left: usize,
    ti: usize,
    tj: usize,
    right: usize,
    form: Form,
    verbal: bool,
) -> &'static str {
    let before: Vec<&str> = c.lower[left.max(ti.saturating_sub(6))..ti]
        .iter()
        .map(|w| &**w)
        .collect();
    let clause: Vec<&str> = c.lower[left..right].iter().map(|w| &**w).collect();
    let near = |list: &[&str]| before.iter().any(|w| list.contains(w));
    if near(NEGATIONS) {
        return "negated";
    }
    if near(HYPOTHETICAL)
        || c.lower[left..ti]
            .iter()
            .any(|w| matches!(&**w, "if" | "unless"))
    {
        return "hypothetical";
    }
    // "accused X of attacking", "alleged".
    let accused = before
        .iter()
        .any(|w| w.starts_with("accus") || w.starts_with("alleg"))
        && before.contains(&"of");
    if accused || before.contains(&"allegedly") {
        return "reported_claim";
    }
    // Announced, called-for or intended events: "will march", "called for a march", and any
    // to-infinitive ("troops to leave") unless something began it ("started to protest").
    let to_inf = ti > 0 && c.words[ti - 1] == "to"
        || ti > 1 && c.words[ti - 2] == "to" && c.lower[ti - 1] == "be";
    let will = before
        .iter()
        .any(|w| matches!(*w, "will" | "'ll" | "’ll" | "shall"));
    let began = before.iter().any(|w| {
        matches!(
            *w,
            "began" | "begun" | "started" | "continued" | "managed" | "tried" | "helped" | "went"
        )
    });
    // "called for a march", "calls on", "called to participate in a march".
    let called = before.windows(2).any(|w| {
        matches!(w[0], "call" | "calls" | "called" | "calling")
            && matches!(w[1], "for" | "to" | "on")
    });
    let plan_word = before
        .iter()
        .any(|w| PLANNED.contains(w) && !matches!(*w, "call" | "calls" | "called" | "calling"));
    if !began && (will || to_inf || called || (plan_word && !verbal)) {
        return "planned";
    }
    // Ongoing: progressive or perfect continuous, "continue(s) to", "since", "for N months".
    let progressive =
        form == Form::Ing && ti > 0 && matches!(&*c.lower[ti - 1], "is" | "are" | "been");
    let has_for_period = clause.windows(3).any(|w| {
        w[0] == "for"
            && (w[2].starts_with("month")
                || w[2].starts_with("week")
                || w[2].starts_with("year")
                || w[2].starts_with("day"))
    }) || clause.windows(4).any(|w| {
        w[0] == "for"
            && (w[3].starts_with("month") || w[3].starts_with("week") || w[3].starts_with("year"))
    });
    let perfect = clause.iter().any(|w| matches!(*w, "has" | "have"));
    // "weeks of protests", "months of strikes": a run of events still going on.
    let run_of = !verbal
        && ti >= 2
        && c.lower[ti - 1] == "of"
        && ["day", "week", "month"]
            .iter()
            .any(|u| c.lower[ti - 2].starts_with(u));
    let _ = tj;
    if progressive
        || run_of
        || near(ONGOING)
        || (perfect && has_for_period)
        || (!verbal && has_for_period)
    {
        return "ongoing";
    }
    "occurred"
}

/// Re-type by actors: crowds that storm or burn riot; armed actors on both sides fight.
fn retype(
    kind: &mut String,
    mode: &mut Option<String>,
    acled: &mut Option<(String, String)>,
    source: Option<&EventSide>,
    target: Option<&EventSide>,
) {
    let roles = |s: Option<&EventSide>| -> String {
        s.and_then(|s| s.code.clone())
            .map(|c| c.get(3..).unwrap_or("").to_string())
            .unwrap_or_default()
    };
    let (sr, tr) = (roles(source), roles(target));
    let armed = |r: &str| {
        ["MIL", "REB", "UAF", "IMG", "INS", "SEP"]
            .iter()
            .any(|x| r.contains(x))
    };
    if kind == "ASSAULT" && sr.contains("CVL") && !armed(&sr) && mode.as_deref() == Some("destroy")
    {
        let property = mode.as_deref() == Some("destroy");
        *kind = "PROTEST".into();
        *mode = Some(if property { "vandalize" } else { "riot" }.into());
        *acled = Some(("Riots".into(), "Violent demonstration".into()));
    } else if kind == "ASSAULT"
        && armed(&sr)
        && armed(&tr)
        && acled
            .as_ref()
            .is_some_and(|a| a.0 == "Violence against civilians")
    {
        *acled = Some(("Battles".into(), "Armed clash".into()));
    } else if kind == "ASSAULT"
        && tr.contains("CVL")
        && acled.as_ref().is_some_and(|a| a.0 == "Protests")
    {
        // Force against protesters stays as the dictionary says.
    }
}

/// Whether "X attacked ..." is an attack in words: X is a politician, party, court, journalist or
/// other unarmed public actor ("the president attacked the investigation"), never civilians, police
/// or an armed group, who attack bodily.
fn words_attack(source: Option<&EventSide>) -> bool {
    let Some(code) = source.and_then(|s| s.code.as_deref()) else {
        return false;
    };
    let roles = code.get(3..).unwrap_or("");
    let armed = [
        "MIL", "REB", "UAF", "IMG", "INS", "SEP", "COP", "SPY", "CRM", "CVL",
    ]
    .iter()
    .any(|r| roles.contains(r));
    !armed
        && ["GOV", "LEG", "ELI", "OPP", "PTY", "JUD", "MED", "NGO"]
            .iter()
            .any(|r| roles.contains(r))
}

/// Whether two codes are compatible (equal, or one unknown).
fn compatible(a: &Option<EventSide>, b: &Option<EventSide>) -> bool {
    match (
        a.as_ref().and_then(|s| s.code.as_ref()),
        b.as_ref().and_then(|s| s.code.as_ref()),
    ) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

fn happened(s: &str) -> bool {
    matches!(s, "occurred" | "ongoing")
}

/// Whether two events have the same known actors on both sides.
fn same_actors(a: &Event, b: &Event) -> bool {
    let code = |s: &Option<EventSide>| s.as_ref().and_then(|s| s.code.clone());
    let (sa, sb, ta, tb) = (
        code(&a.source),
        code(&b.source),
        code(&a.target),
        code(&b.target),
    );
    (sa.is_some() && sa == sb && (ta == tb || ta.is_none() || tb.is_none()))
        || (ta.is_some() && ta == tb && (sa == sb || sa.is_none() || sb.is_none()))
}

/// One event once. Two triggers of one type in one sentence tell one event ("the drone attack ...
/// killed X"); the same event told again in the body (same type and the same known actors) is
/// joined; a caption or heading joins the body event it repeats. Repeats add evidence and whatever
/// the first telling lacked.
fn merge_repeats(events: Vec<Event>, sentences: &[Sentence], blocks: &[Block]) -> Vec<Event> {
    let block_kind = |si: usize| {
        sentences
            .get(si)
            .and_then(|s| blocks.get(s.block))
            .map(|b| b.kind)
            .unwrap_or(BlockKind::Body)
    };
    let (body, secondary): (Vec<Event>, Vec<Event>) = events
        .into_iter()
        .partition(|e| block_kind(e.sentence) == BlockKind::Body);
    let base = |o: &Event, e: &Event| {
        o.kind == e.kind
            && (o.mode == e.mode || o.mode.is_none() || e.mode.is_none())
            && happened(&o.status) == happened(&e.status)
            && compatible(&o.source, &e.source)
            && compatible(&o.target, &e.target)
    };
    let mut out: Vec<Event> = Vec::new();
    for e in body {
        let found = out
            .iter()
            .position(|o| base(o, &e) && (o.sentence == e.sentence || same_actors(o, &e)));
        match found {
            Some(i) => absorb(&mut out[i], e),
            None => out.push(e),
        }
    }
    let body_len = out.len();
    for e in secondary {
        match (0..body_len).find(|&i| base(&out[i], &e)) {
            Some(i) => absorb(&mut out[i], e),
            None => out.push(e),
        }
    }
    out.sort_by_key(|e| (e.sentence, e.trigger.span.0));
    out
}

/// Protests that got the article's crowd as source ("the protests began in June", "weeks of
/// protests") are the protest already told, when one of the same status and mode was made by the
/// same crowd: they join it rather than being new events. A protest movement ("the October
/// protest movement") is a campaign of its own and stays apart.
/// The country the article is about: the country part of the actor codes, counted over every
/// mention of a coded entity (international organisations and unknown countries left out).
fn main_country(entities: &[crate::model::Entity]) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for e in entities {
        let Some(a) = e.actor.as_ref() else { continue };
        if a.country.len() != 3 || a.country == "IGO" || a.country == "---" {
            continue;
        }
        match counts.iter_mut().find(|(c, _)| *c == a.country) {
            Some((_, n)) => *n += e.mentions.len(),
            None => counts.push((a.country.clone(), e.mentions.len())),
        }
    }
    // The first country written wins a tie.
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(c, _)| c)
}

fn merge_crowd_protests(text: &str, events: Vec<Event>, crowd_made: &[bool]) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for (i, e) in events.into_iter().enumerate() {
        let movement = text[e.trigger.span.1..]
            .trim_start()
            .get(..8)
            .is_some_and(|w| w.eq_ignore_ascii_case("movement"));
        let found = if crowd_made[i] && !movement {
            out.iter().position(|o| {
                o.kind == "PROTEST"
                    && o.status == e.status
                    && (o.mode == e.mode || o.mode.is_none() || e.mode.is_none())
                    && compatible(&o.source, &e.source)
                    && compatible(&o.target, &e.target)
            })
        } else {
            None
        };
        match found {
            Some(k) => absorb(&mut out[k], e),
            None => out.push(e),
        }
    }
    out
}

/// "The drone attack ... also killed X": a violent event told with "also" adds its victims to the
/// violent event just before (within two sentences) rather than being a new one.
fn merge_also(text: &str, events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for e in events {
        let also = e.evidence.iter().any(|ev| {
            let before = text[..ev.trigger.0].trim_end();
            before.ends_with(" also")
                || before.ends_with(" also have")
                || before.ends_with(" also has")
        });
        let prev = if also && e.kind == "ASSAULT" {
            out.iter().rposition(|o| {
                o.kind == "ASSAULT"
                    && o.sentence + 2 >= e.sentence
                    && o.sentence < e.sentence
                    && happened(&o.status) == happened(&e.status)
            })
        } else {
            None
        };
        match prev {
            Some(i) => {
                let o = &mut out[i];
                if let Some(t) = e.target.clone() {
                    match o.target.as_mut() {
                        None => o.target = Some(t),
                        Some(ot) if ot.entity != t.entity => {
                            if ot.members.is_empty() {
                                ot.members.push(SideMember {
                                    entity: ot.entity.clone(),
                                    text: ot.text.clone(),
                                    code: ot.code.clone(),
                                });
                            }
                            let new_members: Vec<SideMember> = if t.members.is_empty() {
                                vec![SideMember {
                                    entity: t.entity.clone(),
                                    text: t.text.clone(),
                                    code: t.code.clone(),
                                }]
                            } else {
                                t.members.clone()
                            };
                            ot.members.extend(new_members);
                        }
                        _ => {}
                    }
                }
                let keep_mode = o.mode.is_some();
                let (mode, acled, cameo) = (e.mode.clone(), e.acled.clone(), e.cameo.clone());
                let source = e.source.clone();
                absorb(o, Event { target: None, ..e });
                if !keep_mode && mode.is_some() {
                    o.mode = mode;
                    o.acled = acled;
                    o.cameo = cameo;
                }
                // The more specific source (the military over the country) wins.
                if let (Some(os), Some(ns)) = (o.source.as_ref(), source) {
                    if os.code.as_deref().map_or(0, str::len)
                        < ns.code.as_deref().map_or(0, str::len)
                    {
                        o.source = Some(ns);
                    }
                }
            }
            None => out.push(e),
        }
    }
    out
}

/// Add a repeat's evidence, and whatever it tells that the first telling lacked.
fn absorb(o: &mut Event, e: Event) {
    o.evidence.push(Evidence {
        sentence: e.sentence,
        trigger: e.trigger.span,
    });
    if o.source.is_none() {
        o.source = e.source;
    }
    if o.target.is_none() {
        o.target = e.target;
    }
    if o.mode.is_none() {
        o.mode = e.mode;
        o.cameo = e.cameo;
        if e.acled.is_some() {
            o.acled = e.acled;
        }
    }
    if o.status == "occurred" && e.status == "ongoing" {
        o.status = e.status;
    }
    o.confidence = (o.confidence + 0.05).min(0.95);
}

#[cfg(test)]
mod tests {
    use crate::model::{Article, Event, EventSide};
    use crate::Pipeline;

    fn events(text: &str) -> Vec<Event> {
        Pipeline::new()
            .process(Article {
                id: "t".into(),
                text: text.into(),
                published: Some("2024-03-08".into()),
                ..Default::default()
            })
            .events
    }

    fn side(s: &Option<EventSide>) -> &str {
        s.as_ref().map_or("", |s| s.text.as_str())
    }

    fn find<'a>(evs: &'a [Event], trigger: &str) -> Option<&'a Event> {
        evs.iter().find(|e| e.trigger.text == trigger)
    }

    #[test]
    fn release_needs_an_actor_released() {
        let evs = events("The interior ministry released a statement on Monday about the border.");
        assert!(find(&evs, "released").is_none(), "{evs:?}");
        let evs = events("Rebels released three soldiers on Monday, the army said.");
        assert_eq!(
            find(&evs, "released").map(|e| e.kind.as_str()),
            Some("RETREAT")
        );
    }

    #[test]
    fn participles_before_a_noun_are_no_events() {
        let evs =
            events("Kurdish forces are guarding captured militants in a camp near the border.");
        assert!(find(&evs, "captured").is_none(), "{evs:?}");
        let evs = events(
            "The new law lets the government of Freedonia extradite people accused of crimes.",
        );
        assert!(find(&evs, "accused").is_none(), "{evs:?}");
        let evs = events("Police accused protesters of burning cars in the capital.");
        assert!(find(&evs, "accused").is_some(), "{evs:?}");
    }

    #[test]
    fn met_with_a_thing_is_no_meeting() {
        let evs = events("The minister was met with applause when she arrived in the capital.");
        assert!(find(&evs, "met").is_none(), "{evs:?}");
    }

    #[test]
    fn the_crowds_protests_told_again_are_one_protest() {
        let evs = events(
            "Thousands of Kenyan protesters marched through Nairobi on Sunday. The protests \
             began in June over a tax on fuel. Police said the protests were peaceful.",
        );
        let protests: Vec<&Event> = evs.iter().filter(|e| e.kind == "PROTEST").collect();
        assert_eq!(protests.len(), 1, "{protests:?}");
        assert_eq!(protests[0].evidence.len(), 3);
        let evs = events(
            "Thousands of Kenyan protesters marched through Nairobi on Sunday. The protest \
             movement began in June over a tax on fuel.",
        );
        assert_eq!(evs.iter().filter(|e| e.kind == "PROTEST").count(), 2);
    }

    #[test]
    fn bare_protests_are_made_by_the_civilians_of_the_articles_country() {
        let evs = events(
            "Kenya's parliament passed a fuel tax on Tuesday. The tax has sparked anger and \
             protests. Kenya's president is expected to sign it.",
        );
        let p = find(&evs, "protests").expect("protest");
        assert_eq!(
            p.source.as_ref().and_then(|s| s.code.as_deref()),
            Some("KENCVL")
        );
    }

    #[test]
    fn a_politician_attacking_a_decision_accuses() {
        let evs = events("President Joe Biden attacked the ruling as a disgrace on Tuesday.");
        let e = find(&evs, "attacked").expect("event");
        assert_eq!(e.kind, "ACCUSE");
        assert_eq!(e.mode.as_deref(), Some("disapprove"));
        let evs = events("Taliban fighters attacked a police checkpoint in Ghazni on Tuesday.");
        assert_eq!(find(&evs, "attacked").expect("event").kind, "ASSAULT");
    }

    #[test]
    fn asides_and_relative_clauses_stand_between_subject_and_verb() {
        let code = |t: &str, trig: &str| {
            let evs = events(t);
            find(&evs, trig).and_then(|e| e.source.as_ref().and_then(|s| s.code.clone()))
        };
        assert_eq!(
            code(
                "The European Union (EU) condemned the shelling of Mariupol.",
                "condemned"
            )
            .as_deref(),
            Some("IGOEUR")
        );
        assert_eq!(
            code(
                "The Kenyan army — whose commander is President William Ruto — attacked the \
                 militants' camp.",
                "attacked"
            )
            .as_deref(),
            Some("KENMIL")
        );
        let evs = events(
            "Kenyan President William Ruto, who met European Union leaders in Brussels, also \
             criticized the ruling.",
        );
        let e = find(&evs, "criticized").expect("event");
        assert_eq!(side(&e.source), "William Ruto");
    }

    #[test]
    fn a_passive_agent_may_be_part_of_a_group() {
        let evs = events("The offensive was condemned by members of the European Union.");
        let e = find(&evs, "condemned").expect("event");
        assert_eq!(
            e.source.as_ref().and_then(|s| s.code.as_deref()),
            Some("IGOEUR")
        );
    }

    #[test]
    fn weeks_of_protests_are_ongoing_and_to_be_done_is_planned() {
        let evs = events("The vote comes after weeks of protests against the president.");
        assert_eq!(find(&evs, "protests").unwrap().status, "ongoing");
        let evs = events("He wants the generals to be prosecuted for the massacre.");
        assert_eq!(find(&evs, "prosecuted").unwrap().status, "planned");
    }

    #[test]
    fn if_anywhere_before_makes_it_hypothetical() {
        let evs = events(
            "Opposition leaders fear the activists could be arrested if the president and the \
             army chief are both killed.",
        );
        let killed = find(&evs, "killed");
        assert!(killed.is_none_or(|e| e.status == "hypothetical" && e.target.is_none()));
    }

    #[test]
    fn past_phrases_are_verbs_with_a_passive() {
        let evs =
            events("Former minister Paul Sato was sentenced by a federal court on Wednesday.");
        let e = find(&evs, "sentenced").expect("sentenced");
        assert_eq!(side(&e.target), "Paul Sato");
        assert_eq!(side(&e.source), "");
    }

    #[test]
    fn an_event_noun_filed_by_an_actor_has_it_as_source() {
        let evs =
            events("The court ruled on a lawsuit filed by the Senate against Governor Ana Ruiz.");
        let e = find(&evs, "lawsuit").expect("lawsuit");
        assert_eq!(side(&e.source), "Senate");
        assert_eq!(side(&e.target), "Ana Ruiz");
    }

    #[test]
    fn relative_clauses_take_the_actor_before_who() {
        let evs = events(
            "Voters cheered Governor Ana Ruiz, who is supported by the Kenyan army, on Monday.",
        );
        if let Some(e) = find(&evs, "supported") {
            assert_eq!(side(&e.target), "Ana Ruiz", "{e:?}");
        }
        let evs = events("Rights groups spoke to people who were arrested by Kenyan police.");
        let e = find(&evs, "arrested").expect("arrested");
        assert_eq!(side(&e.target), "");
    }

    #[test]
    fn agreements_need_a_party_or_a_making() {
        let evs = events("Governor Ana Ruiz agreed, saying only one group could have done it.");
        assert!(find(&evs, "agreed").is_none(), "{evs:?}");
        let evs = events(
            "Last year the president withdrew his country from a trade treaty with Freedonia.",
        );
        assert!(evs.iter().all(|e| e.kind != "AGREE"), "{evs:?}");
        let evs = events("Kenyan officials signed a treaty with Uganda on Monday.");
        assert!(evs.iter().any(|e| e.kind == "AGREE"), "{evs:?}");
    }

    #[test]
    fn noun_modifiers_stop_at_a_verb_of_saying_and_take_plural_possessives() {
        let evs = events("Reuters reported Monday's attack on the Kenyan army base in Garissa.");
        assert!(evs.iter().all(|e| side(&e.source) != "Reuters"), "{evs:?}");
        let evs = events("The Kenyan protesters' demands include new elections.");
        let e = find(&evs, "demands").expect("demands");
        assert_eq!(side(&e.source), "Kenyan protesters");
    }

    #[test]
    fn new_verbal_triggers() {
        let evs = events("President Ana Ruiz congratulated Speaker Tomas Vega on Thursday.");
        let e = find(&evs, "congratulated").expect("congratulated");
        assert_eq!(
            (e.kind.as_str(), side(&e.target)),
            ("SUPPORT", "Tomas Vega")
        );
        let evs = events("The United States has been encouraging Germany to restrict the airline.");
        assert_eq!(find(&evs, "encouraging").unwrap().kind, "REQUEST");
    }
}
