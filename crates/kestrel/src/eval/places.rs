//! Place scoring shared by the event scorer: an event's place agrees with the gold place when it
//! names the same place or lies within 25 km of it.

use super::events::GoldEvent;
use super::{norm, Scores};
use crate::model::{Event, Record};
use serde_json::Value;

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let r = 6371.0088_f64;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * a.sqrt().asin()
}

/// The coordinates of a record's place by id.
fn coords(rec: &Record, id: &str) -> Option<(f64, f64)> {
    let p = rec.places.iter().find(|p| p.id == id)?;
    Some((p.lat?, p.lon?))
}

/// Score the place of a matched event pair.
pub fn score_event_place(s: &mut Scores, id: &str, g: &GoldEvent, p: &Event, rec: &Record) {
    let Some(gp) = &g.place else { return };
    let gname = gp.get("name").and_then(Value::as_str).unwrap_or("");
    let glat = gp.get("lat").and_then(Value::as_f64);
    let glon = gp.get("lon").and_then(Value::as_f64);
    let Some(pp) = &p.place else {
        s.fn_(
            "events.place",
            format!("{id}: {} gold {gname}", super::events::pair_name(g, p)),
        );
        return;
    };
    let same_name = norm(&pp.text) == norm(gname)
        || norm(gname).contains(&norm(&pp.text)) && !pp.text.is_empty();
    let near = match (
        pp.place.as_deref().and_then(|pid| coords(rec, pid)),
        glat,
        glon,
    ) {
        (Some((a, b)), Some(c), Some(d)) => haversine_km(a, b, c, d) <= 25.0,
        _ => false,
    };
    if same_name || near {
        s.tp("events.place");
    } else {
        s.fn_(
            "events.place",
            format!(
                "{id}: {} gold {gname} got {}",
                super::events::pair_name(g, p),
                pp.text
            ),
        );
        s.fp("events.place", format!("{id}: {}", pp.text));
    }
}
