//! Alignment between a raw text and the cleaned text made from it.
//!
//! Every change the repair stage makes is an [`Edit`]: a range of the output that replaced a range of
//! the input. Text between edits is unchanged, so any output span can be mapped back to the input it
//! came from ([`Alignment::to_raw`]), and two successive rounds of changes compose into one alignment
//! ([`Alignment::compose`]). This is the one place offsets between raw and clean text are computed.

use crate::model::{RepairKind, Span};

/// One replaced region: `out` in the output text stands for `raw` in the input text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub out: Span,
    pub raw: Span,
    pub kind: RepairKind,
}

/// A sorted, non-overlapping list of edits from an input text to an output text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Alignment {
    pub edits: Vec<Edit>,
    pub raw_len: usize,
    pub out_len: usize,
}

/// Which side of an edit a position is measured on.
#[derive(Clone, Copy)]
enum Side {
    Out,
    Raw,
}

impl Edit {
    fn on(&self, side: Side) -> Span {
        match side {
            Side::Out => self.out,
            Side::Raw => self.raw,
        }
    }
    fn other(&self, side: Side) -> Span {
        match side {
            Side::Out => self.raw,
            Side::Raw => self.out,
        }
    }
}

impl Alignment {
    /// The identity alignment of a text of `len` bytes.
    pub fn identity(len: usize) -> Self {
        Alignment {
            edits: Vec::new(),
            raw_len: len,
            out_len: len,
        }
    }

    /// Map a position from `side` to the other side. A start inside an edit maps to the edit's
    /// start, an end inside an edit to the edit's end; elsewhere text is unchanged and shifted.
    fn map(&self, pos: usize, is_start: bool, side: Side) -> usize {
        let containing = |e: &Edit| {
            let s = e.on(side);
            !s.is_empty()
                && if is_start {
                    s.0 <= pos && pos < s.1
                } else {
                    s.0 < pos && pos <= s.1
                }
        };
        // Edits are sorted on both sides; the last one starting at or before pos is the candidate.
        let idx = self.edits.partition_point(|e| e.on(side).0 <= pos);
        for e in self.edits[..idx].iter().rev().take(3) {
            if containing(e) {
                let o = e.other(side);
                return if is_start { o.0 } else { o.1 };
            }
        }
        let before = self.edits[..idx].iter().rev().find(|e| e.on(side).1 <= pos);
        match before {
            Some(e) => e.other(side).1 + (pos - e.on(side).1),
            None => pos,
        }
    }

    /// The alignment from `self`'s input to `second`'s output, where `second` was applied to
    /// `self`'s output. Edits of the two rounds that overlap are merged; the earlier round's kind
    /// wins.
    pub fn compose(&self, second: &Alignment) -> Alignment {
        debug_assert_eq!(self.out_len, second.raw_len);
        // Intervals in the middle text: (start, end, round, index).
        let mut iv: Vec<(usize, usize, u8, usize)> = self
            .edits
            .iter()
            .enumerate()
            .map(|(i, e)| (e.out.0, e.out.1, 0u8, i))
            .chain(
                second
                    .edits
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.raw.0, e.raw.1, 1u8, i)),
            )
            .collect();
        iv.sort_by_key(|x| (x.0, x.1, x.2));
        let mut edits = Vec::new();
        let mut k = 0;
        while k < iv.len() {
            let (gs, mut ge) = (iv[k].0, iv[k].1);
            let mut members = vec![iv[k]];
            k += 1;
            while k < iv.len() {
                let (s, e, _, _) = iv[k];
                let joins = s < ge
                    || (s == ge && (s == e || members.iter().any(|m| m.0 == m.1 && m.0 == s)));
                if !joins {
                    break;
                }
                ge = ge.max(e);
                members.push(iv[k]);
                k += 1;
            }
            let mut raw = Span(
                self.map(gs, true, Side::Out),
                self.map(ge, false, Side::Out),
            );
            let mut out = Span(
                second.map(gs, true, Side::Raw),
                second.map(ge, false, Side::Raw),
            );
            let mut kind = None;
            for &(_, _, round, i) in &members {
                if round == 0 {
                    let e = &self.edits[i];
                    raw = Span(raw.0.min(e.raw.0), raw.1.max(e.raw.1));
                    kind = kind.or(Some(e.kind));
                } else {
                    let e = &second.edits[i];
                    out = Span(out.0.min(e.out.0), out.1.max(e.out.1));
                }
            }
            let kind = kind.unwrap_or_else(|| {
                members
                    .iter()
                    .find(|m| m.2 == 1)
                    .map(|m| second.edits[m.3].kind)
                    .expect("a group has a member")
            });
            edits.push(Edit { out, raw, kind });
        }
        Alignment {
            edits,
            raw_len: self.raw_len,
            out_len: second.out_len,
        }
    }

    /// The input span an output span came from. A boundary inside an edit widens to the whole edit.
    pub fn to_raw(&self, span: Span) -> Span {
        Span(
            self.map(span.0, true, Side::Out),
            self.map(span.1, false, Side::Out),
        )
    }

    /// The output span an input span became (inverse of [`Alignment::to_raw`]).
    pub fn to_out(&self, span: Span) -> Span {
        Span(
            self.map(span.0, true, Side::Raw),
            self.map(span.1, false, Side::Raw),
        )
    }

    /// Rebuild the input from the output and the input's edited pieces (a check of consistency).
    pub fn reconstruct(&self, out: &str, raw_pieces: &[String]) -> String {
        let mut s = String::with_capacity(self.raw_len);
        let mut o = 0;
        for (e, r) in self.edits.iter().zip(raw_pieces) {
            s.push_str(&out[o..e.out.0]);
            s.push_str(r);
            o = e.out.1;
        }
        s.push_str(&out[o..]);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(o: (usize, usize), r: (usize, usize)) -> Edit {
        Edit {
            out: Span(o.0, o.1),
            raw: Span(r.0, r.1),
            kind: RepairKind::Whitespace,
        }
    }

    #[test]
    fn compose_disjoint_edits_shifts_the_first_round() {
        // raw "a  b" -> mid "a b" (edit 1..3 -> 1..2); mid "a b&amp;" style second edit elsewhere.
        let first = Alignment {
            edits: vec![edit((1, 2), (1, 3))],
            raw_len: 6,
            out_len: 5,
        };
        // mid "a bXY" -> out "a bZ": replace 3..5 with 3..4
        let second = Alignment {
            edits: vec![edit((3, 4), (3, 5))],
            raw_len: 5,
            out_len: 4,
        };
        let c = first.compose(&second);
        assert_eq!(c.edits, vec![edit((1, 2), (1, 3)), edit((3, 4), (4, 6))]);
    }

    #[test]
    fn compose_merges_touching_edits() {
        let first = Alignment {
            edits: vec![edit((1, 2), (1, 6))],
            raw_len: 8,
            out_len: 4,
        };
        let second = Alignment {
            edits: vec![edit((1, 2), (1, 3))],
            raw_len: 4,
            out_len: 3,
        };
        let c = first.compose(&second);
        assert_eq!(c.edits, vec![edit((1, 2), (1, 7))]);
        assert_eq!(c.to_raw(Span(2, 3)), Span(7, 8));
    }

    #[test]
    fn to_raw_maps_through_deletions_and_insertions() {
        // raw "ab\u{200b}cd" (7 bytes) -> "abcd": deletion at out 2.
        let a = Alignment {
            edits: vec![edit((2, 2), (2, 5))],
            raw_len: 7,
            out_len: 4,
        };
        // An end at a deletion takes the deleted text in; a start there leaves it out.
        assert_eq!(a.to_raw(Span(0, 2)), Span(0, 5));
        assert_eq!(a.to_raw(Span(0, 1)), Span(0, 1));
        assert_eq!(a.to_raw(Span(2, 4)), Span(5, 7));
        assert_eq!(a.to_raw(Span(3, 4)), Span(6, 7));
        assert_eq!(a.to_out(Span(5, 7)), Span(2, 4));
    }
}
