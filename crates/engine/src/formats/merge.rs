//! Several annotators' files, read separately (each in its own format), as one categorical table. A second label
//! from one annotator for one item — the same file or two files — is an error naming both places, never a silent
//! overwrite: which one is right is the lead's call.

use crate::error::InputError;
use crate::model::{CategoricalTable, TableBuilder};

/// Merges the tables in order. The error names the file of the second label and the file of the first.
pub fn merge_categorical(files: &[(String, CategoricalTable)]) -> Result<CategoricalTable, InputError> {
    let mut b = TableBuilder::with_capacity(files.iter().map(|(_, t)| t.n_annotations()).sum());
    // Row index where each file starts, to name the files of a duplicate.
    let mut starts = Vec::with_capacity(files.len());
    for (_, t) in files {
        starts.push(b.len());
        for (i, a, l) in t.rows() {
            b.push(t.items.name(i), t.annotators.name(a), t.labels.name(l));
        }
    }
    let file_of = |row: usize| &files[starts.partition_point(|&s| s <= row) - 1].0;
    b.finish().map_err(|d| {
        let (first, second) = (file_of(d.first), file_of(d.second));
        let also = if first == second { "twice in this file".to_string() } else { format!("also in {first}") };
        InputError::whole(
            second.clone(),
            format!("annotator `{}` labelled item `{}` again ({also}): keep one of the two", d.annotator, d.item),
        )
    })
}
