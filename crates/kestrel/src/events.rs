//! Events: PLOVER events with CAMEO codes and ACLED types, their source and target actors, and
//! their status, from trigger words and clause structure — no external parser.
//!
//! For each trigger ([`crate::triggers`]) in a sentence the stage finds the clause around it and
//! reads the arguments from word order: the subject before an active verb is the source and its
//! object (or the actor after a target preposition: "protest against", "talks with") the target;
//! a passive ("was killed by X") swaps them; a modifier or possessive before an event noun ("the
//! US drone attack", "Sadr's march") is its source; coordinated subjects ("Saleh and Trump
//! agreed") form a compound side whose actors stay separate in `members`; a nameless subject that
//! is no entity ("A French minister threatened") is a side with no entity, coded from its country
//! adjective and role noun. The words around the
//! trigger give its status (did not → negated, should → hypothetical, will / called for →
//! planned, accused ... of → reported claim, has been ... for months → ongoing). The same event
//! told twice (headline and body, caption and body) becomes one event with several evidence
//! entries. Dates, places and counts are filled by the resolve stage.

use crate::lexicon::Target;
use crate::model::{
    Acled, Block, BlockKind, Entity, EntityKind, Event, EventSide, Evidence, Sentence, SideMember,
    Span, Trigger,
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
    // Giving and keeping up: "gave Chad a loan", "will extend the curfew".
    "give",
    "gives",
    "gave",
    "given",
    "giving",
    "provide",
    "provides",
    "provided",
    "providing",
    "offer",
    "offers",
    "offered",
    "grant",
    "grants",
    "granted",
    "send",
    "sends",
    "sent",
    "deliver",
    "delivers",
    "delivered",
    "extend",
    "extends",
    "extended",
    "tighten",
    "tightens",
    "tightened",
    "enforce",
    "enforces",
    "enforced",
];

/// Verbs of giving, whose first object is the receiver: "gave the Ivory Coast a loan".
const GIVING: &[&str] = &[
    "give", "gives", "gave", "given", "giving", "offer", "offers", "offered", "grant", "grants",
    "granted", "send", "sends", "sent", "promise", "promises", "promised",
];

/// Verbs that report speech: "would" after one of them is the future of the report ("said it
/// would withdraw"), not a condition.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "say",
    "announced",
    "announces",
    "confirmed",
    "confirms",
    "told",
    "tells",
    "stated",
    "declared",
    "declares",
    "added",
    "insisted",
    "reiterated",
    "indicated",
    "signalled",
    "signaled",
];

/// Verbs whose "that" clause tells what is asked for ("demanded that she resign").
const MANDATIVE: &[&str] = &[
    "demand",
    "insist",
    "ask",
    "urge",
    "request",
    "propose",
    "recommend",
    "suggest",
    "require",
];
/// Verbs of an attack's impact on what it hit ("the strike hit", "was struck by").
const IMPACT: &[&str] = &[
    "hit",
    "hits",
    "struck",
    "strikes",
    "targeted",
    "targets",
    "killed",
    "kills",
    "wounded",
    "injured",
    "destroyed",
    "damaged",
    "rocked",
    "levelled",
    "leveled",
    "flattened",
];
/// Words that count or qualify an event noun before it ("multiple drone strikes").
const QUANTIFIERS: &[&str] = &[
    "a",
    "an",
    "the",
    "two",
    "three",
    "several",
    "multiple",
    "repeated",
    "twin",
    "coordinated",
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
/// Event nouns that name any event of their type ("the attack"), not one way of doing it.
const GENERIC_TRIGGERS: &[&str] = &[
    "attack",
    "attacks",
    "assault",
    "violence",
    "fighting",
    "incident",
    "operation",
];

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
    /// Country adjectives and role nouns, to code an actor the entity stage left unnamed.
    pub lexicon: &'a crate::lexicon::Lexicon,
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
            // Mentions are sorted by start, and tokens too: only those that start in range.
            let first = mentions.partition_point(|m| m.span.0 < s.span.0);
            let last = mentions.partition_point(|m| m.span.0 <= s.span.1);
            for (mi, m) in mentions[first..last.max(first)]
                .iter()
                .enumerate()
                .map(|(k, m)| (first + k, m))
                .filter(|(_, m)| s.span.contains(m.span))
            {
                let from = toks.partition_point(|t| t.span.0 < m.span.0);
                for (ti, t) in toks.iter().enumerate().skip(from) {
                    if t.span.0 > m.span.1 {
                        break;
                    }
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
            let mut found: Vec<Event> = self
                .triggers
                .find(text, s.span)
                .iter()
                .filter_map(|tm| self.event_at(&ctx, tm, &mentions, entities, si, kind))
                .collect();
            if kind == BlockKind::Body {
                found.extend(must_demands(&ctx, self.lexicon, &mentions, entities, si));
                found.extend(court_rulings(&ctx, self.lexicon, &mentions, entities, si));
                found.sort_by_key(|e| e.trigger.span.0);
            }
            events.extend(found);
        }
        let events = merge_repeats(events, sentences, blocks);
        let mut events = merge_also(text, events);
        // "More than 1000 people have been arrested": an arrest told without its agent was made
        // by the police, the article's police force when it names one ("the police", "Hong
        // Kong Police"), else the police of the article's country (as ACLED codes unnamed
        // arresting authorities).
        let agentless_arrest = |e: &Event| {
            e.source.is_none()
                && e.kind == "COERCE"
                && e.acled
                    .as_ref()
                    .is_some_and(|a| a.sub_event_type == "Arrests")
        };
        // "The bill was suspended": a bill or law dropped without its agent was dropped by the
        // government (CAMEO 0832, a concession on policy).
        let agentless_retraction = |e: &Event| {
            e.source.is_none()
                && e.cameo == "0832"
                && e.trigger
                    .text
                    .split_whitespace()
                    .any(|w| matches!(w.to_lowercase().as_str(), "bill" | "law"))
        };
        // The country the article is about, for the sides its words imply.
        let home = main_country(entities);
        type Agentless<'f> = &'f dyn Fn(&Event) -> bool;
        let implied: [(Agentless, &str, &str); 2] = [
            (&agentless_arrest, "COP", "police"),
            (&agentless_retraction, "GOV", "government"),
        ];
        // The home country's own body, when the article names one.
        let home_body = |e: &Entity| {
            e.actor
                .as_ref()
                .is_some_and(|a| home.as_deref().is_none_or(|h| a.country == h))
        };
        for (agentless, role, label) in implied {
            if events.iter().any(agentless) {
                let side = implied_side(entities, home.as_deref(), role, label, home_body);
                for e in events.iter_mut().filter(|e| agentless(e)) {
                    e.source = side.clone();
                }
            }
        }
        // An event is something an actor did: an event with no actor on either side joins an
        // event of its type that has actors ("the attack" after "rebels attacked"), else it is
        // dropped, unless it is a protest (made by the article's crowd, below).
        let (mut events, bare): (Vec<Event>, Vec<Event>) = events
            .into_iter()
            .partition(|e| e.source.is_some() || e.target.is_some() || e.kind == "PROTEST");
        // The event it joins is the first of its type, unless its words are specific and an
        // event is told in the same words ("a stabbing spree" joins "were stabbed", not "was
        // shot dead by police"); a second bare trigger of the sentence goes where the first went
        // ("went on a stabbing spree, killing four").
        let stem =
            |x: &Event| -> String { x.trigger.text.to_lowercase().chars().take(5).collect() };
        let mut last: Option<(usize, usize)> = None;
        for e in bare {
            let fits = |o: &Event| o.kind == e.kind && happened(&o.status) == happened(&e.status);
            let same_sentence = last
                .filter(|&(s, j)| s == e.sentence && fits(&events[j]))
                .map(|(_, j)| j);
            let generic = GENERIC_TRIGGERS.contains(&e.trigger.text.to_lowercase().as_str());
            let chosen = same_sentence
                .or_else(|| {
                    (!generic)
                        .then(|| events.iter().position(|o| fits(o) && stem(o) == stem(&e)))
                        .flatten()
                })
                .or_else(|| events.iter().position(fits));
            if let Some(j) = chosen {
                events[j].evidence.push(Evidence {
                    sentence: e.sentence,
                    trigger: e.trigger.span,
                });
                last = Some((e.sentence, j));
            }
        }
        // Protests with no named source were made by the article's civilians ("protesters",
        // "demonstrators", "Iraqis"): the most mentioned civilian group. With none named, a
        // protest told bare ("the bill sparked protests") was made by the civilians of the
        // article's country: the country most mentioned by its actors.
        let crowd_side = implied_side(entities, home.as_deref(), "CVL", "civilians", |e| {
            e.kind == EntityKind::Group && !e.name.to_lowercase().contains("movement")
        });
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
        // "anti-government protests": the words name the target, the government of the
        // protesters' country (else of the article's).
        for ev in events.iter_mut().filter(|e| e.target.is_none()) {
            if !against_government(text, ev.trigger.span.0) {
                continue;
            }
            let country = ev
                .source
                .as_ref()
                .and_then(|s| s.code.as_deref())
                .and_then(|c| c.get(..3))
                .filter(|c| *c != "---" && *c != "IGO")
                .or(home.as_deref());
            if let Some(c) = country {
                ev.target = Some(country_side(c, "GOV", "government"));
            }
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
        // own layer); a trigger inside an actor's name ("Protest Party") is no event, nor one
        // that modifies a group's head ("border patrol agents").
        if c.quoted[ti]
            || c.mention_at[ti].is_some_and(|m| {
                let inside = mentions[m].span.0 < c.toks[ti].span.0;
                if entities[mentions[m].entity].kind == EntityKind::Group {
                    inside && mentions[m].span.1 > tm.span.1
                } else {
                    inside
                }
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
        // A noun line's one-word form is a verb after a modal, "to" or a plural pronoun ("will
        // support", "to protest", "they rally"); after "to" only the base form ("an end to attacks"
        // is a noun).
        let noun_as_verb = def.pos == Pos::Noun
            && tj == ti + 1
            && ti > 0
            && self.triggers.is_verb_word(&c.lower[ti])
            && match &*c.lower[ti - 1] {
                "to" => !c.lower[ti].ends_with('s'),
                w => matches!(
                    w,
                    "will"
                        | "would"
                        | "'ll"
                        | "’ll"
                        | "shall"
                        | "can"
                        | "could"
                        | "may"
                        | "might"
                        | "must"
                        | "should"
                        | "did"
                        | "not"
                        | "n't"
                        | "they"
                        | "we"
                ),
            };
        let form = if noun_as_verb { Form::Base } else { tm.form };
        let is_verb = (def.pos != Pos::Noun && tm.form != Form::Nominal) || noun_as_verb;
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
        // The verb of doing that governs an event noun ("will provide 25,000 tons of food aid").
        let doing = if verbal {
            None
        } else {
            (left..ti).rev().find(|&k| DOING.contains(&&*c.lower[k]))
        };
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
        // "is opposed to": an adjective of the subject's stance, not a passive.
        let stance = def.pattern == "oppose" && c.lower.get(tj).is_some_and(|w| w == "to");
        let passive = verbal
            && !stance
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
            // "X addressed reporters in New York, calling for ...": a participle after a comma
            // is done by the clause's subject, not by the object just before it.
            let adjunct = tm.form == Form::Ing && ti > 0 && c.words[ti - 1] == ",";
            let subj = adjunct
                .then(|| opening_subject(c, left, ti, mentions, entities))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| subject(c, left, ti, mentions, entities));
            let by = after_prep(c, tj, right, &["by"], mentions);
            let mut obj = self.object(c, tj, right, def.target_preps.as_slice(), mentions);
            // "threatened to shell Iraqi towns", "refused to meet King Abdullah": the act the
            // verb announces, refuses or promises is done to the infinitive's object.
            if obj.is_empty() && !passive && matches!(def.kind.as_str(), "THREATEN" | "REJECT") {
                if let Some(k) = infinitive_at(c, tj, right) {
                    obj = self.object(c, k + 1, right, &[], mentions);
                    // "to break off relations with Congo": a partner named close to the verb.
                    if obj.is_empty() {
                        if let Some(p) = (k + 1..right.min(k + 5))
                            .find(|&p| matches!(&*c.lower[p], "with" | "against"))
                        {
                            obj = after_prep(c, p, right, &[&c.lower[p]], mentions);
                        }
                    }
                }
            }
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
            let mut victim: Vec<usize> = Vec::new();
            // "Khashoggi's killing", "the crown prince ordered Khashoggi's killing": a person
            // owning an act of violence suffered it.
            if def.kind == "ASSAULT" && source.len() == 1 {
                let m = source[0];
                let end = (left..ti).rev().find(|&k| c.mention_at[k] == Some(m));
                let owned = end.is_some_and(|e| matches!(c.words[e + 1], "’s" | "'s"));
                if owned && entities[mentions[m].entity].kind == EntityKind::Person {
                    victim = source.split_off(0);
                }
            }
            // "the request of Prime Minister X", "the demands of the protesters": who asks.
            if source.is_empty()
                && def.kind == "REQUEST"
                && c.lower.get(tj).is_some_and(|w| w == "of")
            {
                source = after_prep(c, tj, right, &["of"], mentions);
            }
            // The clause's subject is the noun event's source only when a verb of doing links
            // them ("rebels launched an attack"), not a verb of saying ("Reuters reported the attack").
            if let (true, Some(d)) = (source.is_empty(), doing) {
                source = subject(c, left, d, mentions, entities);
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
            target = if !victim.is_empty() {
                victim
            } else if def.target_preps.is_empty() {
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
            // "gave the Ivory Coast a loan", "will give Tanzania a grant": the receiver right
            // after a verb of giving.
            if let (true, Some(d)) = (target.is_empty(), doing) {
                let mut k = d + 1;
                if k < ti && matches!(&*c.lower[k], "the" | "a" | "an") {
                    k += 1;
                }
                if GIVING.contains(&&*c.lower[d]) && k < ti {
                    if let Some(m) = c.mention_at[k] {
                        target = vec![m];
                    }
                }
            }
            // "A drone strike hit Saudi Aramco": an attack that is the subject of a verb of
            // impact acts on its object; "Aramco was hit by drone strikes": on the passive's
            // subject.
            if target.is_empty() && def.kind == "ASSAULT" {
                if c.lower.get(tj).is_some_and(|w| IMPACT.contains(&&**w)) {
                    target = self.object(c, tj + 1, right, &[], mentions);
                }
                let mut b = ti;
                while b > left && QUANTIFIERS.contains(&&*c.lower[b - 1]) {
                    b -= 1;
                }
                if target.is_empty()
                    && b >= left + 3
                    && c.lower[b - 1] == "by"
                    && IMPACT.contains(&&*c.lower[b - 2])
                    && BE.contains(&&*c.lower[b - 3])
                {
                    target = subject(c, left, b - 3, mentions, entities);
                }
            }
        }
        // "police arrested him", "troops fired on them": a pronoun object stands for the
        // actor of its kind named last before the trigger, other than the source.
        if verbal && !passive && target.is_empty() {
            if let Some(m) = pronoun_object(c, tj, right, def, &source, mentions, entities) {
                target = vec![m];
            }
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
        // "allowed the rebels to leave": leave given to an actor to do something; "allowed the
        // city more freedom" and the perfect "has allowed the city to keep its courts" tell a
        // standing state of affairs.
        if def.pattern == "allow"
            && (!(tj..right.min(tj + 8)).any(|k| c.lower[k] == "to")
                || ti >= 1 && matches!(&*c.lower[ti - 1], "has" | "have"))
        {
            return None;
        }
        // Its status words stand before that verb when it is close, in the same phrase.
        let anchor = doing
            .filter(|&d| ti - d <= 7 && (d..ti).all(|k| c.toks[k].kind != TokKind::Punct))
            .unwrap_or(ti);
        let mut status = status(c, left, anchor, ti, tj, right, form, verbal);
        let side = |ms: &[usize]| make_side(c, ms, mentions, entities);
        let mut source_side = side(&source);
        let mut target_side = side(&target);
        // A nameless person or body in subject position ("A French minister threatened", "a
        // journalist was killed") is the actor of a verb, though not an entity of the article.
        let subject_side = if passive {
            &mut target_side
        } else {
            &mut source_side
        };
        if verbal && subject_side.is_none() {
            *subject_side = role_subject(c, self.lexicon, left, ti);
        }
        // What a law or a thing permits ("the new rules allow", "the bridge allows trucks to
        // cross") and a result told after a comma (", allowing the court to ...") are no
        // concession: with no actor before it, only "allowed" or "to allow" is one.
        if def.pattern == "allow"
            && !passive
            && (tm.form == Form::Ing && ti > 0 && c.words[ti - 1] == ","
                || source_side.is_none()
                    && tm.form != Form::Past
                    && !(ti > 0 && c.lower[ti - 1] == "to"))
        {
            return None;
        }
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
        // A ban on an organisation or a state is a formal penalty (SANCTION, as ANNOTATION.md
        // says of bans on an organisation, and as `outlaw` and `proscribe` are): an embargo
        // (CAMEO 163), or the ban of a party (1722). A ban on people or an activity stays COERCE.
        // Suspending a parliament or a court coerces it; it is no cut in relations.
        let target_roles = target_side
            .as_ref()
            .and_then(|t| t.code.as_deref())
            .map(|c| c.get(3..).unwrap_or(""));
        if kind == "COERCE" && mode.as_deref() == Some("ban") {
            let organisation = target.first().is_some_and(|&m| {
                matches!(
                    entities[mentions[m].entity].kind,
                    EntityKind::Organization | EntityKind::Country
                )
            });
            if let (true, Some(roles)) = (organisation, target_roles) {
                let party = ["PTY", "OPP"].iter().any(|r| roles.contains(r));
                kind = "SANCTION".into();
                mode = None;
                acled = None;
                cameo = if party { "1722" } else { "163" }.into();
            }
        }
        if kind == "SANCTION"
            && def.pattern == "suspend"
            && target_roles.is_some_and(|r| r.contains("LEG") || r.contains("JUD"))
        {
            kind = "COERCE".into();
            mode = None;
            acled = None;
            cameo = "1721".into();
        }
        // Only a reported attack is one in words: a planned one by a government is a military one.
        if verbal
            && def.pattern == "attack"
            && happened(status)
            && words_attack(source_side.as_ref())
        {
            kind = "ACCUSE".into();
            mode = Some("disapprove".into());
            acled = None;
            cameo = "111".into();
        }
        // A government, court, parliament or organisation that "protests" complains officially
        // (CAMEO 114, PLOVER ACCUSE): only crowds demonstrate.
        if kind == "PROTEST" && def.pattern == "protest" && official(source_side.as_ref()) {
            kind = "ACCUSE".into();
            mode = Some("disapprove".into());
            acled = None;
            cameo = "114".into();
        }
        // Opposing a proposal, a plan or mediation is refusing it (CAMEO 12), not criticism of
        // an actor: "is opposed to any foreign mediation", "opposes the peace plan".
        if verbal && def.pattern == "oppose" {
            if let Some(code) = opposed_proposal(c, tj, right) {
                kind = "REJECT".into();
                mode = (code != "120").then(|| "meet".to_string());
                cameo = code.to_string();
                acled = None;
            }
        }
        // Exercises held by the forces of two countries together are military cooperation
        // (CAMEO 062), not a show of force: "joint drills", "French and Egyptian warships began
        // naval exercises".
        if kind == "MOBILIZE"
            && is_exercise(&def.pattern)
            && (joint_before(c, ti) || two_countries(source_side.as_ref()))
        {
            kind = "COOPERATE".into();
            mode = None;
            cameo = "062".into();
            acled = None;
        }
        // Refusing to work, eat or attend in order to protest is itself the protest: "shunned
        // work to protest the decision", "refused food in protest at".
        if kind == "REJECT" && in_protest(c, tj, right) {
            kind = "PROTEST".into();
            mode = None;
            cameo = "140".into();
            acled = Some(("Protests".into(), "Peaceful protest".into()));
        }
        // An intention its own actor states ("will release", "is ready to withdraw", "plans to
        // impose restrictions") is itself the event CAMEO codes: intent to cooperate (03, PLOVER
        // AGREE) or a threat (13, THREATEN). The status stays planned.
        // A passive's intention is not its agent's ("X would be indicted").
        // The words between the actor and the trigger.
        let from = source
            .first()
            .map(|&m| mentions[m].span.1)
            .filter(|&end| end <= c.toks[ti].span.0)
            .and_then(|end| (left..ti).find(|&k| c.toks[k].span.0 >= end))
            .unwrap_or(left);
        // A cooperative act its actor refuses ("refused to release", "said it would not meet")
        // is a rejection (CAMEO 12, PLOVER REJECT), and the refusal happened.
        if !passive && stated_refusal(c, from, ti) {
            if let Some((m, code)) = refusal_type(&kind, &cameo) {
                kind = "REJECT".into();
                mode = m.map(str::to_string);
                cameo = code.to_string();
                acled = None;
                status = "occurred";
            }
        }
        if status == "planned" && !passive {
            if let Some(threat) = stated_intent(c, from, ti) {
                if let Some((k, m, code)) = intent_type(&kind, mode.as_deref(), &cameo, threat) {
                    kind = k.to_string();
                    mode = m.map(str::to_string);
                    cameo = code;
                    acled = None;
                }
            }
        }
        // A hostile act its own actor holds out on a condition is a threat (CAMEO 13): "may halt
        // its mediation if the fighting goes on", "could close the border unless ...".
        if !passive
            && !happened(status)
            && matches!(
                kind.as_str(),
                "SANCTION" | "COERCE" | "ASSAULT" | "MOBILIZE"
            )
            && conditional(c, from, ti, tj)
        {
            if let Some((k, m, code)) = intent_type(&kind, mode.as_deref(), &cameo, true) {
                kind = k.to_string();
                mode = m.map(str::to_string);
                cameo = code;
                acled = None;
            }
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
                // "killed the deputy head of the council, Ali Hassan,": a role noun whose
                // name follows between commas.
                if k > tj && ROLE_NOUNS.contains(&&*c.lower[k - 1]) {
                    if let Some(m) = appositive_name(c, k, right) {
                        return vec![m];
                    }
                }
                break;
            }
            k += 1;
            steps += 1;
        }
        // Else an actor after a target preposition ("met with", "protested against").
        let p: Vec<&str> = preps.iter().map(String::as_str).collect();
        let found = after_prep(c, tj, right, &p, mentions);
        if !found.is_empty() {
            return found;
        }
        // "ratified an agreement with the EU", "approved the deal with Iran": the other party of
        // the accord the verb acts on.
        match (tj..right.min(tj + 5)).find(|&k| {
            matches!(
                &*c.lower[k],
                "agreement" | "agreements" | "deal" | "deals" | "treaty" | "accord" | "pact"
            )
        }) {
            Some(k) if c.lower.get(k + 1).is_some_and(|w| w == "with") => {
                return after_prep(c, k + 1, right, &["with"], mentions);
            }
            _ => {}
        }
        // "rejected a fresh offer from Kabul", "accepted an invitation by the EU": the author
        // of the proposal the verb acts on, when no preposition stands between them.
        if let Some(k) = (tj..right.min(tj + 5)).find(|&k| {
            matches!(
                &*c.lower[k],
                "offer"
                    | "offers"
                    | "proposal"
                    | "proposals"
                    | "call"
                    | "calls"
                    | "demand"
                    | "demands"
                    | "request"
                    | "requests"
                    | "appeal"
                    | "invitation"
                    | "ultimatum"
            )
        }) {
            if c.lower.get(k + 1).is_some_and(|w| w == "from" || w == "by")
                && (tj..k)
                    .all(|j| !PREPS.contains(&&*c.lower[j]) && c.toks[j].kind != TokKind::Punct)
            {
                let found = after_prep(c, k + 1, right, &["from", "by"], mentions);
                if !found.is_empty() {
                    return found;
                }
            }
        }
        // "cancelled a planned visit to Haiti", "called off its talks with Iran": the host or the
        // other party of the meeting the verb acts on.
        match (tj..right.min(tj + 5)).find(|&k| {
            matches!(
                &*c.lower[k],
                "visit" | "visits" | "trip" | "talks" | "meeting" | "meetings" | "summit"
            )
        }) {
            // The meeting is the verb's own object: no preposition stands between them.
            Some(k)
                if c.lower.get(k + 1).is_some_and(|w| w == "to" || w == "with")
                    && (tj..k).all(|j| {
                        !PREPS.contains(&&*c.lower[j]) && c.toks[j].kind != TokKind::Punct
                    }) =>
            {
                after_prep(c, k + 1, right, &["to", "with"], mentions)
            }
            _ => Vec::new(),
        }
    }
}

/// The mention a pronoun object ("him", "them") right after the trigger, or after one of its
/// target prepositions, points back to: the last person (for "him") or group (for "them")
/// named before the trigger that is not on the source side.
fn pronoun_object(
    c: &Ctx,
    tj: usize,
    right: usize,
    def: &crate::triggers::TriggerDef,
    source: &[usize],
    mentions: &[Mention],
    entities: &[Entity],
) -> Option<usize> {
    use crate::model::EntityKind as K;
    let mut k = tj;
    if k < right && def.target_preps.iter().any(|p| *p == c.lower[k]) {
        k += 1;
    }
    if k >= right {
        return None;
    }
    let who = match &*c.lower[k] {
        "him" => Who::Person,
        // Things are "them" too ("released them", of messages): only a hostile act's
        // "them" is taken for people.
        "them"
            if matches!(
                def.kind.as_str(),
                "ASSAULT" | "COERCE" | "ACCUSE" | "SANCTION" | "THREATEN"
            ) =>
        {
            Who::Group
        }
        _ => return None,
    };
    let before = c.toks[tj.saturating_sub(1)].span.0;
    last_mention_where(mentions, before, |m| {
        // Only an actor named close before: the same or the previous sentence.
        let kind = entities[m.entity].kind;
        m.span.0 + 400 >= before
            && !source.iter().any(|&s| mentions[s].entity == m.entity)
            && match who {
                Who::Person => kind == K::Person,
                _ => kind == K::Group,
            }
    })
}

/// The verb of an infinitive right after the trigger ("to shell", "to hand over"): its index,
/// when token `tj` is "to" and the next word is a lowercase verb-like word, not a determiner
/// or a name ("agreed to a ceasefire", "went to Paris" are no infinitives).
fn infinitive_at(c: &Ctx, tj: usize, right: usize) -> Option<usize> {
    // A time adverbial may stand between: "threatened on Monday to shell".
    let start = tj;
    let mut tj = tj;
    while tj < right.min(start + 3)
        && (matches!(
            &*c.lower[tj],
            "on" | "today" | "yesterday" | "again" | "now" | "also" | "repeatedly"
        ) || c.lower[tj].ends_with("day") && c.words[tj] != c.lower[tj])
    {
        tj += 1;
    }
    if tj + 1 >= right || c.lower[tj] != "to" || c.mention_at[tj + 1].is_some() {
        return None;
    }
    let w = c.words[tj + 1];
    let lowercase = w.chars().all(|ch| ch.is_ascii_lowercase());
    let not_verb = matches!(
        w,
        "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "its"
            | "their"
            | "our"
            | "this"
            | "that"
            | "these"
            | "those"
            | "be"
            | "do"
            | "have"
            | "all"
            | "any"
            | "some"
            | "more"
            | "date"
            | "power"
    ) || w.len() > 5 && w.ends_with("ing")
        || w.ends_with("ed")
        || w.ends_with("ly");
    (lowercase && !not_verb).then_some(tj + 1)
}

/// The event side made of the mentions `ms` (a compound side keeps each actor in `members`).
fn make_side(
    c: &Ctx,
    ms: &[usize],
    mentions: &[Mention],
    entities: &[Entity],
) -> Option<EventSide> {
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
}

/// "The minister said that Iraq must hand over the suspects": a demand on the actor before "must"
/// by the speaker of the verb of saying before it (CAMEO 100, PLOVER REQUEST).
fn must_demands(
    c: &Ctx,
    lex: &crate::lexicon::Lexicon,
    mentions: &[Mention],
    entities: &[Entity],
    si: usize,
) -> Vec<Event> {
    let mut out = Vec::new();
    for k in 1..c.words.len() {
        if c.lower[k] != "must" || c.quoted[k] || c.lower.get(k + 1).is_some_and(|w| w == "not") {
            continue;
        }
        // The demanded-of actor, or a pronoun for the one addressed ("told Iran that it must"),
        // then "that" and a verb or noun of saying (a time may stand between: "declared Tuesday
        // that").
        let named = c.mention_at[k - 1];
        if named.is_none() && !matches!(&*c.lower[k - 1], "it" | "they") {
            continue;
        }
        let mut s = k - 1;
        if let Some(m) = named {
            while s > 0 && c.mention_at[s - 1] == Some(m) {
                s -= 1;
            }
            if s > 0 && c.lower[s - 1] == "the" {
                s -= 1;
            }
        }
        if s == 0 || c.lower[s - 1] != "that" {
            continue;
        }
        let Some(say) = (s.saturating_sub(6)..s - 1).rev().find(|&j| {
            REPORTING.contains(&&*c.lower[j])
                || matches!(
                    &*c.lower[j],
                    "warned" | "reminded" | "reminder" | "warning" | "message"
                )
        }) else {
            continue;
        };
        // "it" is the actor addressed between the saying and "that": "a reminder to Iraq that it
        // must", "told Tehran that it must".
        let Some(m) = named.or_else(|| (say + 1..s - 1).rev().find_map(|j| c.mention_at[j])) else {
            continue;
        };
        // The speaker named, else a nameless one ("a senior British minister reiterated that").
        let (speaker, source) = clause_subject(c, lex, say, mentions, entities);
        if speaker
            .iter()
            .any(|&x| mentions[x].entity == mentions[m].entity)
        {
            continue;
        }
        let Some(source) = source else {
            continue;
        };
        let target = make_side(c, &[m], mentions, entities);
        out.push(word_event(
            c,
            si,
            k,
            ("REQUEST", "100"),
            Some(source),
            target,
        ));
    }
    out
}

/// The subject of the verb at `at` in its clause: the actors named, and their side, else the side
/// of a nameless role subject ("a senior British minister", "a judge in Nairobi").
fn clause_subject(
    c: &Ctx,
    lex: &crate::lexicon::Lexicon,
    at: usize,
    mentions: &[Mention],
    entities: &[Entity],
) -> (Vec<usize>, Option<EventSide>) {
    let left = clause_start(c, at);
    let named = subject(c, left, at, mentions, entities);
    let side = make_side(c, &named, mentions, entities).or_else(|| role_subject(c, lex, left, at));
    (named, side)
}

/// An occurred event of `kind` (PLOVER type, CAMEO code) whose trigger is the one token `k`.
fn word_event(
    c: &Ctx,
    si: usize,
    k: usize,
    kind: (&str, &str),
    source: Option<EventSide>,
    target: Option<EventSide>,
) -> Event {
    let span = c.toks[k].span;
    Event {
        id: String::new(),
        kind: kind.0.into(),
        mode: None,
        context: Vec::new(),
        cameo: kind.1.into(),
        acled: None,
        source,
        target,
        date: None,
        place: None,
        participants: None,
        fatalities: None,
        injuries: None,
        arrests: None,
        status: "occurred".into(),
        trigger: Trigger {
            text: span.slice(c.text).to_string(),
            span,
        },
        sentence: si,
        evidence: vec![Evidence {
            sentence: si,
            trigger: span,
        }],
        confidence: 0.7,
    }
}

/// Words a court uses to strike down an act.
const STRUCK_DOWN: &[&str] = &[
    "unconstitutional",
    "unlawful",
    "illegal",
    "invalid",
    "void",
    "violated",
    "breached",
];

/// "A federal judge ruled the government's practice unconstitutional": a court striking down an
/// act coerces its author (COERCE, CAMEO 170, as the gold conventions take rulings against a
/// party). The court is the subject of "ruled" or "found"; the author, when named, is the first
/// actor between the verb and the verdict ("the government's practice").
fn court_rulings(
    c: &Ctx,
    lex: &crate::lexicon::Lexicon,
    mentions: &[Mention],
    entities: &[Entity],
    si: usize,
) -> Vec<Event> {
    let mut out = Vec::new();
    for k in 1..c.words.len() {
        if !matches!(&*c.lower[k], "ruled" | "found") || c.quoted[k] {
            continue;
        }
        // The verdict may lie past a clause of the act's own ("registering men but not women
        // for the draft is unconstitutional"), not past a semicolon.
        let right = (k + 1..c.words.len().min(k + 40))
            .find(|&j| c.words[j] == ";")
            .unwrap_or(c.words.len().min(k + 40));
        let Some(verdict) = (k + 1..right).find(|&j| STRUCK_DOWN.contains(&&*c.lower[j])) else {
            continue;
        };
        // "ruled the decision was not unlawful" upholds it.
        if c.lower[verdict.saturating_sub(2)..verdict]
            .iter()
            .any(|w| matches!(w.as_ref(), "not" | "never" | "n't"))
        {
            continue;
        }
        let Some(mut court) = clause_subject(c, lex, k, mentions, entities).1 else {
            continue;
        };
        // A court or a judge the entity stage could not place is the article's own.
        let named = court.text.to_lowercase();
        if court.code.is_none() && (named.contains("court") || named.contains("judge")) {
            court.code = main_country(entities).map(|ct| format!("{ct}JUD"));
        }
        let judicial = court
            .code
            .as_deref()
            .is_some_and(|code| code.get(3..).is_some_and(|r| r.contains("JUD")));
        if !judicial {
            continue;
        }
        // The author is the actor the verdict's clause opens with: "ruled the government's
        // practice", "found that the ministry had".
        let mut j = k + 1;
        while j < verdict && matches!(&*c.lower[j], "that" | "the" | "on") {
            j += 1;
        }
        let author = (j < verdict).then(|| c.mention_at[j]).flatten();
        let target = author.and_then(|m| make_side(c, &[m], mentions, entities));
        out.push(word_event(c, si, k, ("COERCE", "170"), Some(court), target));
    }
    out
}

/// The name set off by commas after a role noun's phrase that goes on at token `k` ("of the
/// region, Oleg Ivanov,"): the mention right after the first comma within a few words, when a
/// comma or the clause's end closes it.
fn appositive_name(c: &Ctx, k: usize, right: usize) -> Option<usize> {
    let comma = (k..right.min(k + 6)).find(|&j| c.words[j] == ",")?;
    let m = c.mention_at.get(comma + 1).copied().flatten()?;
    let mut end = comma + 1;
    while end < c.words.len() && c.mention_at[end] == Some(m) {
        end += 1;
    }
    (end >= right || c.words.get(end).is_some_and(|w| *w == ",")).then_some(m)
}

/// Nouns of a person or body acting by role, singular or plural, that the actor stage leaves
/// unnamed ("a French minister", "Ibo elders"): the head of a subject with no entity.
const ROLE_NOUNS: &[&str] = &[
    "minister",
    "ministers",
    "official",
    "officials",
    "chief",
    "chiefs",
    "leader",
    "leaders",
    "elder",
    "elders",
    "journalist",
    "journalists",
    "reporter",
    "envoy",
    "envoys",
    "diplomat",
    "diplomats",
    "ambassador",
    "commander",
    "commanders",
    "governor",
    "mayor",
    "lawmaker",
    "lawmakers",
    "senator",
    "legislator",
    "judge",
    "judges",
    "court",
    "prosecutor",
    "prosecutors",
    "activist",
    "activists",
    "cleric",
    "clerics",
    "officer",
    "officers",
    "policeman",
    "soldier",
    "negotiator",
    "negotiators",
    "aide",
    "adviser",
    "advisor",
    "spokesman",
    "spokeswoman",
    "delegation",
    "delegate",
    "delegates",
];

/// The nameless subject of the verb at `ti` when it fills its clause from the start: an optional
/// determiner, modifiers and a role noun ("A senior British minister", "Cairo's security chief",
/// "a prominent journalist has been"), as a side with no entity and no code.
fn role_subject(
    c: &Ctx,
    lex: &crate::lexicon::Lexicon,
    left: usize,
    ti: usize,
) -> Option<EventSide> {
    let mut h = ti;
    while h > left
        && matches!(
            &*c.lower[h - 1],
            "has"
                | "have"
                | "had"
                | "been"
                | "was"
                | "were"
                | "is"
                | "are"
                | "also"
                | "today"
                | "yesterday"
                | "again"
                | "now"
                | "reportedly"
        )
    {
        h -= 1;
    }
    if h == left {
        return None;
    }
    let end = h - 1;
    // A place after the role noun belongs to the phrase: "a federal judge in Texas".
    let mut head = end;
    let mut j = end;
    while j > left && end - j < 3 && c.words[j].starts_with(|ch: char| ch.is_uppercase()) {
        j -= 1;
    }
    if j < end && j > left && matches!(&*c.lower[j], "in" | "from") {
        head = j - 1;
    }
    if c.mention_at[head].is_some() || !ROLE_NOUNS.contains(&&*c.lower[head]) {
        return None;
    }
    let mut a = head;
    while a > left {
        let w = &*c.lower[a - 1];
        if matches!(w, "a" | "an" | "the") {
            a -= 1;
            break;
        }
        let possessive = matches!(w, "'s" | "’s");
        if !possessive
            && (c.toks[a - 1].kind == TokKind::Punct
                || PREPS.contains(&w)
                || is_clause_break(w)
                || matches!(w, "and" | "or" | "that" | "who" | "which"))
        {
            break;
        }
        a -= 1;
        if head - a > 5 {
            return None;
        }
    }
    // An opening adverbial set off by a comma ("On Friday, a federal judge ruled") leaves the
    // phrase the subject.
    let opening = a > left + 1
        && c.words[a - 1] == ","
        && (PREPS.contains(&&*c.lower[left])
            || matches!(
                &*c.lower[left],
                "yesterday" | "today" | "earlier" | "later" | "meanwhile" | "however" | "last"
            ));
    if a != left && !opening {
        return None;
    }
    let span = Span(c.toks[a].span.0, c.toks[end].span.1);
    // Its code: the country of an adjective or a name in it ("British", "Cairo's", "a judge in
    // Kenya") and the roles of its role noun ("security chief", "minister"); none without a
    // country.
    let country = lex
        .find(Span(c.toks[a].span.0, c.toks[end].span.1).slice(c.text))
        .iter()
        .flat_map(|m| m.targets.iter())
        .find_map(|t| match t {
            Target::CountryAdjective(i) | Target::CountryName(i) | Target::Capital(i) => {
                Some(lex.countries[*i].iso3.clone())
            }
            _ => None,
        });
    let roles = (head > a)
        .then(|| lex.agent(&format!("{} {}", c.lower[head - 1], c.lower[head])))
        .flatten()
        .or_else(|| lex.agent(&c.lower[head]))
        .map(|ag| ag.roles.clone());
    let code = country.map(|ct| format!("{ct}{}", roles.unwrap_or_default()));
    // With no country told, only one singled out ("a journalist", "the governor") is an actor: a
    // bare plural ("regional leaders") says too little of who acted.
    if code.is_none() && !matches!(&*c.lower[a], "a" | "an" | "the") {
        return None;
    }
    Some(EventSide {
        entity: None,
        text: span.slice(c.text).to_string(),
        code,
        members: Vec::new(),
    })
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
    // "Ousted president X ...": a participle opening the sentence before a noun has no subject
    // to be the verb of.
    let Some(prev) = ti.checked_sub(1).map(|k| &*c.lower[k]) else {
        return true;
    };
    let determiner = |w: &str| {
        matches!(
            w,
            "the" | "a" | "an" | "of" | "for" | "with" | "its" | "their" | "his" | "her"
        )
    };
    // "Newly appointed Prime Minister X", "the recently elected mayor": an adverb in -ly opening
    // the noun phrase does not make the participle a verb.
    let adverb_opening =
        prev.len() > 3 && prev.ends_with("ly") && (ti == 1 || determiner(&c.lower[ti - 2]));
    determiner(prev)
        || adverb_opening
        || (prev.len() > 4
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
    // Likewise a participle aside ("Protesters, carrying placards and European Union flags,
    // marched").
    if v > left + 3 && c.words[v - 1] == "," {
        if let Some(w) = (left + 1..v - 1)
            .rev()
            .find(|&j| matches!(&*c.lower[j], "who" | "which"))
        {
            if c.words[w - 1] == "," && w >= left + 2 {
                return match c.mention_at[w - 2] {
                    Some(m) if relative_of(&c.lower[w], m, mentions, entities) => vec![m],
                    _ => Vec::new(),
                };
            }
        }
        if let Some(j) = (left + 2..v - 1).rev().find(|&j| c.words[j - 1] == ",") {
            let w = c.words[j];
            let participle =
                w.len() > 4 && w.ends_with("ing") && w.chars().all(|ch| ch.is_lowercase());
            if participle {
                if let Some(m) = c.mention_at[j - 2] {
                    return vec![m];
                }
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
                    Some(m) if relative_of(w, m, mentions, entities) => vec![m],
                    _ => Vec::new(),
                };
            }
            // A pronoun subject stands for the last person ("he", "she") or group ("they") named.
            let want = match w {
                "he" | "she" => Some(Who::Person),
                "they" => Some(Who::They),
                _ => None,
            };
            // "Hungary said it will": "it" right after a verb of saying is its speaker, when the
            // speaker is a country or an organisation.
            if w == "it" && !impersonal(c, k) {
                let speaker = reported_it(c, left, k, mentions, entities);
                if !speaker.is_empty() {
                    return speaker;
                }
            }
            if let (Some(who), false) = (want, c.quoted[k]) {
                let prev = if k > left { &*c.lower[k - 1] } else { "" };
                if !PREPS.contains(&prev) {
                    return antecedent(c.text, mentions, entities, c.toks[k].span.0, who)
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
        // Coordinated subjects before it: "X and Y", "X, Y and Z" (a list ends in "and": in
        // "According to state media, government forces began" the comma joins nothing).
        let mut j = s;
        while j >= 2
            && (c.words[j - 1] == "and" || c.words[j - 1] == "," && out.len() > 1)
            && j - 1 > left
        {
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

/// Whether the relative pronoun `pronoun` stands for the actor of mention `m`: "who" for anyone,
/// "which" for an organisation or a country ("the House, which has a majority, voted"), never for
/// a person.
fn relative_of(pronoun: &str, m: usize, mentions: &[Mention], entities: &[Entity]) -> bool {
    match pronoun {
        "who" => true,
        "which" => entities
            .get(mentions[m].entity)
            .is_some_and(|e| !matches!(e.kind, EntityKind::Person | EntityKind::Location)),
        _ => false,
    }
}

/// The first actor of the clause from `left` that stands as a subject (not inside a
/// prepositional phrase or as a possessive): "On Thursday, Hatice Cengiz, fiancée of ...,
/// addressed reporters" gives Hatice Cengiz.
fn opening_subject(
    c: &Ctx,
    left: usize,
    ti: usize,
    mentions: &[Mention],
    entities: &[Entity],
) -> Vec<usize> {
    for k in left..ti {
        let Some(m) = c.mention_at[k] else { continue };
        if c.mention_at.get(k + 1) == Some(&Some(m)) {
            continue;
        }
        let found = subject(c, left, k + 1, mentions, entities);
        if found.contains(&m) {
            return found;
        }
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
            if let Some(who) = match lower.as_str() {
                "their" => Some(Who::Group),
                "his" | "her" => Some(Who::Person),
                "its" => Some(Who::Body),
                _ => None,
            } {
                if let Some(m) = antecedent(c.text, mentions, entities, c.toks[k].span.0, who) {
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
    text: &str,
    mentions: &[Mention],
    entities: &[Entity],
    before: usize,
    who: Who,
) -> Option<usize> {
    use crate::model::EntityKind as K;
    // "they" is a group of people or a body named in the plural ("the police", "Kurdish
    // forces") before a body named in the singular ("the government"), within the last few
    // sentences.
    if who == Who::They {
        let plural = |m: &Mention| {
            let kind = entities[m.entity].kind;
            let last = m.span.slice(text).rsplit(' ').next().unwrap_or("");
            kind == K::Group
                || kind == K::Organization
                    && (last == "police" || last.ends_with('s') && !last.ends_with("ss"))
        };
        let near = |m: &Mention| before.saturating_sub(m.span.1) < 600 && plural(m);
        if let Some(m) = last_mention_where(mentions, before, near) {
            return Some(m);
        }
    }
    last_mention_where(mentions, before, |m| {
        let kind = entities[m.entity].kind;
        match who {
            Who::Person => kind == K::Person,
            Who::Group | Who::They => matches!(kind, K::Group | K::Organization),
            Who::Body => matches!(kind, K::Organization | K::Country),
        }
    })
}

/// The last mention ending by `before` that `ok` accepts.
fn last_mention_where(
    mentions: &[Mention],
    before: usize,
    ok: impl Fn(&Mention) -> bool,
) -> Option<usize> {
    mentions
        .iter()
        .enumerate()
        .rev()
        .find_map(|(mi, m)| (m.span.1 <= before && ok(m)).then_some(mi))
}

/// What a pronoun stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// "he", "she", "his", "her".
    Person,
    /// "their".
    Group,
    /// "they" as a subject: a group, or a body named in the plural, before other bodies.
    They,
    /// "it", "its": a country or an organisation (groups of people are "they").
    Body,
}

/// The speaker an "it" at token `k` stands for: the subject of a verb of saying just before it
/// ("Japan said on Tuesday it had"), when that is a country or an organisation; else none.
fn reported_it(
    c: &Ctx,
    left: usize,
    k: usize,
    mentions: &[Mention],
    entities: &[Entity],
) -> Vec<usize> {
    use crate::model::EntityKind as K;
    let Some(say) = (left.max(k.saturating_sub(5))..k)
        .rev()
        .find(|&j| REPORTING.contains(&&*c.lower[j]))
    else {
        return Vec::new();
    };
    let speaker = subject(c, left, say, mentions, entities);
    match speaker.as_slice() {
        [m] if matches!(
            entities[mentions[*m].entity].kind,
            K::Organization | K::Country
        ) =>
        {
            speaker
        }
        _ => Vec::new(),
    }
}

/// Whether the "it" at token `k` opens an impersonal clause ("it is likely that", "it was
/// reported", "it seems") rather than standing for an actor.
fn impersonal(c: &Ctx, k: usize) -> bool {
    let next = c.lower.get(k + 1).map(|w| &**w).unwrap_or("");
    if matches!(
        next,
        "seems" | "seemed" | "appears" | "appeared" | "remains" | "remained"
    ) {
        return true;
    }
    if !matches!(next, "is" | "was" | "'s" | "’s" | "has" | "had") {
        return false;
    }
    let mut j = k + 2;
    while c
        .lower
        .get(j)
        .is_some_and(|w| matches!(&**w, "been" | "not" | "also" | "still"))
    {
        j += 1;
    }
    c.lower.get(j).is_some_and(|w| {
        matches!(
            &**w,
            "likely"
                | "unlikely"
                | "unclear"
                | "clear"
                | "important"
                | "possible"
                | "impossible"
                | "necessary"
                | "time"
                | "expected"
                | "believed"
                | "thought"
                | "reported"
                | "said"
                | "hoped"
                | "feared"
                | "difficult"
                | "hard"
                | "certain"
                | "essential"
                | "too"
                | "understood"
                | "estimated"
                | "alleged"
                | "claimed"
                | "known"
        )
    })
}

/// Whether the words between the event's actor (token `from`) and its trigger (token `ti`) state
/// the actor's own intention: `Some(false)` for "will", "would" after a verb of saying, "plans /
/// intends / is ready / prepared / willing / pledged / promised / vowed / offered to" ("agreed
/// to" is an agreement of its own, the act agreed on keeps its type),
/// `Some(true)` for "threatened to"; None for an intention of someone else ("urged X to",
/// "called for"), an expectation ("is expected to", "is scheduled to") or none.
fn stated_intent(c: &Ctx, from: usize, ti: usize) -> Option<bool> {
    let from = from.max(ti.saturating_sub(8));
    let ws: Vec<&str> = c.lower[from..ti].iter().map(|w| &**w).collect();
    // An actor asked to act between the intention and the trigger: "will help Iraq to rebuild".
    if (from..ti.saturating_sub(1)).any(|k| c.mention_at[k].is_some() && c.lower[k + 1] == "to") {
        return None;
    }
    let to_after = |i: usize| ws.get(i + 1).is_some_and(|w| *w == "to");
    let mut found = None;
    for (i, w) in ws.iter().enumerate() {
        match *w {
            "will" | "'ll" | "’ll" | "shall" => found = Some(false),
            "would" if (0..from + i).any(|k| REPORTING.contains(&&*c.lower[k])) => {
                found = Some(false)
            }
            "plan" | "plans" | "planned" | "planning" | "intend" | "intends" | "intended"
            | "prepared" | "ready" | "willing" | "pledged" | "pledges" | "pledge" | "promised"
            | "promises" | "promise" | "vowed" | "vows" | "vow" | "offered" | "offers"
            | "offer" | "going"
                if to_after(i) =>
            {
                found = Some(false)
            }
            "threatened" | "threatens" | "threaten" if to_after(i) => return Some(true),
            "expected" | "scheduled" | "due" | "set" | "urge" | "urges" | "urged" | "ask"
            | "asks" | "asked" | "call" | "calls" | "called" | "tell" | "tells" | "told"
            | "invite" | "invited" | "force" | "forced" | "press" | "pressed" | "pressure"
            | "pressured" | "pressuring" | "encourage" | "encouraged" | "want" | "wants"
            | "wanted" | "hope" | "hopes" | "hoped" | "wish" | "wishes" | "wished" | "expects"
            | "if" | "unless" => return None,
            _ => {}
        }
    }
    found
}

/// Whether the words between the event's actor (token `from`) and its trigger (token `ti`) say
/// the actor refuses it: "refused / declined to", "will not", "won't", "would not" after a verb of
/// saying; not someone else's wish ("urged X not to").
fn stated_refusal(c: &Ctx, from: usize, ti: usize) -> bool {
    let from = from.max(ti.saturating_sub(8));
    let ws: Vec<&str> = c.lower[from..ti].iter().map(|w| &**w).collect();
    if (from..ti).any(|k| c.mention_at[k].is_some()) {
        return false;
    }
    let mut found = false;
    for (i, w) in ws.iter().enumerate() {
        let next = ws.get(i + 1).copied().unwrap_or("");
        let negative = matches!(next, "not" | "n't" | "never");
        match *w {
            "will" | "'ll" | "’ll" | "shall" | "wo" if negative => found = true,
            "would" if negative && (0..from + i).any(|k| REPORTING.contains(&&*c.lower[k])) => {
                found = true
            }
            "refused" | "refuses" | "refuse" | "declined" | "declines" | "decline"
                if next == "to" =>
            {
                found = true
            }
            "urged" | "urge" | "urges" | "asked" | "ask" | "asks" | "told" | "if" | "unless" => {
                return false
            }
            _ => {}
        }
    }
    found
}

/// Whether the event at `[ti, tj)` is held out on a condition by its actor: a modal between the
/// actor (token `from`) and the trigger, and "if" or "unless" after the trigger in the sentence
/// ("may halt its mediation if ...", "would close the border unless ...").
fn conditional(c: &Ctx, from: usize, ti: usize, tj: usize) -> bool {
    let from = from.max(ti.saturating_sub(6));
    let modal = c.lower[from..ti].iter().any(|w| {
        matches!(
            &**w,
            "may" | "might" | "could" | "would" | "will" | "'ll" | "’ll"
        )
    });
    let condition = c.lower[tj..]
        .iter()
        .take_while(|w| !matches!(&***w, ";" | ":" | "but"))
        .any(|w| matches!(&**w, "if" | "unless"));
    modal && condition
}

/// Nouns of a proposal that one can oppose or accept, with the CAMEO code of refusing it: talks
/// (125), mediation (126), a plan or deal to settle a dispute (127), else a plain rejection (120).
fn opposed_proposal(c: &Ctx, tj: usize, right: usize) -> Option<&'static str> {
    let end = right.min(tj + 6);
    for k in tj..end {
        if c.toks[k].kind == TokKind::Punct {
            return None;
        }
        match &*c.lower[k] {
            "mediation" => return Some("126"),
            "talks" | "negotiations" | "dialogue" => return Some("125"),
            "plan" | "plans" | "proposal" | "proposals" | "deal" | "initiative" | "offer"
            | "roadmap" => return Some("127"),
            "that" | "which" | "who" | "and" => return None,
            _ => {}
        }
    }
    None
}

/// Whether a MOBILIZE pattern names a military exercise.
fn is_exercise(pattern: &str) -> bool {
    ["exercise", "drill", "war games", "maneuver", "manoeuvre"]
        .iter()
        .any(|w| pattern.contains(w))
}

/// Whether "joint" (or "combined") stands just before the trigger at `ti`, perhaps with one
/// word between ("joint naval drills").
fn joint_before(c: &Ctx, ti: usize) -> bool {
    (ti.saturating_sub(2)..ti).any(|k| matches!(&*c.lower[k], "joint" | "combined"))
}

/// Whether a side joins actors of two or more countries ("French and Egyptian warships").
fn two_countries(side: Option<&EventSide>) -> bool {
    let Some(side) = side else {
        return false;
    };
    let mut countries: Vec<&str> = side
        .members
        .iter()
        .filter_map(|m| m.code.as_deref())
        .filter_map(|c| c.get(..3))
        .filter(|c| *c != "---" && *c != "IGO")
        .collect();
    countries.sort_unstable();
    countries.dedup();
    countries.len() >= 2
}

/// Whether the clause after the trigger says its act was done as a protest: "to protest (at,
/// against) ...", "in protest".
fn in_protest(c: &Ctx, tj: usize, right: usize) -> bool {
    let end = right.min(tj + 8).min(c.words.len());
    (tj..end).any(|k| c.lower[k] == "protest" && k > 0 && matches!(&*c.lower[k - 1], "to" | "in"))
}

/// The mode and CAMEO code of a refusal to do a cooperative event of `cameo` (CAMEO 12); None
/// for events that are not cooperative.
fn refusal_type(kind: &str, cameo: &str) -> Option<(Option<&'static str>, &'static str)> {
    let c = |s: &str| cameo.starts_with(s);
    match kind {
        "AGREE" | "SUPPORT" => Some((None, "120")),
        "CONSULT" if c("045") || c("039") => Some((Some("meet"), "126")),
        "CONSULT" => Some((Some("meet"), "125")),
        "COOPERATE" => Some((None, "121")),
        "AID" => Some((Some("assist"), "121")),
        "CONCEDE" | "RETREAT" => Some(if c("081") {
            (Some("yield"), "1241")
        } else if c("082") {
            (Some("yield"), "1242")
        } else if c("083") {
            (Some("change"), "123")
        } else if c("084") {
            (Some("yield"), "1243")
        } else if c("085") {
            (Some("yield"), "1244")
        } else if c("086") {
            (Some("yield"), "1245")
        } else if c("087") {
            (Some("yield"), "1246")
        } else {
            (Some("yield"), "124")
        }),
        _ => None,
    }
}

/// The type, mode and CAMEO code of a stated intention to do an event of `kind` with `cameo`:
/// cooperative events become CAMEO 03 (PLOVER AGREE), material conflict CAMEO 13 (THREATEN);
/// a threat to do anything is THREATEN. None keeps the event as it is (verbal events, protests,
/// agreements).
fn intent_type(
    kind: &str,
    mode: Option<&str>,
    cameo: &str,
    threat: bool,
) -> Option<(&'static str, Option<&'static str>, String)> {
    let c = |s: &str| cameo.starts_with(s);
    match kind {
        "CONSULT" | "SUPPORT" | "CONCEDE" | "COOPERATE" | "AID" | "RETREAT" if !threat => {
            let code = if c("045") || c("039") {
                "039"
            } else if c("04") {
                "036"
            } else if c("05") {
                "032"
            } else if c("061") {
                "0311"
            } else if c("062") {
                "0312"
            } else if c("063") {
                "0313"
            } else if c("064") {
                "0314"
            } else if c("06") {
                "031"
            } else if c("071") {
                "0331"
            } else if c("072") {
                "0332"
            } else if c("073") {
                "0333"
            } else if c("074") {
                "0334"
            } else if c("07") {
                "033"
            } else if c("081") {
                "0351"
            } else if c("082") {
                "0352"
            } else if c("083") {
                "034"
            } else if c("084") {
                "0353"
            } else if c("085") {
                "0354"
            } else if c("086") {
                "0355"
            } else if c("087") {
                "0356"
            } else if c("08") {
                "035"
            } else {
                "030"
            };
            Some(("AGREE", None, code.to_string()))
        }
        "SANCTION" | "COERCE" | "ASSAULT" | "MOBILIZE" => {
            let (m, code) = match (kind, mode) {
                ("SANCTION", Some("expel")) => (Some("expel"), "136"),
                ("SANCTION", Some("withdraw")) => (Some("relations"), "1313"),
                ("SANCTION", Some("discontinue")) => (Some("relations"), "1311"),
                ("SANCTION", _) if c("164") => (Some("relations"), "134"),
                ("SANCTION", _) if c("165") => (Some("relations"), "135"),
                ("SANCTION", _) => (Some("restrict"), "1312"),
                ("COERCE", Some("arrest")) => (Some("arrest"), "137"),
                ("COERCE", Some("ban" | "censor")) => (Some("ban"), "1322"),
                ("COERCE", Some("deport")) => (Some("expel"), "137"),
                ("COERCE", Some("seize")) => (Some("territory"), "1382"),
                ("COERCE", Some("curfew")) => (Some("restrict"), "1323"),
                ("COERCE", Some("martial-law")) => (Some("restrict"), "1324"),
                ("COERCE", _) if c("191") => (Some("restrict"), "1381"),
                ("COERCE", _) => (Some("restrict"), "132"),
                ("ASSAULT", _) if c("20") => (Some("violence"), "1385"),
                ("ASSAULT", _) if c("18") => (Some("violence"), "1383"),
                _ => (Some("violence"), "138"),
            };
            Some(("THREATEN", m, code.to_string()))
        }
        "CONSULT" | "SUPPORT" | "CONCEDE" | "COOPERATE" | "AID" | "RETREAT" => {
            Some(("THREATEN", None, "130".to_string()))
        }
        _ => None,
    }
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
        if e.kind == EntityKind::Person && !out.iter().any(|&o| mentions[o].entity == m.entity) {
            out.push(mi);
            if out.len() == n {
                break;
            }
        }
    }
    out.reverse();
    out
}

/// The status of the event at tokens `[ti, tj)` from the words of its clause (`anchor`: the verb
/// of doing that governs an event noun, else `ti`).
#[allow(clippy::too_many_arguments)]
fn status(
    c: &Ctx,
    left: usize,
    anchor: usize,
    ti: usize,
    tj: usize,
    right: usize,
    form: Form,
    verbal: bool,
) -> &'static str {
    // The words before the trigger, or before the verb that governs an event noun. An event
    // noun a verb takes through a preposition ("will comply with the request", "did not accede to
    // the protesters' demands") is a known event the verb answers: the verb's future or negation
    // is not the noun's.
    let mut from = left.max(anchor.saturating_sub(6));
    if !verbal {
        if let Some(p) = (ti.saturating_sub(4)..ti).rev().find(|&k| {
            matches!(
                &*c.lower[k],
                "with" | "to" | "after" | "following" | "despite" | "against"
            )
        }) {
            let between = &c.lower[p + 1..ti];
            let known = !between.is_empty()
                && between.iter().enumerate().all(|(i, w)| {
                    matches!(&**w, "the" | "'s" | "’s" | "'" | "’")
                        || c.mention_at[p + 1 + i].is_some()
                });
            if known {
                from = from.max(p + 1);
            }
        }
    }
    let before: Vec<&str> = c.lower[from..ti].iter().map(|w| &**w).collect();
    let clause: Vec<&str> = c.lower[left..right].iter().map(|w| &**w).collect();
    let near = |list: &[&str]| before.iter().any(|w| list.contains(w));
    if near(NEGATIONS) {
        return "negated";
    }
    // "said it would withdraw": the future of a report, not a condition.
    let reported_would = before.contains(&"would")
        && !before
            .iter()
            .any(|w| *w != "would" && HYPOTHETICAL.contains(w))
        && (0..ti).any(|k| REPORTING.contains(&&*c.lower[k]));
    if (near(HYPOTHETICAL) && !reported_would)
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
    let will = reported_would
        || before
            .iter()
            .any(|w| matches!(*w, "will" | "'ll" | "’ll" | "shall"));
    let began = before.iter().any(|w| {
        matches!(
            *w,
            "began"
                | "begun"
                | "started"
                | "continued"
                | "managed"
                | "tried"
                | "helped"
                | "went"
                | "used"
                | "took"
        )
    });
    // "called for a march", "calls on", "called to participate in a march".
    let called = before.windows(2).any(|w| {
        matches!(w[0], "call" | "calls" | "called" | "calling")
            && matches!(w[1], "for" | "to" | "on")
    });
    // "announced his resignation", "tendered her resignation": announcing it is resigning.
    let resigned = !verbal && c.lower[ti].starts_with("resignation");
    let plan_word = before.iter().any(|w| {
        PLANNED.contains(w)
            && !matches!(*w, "call" | "calls" | "called" | "calling")
            && !(resigned && matches!(*w, "announced" | "announces"))
    });
    // "demanded that Carrie Lam resign": the bare verb after a demand's "that" is what was
    // asked for, not done.
    let mandative = verbal
        && form == Form::Base
        && (ti.saturating_sub(10)..ti)
            .rev()
            .find(|&k| c.lower[k] == "that")
            .is_some_and(|t| {
                t > 0
                    && MANDATIVE.iter().any(|m| {
                        let w = &*c.lower[t - 1];
                        w.starts_with(m) && w.len() <= m.len() + 2
                    })
            });
    if !began && (will || to_inf || called || mandative || (plan_word && !verbal)) {
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

/// Whether the actor is a government, an NGO or an IGO and none of the groups that take to the
/// streets (lawmakers and judges may walk out or march, so they are left as they are).
fn official(source: Option<&EventSide>) -> bool {
    let Some(code) = source.and_then(|s| s.code.as_deref()) else {
        return false;
    };
    let roles = code.get(3..).unwrap_or("");
    let street = [
        "CVL", "OPP", "LAB", "EDU", "REB", "PTY", "REL", "BUS", "AGR", "REF", "MED",
    ]
    .iter()
    .any(|r| roles.contains(r));
    !street && (code.starts_with("IGO") || ["GOV", "NGO"].iter().any(|r| roles.contains(r)))
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
    // Two specific CAMEO acts of one type are two events ("fired tear gas", 175, and "were
    // arrested", 173); a generic code (a root, "the attack", 180) may name either.
    let same_act = |a: &str, b: &str| {
        let generic = |c: &str| c.len() == 3 && c.ends_with('0');
        generic(a) || generic(b) || a.get(..3) == b.get(..3)
    };
    let base = |o: &Event, e: &Event| {
        o.kind == e.kind
            && same_act(&o.cameo, &e.cameo)
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
/// Whether one of the two words before byte `at` is "anti-government".
fn against_government(text: &str, at: usize) -> bool {
    text[..at].split_whitespace().rev().take(2).any(|w| {
        let w = w
            .trim_matches(|ch: char| !ch.is_alphanumeric())
            .to_lowercase();
        matches!(w.as_str(), "anti-government" | "antigovernment")
    })
}

/// The side an event's words imply: the article's most mentioned entity with `role` (and
/// passing `also`), else the `role` of the article's country ("police (IRQ)", IRQCOP).
fn implied_side(
    entities: &[Entity],
    home: Option<&str>,
    role: &str,
    label: &str,
    also: impl Fn(&Entity) -> bool,
) -> Option<EventSide> {
    entities
        .iter()
        .filter(|e| {
            e.actor
                .as_ref()
                .is_some_and(|a| a.roles.iter().any(|r| r == role))
                && also(e)
        })
        .max_by_key(|e| e.mentions.len())
        .map(|e| EventSide {
            entity: Some(e.id.clone()),
            text: e.name.clone(),
            code: e.actor.as_ref().map(|a| a.code.clone()),
            members: Vec::new(),
        })
        .or_else(|| home.map(|c| country_side(c, role, label)))
}

/// A side named by no entity: `label (XXX)` with the code `XXX` + `role`.
fn country_side(country: &str, role: &str, label: &str) -> EventSide {
    EventSide {
        entity: None,
        text: format!("{label} ({country})"),
        code: Some(format!("{country}{role}")),
        members: Vec::new(),
    }
}

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
    fn a_threat_targets_the_object_of_its_infinitive() {
        let evs = events("Iran threatened on Monday to shell Iraq if the raids continued.");
        let e = find(&evs, "threatened").expect("threat");
        assert_eq!(side(&e.target), "Iraq", "{evs:?}");
        let evs = events("Pakistan threatened to end its trade with Kenya over the arrests.");
        let e = find(&evs, "threatened").expect("threat");
        assert_eq!(side(&e.target), "Kenya", "{evs:?}");
        // An agreement's partner is not the object of what was agreed.
        let evs = events("Both leaders agreed to keep US soldiers in Iraq, the ministry said.");
        assert!(
            evs.iter()
                .filter(|e| e.trigger.text == "agreed")
                .all(|e| side(&e.target) != "US soldiers"),
            "{evs:?}"
        );
    }

    #[test]
    fn they_stands_for_a_group_before_a_body_named_in_the_singular() {
        let evs = events(
            "Striking teachers rallied in Nairobi on Monday. Their demands include that the \
             government raise pay. They also asked the Senate to reject the budget.",
        );
        let e = find(&evs, "asked").expect("asked");
        assert_eq!(side(&e.source), "teachers");
    }

    #[test]
    fn a_pronoun_object_stands_for_the_actor_just_named() {
        let evs = events(
            "Opposition leader John Mwangi returned to Nairobi on Friday. Police arrested him \
             at the airport.",
        );
        let e = find(&evs, "arrested").expect("arrest");
        assert_eq!(side(&e.target), "John Mwangi", "{evs:?}");
        // "them" of things is no actor: only a hostile act's "them" is people.
        let evs = events(
            "Kenyan students wrote letters to the governor. The school released them on Friday.",
        );
        assert!(
            evs.iter().all(|e| side(&e.target) != "Kenyan students"),
            "{evs:?}"
        );
    }

    #[test]
    fn a_rejected_offer_targets_its_author() {
        let evs =
            events("Pakistan on Monday rejected a new offer from the European Union for talks.");
        let e = find(&evs, "rejected").expect("rejection");
        assert_eq!(side(&e.target), "European Union", "{evs:?}");
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
        // A comma alone joins no subjects: the source named in "According to" is no party.
        let evs = events("According to Kenyan state media, Ugandan troops attacked the camp.");
        let e = find(&evs, "attacked").expect("attacked");
        assert_eq!(side(&e.source), "Ugandan troops");
        // A participle aside between commas stands between the subject and the verb.
        let evs = events(
            "Kenyan teachers, carrying placards and the flags of the African Union, marched to \
             parliament.",
        );
        let e = find(&evs, "marched").expect("marched");
        assert_eq!(side(&e.source), "Kenyan teachers");
        // "which" stands for an organisation, never for a person or a thing.
        let evs = events(
            "The Kenyan Senate, which includes 67 members, voted for Amason Kingi to serve as \
             Speaker. The deal, which was signed in May, criticized nobody.",
        );
        let e = find(&evs, "voted for").expect("event");
        assert_eq!(side(&e.source), "Senate");
    }

    #[test]
    fn an_announced_resignation_and_a_purpose_after_used_happened() {
        let evs = events(
            "Interior Minister Paulo Reis announced his resignation on Tuesday. Opposition \
             leader Ana Lima used a televised address to thank President Marcos Duarte.",
        );
        assert_eq!(
            find(&evs, "resignation").expect("resignation").status,
            "occurred"
        );
        assert_eq!(find(&evs, "thank").expect("thanks").status, "occurred");
        let evs = events("The minister announced plans to resign next month.");
        assert!(find(&evs, "resign").is_none_or(|e| e.status != "occurred"));
    }

    #[test]
    fn a_ban_on_a_company_is_a_sanction_and_a_suspended_parliament_is_coerced() {
        let evs = events("Germany on Monday banned Iranian airline Mahan Air from its airports.");
        let e = find(&evs, "banned").expect("ban");
        assert_eq!((e.kind.as_str(), e.cameo.as_str()), ("SANCTION", "163"));
        let evs =
            events("President William Ruto banned opposition leader Raila Odinga from the rally.");
        assert_eq!(kind_of(&evs, "banned"), Some("COERCE"));
        let evs = events("British Prime Minister Mark Hale suspended the British parliament.");
        let e = find(&evs, "suspended").expect("suspension");
        assert_eq!((e.kind.as_str(), e.cameo.as_str()), ("COERCE", "1721"));
    }

    #[test]
    fn an_attack_that_hit_an_actor_targets_it() {
        for text in [
            "A drone strike hit the Saudi oil company Saudi Aramco on Saturday.",
            "Saudi Aramco was hit by multiple drone strikes on Saturday.",
        ] {
            let evs = events(text);
            let e = evs.iter().find(|e| e.kind == "ASSAULT").expect(text);
            assert_eq!(side(&e.target), "Saudi Aramco", "{text}");
        }
    }

    #[test]
    fn an_arrest_told_without_its_agent_was_made_by_the_police() {
        let evs = events(
            "Kenyan police said on Monday that more than 40 teachers were arrested in Nairobi.",
        );
        let e = find(&evs, "arrested").expect("arrest");
        assert_eq!(
            e.source.as_ref().and_then(|s| s.code.as_deref()),
            Some("KENCOP")
        );
        // Without a police force named, the police of the article's country.
        let evs = events("Two Iraqi activists were detained in Basra on Sunday.");
        let e = find(&evs, "detained").expect("detention");
        assert_eq!(
            e.source.as_ref().map(|s| s.text.as_str()),
            Some("police (IRQ)")
        );
        // A charge is the prosecutors', not the police's.
        let evs = events("Two Iraqi activists were charged with incitement on Sunday.");
        assert!(find(&evs, "charged").is_none_or(|e| e.source.is_none()));
    }

    #[test]
    fn a_bill_dropped_without_its_agent_was_dropped_by_the_home_government() {
        let evs = events(
            "Kenyan police fired tear gas at protesters in Nairobi. The Kenyan government and \
             the Chinese government signed a loan deal last year. The finance bill was \
             withdrawn after the protests. Melting ice shelves worry researchers.",
        );
        let e = find(&evs, "bill was withdrawn").expect("bill was withdrawn");
        assert_eq!(e.kind, "CONCEDE");
        assert_eq!(
            e.source.as_ref().and_then(|s| s.code.as_deref()),
            Some("KENGOV")
        );
        assert!(evs
            .iter()
            .all(|e| e.kind != "CONCEDE" || e.trigger.text != "shelves"));
    }

    #[test]
    fn a_participle_after_a_comma_is_done_by_the_clauses_subject() {
        let evs = events(
            "On Monday, union leader Wilson Sossion, a former teacher, addressed reporters in \
             Nairobi, calling for the release of the detained teachers.",
        );
        let e = find(&evs, "calling for the release of").expect("calling for");
        assert_eq!(side(&e.source), "Wilson Sossion");
    }

    #[test]
    fn a_person_owning_an_act_of_violence_suffered_it() {
        let evs = events("Kenyan police denied any role in Wilson Sossion's killing.");
        let e = find(&evs, "killing").expect("killing");
        assert_eq!(side(&e.target), "Wilson Sossion");
        assert_ne!(side(&e.source), "Wilson Sossion");
    }

    #[test]
    fn the_request_of_an_actor_is_made_by_it() {
        let evs = events(
            "The speaker will comply with the request of President William Ruto to recall the \
             Senate.",
        );
        let e = find(&evs, "request").expect("request");
        assert_eq!(side(&e.source), "William Ruto");
    }

    #[test]
    fn what_a_demand_asks_for_is_planned() {
        let evs = events("Protesters demanded that Hong Kong leader Carrie Lam resign.");
        assert_eq!(find(&evs, "resign").expect("resign").status, "planned");
        let evs = events("Police said that Hong Kong protesters attacked officers.");
        assert_eq!(find(&evs, "attacked").expect("attack").status, "occurred");
    }

    #[test]
    fn tear_gas_and_arrests_are_two_events_and_a_generic_word_repeats_one() {
        let evs = events(
            "Kenyan police fired tear gas at teachers in Nairobi on Monday. More than 40 \
             teachers were arrested, a union official said.",
        );
        let coerce: Vec<&Event> = evs.iter().filter(|e| e.kind == "COERCE").collect();
        assert_eq!(coerce.len(), 2, "{coerce:?}");
        let evs = events(
            "Taliban fighters bombed an army base in Ghazni on Monday. The Taliban said the \
             attack on the army base was revenge.",
        );
        let assaults = evs.iter().filter(|e| e.kind == "ASSAULT").count();
        assert_eq!(assaults, 1, "{evs:?}");
        // Crowd-control weapons used "against" a crowd target it.
        let evs =
            events("Riot police used water cannons and tear gas against students in Nairobi.");
        let e = find(&evs, "water cannons").expect("event");
        assert_eq!(side(&e.target), "students");
    }

    #[test]
    fn a_court_striking_down_an_act_coerces_its_author() {
        let evs = events(
            "On Friday, a judge in Nairobi ruled the Kenyan government's ban on street protests \
             unconstitutional. The Supreme Court of Kenya found that the ministry had not \
             violated the law.",
        );
        let e = find(&evs, "ruled").expect("ruled");
        assert_eq!(e.kind, "COERCE");
        assert_eq!(
            e.source.as_ref().and_then(|s| s.code.as_deref()),
            Some("KENJUD")
        );
        assert_eq!(side(&e.target), "Kenyan government");
        // A ruling that upholds the act is no coercion.
        assert!(find(&evs, "found").is_none(), "{evs:?}");
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
        // Appointing someone endorses them; questioning or challenging an actor disapproves.
        let evs = events(
            "Governor Ana Ruiz appointed Tomas Vega as interior secretary. Senator Luis Mora \
             questioned Tomas Vega on Monday. Tomas Vega was also challenged by the Liberal \
             Party.",
        );
        let e = find(&evs, "appointed").expect("appointed");
        assert_eq!(
            (e.kind.as_str(), side(&e.target)),
            ("SUPPORT", "Tomas Vega")
        );
        assert_eq!(find(&evs, "questioned").expect("questioned").kind, "ACCUSE");
        assert_eq!(
            side(&find(&evs, "challenged").expect("challenged").source),
            "Liberal Party"
        );
        // With no actor acted on, the words are no event; an adverb opening the noun phrase keeps
        // the participle an adjective.
        let evs =
            events("Questions remain. Newly appointed Prime Minister Ali Omar refused to resign.");
        assert!(find(&evs, "appointed").is_none(), "{evs:?}");
    }

    #[test]
    fn stated_intentions_are_agree_or_threaten() {
        // Cooperative acts the actor says it will do: CAMEO 03, PLOVER AGREE, still planned.
        let evs = events("Kenya said it will release 40 Ugandan soldiers next week.");
        let e = find(&evs, "release").expect("release");
        assert_eq!(
            (e.kind.as_str(), e.cameo.as_str(), e.status.as_str()),
            ("AGREE", "0353", "planned")
        );
        assert_eq!(side(&e.source), "Kenya");
        let evs = events("Ghana is willing to withdraw its troops from Togo.");
        let e = find(&evs, "withdraw").expect("withdraw");
        assert_eq!((e.kind.as_str(), e.cameo.as_str()), ("AGREE", "0356"));
        // Coercion the actor says it will do: CAMEO 13, THREATEN.
        let evs = events("The government of Chad plans to impose a curfew in N'Djamena.");
        let e = evs
            .iter()
            .find(|e| e.trigger.text.contains("curfew"))
            .expect("curfew");
        assert_eq!(
            (e.kind.as_str(), e.mode.as_deref()),
            ("THREATEN", Some("restrict"))
        );
        // Someone else's wish, or an expectation, keeps the event's own type.
        let evs = events("Brazil urged Argentina to release the fishermen.");
        assert_eq!(
            find(&evs, "release").map(|e| e.kind.as_str()),
            Some("RETREAT")
        );
        let evs = events("Kenya is expected to release 40 Ugandan soldiers next week.");
        assert_eq!(
            find(&evs, "release").map(|e| e.kind.as_str()),
            Some("RETREAT")
        );
        // "agreed to" is an agreement of its own; what was agreed keeps its type.
        let evs = events("Peru has agreed to lift the sanctions on Bolivia.");
        assert!(
            evs.iter()
                .any(|e| e.kind == "AGREE" && e.trigger.text == "agreed"),
            "{evs:?}"
        );
        assert!(evs.iter().any(|e| e.kind == "RETREAT"), "{evs:?}");
    }

    #[test]
    fn refusing_to_cooperate_is_a_rejection() {
        let evs = events("Colombia declined to lift the sanctions on Venezuela.");
        let e = find(&evs, "lift the sanctions").expect("lift");
        assert_eq!(
            (e.kind.as_str(), e.cameo.as_str(), e.status.as_str()),
            ("REJECT", "1244", "occurred")
        );
        assert_eq!(side(&e.target), "Venezuela");
        let evs = events("The Peruvian government said it would not meet the Bolivian delegation.");
        assert_eq!(find(&evs, "meet").map(|e| e.kind.as_str()), Some("REJECT"));
        // Not attacking is no rejection, and a plea is someone else's.
        let evs = events("Chad's army will not attack the rebels in Mao.");
        assert!(evs.iter().all(|e| e.kind != "REJECT"), "{evs:?}");
        let evs = events("Peru urged Chile not to release the smugglers.");
        assert!(evs.iter().all(|e| e.kind != "REJECT"), "{evs:?}");
    }

    #[test]
    fn the_other_party_of_an_accord_is_the_target() {
        let evs =
            events("Moldova ratified a sweeping agreement with the European Union on Friday.");
        let e = find(&evs, "ratified").expect("ratified");
        assert_eq!(side(&e.target), "European Union");
    }

    #[test]
    fn the_verb_governing_an_event_noun_gives_its_status() {
        let evs = events("Japan will provide about 9,000 tons of emergency food aid to Chad.");
        let e = find(&evs, "food aid").expect("food aid");
        assert_eq!((e.kind.as_str(), e.status.as_str()), ("AGREE", "planned"));
        let evs = events("President Ruto announced he had asked for Interior Minister Amos Kiprono's resignation.");
        let e = find(&evs, "resignation").expect("resignation");
        assert_eq!(e.status, "occurred");
        // A known event the verb answers through a preposition keeps its own status.
        let evs = events(
            "The minister will comply with the union's demands. President Ruto did not accede \
             to the teachers' demands.",
        );
        assert!(
            evs.iter()
                .all(|e| e.kind != "REQUEST" || e.status == "occurred"),
            "{evs:?}"
        );
        assert_eq!(
            evs.iter().filter(|e| e.kind == "REQUEST").count(),
            2,
            "{evs:?}"
        );
        let evs = events("Teachers will take part in the protest on Friday.");
        assert_eq!(find(&evs, "protest").expect("protest").status, "planned");
    }

    #[test]
    fn anti_government_protests_target_the_protesters_government() {
        let evs =
            events("Thousands of Kenyans joined anti-government protests in Nairobi on Tuesday.");
        let e = evs.iter().find(|e| e.kind == "PROTEST").expect("protest");
        assert_eq!(
            e.target.as_ref().and_then(|t| t.code.as_deref()),
            Some("KENGOV")
        );
        let evs = events("Thousands of Kenyans joined protests in Nairobi on Tuesday.");
        let e = evs.iter().find(|e| e.kind == "PROTEST").expect("protest");
        assert!(e.target.is_none(), "{e:?}");
    }

    #[test]
    fn would_after_a_verb_of_saying_is_the_reports_future() {
        let evs = events("Japan said on Friday it would send peacekeepers to Sudan.");
        assert!(evs.iter().all(|e| e.status != "hypothetical"), "{evs:?}");
        let evs = events("Japan would send peacekeepers to Sudan if the fighting stopped.");
        assert!(evs.iter().all(|e| e.status == "hypothetical"), "{evs:?}");
    }

    #[test]
    fn noun_lines_read_as_verbs_after_modals_and_it_stands_for_a_country() {
        let evs = events("Poland has said it will support the United Nations in Mali.");
        let e = find(&evs, "support").expect("support");
        assert_eq!(
            (side(&e.source), side(&e.target)),
            ("Poland", "United Nations")
        );
        let evs = events("It is likely that the rebels will attack the town.");
        assert!(evs.iter().all(|e| side(&e.source) != "It"), "{evs:?}");
    }

    #[test]
    fn giving_verbs_make_the_giver_and_the_receiver() {
        let evs = events("Norway on Monday gave Malawi a grant of 12 million dollars.");
        let e = find(&evs, "grant").expect("grant");
        assert_eq!(
            (e.kind.as_str(), side(&e.source), side(&e.target)),
            ("AID", "Norway", "Malawi")
        );
        let evs = events("Sweden will give Zambia a grant for new clinics.");
        let e = find(&evs, "grant").expect("grant");
        assert_eq!((e.kind.as_str(), e.cameo.as_str()), ("AGREE", "0331"));
    }

    #[test]
    fn governments_protest_in_words() {
        let evs = events("The Chinese foreign ministry protested to Japan on Monday.");
        let e = find(&evs, "protested").expect("protested");
        assert_eq!((e.kind.as_str(), e.cameo.as_str()), ("ACCUSE", "114"));
        let evs = events("Kenyan students protested in Nairobi on Monday.");
        assert_eq!(
            find(&evs, "protested").map(|e| e.kind.as_str()),
            Some("PROTEST")
        );
    }

    #[test]
    fn must_after_a_verb_of_saying_is_a_demand() {
        let evs = events("Germany declared on Monday that Turkey must free the journalists.");
        let e = find(&evs, "must").expect("must");
        assert_eq!(
            (e.kind.as_str(), side(&e.source), side(&e.target)),
            ("REQUEST", "Germany", "Turkey")
        );
        let evs = events("Germany said it must free the journalists.");
        assert!(find(&evs, "must").is_none(), "{evs:?}");
    }

    #[test]
    fn an_opening_participle_is_an_adjective_and_opposed_to_is_active() {
        let evs = events("Jailed activist Maria Lopez was accused by Cuba of spying.");
        assert!(find(&evs, "Jailed").is_none(), "{evs:?}");
        let evs = events("Egypt is opposed to Ethiopian plans for the dam.");
        let e = find(&evs, "opposed").expect("opposed");
        assert_eq!(side(&e.source), "Egypt");
    }

    fn kind_of<'a>(evs: &'a [Event], trigger: &str) -> Option<&'a str> {
        find(evs, trigger).map(|e| e.kind.as_str())
    }

    #[test]
    fn it_must_after_a_message_to_an_actor_is_a_demand_on_it() {
        let evs = events(
            "Canada sent a firm reminder on Friday to Venezuela that it must free the detained \
             reporters.",
        );
        let e = find(&evs, "must").expect("must");
        assert_eq!(
            (e.kind.as_str(), side(&e.source), side(&e.target)),
            ("REQUEST", "Canada", "Venezuela")
        );
        let evs = events("Germany told Turkey on Monday that it must free the journalists.");
        let e = find(&evs, "must").expect("must");
        assert_eq!(side(&e.target), "Turkey");
        // No one addressed: the speaker's own duty is no demand.
        let evs = events("Germany said on Monday that it must protect its borders.");
        assert!(find(&evs, "must").is_none(), "{evs:?}");
    }

    #[test]
    fn opposing_a_proposal_is_a_rejection() {
        let evs = events("Colombia is opposed to Cuban mediation in the border dispute.");
        let e = find(&evs, "opposed").expect("opposed");
        assert_eq!(
            (e.kind.as_str(), e.cameo.as_str(), e.mode.as_deref()),
            ("REJECT", "126", Some("meet"))
        );
        let evs = events("Kenya opposes the new peace plan for Somalia.");
        assert_eq!(kind_of(&evs, "opposes"), Some("REJECT"));
        let evs = events("Kenya opposes the Somali government over the border raids.");
        assert_eq!(kind_of(&evs, "opposes"), Some("ACCUSE"));
    }

    #[test]
    fn exercises_by_two_countries_are_cooperation() {
        let evs =
            events("Indian and Japanese warships began naval drills in the Arabian Sea on Monday.");
        assert_eq!(kind_of(&evs, "naval drills"), Some("COOPERATE"), "{evs:?}");
        let evs = events("Chinese warships began naval drills near Taiwan on Monday.");
        assert_eq!(kind_of(&evs, "naval drills"), Some("MOBILIZE"), "{evs:?}");
    }

    #[test]
    fn a_refusal_in_protest_is_a_protest() {
        let evs = events(
            "Bolivian miners shunned work on Tuesday to protest against the new mining tax.",
        );
        assert_eq!(kind_of(&evs, "shunned"), Some("PROTEST"), "{evs:?}");
        let evs = events("Bolivian miners shunned the new union leaders on Tuesday.");
        assert_eq!(kind_of(&evs, "shunned"), Some("REJECT"), "{evs:?}");
    }

    #[test]
    fn a_hostile_act_on_a_condition_is_a_threat() {
        let evs = events(
            "The African Union may suspend its mediation between the two Sudans if the \
             fighting does not stop.",
        );
        let e = find(&evs, "suspend its mediation").expect("suspend");
        assert_eq!(e.kind, "THREATEN", "{evs:?}");
        let evs = events("The African Union suspended its mediation between the two Sudans.");
        let e = find(&evs, "suspended its mediation").expect("suspended");
        assert_eq!((e.kind.as_str(), e.cameo.as_str()), ("SANCTION", "165"));
    }

    #[test]
    fn allowing_an_actor_is_a_concession_and_refusing_it_a_rejection() {
        let evs = events(
            "Zambia's electoral court decided to allow opposition leader John Banda to run in \
             the election.",
        );
        assert_eq!(kind_of(&evs, "allow"), Some("CONCEDE"), "{evs:?}");
        // The refusal is one rejection: the thing refused is no concession.
        let evs = events("Rebels refused to allow Red Cross workers into the town.");
        assert!(evs.iter().all(|e| e.kind == "REJECT"), "{evs:?}");
        assert_eq!(kind_of(&evs, "refused"), Some("REJECT"), "{evs:?}");
        let evs = events("The new law allows up to ten days of detention.");
        assert!(find(&evs, "allows").is_none(), "{evs:?}");
        let evs = events("Since 1990 Morocco has allowed Spain to keep its two enclaves.");
        assert!(find(&evs, "allowed").is_none(), "{evs:?}");
        let evs = events("The new ferry allows Moroccan workers to cross to Spain every day.");
        assert!(find(&evs, "allows").is_none(), "{evs:?}");
        let evs = events(
            "The court ruled for Maria Lopez on Monday, allowing Spanish prosecutors to appeal.",
        );
        assert!(find(&evs, "allowing").is_none(), "{evs:?}");
    }

    #[test]
    fn pushing_hard_for_is_a_request() {
        let evs = events("Britain is pushing hard for Washington to back its debt relief plan.");
        assert_eq!(
            kind_of(&evs, "pushing hard for"),
            Some("REQUEST"),
            "{evs:?}"
        );
    }

    #[test]
    fn a_nameless_official_in_subject_position_is_the_actor() {
        // With a country of their own the entity stage has the person ("Chilean minister");
        // without one ("a local journalist") the side is read here.
        let evs = events("A Chilean minister threatened on Monday to close the border with Peru.");
        let e = find(&evs, "threatened").expect("threatened");
        assert_eq!(
            (
                side(&e.source),
                e.source.as_ref().and_then(|s| s.code.as_deref())
            ),
            ("Chilean minister", Some("CHLGOV"))
        );
        let evs = events("A local journalist has been killed in a bomb blast in the port city.");
        let e = find(&evs, "killed").expect("killed");
        assert_eq!(side(&e.target), "A local journalist");
        // A bare plural with no country says too little of who acted.
        let evs = events("Regional leaders have negotiated the deal over four years.");
        assert!(find(&evs, "negotiated").is_none(), "{evs:?}");
        let evs = events(
            "A senior Danish minister reiterated on Friday that Iran must release the sailors.",
        );
        let e = find(&evs, "must").expect("must");
        assert_eq!(
            (side(&e.source), side(&e.target)),
            ("Danish minister", "Iran")
        );
    }

    #[test]
    fn a_trigger_modifying_a_group_head_is_no_event() {
        let evs = events("US border patrol agents attacked migrants at the crossing on Sunday.");
        assert!(find(&evs, "patrol").is_none(), "{evs:?}");
        let e = find(&evs, "attacked").expect("attacked");
        assert_eq!(e.kind, "ASSAULT");
    }

    #[test]
    fn the_host_of_a_cancelled_visit_is_the_target() {
        let evs = events("Chile has cancelled a planned state visit to Peru after the row.");
        let e = find(&evs, "cancelled").expect("cancelled");
        assert_eq!((e.kind.as_str(), side(&e.target)), ("SANCTION", "Peru"));
        let evs = events(
            "Chile released a statement in connection with a visit to Peru by its president.",
        );
        assert!(find(&evs, "released").is_none(), "{evs:?}");
    }

    #[test]
    fn a_name_after_a_role_object_is_the_target() {
        let evs = events(
            "Gunmen tried to assassinate the deputy mayor of the port city, Ana Ruiz, on Sunday.",
        );
        let e = find(&evs, "assassinate").expect("assassinate");
        assert_eq!(side(&e.target), "Ana Ruiz");
    }
}
