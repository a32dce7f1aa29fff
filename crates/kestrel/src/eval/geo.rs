//! Geoparsing evaluation on the public toponym sets: LGL (Lieberman et al.), GeoWebNews (Gritta
//! et al.) and GeoVirus (Gritta et al.), each in its own XML format.
//!
//! Two scores per file: resolution given the gold toponym spans (accuracy within 161 km, and exact
//! GeoNames id where the gold has one; a right id counts as within 161 km, since the gold
//! coordinates are that id's), and end to end (the places [`crate::geo::find_places`] finds after
//! layout, sentences and actors, matched to gold spans by overlap: recognition P/R/F1, and P/R/F1
//! counting a match only when it also lies within 161 km). Gold spans without coordinates
//! (GeoWebNews' non-toponyms, demonyms, expressions) are neither counted nor held against the
//! system. Offsets in the files are character offsets; they are turned into byte offsets, and a
//! span whose text differs from the gold name (GeoVirus is off by one in places) is moved to the
//! nearest occurrence of the name.

use super::Counts;
use crate::geo::{distance_km, find_places, resolve_toponyms, Gazetteer, GeoContext};
use crate::model::Span;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// Kilometres within which a resolution counts as right.
pub const KM: f64 = 161.0;

/// One gold toponym.
#[derive(Clone, Debug)]
pub struct GoldToponym {
    pub span: Span,
    pub name: String,
    /// None for spans the set marks as not locational (kept only to excuse predictions there).
    pub coords: Option<(f64, f64)>,
    pub geonameid: Option<u64>,
    /// GeoWebNews' type of the toponym ("Literal", "Metonymic", "Non_Literal_Modifier", ...).
    pub kind: Option<String>,
}

/// One gold article.
#[derive(Clone, Debug)]
pub struct GoldGeoArticle {
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
}

/// The scores of one file.
#[derive(Clone, Debug, Default)]
pub struct GeoScores {
    pub file: String,
    /// "LGL", "GeoWebNews" or "GeoVirus".
    pub dataset: String,
    pub articles: usize,
    /// Gold toponyms with coordinates.
    pub toponyms: usize,
    /// Of those, resolved within 161 km given the gold span.
    pub within: usize,
    /// Gold toponyms with a GeoNames id, how many got exactly that id, and how many were
    /// resolved within 161 km (the figure comparable to published ones on GeoNames-linked gold).
    pub with_id: usize,
    pub exact_id: usize,
    pub within_id: usize,
    /// Given-span resolutions that returned nothing.
    pub unresolved: usize,
    /// Mean error in km over resolved toponyms.
    pub mean_km: f64,
    /// Seconds spent resolving the given spans (resolution only).
    pub resolve_seconds: f64,
    /// Recognition by span overlap.
    pub recognition: Counts,
    /// Recognition and resolution within 161 km.
    pub end_to_end: Counts,
    /// Examples of wrong resolutions.
    pub misses: Vec<String>,
    /// Examples of recognition errors: "- name" missed, "+ name" spurious.
    pub recognition_misses: Vec<String>,
    /// Recognition recall by the gold's toponym type (GeoWebNews): type → (found, gold).
    pub recall_by_kind: std::collections::BTreeMap<String, (usize, usize)>,
}

impl GeoScores {
    pub fn accuracy(&self) -> f64 {
        ratio(self.within, self.toponyms)
    }
    pub fn exact_accuracy(&self) -> f64 {
        ratio(self.exact_id, self.with_id)
    }
    /// Accuracy within 161 km over the gold toponyms that have a GeoNames id.
    pub fn accuracy_with_id(&self) -> f64 {
        ratio(self.within_id, self.with_id)
    }
    /// Toponyms resolved per second (one thread).
    pub fn toponyms_per_second(&self) -> f64 {
        if self.resolve_seconds > 0.0 {
            self.toponyms as f64 / self.resolve_seconds
        } else {
            0.0
        }
    }

    /// A readable table, with up to `max_misses` wrong resolutions.
    pub fn render(&self, max_misses: usize) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} ({}): {} articles, {} gold toponyms with coordinates",
            self.dataset, self.file, self.articles, self.toponyms
        );
        let _ = writeln!(
            s,
            "  resolution (gold spans)   acc@161km {:.3} ({}/{})   unresolved {}   mean error {:.0} km",
            self.accuracy(),
            self.within,
            self.toponyms,
            self.unresolved,
            self.mean_km
        );
        let _ = writeln!(
            s,
            "  gold with GeoNames id     acc@161km {:.3} ({}/{})   exact id {:.3} ({}/{})",
            self.accuracy_with_id(),
            self.within_id,
            self.with_id,
            self.exact_accuracy(),
            self.exact_id,
            self.with_id
        );
        let _ = writeln!(
            s,
            "  speed                     {:.0} toponyms/s (one thread)",
            self.toponyms_per_second()
        );
        for (name, c) in [
            ("recognition", self.recognition),
            ("end to end (161 km)", self.end_to_end),
        ] {
            let _ = writeln!(
                s,
                "  {:<25} P {:.3}  R {:.3}  F1 {:.3}  (tp {} fp {} fn {})",
                name,
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            );
        }
        if !self.recall_by_kind.is_empty() {
            let _ = write!(s, "  recognition recall by type");
            for (k, (found, n)) in &self.recall_by_kind {
                let _ = write!(s, "  {k} {:.2} ({found}/{n})", ratio(*found, *n));
            }
            let _ = writeln!(s);
        }
        if max_misses > 0 && !self.misses.is_empty() {
            let _ = writeln!(s, "  wrong resolutions:");
            for m in self.misses.iter().take(max_misses) {
                let _ = writeln!(s, "    {m}");
            }
            if self.misses.len() > max_misses {
                let _ = writeln!(s, "    ... {} more", self.misses.len() - max_misses);
            }
        }
        if max_misses > 0 && !self.recognition_misses.is_empty() {
            let _ = writeln!(s, "  recognition errors (- missed, + spurious):");
            for m in self.recognition_misses.iter().take(max_misses) {
                let _ = writeln!(s, "    {m}");
            }
            if self.recognition_misses.len() > max_misses {
                let n = self.recognition_misses.len() - max_misses;
                let _ = writeln!(s, "    ... {n} more");
            }
        }
        s
    }

    /// The figures as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let c = |c: Counts| {
            serde_json::json!({"tp": c.tp, "fp": c.fp, "fn": c.fn_, "precision": c.precision(),
                "recall": c.recall(), "f1": c.f1()})
        };
        serde_json::json!({
            "dataset": self.dataset, "file": self.file, "articles": self.articles,
            "toponyms": self.toponyms, "accuracy_161km": self.accuracy(),
            "exact_id": {"correct": self.exact_id, "total": self.with_id, "accuracy": self.exact_accuracy()},
            "accuracy_161km_with_id": self.accuracy_with_id(),
            "unresolved": self.unresolved, "mean_km": self.mean_km,
            "toponyms_per_second": self.toponyms_per_second(),
            "recognition": c(self.recognition), "end_to_end": c(self.end_to_end),
        })
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name(name))
}

fn child_text(n: roxmltree::Node, name: &str) -> Option<String> {
    child(n, name).map(|c| c.children().filter_map(|t| t.text()).collect::<String>())
}

fn num<T: std::str::FromStr>(n: roxmltree::Node, name: &str) -> Option<T> {
    child_text(n, name).and_then(|s| s.trim().parse().ok())
}

/// Read one of the three XML formats.
pub fn load(path: &Path) -> Result<(String, Vec<GoldGeoArticle>), String> {
    let xml = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc = roxmltree::Document::parse(&xml)
        .map_err(|e| format!("{}: not well-formed XML: {e}", path.display()))?;
    let root = doc.root_element();
    let mut dataset = None;
    let mut out = Vec::new();
    for (ai, art) in root
        .children()
        .filter(|n| n.has_tag_name("article"))
        .enumerate()
    {
        let text = child_text(art, "text")
            .ok_or_else(|| format!("{}: article {} has no <text>", path.display(), ai + 1))?;
        // Character offset → byte offset.
        let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        starts.push(text.len());
        let mut toponyms = Vec::new();
        let mut push = |name: String,
                        start: Option<usize>,
                        end: Option<usize>,
                        coords: Option<(f64, f64)>,
                        geonameid: Option<u64>,
                        kind: Option<String>|
         -> Result<(), String> {
            let (Some(st), Some(en)) = (start, end) else {
                // A toponym without offsets cannot be scored (GeoWebNews has a few).
                return Ok(());
            };
            let Some(span) = align(&text, &starts, st, en, &name) else {
                return Ok(()); // offsets outside the text: skip, it cannot be scored
            };
            toponyms.push(GoldToponym {
                span,
                name,
                coords,
                geonameid,
                kind,
            });
            Ok(())
        };
        if let Some(tops) = child(art, "toponyms") {
            for t in tops.children().filter(|n| n.has_tag_name("toponym")) {
                if let Some(gaz) = child(t, "gaztag") {
                    dataset.get_or_insert("LGL");
                    let coords = num::<f64>(gaz, "lat").zip(num::<f64>(gaz, "lon"));
                    let id = gaz.attribute("geonameid").and_then(|s| s.parse().ok());
                    push(
                        child_text(t, "phrase").unwrap_or_default(),
                        num(t, "start"),
                        num(t, "end"),
                        coords,
                        id,
                        None,
                    )?;
                } else if child(t, "extractedName").is_some() {
                    dataset.get_or_insert("GeoWebNews");
                    let coords = num::<f64>(t, "latitude").zip(num::<f64>(t, "longitude"));
                    let id = num::<u64>(t, "geonamesID");
                    push(
                        child_text(t, "extractedName").unwrap_or_default(),
                        num(t, "start"),
                        num(t, "end"),
                        coords,
                        id,
                        child_text(t, "type"),
                    )?;
                } else {
                    // LGL toponym without a gazetteer tag: not scorable, excuses predictions.
                    push(
                        child_text(t, "phrase").unwrap_or_default(),
                        num(t, "start"),
                        num(t, "end"),
                        None,
                        None,
                        None,
                    )?;
                }
            }
        }
        if let Some(locs) = child(art, "locations") {
            dataset.get_or_insert("GeoVirus");
            for l in locs.children().filter(|n| n.has_tag_name("location")) {
                let coords = num::<f64>(l, "lat").zip(num::<f64>(l, "lon"));
                push(
                    child_text(l, "name").unwrap_or_default(),
                    num(l, "start"),
                    num(l, "end"),
                    coords,
                    None,
                    None,
                )?;
            }
        }
        out.push(GoldGeoArticle { text, toponyms });
    }
    let dataset = dataset.ok_or_else(|| {
        format!(
            "{}: no LGL, GeoWebNews or GeoVirus toponyms found (root <{}>)",
            path.display(),
            root.tag_name().name()
        )
    })?;
    Ok((dataset.to_string(), out))
}

/// The byte span of a gold toponym, moved to the nearest occurrence of its name when the offsets
/// do not cover it.
fn align(text: &str, starts: &[usize], st: usize, en: usize, name: &str) -> Option<Span> {
    if st > en || en >= starts.len() {
        return None;
    }
    let span = Span(starts[st], starts[en]);
    if span.slice(text) == name || name.is_empty() {
        return Some(span);
    }
    let lo = starts[st.saturating_sub(12)];
    let hi = starts[(en + 12).min(starts.len() - 1)];
    let window = &text[lo..hi];
    let mut best: Option<Span> = None;
    let mut from = 0;
    while let Some(p) = window[from..].find(name) {
        let s = lo + from + p;
        let cand = Span(s, s + name.len());
        if best.is_none_or(|b| s.abs_diff(span.0) < b.0.abs_diff(span.0)) {
            best = Some(cand);
        }
        from += p + name.len().max(1);
    }
    Some(best.unwrap_or(span))
}

/// Score one XML file: resolution given the gold spans, and end to end.
pub fn evaluate_file(gaz: &Gazetteer, path: &Path) -> Result<GeoScores, String> {
    evaluate_with(gaz, path, true)
}

/// Score one XML file; `end_to_end` false scores resolution given the gold spans only.
pub fn evaluate_with(gaz: &Gazetteer, path: &Path, end_to_end: bool) -> Result<GeoScores, String> {
    let (dataset, articles) = load(path)?;
    let lexicon = crate::lexicon::Lexicon::embedded();
    gaz.prepare(); // one-time index building stays out of the speed figure
    let mut sc = GeoScores {
        file: path.display().to_string(),
        dataset,
        articles: articles.len(),
        ..GeoScores::default()
    };
    let mut km_sum = 0.0;
    let mut km_n = 0usize;
    for (ai, art) in articles.iter().enumerate() {
        let gold: Vec<&GoldToponym> = art.toponyms.iter().filter(|t| t.coords.is_some()).collect();
        let spans: Vec<Span> = gold.iter().map(|t| t.span).collect();
        let t0 = Instant::now();
        let res = resolve_toponyms(gaz, &art.text, &spans, &GeoContext::default());
        sc.resolve_seconds += t0.elapsed().as_secs_f64();
        for (g, r) in gold.iter().zip(&res) {
            let (glat, glon) = g.coords.expect("filtered");
            sc.toponyms += 1;
            if g.geonameid.is_some() {
                sc.with_id += 1;
            }
            let Some(r) = r else {
                sc.unresolved += 1;
                sc.misses.push(format!("[{ai}] {:?}: unresolved", g.name));
                continue;
            };
            let same_id = g.geonameid.is_some() && r.geonameid == g.geonameid;
            if same_id {
                sc.exact_id += 1;
            }
            let d = distance_km(glat, glon, r.lat, r.lon);
            km_sum += if same_id { 0.0 } else { d };
            km_n += 1;
            if same_id || d <= KM {
                sc.within += 1;
                if g.geonameid.is_some() {
                    sc.within_id += 1;
                }
            } else {
                sc.misses.push(format!(
                    "[{ai}] {:?}: got {} {} ({:?}, {:.2},{:.2}), gold {:?} ({:.2},{:.2}), {:.0} km off",
                    g.name,
                    r.name,
                    r.country.as_deref().unwrap_or("-"),
                    r.geonameid,
                    r.lat,
                    r.lon,
                    g.geonameid,
                    glat,
                    glon,
                    d
                ));
            }
        }
        if !end_to_end {
            continue;
        }
        // End to end.
        let text = &art.text;
        let layout = crate::segment::layout(text);
        let sentences = crate::sentences::split_sentences(text, &layout.blocks);
        let sentence_tokens = crate::tokens::tokenize_sentences(text, &sentences);
        let entities = crate::actors::Actors { lex: &lexicon }.extract(
            text,
            &layout.blocks,
            &sentences,
            &sentence_tokens,
            None,
            layout.dateline.as_ref().map(|d| d.text.as_str()),
        );
        let places = find_places(
            gaz,
            text,
            &sentences,
            &sentence_tokens,
            &layout.blocks,
            &entities,
            layout.dateline.as_ref(),
        );
        let mut preds: Vec<(Span, Option<(f64, f64)>)> = Vec::new();
        for p in &places {
            for m in &p.mentions {
                preds.push((*m, p.lat.zip(p.lon)));
            }
        }
        let mut used = vec![false; preds.len()];
        for g in &gold {
            let (glat, glon) = g.coords.expect("filtered");
            let hit = (0..preds.len()).find(|&i| !used[i] && preds[i].0.overlaps(g.span));
            if let Some(k) = &g.kind {
                let e = sc.recall_by_kind.entry(k.clone()).or_default();
                e.0 += usize::from(hit.is_some());
                e.1 += 1;
            }
            match hit {
                Some(i) => {
                    used[i] = true;
                    sc.recognition.tp += 1;
                    let near = preds[i]
                        .1
                        .is_some_and(|(a, b)| distance_km(a, b, glat, glon) <= KM);
                    if near {
                        sc.end_to_end.tp += 1;
                    } else {
                        sc.end_to_end.fp += 1;
                        sc.end_to_end.fn_ += 1;
                    }
                }
                None => {
                    sc.recognition.fn_ += 1;
                    sc.end_to_end.fn_ += 1;
                    sc.recognition_misses.push(match &g.kind {
                        Some(k) => format!("- {} ({k})", g.name),
                        None => format!("- {}", g.name),
                    });
                }
            }
        }
        for (i, (span, _)) in preds.iter().enumerate() {
            if used[i] {
                continue;
            }
            // A prediction on a gold span without coordinates is not held against the system.
            if art
                .toponyms
                .iter()
                .any(|t| t.coords.is_none() && t.span.overlaps(*span))
            {
                continue;
            }
            sc.recognition.fp += 1;
            sc.end_to_end.fp += 1;
            sc.recognition_misses
                .push(format!("+ {}", span.slice(&art.text)));
        }
    }
    sc.mean_km = if km_n > 0 { km_sum / km_n as f64 } else { 0.0 };
    Ok(sc)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A GeoWebNews-format file written for this test: one literal toponym, one modifier.
    const GWN: &str = r#"<?xml version="1.0" ?>
<articles>
  <article file="0">
    <title>Test</title>
    <link>http://example.org/a</link>
    <text>Flooding hit Lyon on Monday, and French officials said more rain was due.</text>
    <toponyms>
      <toponym><extractedName>Lyon</extractedName><normalizedName>Lyon</normalizedName>
        <start>13</start><end>17</end><type>Literal</type>
        <latitude>45.75</latitude><longitude>4.85</longitude><geonamesID>2996944</geonamesID></toponym>
      <toponym><extractedName>French</extractedName><normalizedName>France</normalizedName>
        <start>29</start><end>35</end><type>Non_Literal_Modifier</type>
        <latitude>46.0</latitude><longitude>2.0</longitude><geonamesID>3017382</geonamesID></toponym>
    </toponyms>
  </article>
</articles>"#;

    #[test]
    fn geowebnews_types_are_read_and_recall_is_told_by_type() {
        let dir = std::env::temp_dir().join(format!("kestrel-gwn-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("gwn.xml");
        std::fs::write(&path, GWN).unwrap();
        let (dataset, arts) = load(&path).unwrap();
        assert_eq!(dataset, "GeoWebNews");
        let kinds: Vec<_> = arts[0].toponyms.iter().map(|t| t.kind.as_deref()).collect();
        assert_eq!(kinds, [Some("Literal"), Some("Non_Literal_Modifier")]);
        let gaz = Gazetteer::embedded().unwrap();
        let sc = evaluate_with(&gaz, &path, true).unwrap();
        // The city is found; the adjective is not read as a place.
        assert_eq!(sc.recall_by_kind.get("Literal"), Some(&(1, 1)));
        assert_eq!(sc.recall_by_kind.get("Non_Literal_Modifier"), Some(&(0, 1)));
        assert!(sc.render(5).contains("recognition recall by type"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
