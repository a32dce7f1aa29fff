//! Recognition: find the place names of an article.
//!
//! Gazetteer names are matched on capitalised token sequences (longest first), then kept or
//! dropped by the words around them: a name inside a person's or organisation's name is dropped,
//! as is a demonym or a name that runs on into other capitalised words ("Washington Post"); a name
//! of a small place, or one that is also an ordinary word of the article, needs a cue ("in",
//! "near", "from", ", Iraq", a dateline). Article cues also find places below the gazetteer's grain:
//! "the Jadriya district", "in Jadriya, a neighborhood", "Tahrir Square", "Jumhuriyyeh bridge",
//! "the Santo Tomas Cathedral", "the Bato Mosque".

use super::gazetteer::{
    name_key, name_key_into, variant_key, Gazetteer, Level, NAME_LEXICON, NAME_PRIMARY,
};
use super::resolve::{Cand, Mention};
use crate::model::{Block, BlockKind, Dateline, Entity, EntityKind, Sentence, Span};
use crate::tokens::{lowercase, TokKind, Token, WordSet};

/// Sets of the article's own words: a fast hasher seeded per process (foldhash).
type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// Lower-case words allowed inside a multi-word place name.
const CONNECTORS: &[&str] = &[
    "of", "de", "del", "la", "le", "les", "du", "des", "and", "the", "upon", "on", "sur", "am",
    "an", "der", "den", "y", "da", "do", "dos", "das", "di", "al", "el", "en", "es", "bin",
];

/// Words before a place name that make it one.
static LOC_CUES: WordSet = WordSet::new(&[
    "in",
    "at",
    "near",
    "from",
    "to",
    "outside",
    "into",
    "around",
    "across",
    "toward",
    "towards",
    "through",
    "via",
    "between",
    "within",
    "throughout",
    "inside",
    "visited",
    "visit",
    "entered",
    "reached",
]);

/// Nouns that, before "of", introduce a place ("the city of Basra").
static PLACE_NOUNS: WordSet = WordSet::new(&[
    "city",
    "town",
    "village",
    "province",
    "state",
    "county",
    "region",
    "district",
    "capital",
    "outskirts",
    "suburb",
    "suburbs",
    "governorate",
    "port",
    "island",
    "republic",
    "municipality",
    "area",
    "centre",
    "center",
    "heart",
    "streets",
    "residents",
    "people",
    "north",
    "south",
    "east",
    "west",
    "mayor",
    "governor",
]);

/// Capitalised words that are place names in some gazetteer but almost never in news text.
static STOP: WordSet = WordSet::new(&[
    "section",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "god",
    "christmas",
    "easter",
    "mass",
    "parliament",
    "congress",
    "senate",
    "police",
    "army",
    "navy",
    "republic",
    "union",
    "internet",
    "university",
    "center",
    "central",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "middle",
    "most",
    "man",
    "mr",
    "mrs",
    "ms",
    "dr",
    "the",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "we",
    "they",
    "he",
    "she",
    "it",
    "you",
    "i",
    "a",
    "an",
    "and",
    "but",
    "or",
    "if",
    "as",
    "so",
    "no",
    "yes",
    "not",
    "all",
    "one",
    "time",
    "times",
    "news",
    "post",
    "state",
    "city",
    "county",
    "street",
    "national",
    "federal",
    "royal",
    "president",
    "minister",
    "prime",
    "secretary",
    "governor",
    "mayor",
    "chief",
    "general",
    "court",
    "supreme",
    "white",
    "house",
    "church",
    "media",
    "sun",
    "star",
    "independence",
    "liberty",
    "unity",
    "victory",
    "justice",
    "education",
    "commerce",
    "industry",
    "energy",
    "security",
    "defence",
    "defense",
    "interior",
    "health",
    "islam",
    "allah",
    "english",
    "arabic",
    "french",
    "spanish",
    "german",
    "chinese",
    "muslim",
    "christian",
    "jewish",
    "sunni",
    "shiite",
    "shia",
    "kurdish",
    "arab",
    "western",
    "said",
    "says",
    "today",
    "tomorrow",
    "yesterday",
    "during",
    "after",
    "before",
    "while",
    "since",
    "with",
    "for",
    "by",
    "on",
    "at",
    "in",
    "of",
    "from",
    "to",
]);

/// Words after which a capitalised first word is a verb, not a place ("Reading the report").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that", "these",
    "those", "it", "them", "him", "me", "us", "up", "out", "down", "off", "over", "through",
];

/// Reporting verbs: a single name before one is a speaker ("Lincoln said").
static SPEECH: WordSet = WordSet::new(&[
    "said",
    "says",
    "told",
    "added",
    "noted",
    "explained",
    "wrote",
    "asked",
    "replied",
    "argued",
    "recalled",
    "insisted",
    "stated",
    "claimed",
    "warned",
    "agreed",
    "believes",
    "thinks",
]);

/// Words before a name that make it a person's ("Mr. Jackson", "President Lincoln").
static TITLES: WordSet = WordSet::new(&[
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "sen",
    "rep",
    "gov",
    "president",
    "sheikh",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "judge",
    "officer",
    "sgt",
    "lt",
    "col",
    "capt",
    "minister",
    "chancellor",
    "imam",
    "ayatollah",
    "rev",
    "father",
    "sister",
    "brother",
    "coach",
    "lord",
    "lady",
    "sir",
    "madam",
    "mister",
    "saint",
]);

/// Directions that may stand before a place name ("northern Iraq", "East Baghdad").
static DIRECTIONS: WordSet = WordSet::new(&[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "greater",
    "upper",
    "lower",
    "new",
    "old",
    "downtown",
    "metro",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
]);

/// Words after a name that mark an administrative division ("Diyala province").
const ADMIN_SUFFIXES: &[&str] = &[
    "province",
    "governorate",
    "state",
    "county",
    "region",
    "prefecture",
    "oblast",
    "parish",
    "department",
    "municipality",
];

/// Words after a name that make a place below the gazetteer's grain, with the GeoNames feature
/// code, and whether the word belongs to the name.
fn spot_noun(w: &str) -> Option<(&'static str, bool)> {
    Some(match w {
        "Square" | "square" => ("SQR", true),
        "Bridge" | "bridge" => ("BDG", true),
        "Cathedral" => ("CH", true),
        "Mosque" => ("MSQE", true),
        "district" | "neighborhood" | "neighbourhood" | "suburb" | "quarter" => ("PPLX", false),
        _ => return None,
    })
}

/// Nouns of an apposition that say the name before them is part of a town ("Jadriya, a
/// neighborhood").
const APPOSITION_SPOTS: &[&str] = &[
    "neighborhood",
    "neighbourhood",
    "district",
    "suburb",
    "quarter",
    "area",
];

fn is_word(t: &Token) -> bool {
    t.kind == TokKind::Word
}

fn is_cap(text: &str, t: &Token) -> bool {
    is_word(t) && crate::tokens::is_capitalized(t.text(text))
}

/// Whether token `i` starts its sentence (or a quotation or parenthesis).
fn starts_sentence(text: &str, toks: &[Token], i: usize) -> bool {
    i == 0
        || (toks[i - 1].kind == TokKind::Punct
            && matches!(
                toks[i - 1].text(text),
                "“" | "\"" | "(" | ":" | "‘" | "'" | "—" | "–" | "-" | "[" | "…" | "."
            ))
}

/// Every place mention the article's words support.
pub(crate) fn recognize(
    gaz: &Gazetteer,
    text: &str,
    sentences: &[Sentence],
    sentence_tokens: &[Vec<Token>],
    blocks: &[Block],
    entities: &[Entity],
    dateline: Option<&Dateline>,
) -> Vec<Mention> {
    // Spans of people and organisations: no place inside them.
    let mut blocked: Vec<Span> = Vec::new();
    let mut country_mentions: Vec<(Span, String)> = Vec::new();
    // Words of people's names ("Sadr" of "Muqtada al-Sadr", "Amman" of "Ali Amman"): a single
    // word matching one is the person, wherever it stands.
    let mut person_words: HashSet<String> = HashSet::default();
    let mut person_names: HashSet<&str> = HashSet::default();
    for e in entities {
        match e.kind {
            // A "person" whose name is a place's ("Fort Worth", "North Texas") is the name
            // finder's mistake: it blocks nothing.
            EntityKind::Person if placeish(gaz, &e.name) => {}
            EntityKind::Person | EntityKind::Organization | EntityKind::Group => {
                blocked.extend(e.mentions.iter().copied());
                if e.kind == EntityKind::Person {
                    // Each distinct written form once: most mentions repeat a surname.
                    let forms = std::iter::once(e.name.as_str())
                        .chain(e.mentions.iter().map(|m| m.slice(text)));
                    for n in forms {
                        if !person_names.insert(n) {
                            continue;
                        }
                        for w in n.split(|c: char| c.is_whitespace() || c == '-') {
                            if w.chars().count() >= 3 {
                                person_words.insert(name_key(w));
                            }
                        }
                    }
                }
            }
            EntityKind::Country | EntityKind::Location => {
                for m in &e.mentions {
                    country_mentions.push((*m, e.key.clone()));
                }
            }
        }
    }
    // A place name may hold a person's name ("Sadr City"), not stand inside or on one.
    let in_blocked = |s: Span| {
        blocked
            .iter()
            .any(|b| b.overlaps(s) && !(s.contains(*b) && s != *b))
    };
    // A capitalised word that also appears in lower case in the article is an ordinary word
    // and needs a cue to be a place.
    let lower_word = |name: &str| written_in_lowercase(text, name);
    let dl_span = dateline.map(|d| d.span);

    let mut key = String::new();
    let mut found: Vec<(Mention, bool)> = Vec::new(); // (mention, strong or cued)
    let mut spots: Vec<Mention> = Vec::new();
    for (s, toks) in sentences.iter().zip(sentence_tokens) {
        if blocks
            .get(s.block)
            .is_some_and(|b| matches!(b.kind, BlockKind::Byline | BlockKind::Boilerplate))
        {
            continue;
        }
        let n = toks.len();
        let mut i = 0;
        while i < n {
            let t = toks[i];
            if !is_cap(text, &t) {
                i += 1;
                continue;
            }
            // Exact forms: "Ga.", "U.S.", "W.Va.".
            if let Some((end, entry)) = exact_at(gaz, text, t.span.0) {
                let span = Span(t.span.0, end);
                let mut j = i;
                while j < n && toks[j].span.0 < end {
                    j += 1;
                }
                if !in_blocked(span) {
                    let mut m = Mention::new(span, span.slice(text).to_string());
                    m.cands.push(Cand { entry, flags: 0 });
                    m.dateline = dl_span.is_some_and(|d| d.contains(span));
                    found.push((m, true));
                }
                i = j.max(i + 1);
                continue;
            }
            // The longest run of name tokens.
            let mut max_j = i + 1;
            while max_j < n && max_j < i + 7 {
                let u = toks[max_j];
                let w = u.text(text);
                let adjacent = toks[max_j - 1].span.1 == u.span.0;
                // Compass words may end a name ("Middle East", "Far West").
                let lw = lowercase(w);
                let ok = (is_cap(text, &u)
                    && (!STOP.contains(lw.as_ref()) || DIRECTIONS.contains(lw.as_ref())))
                    || (is_word(&u) && CONNECTORS.contains(&w))
                    || (u.kind == TokKind::Punct && (w == "-" || (w == "." && adjacent)));
                if !ok {
                    break;
                }
                max_j += 1;
            }
            let mut hit = None;
            for j in (i + 1..=max_j).rev() {
                if !is_cap(text, &toks[j - 1]) {
                    continue;
                }
                let span = Span(t.span.0, toks[j - 1].span.1);
                // One key buffer for every candidate run of the article.
                name_key_into(span.slice(text), &mut key);
                if key.is_empty() || STOP.contains(key.as_str()) {
                    continue;
                }
                let cands = gaz.lookup_key(&key);
                if !cands.is_empty() {
                    hit = Some((j, span, cands));
                    break;
                }
            }
            // Below-grain cues: "X Square", "X bridge", "the X district".
            let spot = spot_after(text, toks, i, max_j);
            if let Some((j_end, name_end, feature, span_end)) = spot {
                let name_span = Span(t.span.0, name_end);
                let name = name_span.slice(text);
                let bad = in_blocked(name_span)
                    || gaz.demonym(name).is_some()
                    || STOP.contains(lowercase(name).as_ref())
                    || lower_word(name);
                // "X district" where X is an admin division: the division, not a spot.
                let admin = feature == "PPLX"
                    && gaz.lookup_key(&name_key(name)).iter().any(|c| {
                        matches!(
                            gaz.level(&gaz.entries[c.1 as usize]),
                            Level::Admin2 | Level::Area
                        )
                    });
                // A name the gazetteer knows whole ("Tiananmen Square"): that place.
                let known = hit.as_ref().is_some_and(|h| h.1 .1 >= span_end);
                if !bad && !admin && !known {
                    let span = Span(t.span.0, span_end);
                    let shown = if feature == "PPLX" {
                        name.to_string()
                    } else {
                        span.slice(text).to_string()
                    };
                    let mut m =
                        Mention::new(if feature == "PPLX" { name_span } else { span }, shown);
                    m.below = Some(feature);
                    spots.push(m);
                    i = j_end;
                    continue;
                }
            }
            let Some((j, span, cands)) = hit else {
                i += 1;
                continue;
            };
            let name = span.slice(text);
            let single = j == i + 1;
            let region = cands.iter().any(|c| {
                matches!(
                    gaz.level(&gaz.entries[c.1 as usize]),
                    Level::Country | Level::Continent
                )
            });
            let mut ok = !in_blocked(span)
                && gaz.demonym(name).is_none()
                && !(single && !region && person_words.contains(&name_key(name)));
            // Runs on into other capitalised words: part of a longer name.
            let next = toks.get(j);
            let mut admin_only = false;
            let mut span = span;
            if let Some(nx) = next {
                let w = nx.text(text);
                if is_cap(text, nx) && !STOP.contains(lowercase(w).as_ref()) {
                    if ADMIN_SUFFIXES.contains(&lowercase(w).as_ref()) {
                        admin_only = true;
                        span = Span(span.0, nx.span.1);
                    } else {
                        ok = false;
                    }
                } else if is_word(nx) && ADMIN_SUFFIXES.contains(&w) {
                    admin_only = true;
                }
            }
            let prev = if i > 0 { Some(toks[i - 1]) } else { None };
            if let Some(p) = prev {
                let w = p.text(text);
                let lw = lowercase(w.trim_end_matches('.'));
                // A title before it, or another capitalised word of the same name.
                let run_on = is_cap(text, &p)
                    && !starts_sentence(text, toks, i - 1)
                    && !DIRECTIONS.contains(lw.as_ref())
                    && !STOP.contains(lw.as_ref());
                if TITLES.contains(lw.as_ref()) || run_on {
                    ok = false;
                }
                // "Mr." before: tokens "Mr" "." "Jackson".
                if w == "." && i >= 2 && TITLES.contains(lowercase(toks[i - 2].text(text)).as_ref())
                {
                    ok = false;
                }
            }
            if !ok {
                i = j;
                continue;
            }
            let cands: Vec<Cand> = cands
                .iter()
                .map(|c| Cand {
                    entry: c.1,
                    flags: c.2,
                })
                .collect();
            let strong = cands.iter().any(|c| {
                let e = &gaz.entries[c.entry as usize];
                if e.id == 0 {
                    // A sea, region or range of the hand-written features ("Cauvery", "Sahel").
                    return e.population >= 1_000_000;
                }
                match gaz.level(e) {
                    Level::Country | Level::Continent | Level::Admin1 => true,
                    Level::City => e.population >= 100_000 || (!single && e.population >= 1000),
                    Level::Admin2 => !single,
                    _ => false,
                }
            });
            let ordinary = single && lower_word(name);
            let cued = cue_before(text, toks, i)
                || qualifier_after(gaz, text, toks, j)
                || dl_span.is_some_and(|d| d.contains(span));
            // A town's name opening a sentence may be any capitalised word ("Reading the
            // report"): it needs a cue, or punctuation right after it ("Baghdad, Iraq").
            let initial = starts_sentence(text, toks, i);
            let punct_after = next.is_some_and(|nx| {
                nx.kind == TokKind::Punct && nx.span.0 == span.1
                    || matches!(nx.text(text), "’s" | "'s")
            });
            // "Reading the report": a capitalised gerund before a determiner.
            let verb_like =
                next.is_some_and(|nx| DETERMINERS.contains(&lowercase(nx.text(text)).as_ref()));
            // "Lincoln said": a surname before a reporting verb.
            let speaker = single
                && !region
                && next.is_some_and(|nx| SPEECH.contains(lowercase(nx.text(text)).as_ref()));
            let accept = if speaker || ordinary || (initial && !strong) {
                cued
            } else if initial && single && !region {
                cued || punct_after || !verb_like
            } else {
                strong || cued
            };
            let mut m = Mention::new(span, span.slice(text).to_string());
            if admin_only {
                m.name = name.to_string();
            }
            m.cands = cands;
            m.admin_only = admin_only;
            m.town_only = town_cue(text, toks, i);
            m.dateline = dl_span.is_some_and(|d| d.contains(span));
            found.push((m, accept));
            i = j;
        }
    }
    // Country and location entities the name finder knows, unless written as adjectives.
    for (span, key) in &country_mentions {
        let written = span.slice(text);
        if gaz.demonym(written).is_some() || found.iter().any(|(m, _)| m.span.overlaps(*span)) {
            continue;
        }
        let mut cands: Vec<Cand> = gaz
            .lookup_key(&name_key(written))
            .iter()
            .map(|c| Cand {
                entry: c.1,
                flags: c.2,
            })
            .collect();
        if cands.is_empty() {
            let Some(idx) = gaz.iso2(key).and_then(|c| gaz.country_index(c)) else {
                continue;
            };
            cands.push(Cand {
                entry: idx,
                flags: 0,
            });
        }
        let mut m = Mention::new(*span, written.to_string());
        m.cands = cands;
        m.dateline = dl_span.is_some_and(|d| d.contains(*span));
        found.push((m, true));
    }
    // A name accepted once is accepted everywhere in the article.
    let accepted: HashSet<String> = found
        .iter()
        .filter(|(_, a)| *a)
        .map(|(m, _)| name_key(&m.name))
        .collect();
    let mut mentions: Vec<Mention> = found
        .into_iter()
        .filter(|(m, a)| *a || accepted.contains(&name_key(&m.name)))
        .map(|(m, _)| m)
        .collect();
    // Appositions: "in Jadriya, a neighborhood" makes an unknown name a spot.
    spots.extend(appositions(text, sentences, sentence_tokens, &blocked));
    // Other mentions of a spot's name ("in Jadriya" after "the Jadriya district").
    let spot_names: Vec<(String, &'static str)> = spots
        .iter()
        .filter(|m| m.below == Some("PPLX"))
        .map(|m| (m.name.clone(), "PPLX"))
        .collect();
    for (name, feature) in spot_names {
        let mut from = 0;
        while let Some(pos) = text[from..].find(&name) {
            let st = from + pos;
            let en = st + name.len();
            from = en;
            let before = text[..st].chars().next_back();
            let after = text[en..].chars().next();
            if before.is_some_and(|c| c.is_alphanumeric())
                || after.is_some_and(|c| c.is_alphanumeric())
            {
                continue;
            }
            let span = Span(st, en);
            if spots.iter().any(|m| m.span.overlaps(span)) || in_blocked(span) {
                continue;
            }
            if blocks.iter().any(|b| {
                b.span.contains(span)
                    && matches!(b.kind, BlockKind::Byline | BlockKind::Boilerplate)
            }) {
                continue;
            }
            let mut m = Mention::new(span, name.clone());
            m.below = Some(feature);
            spots.push(m);
        }
    }
    mentions.retain(|m| !spots.iter().any(|s| s.span.overlaps(m.span)));
    mentions.extend(spots);
    mentions.sort_by_key(|m| (m.span.0, m.span.1));
    mentions.dedup_by(|a, b| a.span.overlaps(b.span));
    link_qualifiers(gaz, text, &mut mentions);
    mentions
}

/// "in X, a neighborhood [of|in Y]" where X is no known place.
fn appositions(
    text: &str,
    sentences: &[Sentence],
    toks: &[Vec<Token>],
    blocked: &[Span],
) -> Vec<Mention> {
    let mut out = Vec::new();
    for (si, _) in sentences.iter().enumerate() {
        let t = &toks[si];
        for i in 1..t.len() {
            if !is_cap(text, &t[i]) || !LOC_CUES.contains(lowercase(t[i - 1].text(text)).as_ref()) {
                continue;
            }
            // X is one or two capitalised words, then ", a|an|the <spot noun>".
            let mut j = i + 1;
            if j < t.len() && is_cap(text, &t[j]) {
                j += 1;
            }
            if j + 2 >= t.len() || t[j].text(text) != "," {
                continue;
            }
            let det = lowercase(t[j + 1].text(text));
            if !matches!(&*det, "a" | "an" | "the") {
                continue;
            }
            // Allow one adjective: "a wealthy neighborhood".
            let noun_at = if APPOSITION_SPOTS.contains(&t[j + 2].text(text)) {
                j + 2
            } else if j + 3 < t.len() && APPOSITION_SPOTS.contains(&t[j + 3].text(text)) {
                j + 3
            } else {
                continue;
            };
            let _ = noun_at;
            let span = Span(t[i].span.0, t[j - 1].span.1);
            if blocked.iter().any(|b| b.overlaps(span)) {
                continue;
            }
            let mut m = Mention::new(span, span.slice(text).to_string());
            m.below = Some("PPLX");
            out.push(m);
        }
    }
    out
}

/// A below-grain cue after capitalised words starting at `i`: (token index after the cue, end of
/// the name, feature code, end of the whole span).
fn spot_after(
    text: &str,
    toks: &[Token],
    i: usize,
    max_j: usize,
) -> Option<(usize, usize, &'static str, usize)> {
    // Up to three capitalised words, then the noun.
    let mut j = i;
    while j < max_j.min(i + 3) && is_cap(text, &toks[j]) {
        let w = toks[j].text(text);
        if let Some((f, _)) = spot_noun(w) {
            if j > i && (f != "PPLX") {
                return Some((j + 1, toks[j - 1].span.1, f, toks[j].span.1));
            }
        }
        j += 1;
    }
    let noun = toks.get(j)?;
    let (f, _) = spot_noun(noun.text(text))?;
    if j == i || !noun.text(text).chars().next()?.is_lowercase() && f == "PPLX" {
        return None;
    }
    // "district" needs a determiner before the name: "the Jadriya district", "Karrada district".
    Some((j + 1, toks[j - 1].span.1, f, noun.span.1))
}

/// Whether `name` lower-cased is written in `text` as a whole word (a run of letters and digits
/// between non-alphanumeric characters) starting with a lower-case letter.
fn written_in_lowercase(text: &str, name: &str) -> bool {
    let w = lowercase(name);
    if !w.chars().next().is_some_and(char::is_lowercase) || !w.chars().all(char::is_alphanumeric) {
        return false;
    }
    memchr::memmem::find_iter(text.as_bytes(), w.as_bytes()).any(|st| {
        let en = st + w.len();
        !text[..st]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && !text[en..].chars().next().is_some_and(char::is_alphanumeric)
    })
}

/// Whether a name is a place's: a gazetteer name of a division, country or town of some size,
/// possibly after a direction word, or a name ending in a division's kind ("Tarrant County").
fn placeish(gaz: &Gazetteer, name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(last) = words.last() else {
        return false;
    };
    if words.len() > 1 && ADMIN_SUFFIXES.contains(&lowercase(last).as_ref()) {
        return true;
    }
    let rest = match words.first() {
        Some(w) if words.len() > 1 && DIRECTIONS.contains(lowercase(w).as_ref()) => {
            words[1..].join(" ")
        }
        _ => words.join(" "),
    };
    // A hand-written sea or region ("Middle East") is no person.
    if gaz
        .lookup_key(&name_key(name))
        .iter()
        .any(|c| gaz.entries[c.1 as usize].id == 0)
    {
        return true;
    }
    gaz.lookup_key(&name_key(&rest)).iter().any(|c| {
        let e = &gaz.entries[c.1 as usize];
        if e.id == 0 {
            return true; // "South Darfur"
        }
        match gaz.level(e) {
            Level::Country | Level::Admin1 | Level::Continent => true,
            Level::City => words.len() > 1 && e.population >= 10_000 || e.population >= 100_000,
            _ => false,
        }
    })
}

/// "city of", "town of" or "village of" right before token `i`.
fn town_cue(text: &str, toks: &[Token], i: usize) -> bool {
    i >= 2
        && lowercase(toks[i - 1].text(text)) == "of"
        && matches!(
            lowercase(toks[i - 2].text(text)).as_ref(),
            "city" | "town" | "village" | "capital"
        )
}

/// A cue word right before token `i` (skipping "the" and a direction word).
fn cue_before(text: &str, toks: &[Token], i: usize) -> bool {
    let mut k = i;
    let mut steps = 0;
    while k > 0 && steps < 3 {
        k -= 1;
        steps += 1;
        let w = lowercase(toks[k].text(text));
        if LOC_CUES.contains(w.as_ref()) {
            return true;
        }
        if w == "of" {
            return k > 0 && PLACE_NOUNS.contains(lowercase(toks[k - 1].text(text)).as_ref());
        }
        if w == "the" || DIRECTIONS.contains(w.as_ref()) || w == "and" || w == "," {
            continue;
        }
        return false;
    }
    false
}

/// ", <country or admin1>" right after token index `j` (exclusive end of the name).
fn qualifier_after(gaz: &Gazetteer, text: &str, toks: &[Token], j: usize) -> bool {
    if j + 1 >= toks.len() || toks[j].text(text) != "," {
        return false;
    }
    let start = toks[j + 1].span.0;
    if exact_at(gaz, text, start).is_some() {
        return true;
    }
    let mut k = j + 1;
    let mut best = false;
    while k < toks.len() && k < j + 4 && is_cap(text, &toks[k]) {
        let key = name_key(&text[start..toks[k].span.1]);
        best |= gaz.lookup_key(&key).iter().any(|c| {
            matches!(
                gaz.level(&gaz.entries[c.1 as usize]),
                Level::Country | Level::Admin1
            )
        });
        k += 1;
    }
    best
}

/// An exact-form name starting at byte `at`: (end, entry).
pub(crate) fn exact_at(gaz: &Gazetteer, text: &str, at: usize) -> Option<(usize, u32)> {
    let rest = &text[at..];
    for (form, entry) in gaz.exact_candidates(rest) {
        if rest.starts_with(form.as_str()) {
            let end = at + form.len();
            let after = text[end..].chars().next();
            let ok = match after {
                None => true,
                Some(c) => !c.is_alphanumeric() && (c != '.' || form.ends_with('.')),
            };
            let ok = ok
                && (!form.ends_with('.') || !text[end..].starts_with(|c: char| c.is_alphabetic()));
            if ok {
                return Some((end, *entry));
            }
        }
    }
    None
}

/// Link each mention followed by ", <mention>" (or "of <mention>" for a spot) to it.
pub(crate) fn link_qualifiers(gaz: &Gazetteer, text: &str, mentions: &mut [Mention]) {
    for k in 0..mentions.len().saturating_sub(1) {
        let between = &text[mentions[k].span.1..mentions[k + 1].span.0];
        let b = between.trim();
        let below = mentions[k].below.is_some();
        // An institution named after a place, or a name the gazetteer lacks, followed right
        // away by "in" or "at" a town ("the University of St. Thomas in Houston"): the town
        // contains it, as it contains a spot.
        let unknown = mentions[k].inner || mentions[k].guess;
        let spot = below || (unknown && matches!(b, "in" | "at" | ", in" | ", at"));
        let comma = b == "," || b == "(";
        let of = spot
            && (b.ends_with(" of")
                || b.ends_with(" in")
                || b == "of"
                || b == "in"
                || (unknown && (b == "at" || b.ends_with(" at"))))
            && between.len() < 40;
        if !(comma || of) {
            continue;
        }
        let q = &mentions[k + 1];
        let region = q.cands.iter().any(|c| {
            let l = gaz.level(&gaz.entries[c.entry as usize]);
            matches!(l, Level::Country | Level::Admin1 | Level::Admin2)
                || (spot && l == Level::City)
        });
        if region && q.below.is_none() && !(comma && in_list(gaz, text, mentions, k)) {
            mentions[k].qualifier = Some(k + 1);
        }
    }
}

/// Whether "<k>, <k+1>" is part of a list of places ("in Miami, Houston, New York and Boston")
/// rather than a town and its division: the mention before `k` is a list item joined by a
/// comma, or the second name is itself a large town and the list goes on with "and" to a place
/// that has no qualifier of its own ("Washington, New York and Boston", but not "Alexandria,
/// Va., and Arlington, Va.").
fn in_list(gaz: &Gazetteer, text: &str, mentions: &[Mention], k: usize) -> bool {
    let sep = |a: usize, b: usize| text[mentions[a].span.1..mentions[b].span.0].trim();
    if k >= 1 && sep(k - 1, k) == "," {
        let prev_is_qualifier = k >= 2 && mentions[k - 2].qualifier == Some(k - 1);
        if mentions[k - 1].qualifier.is_none() && !prev_is_qualifier {
            return true;
        }
    }
    // "Saipan, Guam, Alaska": the second name is followed by a third, as list items are.
    if k + 2 < mentions.len() && sep(k + 1, k + 2) == "," {
        return true;
    }
    let q = &mentions[k + 1];
    let big_town = q.cands.iter().any(|c| {
        let e = &gaz.entries[c.entry as usize];
        gaz.level(e) == Level::City && e.population >= 100_000
    });
    if !big_town || k + 2 >= mentions.len() {
        return false;
    }
    let joined = matches!(sep(k + 1, k + 2), "and" | "or" | ", and" | ", or");
    let next_qualified = k + 3 < mentions.len() && sep(k + 2, k + 3) == ",";
    joined && !next_qualified
}

/// Mentions for given spans (evaluation with gold toponyms): every span is a place; its
/// candidates come from its name, a demonym, or the variant index.
pub(crate) fn mentions_for_spans(gaz: &Gazetteer, text: &str, spans: &[Span]) -> Vec<Mention> {
    let mut out = Vec::with_capacity(spans.len());
    for &span in spans {
        let written = span.slice(text).trim();
        let mut m = Mention::new(span, written.to_string());
        let mut name = written;
        for p in ["the ", "The "] {
            if let Some(r) = name.strip_prefix(p) {
                name = r;
            }
        }
        if let Some((end, entry)) = exact_at(gaz, name, 0) {
            if end == name.len() {
                m.cands.push(Cand { entry, flags: 0 });
            }
        }
        // A demonym or adjective names its country ("Canadian" is not the town in Texas).
        let demonym = gaz
            .demonym_index(name)
            .or_else(|| name.strip_suffix('s').and_then(|n| gaz.demonym_index(n)));
        if let (true, Some(idx)) = (m.cands.is_empty(), demonym) {
            m.cands.push(Cand {
                entry: idx,
                flags: NAME_LEXICON,
            });
        }
        if m.cands.is_empty() {
            let key = name_key(name);
            m.cands = gaz
                .lookup_key(&key)
                .iter()
                .map(|c| Cand {
                    entry: c.1,
                    flags: c.2,
                })
                .collect();
            if m.cands.is_empty() {
                // "Diyala province", "Orange County": the division without its kind.
                let words: Vec<&str> = name.split_whitespace().collect();
                if words.len() >= 2
                    && ADMIN_SUFFIXES.contains(&lowercase(words[words.len() - 1]).as_ref())
                {
                    let k2 = name_key(&words[..words.len() - 1].join(" "));
                    m.cands = gaz
                        .lookup_key(&k2)
                        .iter()
                        .map(|c| Cand {
                            entry: c.1,
                            flags: c.2,
                        })
                        .collect();
                    m.admin_only = true;
                }
            }
            // Transliteration variants, but not for words shaped like adjectives ("Korean").
            let adjective = ["ish", "ese", "ian", "ean", "ans"]
                .iter()
                .any(|suffix| name.ends_with(suffix));
            if m.cands.is_empty() && !adjective {
                if let Some(v) = variant_key(&key) {
                    m.cands = gaz
                        .lookup_variant(&v)
                        .filter(|&entry| {
                            similar(&key, &name_key(&gaz.entries[entry as usize].name))
                        })
                        .map(|entry| Cand { entry, flags: 0 })
                        .collect();
                    // The same name with or without its Arabic article ("Qamishli" and "Al
                    // Qamishli", "al-Tanf" and "At Tanf") is no transliteration guess.
                    let bare = strip_article(&key);
                    let same: Vec<Cand> = m
                        .cands
                        .iter()
                        .filter(|c| {
                            strip_article(&name_key(&gaz.entries[c.entry as usize].name)) == bare
                        })
                        .copied()
                        .collect();
                    if same.is_empty() {
                        m.variant = !m.cands.is_empty();
                    } else {
                        m.cands = same;
                    }
                }
            }
        }
        if m.cands.is_empty() {
            let last = name.split_whitespace().last().unwrap_or("");
            // "Bank of Japan", "University of Alberta", "Colorado State University": an
            // institution named after its place stands for that place, not for the article's town.
            if let Some(cands) = of_place(gaz, name).or_else(|| {
                INSTITUTIONS
                    .contains(&last)
                    .then(|| inner_place(gaz, name))
                    .flatten()
            }) {
                m.cands = cands;
                m.inner = true;
            }
        }
        // "the South Side", "the West Side": a part of the story's town, whatever village or
        // district elsewhere bears the name.
        if city_side(name) {
            m.cands.clear();
            m.variant = false;
            m.inner = false;
            m.below = Some("PPLX");
        }
        if m.cands.is_empty() && m.below.is_none() {
            let last = name.split_whitespace().last().unwrap_or("");
            let first = name.split_whitespace().next().unwrap_or("");
            if let Some((f, _)) = spot_noun(last) {
                m.below = Some(f);
            } else if let Some(f) = facility(last).or_else(|| natural(last)) {
                m.below = Some(f);
            } else if let Some(f) = natural_before(first).filter(|_| first != name) {
                // "Lake Manassas", "Mount Chaambi".
                m.below = Some(f);
            } else if let Some(cands) = inner_place(gaz, name) {
                // "Dubai World Cup", "University of California": the place inside the name.
                m.cands = cands;
                m.inner = true;
            } else {
                m.guess = true;
            }
        }
        out.push(m);
    }
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|&i| (out[i].span.0, out[i].span.1));
    let mut sorted: Vec<Mention> = order.iter().map(|&i| out[i].clone()).collect();
    link_qualifiers(gaz, text, &mut sorted);
    // Map qualifiers back to the caller's order.
    let mut back = vec![0; out.len()];
    for (pos, &i) in order.iter().enumerate() {
        back[pos] = i;
    }
    for (pos, m) in sorted.into_iter().enumerate() {
        let i = back[pos];
        out[i].qualifier = m.qualifier.map(|q| back[q]);
    }
    out
}

/// Words that end the name of a natural feature or minor division, with its GeoNames feature code;
/// unknown to the gazetteer, such a place takes the article's main town as its neighbourhood.
fn natural(w: &str) -> Option<&'static str> {
    Some(match w {
        "River" | "Creek" | "Brook" => "STM",
        "Lake" | "Lakes" | "Reservoir" | "Pond" => "LK",
        "Valley" => "VAL",
        "Hill" | "Hills" | "Heights" => "HLL",
        "Mountain" | "Mountains" | "Mount" | "Peak" => "MT",
        "Island" | "Islands" | "Isle" => "ISL",
        "Bay" | "Harbor" | "Harbour" | "Port" => "BAY",
        "Township" | "Twp." | "Borough" | "Village" => "ADM3",
        "Forest" | "Woods" => "FRST",
        "Beach" => "BCH",
        "Estate" | "Estates" => "PPLX",
        _ => return None,
    })
}

/// First words of the names of natural features ("Lake Manassas", "Mount Kenya").
fn natural_before(w: &str) -> Option<&'static str> {
    Some(match w {
        "Lake" => "LK",
        "Mount" | "Mt." | "Mt" => "MT",
        "Isle" => "ISL",
        _ => return None,
    })
}

/// "North Side", "the South Side", "West Side": the side of a town, not a place of its own.
fn city_side(name: &str) -> bool {
    let name = name.strip_prefix("the ").unwrap_or(name);
    let Some(dir) = name
        .strip_suffix(" Side")
        .or_else(|| name.strip_suffix(" side"))
    else {
        return false;
    };
    matches!(
        dir,
        "North" | "South" | "East" | "West" | "Northwest" | "Northeast" | "Southwest" | "Southeast"
    )
}

/// Words that a name of an institution, event or area is made of and that are no place of their
/// own, though some village or alias bears them ("Area" of "Guma Local Government Area",
/// "Summit" of "Summit of the Americas", "Commerce" of "Chambers of Commerce").
fn generic_part(w: &str) -> bool {
    STOP.contains(lowercase(w).as_ref())
        || natural(w).is_some()
        || natural_before(w).is_some()
        || facility(w).is_some()
        || spot_noun(w).is_some()
        || INSTITUTIONS.contains(&w)
        || matches!(
            w,
            "Area"
                | "Areas"
                | "Local"
                | "Government"
                | "Summit"
                | "Conservation"
                | "Protection"
                | "Environmental"
                | "Chamber"
                | "Chambers"
                | "Commission"
                | "Council"
                | "Agency"
                | "Authority"
                | "Trust"
                | "Services"
                | "Festival"
                | "Show"
                | "Club"
                | "Embassy"
                | "Consulate"
                | "Bend"
                | "Corner"
        )
}

/// Last words of the names of institutions that are usually named after their town, division or
/// country ("Arizona State University", "Reserve Bank").
const INSTITUTIONS: &[&str] = &["University", "College", "Institute", "Academy", "Bank"];

/// The place after the last "of" of a name ("Bank of England" → England), when the gazetteer
/// knows it by that exact name or as a country's or continent's own name.
fn of_place(gaz: &Gazetteer, name: &str) -> Option<Vec<Cand>> {
    let (head, tail) = name.rsplit_once(" of ")?;
    let tail = tail.strip_prefix("the ").unwrap_or(tail);
    if head.is_empty()
        || !tail.chars().next().is_some_and(char::is_uppercase)
        || (!tail.contains(' ') && generic_part(tail))
    {
        return None;
    }
    let cands: Vec<Cand> = gaz
        .lookup_key(&name_key(tail))
        .iter()
        .map(|c| Cand {
            entry: c.1,
            flags: c.2,
        })
        .collect();
    (!cands.is_empty()).then_some(cands)
}

/// How strongly a part of a name reads as a place: divisions and countries first, then the
/// population of its most populous candidate.
fn part_rank(gaz: &Gazetteer, cands: &[Cand]) -> (bool, u64) {
    cands
        .iter()
        .map(|c| {
            let e = &gaz.entries[c.entry as usize];
            let big = matches!(
                gaz.level(e),
                Level::Continent | Level::Country | Level::Admin1
            );
            (big, e.population)
        })
        .max()
        .unwrap_or((false, 0))
}

/// The smallest town a single word inside a longer name is taken for.
const INNER_MIN_TOWN: u64 = 10_000;

/// The longest gazetteer name inside a multi-word name (a demonym only as its first word),
/// with its candidates; among names of one length, the one that most reads as a place
/// ("Mexico", not the hamlet "Bank", in "Bank of Mexico").
fn inner_place(gaz: &Gazetteer, name: &str) -> Option<Vec<Cand>> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 {
        return None;
    }
    for len in (1..words.len()).rev() {
        let mut best: Option<((bool, u64), Vec<Cand>)> = None;
        for start in 0..=words.len() - len {
            let part = &words[start..start + len];
            if !part[0].chars().next().is_some_and(char::is_uppercase)
                || !part[len - 1].chars().next().is_some_and(char::is_uppercase)
            {
                continue;
            }
            let text = part.join(" ");
            // A short all-capital form that names a place only as written ("US" of "US
            // Federal Reserve", "EU" of "EU Commission").
            if len == 1 && text.len() <= 3 && text.bytes().all(|b| b.is_ascii_uppercase()) {
                if let Some((_, entry)) = exact_at(gaz, &text, 0).filter(|x| x.0 == text.len()) {
                    let cands = vec![Cand {
                        entry,
                        flags: NAME_PRIMARY,
                    }];
                    let rank = part_rank(gaz, &cands);
                    if best.as_ref().is_none_or(|b| rank > b.0) {
                        best = Some((rank, cands));
                    }
                    continue;
                }
            }
            if len == 1 && generic_part(&text) {
                continue;
            }
            if let Some(idx) = gaz.demonym_index(&text) {
                if start == 0 {
                    return Some(vec![Cand {
                        entry: idx,
                        flags: NAME_LEXICON,
                    }]);
                }
                continue;
            }
            let cands: Vec<Cand> = gaz
                .lookup_key(&name_key(&text))
                .iter()
                .map(|c| Cand {
                    entry: c.1,
                    flags: c.2,
                })
                .collect();
            if !cands.is_empty() {
                let rank = part_rank(gaz, &cands);
                // A single word that names only villages is more likely a common word of the
                // name ("Rue" of a French street, "Quarter") than the place it is named after.
                if len == 1 && !rank.0 && rank.1 < INNER_MIN_TOWN {
                    continue;
                }
                if best.as_ref().is_none_or(|b| rank > b.0) {
                    best = Some((rank, cands));
                }
            }
        }
        if let Some((_, cands)) = best {
            return Some(cands);
        }
    }
    None
}

/// Words that end the name of a building, street or other spot inside a town, with the GeoNames
/// feature code of such a spot.
fn facility(w: &str) -> Option<&'static str> {
    Some(match w {
        "Street" | "St." | "Road" | "Avenue" | "Ave." | "Boulevard" | "Highway" | "Lane"
        | "Drive" => "RD",
        "Park" | "Zoo" => "PRK",
        "Church" | "Cathedral" => "CH",
        "Mosque" => "MSQE",
        "School" | "University" | "College" | "Campus" => "SCH",
        "Hospital" => "HSP",
        "Airport" => "AIRP",
        "Station" => "RSTN",
        "Stadium" => "STDM",
        "Market" | "Mall" => "MKT",
        "Palace" => "PAL",
        "Hotel" => "HTL",
        "Museum" => "MUS",
        "Plaza" => "SQR",
        "Library" | "Hall" | "Center" | "Centre" | "Building" | "Tower" | "Court" => "BLDG",
        _ => return None,
    })
}

/// A name key without its leading Arabic article ("al qamishli" → "qamishli").
fn strip_article(k: &str) -> &str {
    for p in [
        "al ", "el ", "as ", "ad ", "an ", "ar ", "at ", "az ", "ash ",
    ] {
        if let Some(r) = k.strip_prefix(p) {
            return r;
        }
    }
    k
}

/// Whether two name keys are spellings of one name: Levenshtein similarity of at least 0.6
/// after dropping Arabic articles ("samawa" / "as samawah") and the words both begin with (so
/// that "faubourg marigny" is not "faubourg blanchot").
pub(crate) fn similar(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (strip_article(a), strip_article(b));
    while let (Some((wa, ra)), Some((wb, rb))) = (a.split_once(' '), b.split_once(' ')) {
        if wa != wb {
            break;
        }
        (a, b) = (ra, rb);
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let n = a.len().max(b.len());
    if n == 0 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    1.0 - prev[b.len()] as f64 / n as f64 >= 0.6
}
