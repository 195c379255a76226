//! Which labels have an order, and what it is. Ordinal, interval and ratio measures and weighted kappa need a
//! value per label: the labels' numbers when every label is a number, or their rank in an explicit order.

use std::fmt;

use crate::model::Interner;

/// An explicit label order that leaves out a label of the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelOrderError {
    /// The label the order leaves out.
    pub label: String,
    /// The order given.
    pub order: Vec<String>,
}

impl fmt::Display for LabelOrderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "label `{}` is not in the given order ({})", self.label, self.order.join(","))
    }
}

impl std::error::Error for LabelOrderError {}

/// `values[label id]`, or None when the labels are not all numbers and no order is given.
/// An explicit order must name every label; labels then get values 0, 1, 2… in that order.
pub fn label_values(labels: &Interner, order: Option<&[String]>) -> Result<Option<Vec<f64>>, LabelOrderError> {
    if let Some(order) = order {
        let mut values = vec![f64::NAN; labels.len()];
        for (rank, name) in order.iter().enumerate() {
            if let Some(id) = labels.get(name) {
                values[id as usize] = rank as f64;
            }
        }
        if let Some(missing) = (0..labels.len()).find(|&i| values[i].is_nan()) {
            return Err(LabelOrderError { label: labels.name(missing as u32).to_string(), order: order.to_vec() });
        }
        return Ok(Some(values));
    }
    let parsed: Option<Vec<f64>> = labels.names().map(|n| n.parse::<f64>().ok().filter(|v| v.is_finite())).collect();
    Ok(parsed)
}
