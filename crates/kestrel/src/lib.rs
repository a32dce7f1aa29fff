//! Kestrel turns news articles into political event records (`kestrel/1`).
//!
//! The pipeline is a sequence of stages, each a module with one job that adds its layer to the
//! record: [`ingest`] reads articles, [`repair`] undoes text damage, [`segment`] finds blocks and
//! the dateline, [`sentences`] splits sentences; later stages find actors, quotes, events (with
//! [`statements`]: the acts a speaker does in its quoted words), dates and places. [`Pipeline`] holds the shared read-only resources and runs the stages in order.
//! [`eval`] scores records against gold annotations.

pub mod actors;
pub mod align;
pub mod counts;
pub mod driver;
pub mod eval;
pub mod events;
pub mod geo;
pub mod html;
pub mod ingest;
pub mod lexicon;
pub mod model;
pub mod output;
pub mod petrarch;
pub mod quotes;
pub mod repair;
pub mod resolve;
pub mod segment;
pub mod sentences;
pub mod statements;
pub mod time;
pub mod timex;
pub mod tokens;
pub mod triggers;
pub mod warc;

use lexicon::Lexicon;
use model::{Article, Provenance, Record, SCHEMA};
use std::sync::Arc;

/// The Kestrel version written into every record's provenance.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The pipeline and the resources it shares across articles and threads.
#[derive(Clone, Debug)]
pub struct Pipeline {
    provenance: Provenance,
    lexicon: Arc<Lexicon>,
    triggers: Arc<triggers::Triggers>,
    stances: Arc<statements::Stances>,
    /// A gazetteer read from GeoNames files (`--gazetteer`); None: the embedded one.
    gazetteer: Option<Arc<geo::Gazetteer>>,
}

impl Default for Pipeline {
    fn default() -> Self {
        Self::new()
    }
}

impl Pipeline {
    /// A pipeline with the embedded resources.
    pub fn new() -> Self {
        Self::with_lexicons(&[]).expect("the embedded resources are valid")
    }

    /// A pipeline with the embedded resources plus user dictionary directories (`--lexicon`).
    pub fn with_lexicons(dirs: &[std::path::PathBuf]) -> Result<Self, String> {
        for d in dirs {
            if !d.is_dir() {
                return Err(format!("{}: --lexicon must name a directory", d.display()));
            }
        }
        let dirs: Vec<&std::path::Path> = dirs.iter().map(|d| d.as_path()).collect();
        let lexicon = Lexicon::load(&dirs)?;
        let triggers = triggers::Triggers::load(&dirs)?;
        let stances = statements::Stances::load(&dirs)?;
        let mut hash_input = lexicon.hash.clone().into_bytes();
        hash_input.extend_from_slice(&triggers.hash_input);
        hash_input.extend_from_slice(&stances.hash_input);
        Ok(Pipeline {
            provenance: Provenance {
                kestrel: VERSION.to_string(),
                lexicon: ingest::sha256_hex(&hash_input)[..16].to_string(),
            },
            lexicon: Arc::new(lexicon),
            triggers: Arc::new(triggers),
            stances: Arc::new(stances),
            gazetteer: None,
        })
    }

    /// Resolve places with this gazetteer instead of the embedded one (e.g. one built from a
    /// full GeoNames dump by [`geo::Gazetteer::from_geonames`]).
    pub fn with_gazetteer(mut self, gazetteer: geo::Gazetteer) -> Self {
        self.gazetteer = Some(Arc::new(gazetteer));
        self
    }

    /// The gazetteer places are resolved with.
    pub fn gazetteer(&self) -> &geo::Gazetteer {
        match &self.gazetteer {
            Some(g) => g,
            None => geo::embedded(),
        }
    }

    /// The dictionaries in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Run every stage on one article and return its record.
    pub fn process(&self, article: Article) -> Record {
        let repaired = repair::repair(&article.text);
        let mut repairs = repaired.repairs;
        // Decoding repairs (non-UTF-8 input) point into the decoded text; map them to clean spans.
        for mut r in article.decode_repairs {
            r.span = repaired.alignment.to_out(r.span);
            repairs.push(r);
        }
        repairs.sort_by_key(|r| (r.span.0, r.span.1));
        let text = repaired.text;
        let layout = segment::layout(&text);
        let sentences = sentences::split_sentences(&text, &layout.blocks);
        let (published, published_from) =
            match (&article.published, &layout.date_line, &layout.dateline) {
                (Some(p), _, _) => (Some(p.clone()), Some("input")),
                (None, Some(d), _) => (Some(d.clone()), Some("date_line")),
                (None, None, Some(dl)) if dl.date.is_some() => (dl.date.clone(), Some("dateline")),
                _ => (None, None),
            };
        let sentence_tokens = tokens::tokenize_sentences(&text, &sentences);
        let entities = actors::Actors { lex: &self.lexicon }.extract(
            &text,
            &layout.blocks,
            &sentences,
            &sentence_tokens,
            published.as_deref(),
            layout.dateline.as_ref().map(|d| d.text.as_str()),
        );
        let mut places = geo::find_places(
            self.gazetteer(),
            &text,
            &sentences,
            &sentence_tokens,
            &layout.blocks,
            &entities,
            layout.dateline.as_ref(),
        );
        let entities = drop_place_persons(&text, entities, &places);
        let mut quotes = quotes::Quotes::extract(
            &text,
            &layout.blocks,
            &sentences,
            &sentence_tokens,
            &entities,
        );
        let mut events = events::Events {
            triggers: &self.triggers,
            lexicon: &self.lexicon,
        }
        .extract(
            &text,
            &layout.blocks,
            &sentences,
            &sentence_tokens,
            &entities,
        );
        let published_date = published
            .as_deref()
            .and_then(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
        let facts =
            resolve::SentenceFacts::new(&text, &sentences, &sentence_tokens, published_date);
        self.stances
            .add_events(&text, &sentences, &facts, &entities, &quotes, &mut events);
        resolve::resolve_events(&text, &sentences, &facts, &mut events, published.as_deref());
        let entities = drop_background(&self.lexicon, &text, entities, &mut events, &mut quotes);
        let mut dateline = layout.dateline;
        if let Some(d) = dateline.as_mut() {
            d.place = places
                .iter()
                .find(|p| p.mentions.iter().any(|m| m.overlaps(d.span)))
                .map(|p| p.id.clone());
        }
        resolve::assign_places(
            &text,
            &sentences,
            &layout.blocks,
            &mut events,
            &mut places,
            dateline.as_ref().and_then(|d| d.place.as_deref()),
            self.gazetteer(),
        );
        Record {
            schema: SCHEMA.to_string(),
            id: article.id,
            hash: article.hash,
            provenance: self.provenance.clone(),
            url: article.url,
            source: article.source,
            title: article.title,
            published,
            published_from: published_from.map(str::to_string),
            dateline,
            text,
            repairs,
            blocks: layout.blocks,
            sentences,
            entities,
            places,
            events,
            quotes,
            meta: article.meta,
        }
    }
}

/// A "person" the name finder made of a place's name ("New Jersey", "Maidan Shahr"), with nothing
/// that marks a person (no dictionary entry, no description, no actor code), whose every mention
/// the places stage found as a place (or that stands where a place does: "at X", "Ghazni and
/// X"), is the place: it is dropped from the actors and the remaining entities are numbered
/// again.
fn drop_place_persons(
    text: &str,
    mut entities: Vec<model::Entity>,
    places: &[model::Place],
) -> Vec<model::Entity> {
    let found = |sp: &model::Span| places.iter().any(|p| p.mentions.contains(sp));
    // A place's mention, or a name joined to one by "and" ("entered Ghazni and Sar Hawza"; a
    // comma may open an apposition: "the Archbishop of Gdansk, Jan Nowak") or written where a
    // place stands ("a camp at Sar Hawza").
    let is_place = |sp: &model::Span| {
        found(sp)
            || actors::written_as_place(text, *sp)
            || text[..sp.0]
                .trim_end()
                .strip_suffix(" and")
                .is_some_and(|b| {
                    let end = b.trim_end().len();
                    places.iter().any(|p| p.mentions.iter().any(|m| m.1 == end))
                })
    };
    let before = entities.len();
    entities.retain(|e| {
        !(e.kind == model::EntityKind::Person
            && e.actor.is_none()
            && e.descriptions.is_empty()
            && !e.mentions.is_empty()
            && e.mentions.iter().all(is_place))
    });
    if entities.len() != before {
        for (i, e) in entities.iter_mut().enumerate() {
            e.id = format!("e{}", i + 1);
        }
    }
    entities
}

/// Drop background entities ([`actors::is_background`]: "for children", "to journalists") that
/// no event or quote refers to, renumbering the rest and the references to them.
fn drop_background(
    lex: &Lexicon,
    text: &str,
    entities: Vec<model::Entity>,
    events: &mut [model::Event],
    quotes: &mut [model::Quote],
) -> Vec<model::Entity> {
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    for ev in events.iter() {
        for side in [&ev.source, &ev.target].into_iter().flatten() {
            used.extend(side.entity.iter().cloned());
            used.extend(side.members.iter().filter_map(|m| m.entity.clone()));
        }
    }
    // A speaker keeps its entity; a listener does not ("told reporters": the reporters are
    // background unless an event involves them), and loses the link when the entity goes.
    for q in quotes.iter() {
        if let Some(sp) = q.speaker.as_ref() {
            used.extend(sp.entity.iter().cloned());
        }
    }
    let keep: Vec<bool> = entities
        .iter()
        .map(|e| used.contains(&e.id) || !actors::is_background(lex, text, e))
        .collect();
    if keep.iter().all(|&k| k) {
        return entities;
    }
    let mut renamed: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    // The new ids of the entities kept (a listener naming a dropped one loses its link).
    let mut kept: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(entities.len());
    for (mut e, k) in entities.into_iter().zip(keep) {
        if k {
            let id = format!("e{}", out.len() + 1);
            kept.insert(id.clone());
            renamed.insert(std::mem::replace(&mut e.id, id.clone()), id);
            out.push(e);
        }
    }
    let remap = |id: &mut Option<String>| {
        if let Some(i) = id.as_mut() {
            if let Some(n) = renamed.get(i.as_str()) {
                *i = n.clone();
            }
        }
    };
    for ev in events.iter_mut() {
        for side in [ev.source.as_mut(), ev.target.as_mut()]
            .into_iter()
            .flatten()
        {
            remap(&mut side.entity);
            for m in side.members.iter_mut() {
                remap(&mut m.entity);
            }
        }
    }
    for q in quotes.iter_mut() {
        for sp in [q.speaker.as_mut(), q.listener.as_mut()]
            .into_iter()
            .flatten()
        {
            remap(&mut sp.entity);
        }
        if let Some(l) = q.listener.as_mut() {
            if l.entity.as_ref().is_some_and(|id| !kept.contains(id)) {
                l.entity = None;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Entity, EntityKind, Place, Span};

    #[test]
    fn background_groups_are_dropped_unless_an_event_needs_them() {
        let rec = Pipeline::new().process(model::Article {
            id: "t".into(),
            text: "The charity raised money for children in the capital, the minister said \
                   to journalists. Soldiers fired on protesters in the square."
                .into(),
            published: Some("2024-03-08".into()),
            ..Default::default()
        });
        let names: Vec<&str> = rec.entities.iter().map(|e| e.name.as_str()).collect();
        assert!(!names.contains(&"children"), "{names:?}");
        assert!(!names.contains(&"journalists"), "{names:?}");
        // Every id an event refers to is still there.
        for ev in &rec.events {
            for side in [&ev.source, &ev.target].into_iter().flatten() {
                if let Some(id) = &side.entity {
                    assert!(rec.entities.iter().any(|e| &e.id == id), "{id}");
                }
            }
        }
        for (i, e) in rec.entities.iter().enumerate() {
            assert_eq!(e.id, format!("e{}", i + 1));
        }
    }

    #[test]
    fn countries_named_only_as_possessors_or_examples_are_background() {
        let rec = Pipeline::new().process(model::Article {
            id: "t".into(),
            text: "Chile's foreign minister met the envoy on Monday. The carrier still flies to \
                   destinations including Peru, Bolivia and Ecuador, and ships grain to Cuba. \
                   Argentina sanctioned the carrier on Tuesday, and Brazil-based lawyers and \
                   Brazil diplomats protested."
                .into(),
            published: Some("2024-03-08".into()),
            ..Default::default()
        });
        let names: Vec<&str> = rec.entities.iter().map(|e| e.name.as_str()).collect();
        for gone in ["Chile", "Peru", "Bolivia", "Ecuador", "Cuba", "Brazil"] {
            assert!(!names.contains(&gone), "{gone}: {names:?}");
        }
        assert!(names.contains(&"Argentina"), "{names:?}");
    }

    #[test]
    fn a_group_named_once_by_common_nouns_alone_is_background() {
        let rec = Pipeline::new().process(model::Article {
            id: "t".into(),
            text: "Chile's senate passed the budget on Monday. The total population of the \
                   region is about a million, and world leaders are watching the vote."
                .into(),
            published: Some("2024-03-08".into()),
            ..Default::default()
        });
        let names: Vec<&str> = rec.entities.iter().map(|e| e.name.as_str()).collect();
        assert!(!names.contains(&"population"), "{names:?}");
        assert!(names.contains(&"world leaders"), "{names:?}");
    }

    #[test]
    fn the_reporters_a_speaker_told_are_background() {
        let rec = Pipeline::new().process(model::Article {
            id: "t".into(),
            text: "Mayor Ana Ruiz told reporters: \"The bridge will reopen on Monday.\"".into(),
            published: Some("2024-03-08".into()),
            ..Default::default()
        });
        let names: Vec<&str> = rec.entities.iter().map(|e| e.name.as_str()).collect();
        assert!(!names.contains(&"reporters"), "{names:?}");
        assert!(names.contains(&"Ana Ruiz"), "{names:?}");
        for q in &rec.quotes {
            for sp in [&q.speaker, &q.listener].into_iter().flatten() {
                if let Some(id) = &sp.entity {
                    assert!(rec.entities.iter().any(|e| &e.id == id), "{id}");
                }
            }
        }
    }

    fn person(id: &str, name: &str, mentions: Vec<Span>, described: bool) -> Entity {
        Entity {
            id: id.into(),
            key: name.to_lowercase(),
            name: name.into(),
            kind: EntityKind::Person,
            actor: None,
            descriptions: if described {
                vec!["the mayor".into()]
            } else {
                Vec::new()
            },
            mentions,
        }
    }

    #[test]
    fn a_name_joined_to_a_place_or_written_as_one_is_no_person() {
        let rec = Pipeline::new().process(model::Article {
            id: "t".into(),
            text: "KABUL, Afghanistan - Taliban fighters entered Ghazni and Sar Hawza on \
                   Monday, and later attacked a camp at Sar Hawza."
                .into(),
            published: Some("2024-03-08".into()),
            ..Default::default()
        });
        let names: Vec<&str> = rec.entities.iter().map(|e| e.name.as_str()).collect();
        assert!(!names.contains(&"Sar Hawza"), "{names:?}");
    }

    #[test]
    fn uncued_persons_that_are_places_are_dropped_and_ids_renumbered() {
        let place = Place {
            id: "p1".into(),
            name: "Port Halden".into(),
            geonameid: Some(1),
            country: Some("KE".into()),
            admin1: None,
            lat: Some(0.0),
            lon: Some(0.0),
            feature: Some("PPL".into()),
            mentions: vec![Span(10, 21), Span(40, 51)],
            precision: 1,
        };
        let entities = vec![
            person("e1", "Port Halden", vec![Span(10, 21), Span(40, 51)], false),
            person("e2", "Ana Ruiz", vec![Span(60, 68)], false),
            // Described as a person, or named once outside a place mention: kept.
            person("e3", "Port Halden", vec![Span(10, 21)], true),
            person("e4", "Port Halden", vec![Span(10, 21), Span(70, 81)], false),
        ];
        let kept = drop_place_persons(&" ".repeat(100), entities, &[place]);
        let names: Vec<(&str, &str)> = kept
            .iter()
            .map(|e| (e.id.as_str(), e.name.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("e1", "Ana Ruiz"),
                ("e2", "Port Halden"),
                ("e3", "Port Halden")
            ]
        );
    }
}
