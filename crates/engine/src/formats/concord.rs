//! Concord's own annotation export (`{"task", "annotator", "result", "guideline_version"}` per line, read by
//! `bundle::parse_annotations` against the project's schema) turned into the tables the measures run over.
//! The export is an append-only log: when one annotator has several records for a task, the last one counts.

use crate::sorting::LeanSort;
use std::collections::HashMap;

use crate::bundle::AnnotationRecord;
use crate::model::{
    BoxRec, BoxTable, CategoricalTable, ControlKind, ControlValue, CuboidTable, PolygonRec, PolygonTable, Schema, Span,
    SpanDoc, SpanTable, SpanUnit, TableBuilder, TableError,
};

/// The annotations of one control as the table its kind needs.
pub enum Tables {
    /// A choice control's labels.
    Categorical(CategoricalTable),
    /// A span control's spans.
    Spans(SpanTable),
    /// A box control's boxes.
    Boxes(BoxTable),
    /// A polygon control's polygons.
    Polygons(PolygonTable),
    /// A cuboid control's cuboids.
    Cuboids(CuboidTable),
}

/// The annotations of `control` (default: the schema's first control) as a table.
pub fn annotation_tables(
    schema: &Schema,
    records: &[AnnotationRecord],
    control: Option<&str>,
) -> Result<Tables, TableError> {
    let c = match control {
        Some(name) => schema.control(name).ok_or_else(|| TableError::NoSuchControl { control: name.to_string() })?,
        None => schema.controls.first().ok_or(TableError::NoControls)?,
    };
    // Last record per (task, annotator), in first-seen order.
    let mut latest: HashMap<(&str, &str), usize> = HashMap::new();
    let mut order: Vec<(&str, &str)> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let key = (r.task.as_str(), r.annotator.as_str());
        if latest.insert(key, i).is_none() {
            order.push(key);
        }
    }
    let chosen = order.iter().map(|k| &records[latest[k]]);
    Ok(match c.kind {
        ControlKind::SingleChoice | ControlKind::MultiChoice | ControlKind::Rating => {
            let mut b = TableBuilder::new();
            for r in chosen {
                if let Some(ControlValue::Choices(v)) = r.result.0.get(&c.name) {
                    if !v.is_empty() {
                        let mut v = v.clone();
                        v.lean_sort();
                        b.push(&r.task, &r.annotator, &v.join("|"));
                    }
                }
            }
            Tables::Categorical(b.finish().map_err(TableError::Twice)?)
        }
        ControlKind::Spans => {
            let mut t = SpanTable::new(SpanUnit::CodePoints);
            for r in chosen {
                let (item, annotator) = (t.items.intern(&r.task), t.annotators.intern(&r.annotator));
                let spans = match r.result.0.get(&c.name) {
                    Some(ControlValue::Spans(v)) => v
                        .iter()
                        .map(|s| Span { start: s.start as u32, end: s.end as u32, label: t.labels.intern(&s.label) })
                        .collect(),
                    _ => Vec::new(),
                };
                t.docs.push(SpanDoc { item, annotator, spans });
            }
            t.sort();
            Tables::Spans(t)
        }
        ControlKind::Boxes => {
            let mut t = BoxTable::default();
            for r in chosen {
                let (item, annotator) = (t.items.intern(&r.task), t.annotators.intern(&r.annotator));
                t.cover(item, annotator);
                if let Some(ControlValue::Boxes(v)) = r.result.0.get(&c.name) {
                    for b in v {
                        let label = t.labels.intern(&b.label);
                        t.regions.push(BoxRec {
                            item,
                            annotator,
                            label,
                            x: b.x,
                            y: b.y,
                            w: b.w,
                            h: b.h,
                            score: b.score,
                        });
                    }
                }
            }
            t.finish();
            Tables::Boxes(t)
        }
        ControlKind::Polygons => {
            let mut t = PolygonTable::default();
            for r in chosen {
                let (item, annotator) = (t.items.intern(&r.task), t.annotators.intern(&r.annotator));
                t.cover(item, annotator);
                if let Some(ControlValue::Polygons(v)) = r.result.0.get(&c.name) {
                    for p in v {
                        let label = t.labels.intern(&p.label);
                        t.regions.push(PolygonRec { item, annotator, label, rings: p.rings() });
                    }
                }
            }
            t.finish();
            Tables::Polygons(t)
        }
        ControlKind::Cuboids => {
            let mut t = CuboidTable::default();
            for r in chosen {
                let (item, annotator) = (t.items.intern(&r.task), t.annotators.intern(&r.annotator));
                t.cover(item, annotator);
                #[cfg(feature = "scene")]
                if let Some(ControlValue::Cuboids(v)) = r.result.0.get(&c.name) {
                    for c in v {
                        let label = t.labels.intern(&c.label);
                        t.regions.push(crate::model::CuboidRec { item, annotator, label, cuboid: c.clone() });
                    }
                }
            }
            t.finish();
            Tables::Cuboids(t)
        }
    })
}

/// When each label of `table` (built by [`annotation_tables`] from these records) was submitted, and under which
/// guideline version: `timed` pairs a record with its submission time in ms ([`crate::log::timed_records`]).
pub fn stamps_of(table: &CategoricalTable, timed: &[(AnnotationRecord, u64)]) -> crate::model::Stamps {
    let mut stamps = crate::model::Stamps::default();
    for (r, at) in timed {
        if let (Some(i), Some(a)) = (table.items.get(&r.task), table.annotators.get(&r.annotator)) {
            if table.annotators_of(i as usize).contains(&a) {
                stamps.push(i, a, (*at / 1000) as i64, &r.guideline_version);
            }
        }
    }
    stamps
}
