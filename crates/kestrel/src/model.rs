//! The document types every stage reads and enriches, and the `kestrel/1` output record.
//!
//! An [`Article`] is what ingest produces; a [`Record`] is what the pipeline emits. Stages add their
//! layer to the record in order (repairs, blocks, sentences, entities, places, events, quotes) and
//! never re-decide what an earlier stage decided. All spans are `[start, end)` byte offsets into the
//! record's cleaned `text`, on UTF-8 character boundaries.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The schema name written into every record.
pub const SCHEMA: &str = "kestrel/1";

/// A byte span `[start, end)` into the cleaned text, serialised as a two-element array.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub struct Span(pub usize, pub usize);

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span(start, end)
    }
    pub fn start(&self) -> usize {
        self.0
    }
    pub fn end(&self) -> usize {
        self.1
    }
    pub fn len(&self) -> usize {
        self.1 - self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0 == self.1
    }
    /// Whether `other` lies wholly inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.0 <= other.0 && other.1 <= self.1
    }
    /// Whether the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.0 < other.1 && other.0 < self.1
    }
    /// The text this span covers.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.0..self.1]
    }
}

/// One article as ingest reads it, before any processing.
#[derive(Clone, Debug, Default)]
pub struct Article {
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    /// Publication date `YYYY-MM-DD` when the input gives one.
    pub published: Option<String>,
    /// The raw article text (already decoded to UTF-8; see `decode_repairs`).
    pub text: String,
    /// SHA-256 of the raw input bytes, hex.
    pub hash: String,
    /// Unknown fields of a JSON Lines input, kept as they were.
    pub meta: Option<Map<String, Value>>,
    /// Repairs made while decoding bytes to text (e.g. Windows-1252 fallback), with spans in `text`.
    pub decode_repairs: Vec<Repair>,
}

/// What kind of damage a repair undid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairKind {
    /// An HTML character reference, named or numeric, possibly split by spaces (`& # 39;`).
    HtmlEntity,
    /// A character reference escaped twice (`&amp;#39;`).
    DoubleEscape,
    /// A bare entity tail whose `&` was lost (`unacceptable, quot;`).
    EntityTail,
    /// UTF-8 that was decoded as Windows-1252 or Latin-1 (`â€™`, `Ã©`).
    Mojibake,
    /// A C0 or C1 control character.
    ControlChar,
    /// A zero-width or otherwise invisible character.
    InvisibleChar,
    /// A non-breaking or other special space.
    Nbsp,
    /// A run of whitespace, a carriage return or a tab normalised.
    Whitespace,
    /// Input bytes that were not UTF-8, decoded as Windows-1252.
    DecodedCp1252,
}

impl RepairKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            RepairKind::HtmlEntity => "html_entity",
            RepairKind::DoubleEscape => "double_escape",
            RepairKind::EntityTail => "entity_tail",
            RepairKind::Mojibake => "mojibake",
            RepairKind::ControlChar => "control_char",
            RepairKind::InvisibleChar => "invisible_char",
            RepairKind::Nbsp => "nbsp",
            RepairKind::Whitespace => "whitespace",
            RepairKind::DecodedCp1252 => "decoded_cp1252",
        }
    }
}

/// One change the repair stage made: the cleaned `span` replaced the `raw` input text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    pub span: Span,
    pub raw: String,
    pub kind: RepairKind,
    /// Where `raw` stands in the raw input text (byte offsets).
    pub raw_span: Span,
}

/// The kind of a layout block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Body,
    Heading,
    Caption,
    Byline,
    Boilerplate,
}

impl BlockKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            BlockKind::Body => "body",
            BlockKind::Heading => "heading",
            BlockKind::Caption => "caption",
            BlockKind::Byline => "byline",
            BlockKind::Boilerplate => "boilerplate",
        }
    }
    pub fn parse(s: &str) -> Option<BlockKind> {
        Some(match s {
            "body" => BlockKind::Body,
            "heading" => BlockKind::Heading,
            "caption" => BlockKind::Caption,
            "byline" => BlockKind::Byline,
            "boilerplate" => BlockKind::Boilerplate,
            _ => return None,
        })
    }
}

/// A paragraph-level unit of the article with its role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub span: Span,
    pub kind: BlockKind,
}

/// A sentence, inside exactly one block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    pub block: usize,
}

/// The dateline that opens a story ("Baghdad, Iraq –").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dateline {
    /// The place as written ("Baghdad, Iraq").
    pub text: String,
    /// The id of the resolved place in `places`, when geocoded.
    pub place: Option<String>,
    /// Where the place text stands.
    pub span: Span,
    /// A date the dateline carries ("BAGHDAD, Jan. 24 (Reuters)"), `YYYY-MM-DD`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// A CAMEO-style actor code split into its parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The whole code ("IRQGOV").
    pub code: String,
    /// The country part ("IRQ", "IGO", "---").
    pub country: String,
    /// The role parts (["GOV"]).
    pub roles: Vec<String>,
}

impl Actor {
    /// Split a code into country and three-letter roles; None for an empty code.
    pub fn from_code(code: &str) -> Option<Actor> {
        if code.len() < 3 || !code.is_ascii() {
            return None;
        }
        let roles = code.as_bytes()[3..]
            .chunks(3)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        Some(Actor {
            code: code.to_string(),
            country: code[..3].to_string(),
            roles,
        })
    }
}

/// What kind of thing an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    Organization,
    Country,
    Location,
    Group,
}

impl EntityKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Country => "country",
            EntityKind::Location => "location",
            EntityKind::Group => "group",
        }
    }
}

/// A person, organisation, country or group, with every mention of it in the article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    /// Stable across articles: the dictionary key, else the normalised name and country.
    pub key: String,
    pub name: String,
    pub kind: EntityKind,
    pub actor: Option<Actor>,
    pub descriptions: Vec<String>,
    pub mentions: Vec<Span>,
}

/// A place the article names, resolved against the gazetteer where possible.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: String,
    /// The name as the article writes it ("Jadriya", "Tahrir Square").
    pub name: String,
    pub geonameid: Option<u64>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// GeoNames feature code (PPLC, PPLA, PPL, ADM1, PCLI, ...).
    pub feature: Option<String>,
    pub mentions: Vec<Span>,
    /// ACLED's sense: 1 the named town itself, 2 a part of it or a nearby town stands in (a
    /// district, a square), 3 only the region.
    pub precision: u8,
}

/// One side of an event: an actor (or several, in `members`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventSide {
    /// The entity id of the (first) actor, when it is a known entity.
    pub entity: Option<String>,
    /// The words naming the side as written.
    pub text: String,
    /// The actor code of the (first) actor.
    pub code: Option<String>,
    /// Every actor of a compound side ("Saleh and Trump"), each with its own code.
    pub members: Vec<SideMember>,
}

/// One actor of a compound event side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SideMember {
    pub entity: Option<String>,
    pub text: String,
    pub code: Option<String>,
}

/// ACLED's classification of an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Acled {
    pub event_type: String,
    pub sub_event_type: String,
}

/// When an event happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDate {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (the start for a range).
    pub value: String,
    /// `day`, `month`, `year` or `range`; `inferred` when only the published date was known.
    pub precision: String,
    /// The end of a range.
    pub end: Option<String>,
    /// The words it came from (null when inferred).
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// Where an event happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPlace {
    /// The id of the place in `places`.
    pub place: Option<String>,
    pub text: String,
}

/// A count as a range, with the words it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// The words that set off an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    pub text: String,
    pub span: Span,
}

/// One place in the text that tells an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub sentence: usize,
    pub trigger: Span,
}

/// An event: who did what to whom, with its classification in three taxonomies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    /// PLOVER 2.0 type.
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    pub context: Vec<String>,
    pub cameo: String,
    pub acled: Option<Acled>,
    pub source: Option<EventSide>,
    pub target: Option<EventSide>,
    pub date: Option<EventDate>,
    pub place: Option<EventPlace>,
    pub participants: Option<Count>,
    pub fatalities: Option<Count>,
    pub injuries: Option<Count>,
    pub arrests: Option<Count>,
    /// occurred, ongoing, planned, hypothetical, negated or reported_claim.
    pub status: String,
    pub trigger: Trigger,
    pub sentence: usize,
    pub evidence: Vec<Evidence>,
    pub confidence: f64,
}

/// Who a quotation is attributed to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Speaker {
    /// The speaker's entity id, so all quotes of one person are found through the entity.
    pub entity: Option<String>,
    /// The speaker's name as the entity has it (a pronoun resolved).
    pub text: String,
    /// A descriptor of the speaker in the cue ("the official").
    pub description: Option<String>,
}

/// The reporting verb that attributes a quotation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    pub text: String,
    pub span: Span,
}

/// A quotation: direct (in quotation marks), partial (a quoted fragment inside reported
/// speech) or indirect ("said that ..."), with its speaker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub id: String,
    /// `direct`, `partial` or `indirect`.
    pub kind: String,
    /// The quoted words, without the quotation marks.
    pub text: String,
    pub span: Span,
    pub speaker: Option<Speaker>,
    pub cue: Option<Cue>,
    /// Who was told ("told Al Jazeera"), when the cue names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listener: Option<Speaker>,
    /// The kind of block the quote stands in (`body`, `caption`, ...).
    pub block: BlockKind,
}

/// Which version of Kestrel and which resources made a record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub kestrel: String,
    /// Hash of the dictionaries and gazetteer in use.
    pub lexicon: String,
}

/// One `kestrel/1` record: an article and every layer the pipeline found in it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Record {
    pub schema: String,
    pub id: String,
    pub hash: String,
    pub provenance: Provenance,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    /// Where `published` came from: `input`, `date_line` or `dateline`; null when unknown.
    pub published_from: Option<String>,
    pub dateline: Option<Dateline>,
    pub text: String,
    pub repairs: Vec<Repair>,
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub entities: Vec<Entity>,
    pub places: Vec<Place>,
    pub events: Vec<Event>,
    pub quotes: Vec<Quote>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
}
