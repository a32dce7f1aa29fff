//! Places: find the places an article names and resolve each against an embedded GeoNames
//! gazetteer, producing the record's `places` (geonameid, coordinates, country, admin1, feature
//! code, precision and every mention).
//!
//! [`Gazetteer`] holds the places (embedded, or read from a GeoNames dump with
//! [`Gazetteer::from_geonames`]); recognition finds names with case rules and article cues
//! ("in X", "X, Iraq", "the X district", "X Square"), never inside a person's or organisation's
//! name and never a demonym; resolution ranks candidates by population and feature class, the
//! article's countries and dateline, admin1 divisions named elsewhere and distance to places
//! already chosen. Places below the gazetteer's grain ("Jadriya district", "Tahrir Square") keep
//! their own name and take the coordinates of the article's main town (the town its other places
//! agree on) with precision 2; an institution named after a place ("Bank of Japan") takes that
//! place's point. Seas, regions and rivers come from a hand-written list; they carry a GeoNames
//! id only where the list gives the id of the same feature in GeoNames.
//! [`resolve_toponyms`] resolves given spans (evaluation against gold toponyms).

mod gazetteer;
mod recognize;
mod resolve;

pub use gazetteer::{level_of, name_key, variant_key, Gazetteer, GeoEntry, Level};
pub use resolve::{distance_km, GeoContext, Resolution};

use crate::model::{Block, Dateline, Entity, EntityKind, Place, Sentence, Span};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The embedded gazetteer, loaded once per process on first use.
pub fn embedded() -> &'static Gazetteer {
    static GAZ: OnceLock<Gazetteer> = OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::embedded().expect("the embedded gazetteer is valid"))
}

/// The context an article's entities give: the countries it names, with mention counts.
fn context_from_entities(gaz: &Gazetteer, entities: &[Entity]) -> GeoContext {
    let mut countries: Vec<(String, usize)> = Vec::new();
    for e in entities {
        let code = match e.kind {
            EntityKind::Country => gaz.iso2(&e.key).map(str::to_string),
            _ => e
                .actor
                .as_ref()
                .and_then(|a| gaz.iso2(&a.country))
                .map(str::to_string),
        };
        let Some(code) = code else { continue };
        // People and organisations count for their country, less than the country's own name.
        let n = if e.kind == EntityKind::Country {
            e.mentions.len()
        } else {
            0
        };
        match countries.iter_mut().find(|(c, _)| *c == code) {
            Some(x) => x.1 += n,
            None => countries.push((code, n)),
        }
    }
    GeoContext { countries }
}

/// Find and resolve the places of an article. Ids are "p1", "p2", ... in order of first mention;
/// mentions are byte spans into `text`.
pub fn find_places(
    gaz: &Gazetteer,
    text: &str,
    sentences: &[Sentence],
    sentence_tokens: &[Vec<crate::tokens::Token>],
    blocks: &[Block],
    entities: &[Entity],
    dateline: Option<&Dateline>,
) -> Vec<Place> {
    let mentions = recognize::recognize(
        gaz,
        text,
        sentences,
        sentence_tokens,
        blocks,
        entities,
        dateline,
    );
    let ctx = context_from_entities(gaz, entities);
    let resolved = resolve::resolve(gaz, &mentions, &ctx);
    assemble(text, &mentions, &resolved)
}

/// Join resolved mentions into places: one place per geonameid (or per name for places below the
/// grain and unresolved names), in order of first mention.
fn assemble(
    text: &str,
    mentions: &[resolve::Mention],
    resolved: &[Option<Resolution>],
) -> Vec<Place> {
    let mut places: Vec<Place> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (m, r) in mentions.iter().zip(resolved) {
        let key = match r {
            Some(Resolution {
                geonameid: Some(id),
                ..
            }) => format!("id:{id}"),
            _ => format!("name:{}", name_key(&m.name)),
        };
        let i = *index.entry(key).or_insert_with(|| {
            places.push(match r {
                Some(r) => Place {
                    id: String::new(),
                    name: m.name.clone(),
                    geonameid: r.geonameid,
                    country: r.country.clone(),
                    admin1: r.admin1.clone(),
                    lat: Some(round5(r.lat)),
                    lon: Some(round5(r.lon)),
                    feature: r.feature.clone(),
                    mentions: Vec::new(),
                    precision: r.precision,
                },
                None => Place {
                    id: String::new(),
                    name: m.name.clone(),
                    geonameid: None,
                    country: None,
                    admin1: None,
                    lat: None,
                    lon: None,
                    feature: None,
                    mentions: Vec::new(),
                    precision: 3,
                },
            });
            places.len() - 1
        });
        let span = m.span;
        debug_assert!(text.is_char_boundary(span.0) && text.is_char_boundary(span.1));
        if !places[i].mentions.contains(&span) {
            places[i].mentions.push(span);
        }
    }
    for p in &mut places {
        p.mentions.sort();
    }
    places.sort_by_key(|p| p.mentions.first().copied().unwrap_or_default());
    for (i, p) in places.iter_mut().enumerate() {
        p.id = format!("p{}", i + 1);
    }
    places
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// Resolve given toponym spans (for evaluation against gold spans): one result per span, in the
/// order given. Every span is taken to name a place; its candidates come from its name, a
/// demonym ("Iraqi" → Iraq) or the transliteration variants; the spans resolve jointly, as the
/// mentions of one article do.
pub fn resolve_toponyms(
    gaz: &Gazetteer,
    text: &str,
    spans: &[Span],
    context: &GeoContext,
) -> Vec<Option<Resolution>> {
    let valid: Vec<Span> = spans
        .iter()
        .map(|s| {
            if s.0 <= s.1
                && s.1 <= text.len()
                && text.is_char_boundary(s.0)
                && text.is_char_boundary(s.1)
            {
                *s
            } else {
                Span(0, 0)
            }
        })
        .collect();
    let mentions = recognize::mentions_for_spans(gaz, text, &valid);
    let mut out = resolve::resolve(gaz, &mentions, context);
    for (i, s) in valid.iter().enumerate() {
        if s.is_empty() {
            out[i] = None;
        }
    }
    out
}
