//! Event triggers: the verb, noun and phrase patterns of `data/events/triggers.tsv` (format in
//! `data/events/README.md`), inflected and compiled into one matcher.
//!
//! Each line gives a pattern, its part of speech, the PLOVER type and mode, the nearest CAMEO code,
//! ACLED's event and sub-event type, PLOVER contexts and the prepositions that introduce the
//! target. Verbs are inflected (-s, -ed, -ing with the usual spelling rules, plus listed irregular
//! forms), nouns get their plural. The longest match in words wins; for the same surface form the
//! later line wins, so user files (`--lexicon DIR/triggers.tsv`) override the built-in ones.

use crate::model::Span;
use std::collections::HashMap;
use std::path::Path;

/// Part of speech of a trigger pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pos {
    Verb,
    Noun,
    Phrase,
}

/// One trigger line.
#[derive(Clone, Debug)]
pub struct TriggerDef {
    pub pattern: String,
    pub pos: Pos,
    pub kind: String,
    pub mode: Option<String>,
    pub cameo: String,
    pub acled: Option<(String, String)>,
    pub context: Vec<String>,
    pub target_preps: Vec<String>,
    /// `!` in the target column: the words are an event only with an actor as target
    /// ("released the prisoners", not "released a statement").
    pub needs_target: bool,
}

/// How a surface form relates to its pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Base or present form ("attack", "attacks").
    Base,
    /// Past or past participle ("attacked", "met").
    Past,
    /// -ing form ("attacking").
    Ing,
    /// Noun singular or plural, or a literal phrase.
    Nominal,
}

/// A trigger found in text.
#[derive(Clone, Debug)]
pub struct TriggerMatch {
    pub span: Span,
    pub def: usize,
    pub form: Form,
}

/// The compiled trigger dictionary.
pub struct Triggers {
    pub defs: Vec<TriggerDef>,
    /// Single-word verb forms (base and -s) of the `V` lines, to read a noun line's surface form
    /// as a verb where the words around it say so ("will support", "to protest").
    verb_words: std::collections::HashSet<String>,
    forms: Vec<(usize, Form)>,
    matcher: crate::tokens::FormMatcher,
    pub hash_input: Vec<u8>,
}

impl std::fmt::Debug for Triggers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Triggers({} patterns, {} forms)",
            self.defs.len(),
            self.forms.len()
        )
    }
}

const EMBEDDED: &str = include_str!("../../../data/events/triggers.tsv");

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Whether a one-syllable verb doubles its last consonant ("ban" → "banned").
fn doubles(w: &str) -> bool {
    let c: Vec<char> = w.chars().collect();
    let n = c.len();
    if n < 3 {
        return false;
    }
    let vowels = c.iter().filter(|&&x| is_vowel(x)).count();
    vowels == 1
        && !is_vowel(c[n - 1])
        && is_vowel(c[n - 2])
        && !is_vowel(c[n - 3])
        && !matches!(c[n - 1], 'w' | 'x' | 'y')
}

/// Regular verb forms of a lemma: (form, kind).
pub fn verb_forms(lemma: &str) -> Vec<(String, Form)> {
    let mut v = vec![(lemma.to_string(), Form::Base)];
    let last = lemma.chars().last().unwrap_or('a');
    let before_last = lemma.chars().rev().nth(1).unwrap_or('a');
    // -s
    let s = if lemma.ends_with('s')
        || lemma.ends_with('x')
        || lemma.ends_with('z')
        || lemma.ends_with("ch")
        || lemma.ends_with("sh")
    {
        format!("{lemma}es")
    } else if last == 'y' && !is_vowel(before_last) {
        format!("{}ies", &lemma[..lemma.len() - 1])
    } else {
        format!("{lemma}s")
    };
    v.push((s, Form::Base));
    // -ed
    let ed = if last == 'e' {
        format!("{lemma}d")
    } else if last == 'y' && !is_vowel(before_last) {
        format!("{}ied", &lemma[..lemma.len() - 1])
    } else if doubles(lemma) {
        format!("{lemma}{last}ed")
    } else {
        format!("{lemma}ed")
    };
    v.push((ed, Form::Past));
    // -ing
    let ing = if lemma.ends_with("ee") || lemma.ends_with("ye") || lemma.ends_with("oe") {
        format!("{lemma}ing")
    } else if let Some(stem) = lemma.strip_suffix("ie") {
        format!("{stem}ying")
    } else if last == 'e' {
        format!("{}ing", &lemma[..lemma.len() - 1])
    } else if doubles(lemma) {
        format!("{lemma}{last}ing")
    } else {
        format!("{lemma}ing")
    };
    v.push((ing, Form::Ing));
    v
}

/// Plural of a noun head.
pub fn plural(noun: &str) -> String {
    let last = noun.chars().last().unwrap_or('a');
    let before_last = noun.chars().rev().nth(1).unwrap_or('a');
    if noun.ends_with('s')
        || noun.ends_with('x')
        || noun.ends_with('z')
        || noun.ends_with("ch")
        || noun.ends_with("sh")
    {
        format!("{noun}es")
    } else if last == 'y' && !is_vowel(before_last) {
        format!("{}ies", &noun[..noun.len() - 1])
    } else {
        format!("{noun}s")
    }
}

/// Whether the first word of a verb pattern is a manner adverb ("sexually", "forcibly") rather
/// than the verb ("rally", "supply").
fn is_adverb(w: &str) -> bool {
    w.len() > 5
        && ["ally", "ibly", "ably", "ously", "edly", "ently", "antly"]
            .iter()
            .any(|s| w.ends_with(s))
}

/// The surface forms of one trigger line.
fn surface_forms(def: &TriggerDef) -> Vec<(String, Form)> {
    let words: Vec<&str> = def.pattern.split(' ').collect();
    match def.pos {
        // "sexually assault": an adverb before the verb stays as written, the verb is inflected.
        Pos::Verb if words.len() >= 2 && is_adverb(words[0]) => {
            let rest = TriggerDef {
                pattern: words[1..].join(" "),
                ..def.clone()
            };
            surface_forms(&rest)
                .into_iter()
                .map(|(f, k)| (format!("{} {f}", words[0]), k))
                .collect()
        }
        Pos::Verb => {
            let mut head = words[0].split('|');
            let lemma = head.next().unwrap_or("");
            let mut forms = verb_forms(lemma);
            for extra in head {
                let kind = if extra.ends_with("ing") {
                    Form::Ing
                } else if extra.ends_with('s') && !extra.ends_with("ss") {
                    Form::Base
                } else {
                    Form::Past
                };
                forms.push((extra.to_string(), kind));
            }
            let rest = words[1..].join(" ");
            forms
                .into_iter()
                .map(|(f, k)| {
                    (
                        if rest.is_empty() {
                            f
                        } else {
                            format!("{f} {rest}")
                        },
                        k,
                    )
                })
                .collect()
        }
        Pos::Noun => {
            let n = words.len();
            let mut head = words[n - 1].split('|');
            let sing = head.next().unwrap_or("");
            let extras: Vec<&str> = head.collect();
            let mut heads = vec![sing.to_string()];
            if extras.is_empty() {
                heads.push(plural(sing));
            } else {
                heads.extend(extras.iter().map(|s| s.to_string()));
            }
            let pre = words[..n - 1].join(" ");
            heads
                .into_iter()
                .map(|h| {
                    (
                        if pre.is_empty() {
                            h
                        } else {
                            format!("{pre} {h}")
                        },
                        Form::Nominal,
                    )
                })
                .collect()
        }
        // A phrase that opens with a past form ("jailed", "sentenced to death", "alleged that") is
        // a verb in the past, so its clause gives it a subject, an object and a passive voice;
        // "heightened alert" (a past form before its noun) stays a noun phrase.
        // "found guilty", "shot dead": an irregular participle with its complement is one too.
        Pos::Phrase => {
            let participle = words[0].ends_with("ed")
                || matches!(words[0], "found" | "shot" | "beaten" | "held" | "sent");
            let verbal = participle
                && words.get(1).is_none_or(|w| {
                    matches!(
                        *w,
                        "to" | "as" | "the" | "that" | "into" | "from" | "guilty" | "dead"
                    )
                });
            let form = if verbal { Form::Past } else { Form::Nominal };
            vec![(def.pattern.clone(), form)]
        }
    }
}

/// Determiners that stand interchangeably between a verb and its object in a pattern.
const DETERMINERS: &[&str] = &["the", "a", "an", "its", "their", "his", "her"];

/// The other spellings of a verb phrase's surface form with its determiner changed or dropped:
/// "lifted the ban" → "lifted a ban", "lifted its ban", "lifted ban", ... Phrases without a
/// determiner after the verb have none.
fn determiner_variants(form: &str) -> Vec<String> {
    let words: Vec<&str> = form.split(' ').collect();
    if words.len() < 3 || !DETERMINERS.contains(&words[1]) {
        return Vec::new();
    }
    let rest = words[2..].join(" ");
    let mut out: Vec<String> = DETERMINERS
        .iter()
        .filter(|d| **d != words[1])
        .map(|d| format!("{} {d} {rest}", words[0]))
        .collect();
    out.push(format!("{} {rest}", words[0]));
    out
}

fn parse(text: &str, origin: &str, defs: &mut Vec<TriggerDef>) -> Result<(), String> {
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let c: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if c.len() < 5 {
            return Err(format!(
                "{origin}:{}: expected 9 tab-separated columns, found {}",
                i + 1,
                c.len()
            ));
        }
        let col = |k: usize| c.get(k).map(|s| s.trim()).unwrap_or("");
        let pos = match col(1) {
            "V" => Pos::Verb,
            "N" => Pos::Noun,
            "P" => Pos::Phrase,
            other => {
                return Err(format!(
                    "{origin}:{}: part of speech must be V, N or P, not {other:?}",
                    i + 1
                ))
            }
        };
        let opt = |s: &str| {
            if s.is_empty() {
                None
            } else {
                Some(s.to_string())
            }
        };
        defs.push(TriggerDef {
            pattern: col(0).to_lowercase(),
            pos,
            kind: col(2).to_string(),
            mode: opt(col(3)),
            cameo: col(4).to_string(),
            acled: if col(5).is_empty() {
                None
            } else {
                Some((col(5).to_string(), col(6).to_string()))
            },
            context: col(7)
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            target_preps: col(8)
                .split('|')
                .filter(|s| !s.is_empty() && *s != "!")
                .map(str::to_string)
                .collect(),
            needs_target: col(8).split('|').any(|s| s == "!"),
        });
    }
    Ok(())
}

impl Triggers {
    /// The embedded triggers plus `triggers.tsv` files in user directories.
    pub fn load(dirs: &[&Path]) -> Result<Triggers, String> {
        let mut defs = Vec::new();
        let mut hash_input = EMBEDDED.as_bytes().to_vec();
        parse(EMBEDDED, "data/events/triggers.tsv", &mut defs)?;
        for d in dirs {
            let p = d.join("triggers.tsv");
            if p.is_file() {
                let t = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                hash_input.extend_from_slice(t.as_bytes());
                parse(&t, &p.display().to_string(), &mut defs)?;
            }
        }
        // Later lines win for the same surface form.
        let mut by_form: HashMap<String, (usize, Form)> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for (i, d) in defs.iter().enumerate() {
            for (f, k) in surface_forms(d) {
                for variant in [f.clone(), f.replace('\'', "\u{2019}")] {
                    if !by_form.contains_key(&variant) {
                        order.push(variant.clone());
                    }
                    by_form.insert(variant, (i, k));
                }
            }
        }
        // A verb phrase written with one determiner matches the others and none ("lift the ban":
        // "lift a ban", "lift its ban", "lift ban"), unless a line spells that form itself.
        for (i, d) in defs.iter().enumerate() {
            if d.pos != Pos::Verb {
                continue;
            }
            for (f, k) in surface_forms(d) {
                for alt in determiner_variants(&f) {
                    for variant in [alt.clone(), alt.replace('\'', "\u{2019}")] {
                        by_form.entry(variant).or_insert_with_key(|v| {
                            order.push(v.clone());
                            (i, k)
                        });
                    }
                }
            }
        }
        let verb_words = defs
            .iter()
            .filter(|d| d.pos == Pos::Verb && !d.pattern.contains(' '))
            .flat_map(|d| {
                surface_forms(d)
                    .into_iter()
                    .filter(|(_, k)| *k == Form::Base)
                    .map(|(f, _)| f)
            })
            .collect();
        order.sort();
        order.dedup();
        let forms: Vec<(usize, Form)> = order.iter().map(|f| by_form[f]).collect();
        let matcher = crate::tokens::FormMatcher::new(&order);
        Ok(Triggers {
            defs,
            verb_words,
            forms,
            matcher,
            hash_input,
        })
    }

    /// Whether `word` (lower case) is the base or -s form of a one-word verb line.
    pub fn is_verb_word(&self, word: &str) -> bool {
        self.verb_words.contains(word)
    }

    /// Triggers in `text[span]`, on word boundaries, longest first.
    pub fn find(&self, text: &str, span: Span) -> Vec<TriggerMatch> {
        let s = &text[span.0..span.1];
        let mut out = Vec::new();
        crate::tokens::find_at_word_starts(
            &self.matcher,
            s,
            |c| c.is_alphanumeric() || c == '-',
            |a, b, pi| {
                if !s.is_char_boundary(b)
                    || s[b..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '-')
                {
                    return false;
                }
                let (def, form) = self.forms[pi];
                out.push(TriggerMatch {
                    span: Span(span.0 + a, span.0 + b),
                    def,
                    form,
                });
                true
            },
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verb_inflection() {
        let f = |l: &str| verb_forms(l).into_iter().map(|x| x.0).collect::<Vec<_>>();
        assert_eq!(f("rally"), vec!["rally", "rallies", "rallied", "rallying"]);
        assert_eq!(f("ban"), vec!["ban", "bans", "banned", "banning"]);
        assert_eq!(f("seize"), vec!["seize", "seizes", "seized", "seizing"]);
        assert_eq!(f("agree"), vec!["agree", "agrees", "agreed", "agreeing"]);
        assert_eq!(f("march"), vec!["march", "marches", "marched", "marching"]);
        assert_eq!(f("meet"), vec!["meet", "meets", "meeted", "meeting"]);
        assert_eq!(plural("embassy"), "embassies");
    }

    #[test]
    fn seconding_insults_rulings_against_and_non_starters() {
        let t = Triggers::load(&[]).unwrap();
        let text = "Berlin seconded the proposal. The minister called it an insult to the nation. \
                    The court ruled against the ministry. Senators expressed outrage at the plan, \
                    which the governor called a non-starter.";
        let found: Vec<(&str, &str)> = t
            .find(text, Span(0, text.len()))
            .iter()
            .map(|m| (m.span.slice(text), t.defs[m.def].kind.as_str()))
            .collect();
        for want in [
            ("seconded", "SUPPORT"),
            ("insult", "ACCUSE"),
            ("ruled against", "COERCE"),
            ("expressed outrage", "ACCUSE"),
            ("non-starter", "REJECT"),
        ] {
            assert!(found.contains(&want), "{want:?} in {found:?}");
        }
    }

    #[test]
    fn verb_phrases_take_any_determiner() {
        let t = Triggers::load(&[]).unwrap();
        let text = "The junta lifted a ban on the party. Officials lifted ban on rallies.";
        let found: Vec<(&str, &str)> = t
            .find(text, Span(0, text.len()))
            .iter()
            .map(|m| (m.span.slice(text), t.defs[m.def].kind.as_str()))
            .collect();
        assert!(found.contains(&("lifted a ban", "CONCEDE")), "{found:?}");
        assert!(found.contains(&("lifted ban", "CONCEDE")), "{found:?}");
        assert!(t.is_verb_word("support") && t.is_verb_word("protests"));
        let text = "Guards sexually abused the detainees.";
        let found: Vec<&str> = t
            .find(text, Span(0, text.len()))
            .iter()
            .map(|m| m.span.slice(text))
            .collect();
        assert!(found.contains(&"sexually abused"), "{found:?}");
        assert!(!is_adverb("rally") && !is_adverb("supply") && is_adverb("forcibly"));
        assert!(!t.is_verb_word("resolution"));
    }

    #[test]
    fn embedded_triggers_match_inflections_and_longest_phrases() {
        let t = Triggers::load(&[]).unwrap();
        let text = "Thousands rallied; police fired tear gas. Leaders met and agreed. A hunger strike began.";
        let found: Vec<(&str, &str)> = t
            .find(text, Span(0, text.len()))
            .iter()
            .map(|m| (m.span.slice(text), t.defs[m.def].kind.as_str()))
            .collect();
        assert!(found.contains(&("rallied", "PROTEST")), "{found:?}");
        assert!(found.contains(&("met", "CONSULT")), "{found:?}");
        assert!(found.contains(&("agreed", "AGREE")), "{found:?}");
        assert!(
            found
                .iter()
                .any(|f| f.0 == "hunger strike" && f.1 == "PROTEST"),
            "{found:?}"
        );
    }
}
