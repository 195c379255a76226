//! Checks on labels and attributes: counts, allowed labels, required attributes, conditional rules.

use serde_json::Value;

use super::{LabelId, Subject, View};
use crate::model::ControlValue;

pub(crate) type Hit<'h> = dyn FnMut(Option<&str>, Option<usize>, Option<String>) + 'h;

/// String equality for short names (controls, labels): a byte loop instead of `==`, which calls libc `memcmp` —
/// a call per comparison was a quarter of a 50-rule check, where most comparisons are of equal strings.
#[inline(always)]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A control's value in the annotation (for a rule's second control; its own comes prepared in its `View`).
#[inline]
pub(crate) fn value<'a>(s: &'a Subject, control: &str) -> Option<&'a ControlValue> {
    s.result.0.get(control)
}

/// The labels of a control's value, one per choice or region.
pub(crate) fn labels_of(value: Option<&ControlValue>) -> Vec<&str> {
    match value {
        Some(ControlValue::Choices(c)) => c.iter().map(String::as_str).collect(),
        Some(ControlValue::Spans(v)) => v.iter().map(|x| x.label.as_str()).collect(),
        Some(ControlValue::Boxes(v)) => v.iter().map(|x| x.label.as_str()).collect(),
        Some(ControlValue::Polygons(v)) => v.iter().map(|x| x.label.as_str()).collect(),
        #[cfg(feature = "scene")]
        Some(ControlValue::Cuboids(v)) => v.iter().map(|x| x.label.as_str()).collect(),
        None => Vec::new(),
    }
}

pub(crate) fn count(
    v: &View,
    control: &str,
    label: Option<&str>,
    lid: Option<LabelId>,
    min: Option<usize>,
    max: Option<usize>,
    hit: &mut Hit,
) {
    let n = v.selected(lid).len();
    // Without a label the count is of whatever the control holds: choices, a rating, spans or regions.
    let what = || label.map_or("given".to_string(), |l| format!("`{l}`"));
    if let Some(min) = min.filter(|&m| n < m) {
        hit(Some(control), None, Some(format!("{n} {}, at least {min} required", what())));
    }
    if let Some(max) = max.filter(|&m| n > m) {
        hit(Some(control), None, Some(format!("{n} {}, at most {max} allowed", what())));
    }
}

pub(crate) fn allowed(v: &View, control: &str, allowed: &[String], hit: &mut Hit) {
    for (i, l) in labels_of(v.value).into_iter().enumerate() {
        if !allowed.iter().any(|a| a == l) {
            hit(Some(control), Some(i), Some(format!("`{l}` is not allowed here")));
        }
    }
}

fn attributes_of<'a>(v: &View<'a>) -> Vec<(&'a str, Option<&'a std::collections::BTreeMap<String, Value>>)> {
    match v.value {
        Some(ControlValue::Boxes(v)) => v.iter().map(|b| (b.label.as_str(), Some(&b.attributes))).collect(),
        Some(ControlValue::Polygons(v)) => v.iter().map(|b| (b.label.as_str(), Some(&b.attributes))).collect(),
        Some(ControlValue::Spans(v)) => v.iter().map(|x| (x.label.as_str(), None)).collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn required_attributes(v: &View, control: &str, label: &str, attributes: &[String], hit: &mut Hit) {
    for (i, (l, attrs)) in attributes_of(v).into_iter().enumerate() {
        if l != label {
            continue;
        }
        for a in attributes {
            let present = attrs.and_then(|m| m.get(a)).is_some_and(|v| !v.is_null());
            if !present {
                hit(Some(control), Some(i), Some(format!("`{a}` is missing")));
            }
        }
    }
}

pub(crate) fn if_label_then_attribute(
    v: &View,
    control: &str,
    label: &str,
    attribute: &str,
    equals: &Value,
    hit: &mut Hit,
) {
    for (i, (l, attrs)) in attributes_of(v).into_iter().enumerate() {
        if l == label {
            let got = attrs.and_then(|m| m.get(attribute));
            if got != Some(equals) {
                let shown = got.map_or("missing".to_string(), Value::to_string);
                hit(Some(control), Some(i), Some(format!("`{attribute}` is {shown}, expected {equals}")));
            }
        }
    }
}

pub(crate) fn if_choice_then_forbid(
    s: &Subject,
    v: &View,
    if_control: &str,
    if_label: &str,
    control: &str,
    label: Option<&str>,
    hit: &mut Hit,
) {
    if !labels_of(value(s, if_control)).contains(&if_label) {
        return;
    }
    for (i, l) in labels_of(v.value).into_iter().enumerate() {
        if label.is_none_or(|want| l == want) {
            hit(Some(control), Some(i), Some(format!("`{l}` is not allowed when {if_control} is `{if_label}`")));
        }
    }
}
