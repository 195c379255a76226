//! Which labels have an order, and what it is. Ordinal, interval and ratio measures and weighted kappa need a
//! value per label: the labels' numbers when every label is a number, or their rank in an explicit order.

use crate::model::Interner;

/// `values[label id]`, or None when the labels are not all numbers and no order is given.
/// An explicit order must name every label; labels then get values 0, 1, 2… in that order.
pub fn label_values(labels: &Interner, order: Option<&[String]>) -> Result<Option<Vec<f64>>, String> {
    if let Some(order) = order {
        let mut values = vec![f64::NAN; labels.len()];
        for (rank, name) in order.iter().enumerate() {
            if let Some(id) = labels.get(name) {
                values[id as usize] = rank as f64;
            }
        }
        if let Some(missing) = (0..labels.len()).find(|&i| values[i].is_nan()) {
            return Err(format!(
                "label `{}` is not in the given order ({})",
                labels.name(missing as u32),
                order.join(",")
            ));
        }
        return Ok(Some(values));
    }
    let parsed: Option<Vec<f64>> = labels.names().map(|n| n.parse::<f64>().ok().filter(|v| v.is_finite())).collect();
    Ok(parsed)
}
