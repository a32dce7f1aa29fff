//! Lexicon: the actor dictionaries (countries, organisations, people, role agents, titles, name
//! particles), loaded once from plain-text data files and compiled into one Aho-Corasick matcher.
//!
//! The files in `data/lexicon/` are embedded in the binary; users add their own with `--lexicon DIR`
//! (files of the same names and formats, documented in `data/lexicon/README.md`), or bring
//! PETRARCH/Phoenix-format dictionaries (`*.actors.txt`, `agents.txt`) which are imported as they
//! are. Not for: deciding who an entity is (that is the actor stage); this module only finds
//! dictionary forms in text, with their case rules and word boundaries.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashMap;
use std::path::Path;

use crate::model::Span;

/// A country with its names, adjectives and capitals.
#[derive(Clone, Debug)]
pub struct Country {
    pub iso3: String,
    pub iso2: String,
    pub names: Vec<String>,
    pub adjectives: Vec<String>,
    pub capitals: Vec<String>,
}

/// A named organisation or group with its actor code.
#[derive(Clone, Debug)]
pub struct Org {
    pub key: String,
    pub code: String,
    pub kind: String,
    pub names: Vec<String>,
    pub description: String,
}

/// A known person with the codes they held over time.
#[derive(Clone, Debug)]
pub struct Person {
    pub key: String,
    pub names: Vec<String>,
    /// (code, from, to): code valid on dates in [from, to); empty bounds are open.
    pub periods: Vec<(String, String, String)>,
    pub description: String,
}

impl Person {
    /// The person's code on `date` (`YYYY-MM-DD`), or the latest period's code when no date is known.
    pub fn code_on(&self, date: Option<&str>) -> Option<&str> {
        match date {
            Some(d) => self
                .periods
                .iter()
                .find(|(_, from, to)| {
                    (from.is_empty() || from.as_str() <= d) && (to.is_empty() || d < to.as_str())
                })
                .or_else(|| self.periods.last())
                .map(|p| p.0.as_str()),
            None => self
                .periods
                .iter()
                .find(|p| p.2.is_empty())
                .or(self.periods.last())
                .map(|p| p.0.as_str()),
        }
    }
}

/// A common noun naming an actor by role ("protesters", "ministry").
#[derive(Clone, Debug)]
pub struct Agent {
    pub term: String,
    pub roles: String,
    pub kind: String,
}

/// A title or honorific before a name ("President", "Grand Ayatollah").
#[derive(Clone, Debug)]
pub struct Title {
    pub title: String,
    pub roles: String,
}

/// A word that makes a capitalised name an institution ("Command", "Party", "TV"), with the role
/// it gives one that no dictionary knows.
#[derive(Clone, Debug, Default)]
pub struct OrgHead {
    pub roles: String,
    /// The word gives its role anywhere in the name ("Fars News Agency"), not only as its head.
    pub anywhere: bool,
}

/// What a dictionary form stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    CountryName(usize),
    CountryAdjective(usize),
    Capital(usize),
    Org(usize),
    Person(usize),
    Agent(usize),
    Title(usize),
}

/// How the text must be cased to match a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CaseRule {
    /// Lowercase dictionary forms (agents): any case.
    Any,
    /// Forms with capitals: exactly as written, or in all capitals (headlines, datelines).
    AsWritten,
    /// All-capital acronyms ("US", "UN", "PMF"): exactly as written.
    Exact,
}

struct Pattern {
    form: String,
    rule: CaseRule,
    targets: Vec<Target>,
}

/// One dictionary match in a text.
#[derive(Clone, Debug)]
pub struct LexMatch {
    pub span: Span,
    pub targets: Vec<Target>,
}

impl LexMatch {
    /// The title the match names, if any ("President", "Ambassador").
    pub fn title(&self) -> Option<usize> {
        self.targets.iter().find_map(|t| match t {
            Target::Title(ti) => Some(*ti),
            _ => None,
        })
    }

    /// The country the match names or qualifies ("Iraq", "Iraqi"), if any.
    pub fn country(&self) -> Option<usize> {
        self.targets.iter().find_map(|t| match t {
            Target::CountryAdjective(c) | Target::CountryName(c) => Some(*c),
            _ => None,
        })
    }
}

/// The compiled dictionaries.
pub struct Lexicon {
    pub countries: Vec<Country>,
    pub orgs: Vec<Org>,
    pub people: Vec<Person>,
    pub agents: Vec<Agent>,
    pub titles: Vec<Title>,
    pub particles: FxHashSet<String>,
    /// Organisation head words, as written → role.
    pub org_heads: FxHashMap<String, OrgHead>,
    /// Lowercase agent term → index.
    pub agent_index: FxHashMap<String, usize>,
    /// ISO alpha-3 and alpha-2 → country index.
    pub country_index: FxHashMap<String, usize>,
    patterns: Vec<Pattern>,
    matcher: crate::tokens::FormMatcher,
    /// Hash of every data file in use (for provenance).
    pub hash: String,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("countries", &self.countries.len())
            .field("orgs", &self.orgs.len())
            .field("people", &self.people.len())
            .field("agents", &self.agents.len())
            .field("titles", &self.titles.len())
            .field("org_heads", &self.org_heads.len())
            .field("patterns", &self.patterns.len())
            .finish()
    }
}

/// The embedded data files: (file name, contents).
const EMBEDDED: &[(&str, &str)] = &[
    (
        "countries.tsv",
        include_str!("../../../data/lexicon/countries.tsv"),
    ),
    (
        "organizations.tsv",
        include_str!("../../../data/lexicon/organizations.tsv"),
    ),
    (
        "people.tsv",
        include_str!("../../../data/lexicon/people.tsv"),
    ),
    (
        "agents.tsv",
        include_str!("../../../data/lexicon/agents.tsv"),
    ),
    (
        "titles.tsv",
        include_str!("../../../data/lexicon/titles.tsv"),
    ),
    (
        "org_heads.tsv",
        include_str!("../../../data/lexicon/org_heads.tsv"),
    ),
    (
        "particles.txt",
        include_str!("../../../data/lexicon/particles.txt"),
    ),
];

/// Collects dictionary entries from files before compiling.
#[derive(Default)]
struct Builder {
    countries: Vec<Country>,
    orgs: Vec<Org>,
    people: Vec<Person>,
    agents: Vec<Agent>,
    titles: Vec<Title>,
    particles: FxHashSet<String>,
    org_heads: FxHashMap<String, OrgHead>,
    hasher_input: Vec<u8>,
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r').split('\t').collect()))
}

fn alts(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn check_cols(file: &str, line: usize, cols: &[&str], want: usize) -> Result<(), String> {
    if cols.len() < want {
        Err(format!(
            "{file}:{line}: expected {want} tab-separated columns, found {}",
            cols.len()
        ))
    } else {
        Ok(())
    }
}

impl Builder {
    fn add_file(&mut self, name: &str, text: &str, origin: &str) -> Result<(), String> {
        self.hasher_input.extend_from_slice(name.as_bytes());
        self.hasher_input.extend_from_slice(text.as_bytes());
        let file = format!("{origin}{name}");
        match name {
            "countries.tsv" => {
                for (ln, c) in data_lines(text) {
                    check_cols(&file, ln, &c, 3)?;
                    self.countries.push(Country {
                        iso3: c[0].trim().to_string(),
                        iso2: c[1].trim().to_string(),
                        names: alts(c[2]),
                        adjectives: c.get(3).map(|s| alts(s)).unwrap_or_default(),
                        capitals: c.get(4).map(|s| alts(s)).unwrap_or_default(),
                    });
                }
            }
            "organizations.tsv" => {
                for (ln, c) in data_lines(text) {
                    check_cols(&file, ln, &c, 4)?;
                    self.orgs.push(Org {
                        key: c[0].trim().to_string(),
                        code: c[1].trim().to_string(),
                        kind: c[2].trim().to_string(),
                        names: alts(c[3]),
                        description: c.get(4).unwrap_or(&"").trim().to_string(),
                    });
                }
            }
            "people.tsv" => {
                for (ln, c) in data_lines(text) {
                    check_cols(&file, ln, &c, 3)?;
                    let key = c[0].trim().to_string();
                    let period = (
                        c[2].trim().to_string(),
                        c.get(3).unwrap_or(&"").trim().to_string(),
                        c.get(4).unwrap_or(&"").trim().to_string(),
                    );
                    let names = alts(c[1]);
                    match self.people.iter_mut().find(|p| p.key == key) {
                        Some(p) => {
                            p.periods.push(period);
                            for n in names {
                                if !p.names.contains(&n) {
                                    p.names.push(n);
                                }
                            }
                        }
                        None => self.people.push(Person {
                            key,
                            names,
                            periods: vec![period],
                            description: c.get(5).unwrap_or(&"").trim().to_string(),
                        }),
                    }
                }
            }
            "agents.tsv" => {
                for (ln, c) in data_lines(text) {
                    check_cols(&file, ln, &c, 2)?;
                    self.agents.push(Agent {
                        term: c[0].trim().to_lowercase(),
                        roles: c[1].trim().to_string(),
                        kind: c.get(2).unwrap_or(&"group").trim().to_string(),
                    });
                }
            }
            "titles.tsv" => {
                for (ln, c) in data_lines(text) {
                    check_cols(&file, ln, &c, 1)?;
                    self.titles.push(Title {
                        title: c[0].trim().to_string(),
                        roles: c.get(1).unwrap_or(&"").trim().to_string(),
                    });
                }
            }
            "org_heads.tsv" => {
                for (ln, c) in data_lines(text) {
                    check_cols(&file, ln, &c, 1)?;
                    let head = c[0].trim();
                    let anywhere = match c.get(2).map(|w| w.trim()).unwrap_or("") {
                        "" | "last" => false,
                        "any" => true,
                        other => {
                            return Err(format!(
                            "{file}:{ln}: the third column is \"last\" or \"any\", not {other:?}"
                        ))
                        }
                    };
                    if head.is_empty() || head.contains(' ') {
                        return Err(format!("{file}:{ln}: a head is one word, not {head:?}"));
                    }
                    self.org_heads.insert(
                        head.to_string(),
                        OrgHead {
                            roles: c.get(1).unwrap_or(&"").trim().to_string(),
                            anywhere,
                        },
                    );
                }
            }
            "particles.txt" => {
                for l in text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                {
                    self.particles.insert(l.to_string());
                }
            }
            _ if name.ends_with(".actors.txt") => {
                crate::petrarch::import_actors(text, &mut self.people, &mut self.countries)?
            }
            "agents.txt" => crate::petrarch::import_agents(text, &mut self.agents)?,
            _ => {}
        }
        Ok(())
    }

    fn build(self) -> Result<Lexicon, String> {
        let mut by_form: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut add = |form: &str, target: Target| {
            let form = form.trim();
            if form.is_empty() {
                return;
            }
            let rule = if !form.chars().any(|c| c.is_uppercase()) {
                CaseRule::Any
            } else if form
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase())
            {
                CaseRule::Exact
            } else {
                CaseRule::AsWritten
            };
            let key = form.to_lowercase();
            let i = *by_form.entry(key).or_insert_with(|| {
                patterns.push(Pattern {
                    form: form.to_string(),
                    rule,
                    targets: Vec::new(),
                });
                patterns.len() - 1
            });
            let p = &mut patterns[i];
            // The same letters in another case ("US" and "us") need different rules: keep the
            // stricter rule only when both forms are names.
            if p.rule != rule && rule == CaseRule::Any {
                p.rule = CaseRule::Any;
            }
            if !p.targets.contains(&target) {
                p.targets.push(target);
            }
        };
        for (i, c) in self.countries.iter().enumerate() {
            for n in &c.names {
                add(n, Target::CountryName(i));
            }
            for a in &c.adjectives {
                add(a, Target::CountryAdjective(i));
            }
            for cap in &c.capitals {
                add(cap, Target::Capital(i));
            }
        }
        for (i, o) in self.orgs.iter().enumerate() {
            for n in &o.names {
                add(n, Target::Org(i));
            }
        }
        for (i, p) in self.people.iter().enumerate() {
            for n in &p.names {
                add(n, Target::Person(i));
            }
        }
        for (i, a) in self.agents.iter().enumerate() {
            add(&a.term, Target::Agent(i));
        }
        for (i, t) in self.titles.iter().enumerate() {
            add(&t.title, Target::Title(i));
        }
        let matcher = crate::tokens::FormMatcher::new(patterns.iter().map(|p| p.form.as_str()));
        let agent_index = self
            .agents
            .iter()
            .enumerate()
            .map(|(i, a)| (a.term.clone(), i))
            .collect();
        let mut country_index = FxHashMap::default();
        for (i, c) in self.countries.iter().enumerate() {
            country_index.insert(c.iso3.clone(), i);
            country_index.insert(c.iso2.clone(), i);
        }
        let hash = crate::ingest::sha256_hex(&self.hasher_input)[..16].to_string();
        Ok(Lexicon {
            countries: self.countries,
            orgs: self.orgs,
            people: self.people,
            agents: self.agents,
            titles: self.titles,
            particles: self.particles,
            org_heads: self.org_heads,
            agent_index,
            country_index,
            patterns,
            matcher,
            hash,
        })
    }
}

impl Lexicon {
    /// The embedded dictionaries.
    pub fn embedded() -> Lexicon {
        Self::load(&[]).expect("embedded lexicon is valid")
    }

    /// The embedded dictionaries plus every dictionary file in `dirs`.
    pub fn load(dirs: &[&Path]) -> Result<Lexicon, String> {
        let mut b = Builder::default();
        for (name, text) in EMBEDDED {
            b.add_file(name, text, "data/lexicon/")?;
        }
        for dir in dirs {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            for p in entries {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let known = EMBEDDED.iter().any(|(n, _)| *n == name)
                    || name.ends_with(".actors.txt")
                    || name == "agents.txt";
                if !known {
                    continue;
                }
                let text =
                    std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                b.add_file(&name, &text, &format!("{}/", dir.display()))?;
            }
        }
        b.build()
    }

    /// Every dictionary form in `text` that matches its case rule and stands on word boundaries,
    /// leftmost-longest and non-overlapping.
    pub fn find(&self, text: &str) -> Vec<LexMatch> {
        let mut out = Vec::new();
        crate::tokens::find_at_word_starts(
            &self.matcher,
            text,
            |c| c.is_alphanumeric(),
            |s, e, pi| {
                if !text.is_char_boundary(e)
                    || text[e..].chars().next().is_some_and(char::is_alphanumeric)
                {
                    return false;
                }
                // A following apostrophe-s is fine ("Iraq's").
                let p = &self.patterns[pi];
                let found = &text[s..e];
                let ok = match p.rule {
                    CaseRule::Any => true,
                    CaseRule::Exact => found == p.form,
                    CaseRule::AsWritten => {
                        found == p.form
                            || (found.len() > 3 && found == p.form.to_uppercase())
                            || arabic_article_lowered(found, &p.form)
                    }
                };
                if ok {
                    out.push(LexMatch {
                        span: Span(s, e),
                        targets: p.targets.clone(),
                    });
                }
                ok
            },
        );
        out
    }

    /// The country with ISO alpha-3 or alpha-2 `code`.
    pub fn country(&self, code: &str) -> Option<&Country> {
        self.country_index.get(code).map(|&i| &self.countries[i])
    }

    /// The agent for a lowercase term.
    pub fn agent(&self, term: &str) -> Option<&Agent> {
        self.agent_index
            .get(&term.to_lowercase())
            .map(|&i| &self.agents[i])
    }

    /// Whether `word` makes a capitalised name an institution ("Ministry", "Party", "TV").
    pub fn is_org_head(&self, word: &str) -> bool {
        self.org_heads.contains_key(word)
    }

    /// Whether `word` is a name particle ("al-", "bin", "von").
    pub fn is_particle(&self, word: &str) -> bool {
        self.particles.contains(word)
    }
}

/// Whether `found` is `form` with its Arabic article written in lower case ("al-Masirah" for
/// "Al-Masirah", "el-Sisi" for "El-Sisi"), as many outlets write it inside a sentence.
fn arabic_article_lowered(found: &str, form: &str) -> bool {
    ["Al-", "Al ", "El-", "El "].iter().any(|a| {
        form.starts_with(a)
            && found.len() == form.len()
            && found.as_bytes()[0] == form.as_bytes()[0].to_ascii_lowercase()
            && found[1..] == form[1..]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        Lexicon::embedded()
    }

    fn found(l: &Lexicon, text: &str) -> Vec<String> {
        l.find(text)
            .iter()
            .map(|m| m.span.slice(text).to_string())
            .collect()
    }

    #[test]
    fn embedded_dictionaries_load() {
        let l = lex();
        assert!(l.countries.len() > 200);
        assert!(l.orgs.len() > 100);
        assert!(l.agents.len() > 200);
        assert!(l.country("IRQ").is_some() && l.country("IQ").is_some());
    }

    #[test]
    fn case_rules_and_word_boundaries() {
        let l = lex();
        assert_eq!(found(&l, "US troops left"), vec!["US", "troops"]);
        assert!(!found(&l, "let us go").contains(&"us".to_string()));
        assert!(found(&l, "BAGHDAD, Iraq").contains(&"BAGHDAD".to_string()));
        assert!(found(&l, "Iraqi protesters").contains(&"Iraqi".to_string()));
        // Not inside a longer word.
        assert!(found(&l, "Iraqistan").is_empty());
    }

    #[test]
    fn an_arabic_article_may_be_lowered() {
        assert!(arabic_article_lowered("al-Masirah", "Al-Masirah"));
        assert!(arabic_article_lowered("el-Sisi", "El-Sisi"));
        assert!(!arabic_article_lowered("almasirah", "Al-Masirah"));
        assert!(!arabic_article_lowered("al-masirah", "Al-Masirah"));
    }

    #[test]
    fn longest_match_wins() {
        let l = lex();
        assert_eq!(found(&l, "South Sudan"), vec!["South Sudan"]);
    }

    #[test]
    fn a_form_refused_by_its_case_rule_leaves_the_words_inside_it_to_match() {
        let l = lex();
        // "The Washington Post" is written with a capital "The": in running text the lowercase
        // "the" refuses that form, and the shorter "Washington Post" after it still matches.
        assert_eq!(
            found(&l, "officials told the Washington Post on Monday"),
            vec!["officials", "Washington Post"]
        );
        // Forms start only where words start.
        assert_eq!(found(&l, "anti-Iraqi"), vec!["Iraqi"]);
        assert!(found(&l, "xIraqi").is_empty());
    }
}
