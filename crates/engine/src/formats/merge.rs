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

/// Gold labels from several sources (a gold CSV, a Label Studio export's ground-truth annotations), each already
/// in `table`'s item and label ids, as one list by item. Two sources that give one item different gold labels are
/// an error naming both; agreeing sources are fine.
pub fn merge_gold(
    table: &CategoricalTable,
    sources: &[(String, Vec<Option<u32>>)],
) -> Result<Vec<Option<u32>>, InputError> {
    let mut gold: Vec<Option<u32>> = vec![None; table.items.len()];
    let mut from: Vec<usize> = vec![usize::MAX; table.items.len()];
    for (k, (file, labels)) in sources.iter().enumerate() {
        if gold.len() < labels.len() {
            gold.resize(labels.len(), None);
            from.resize(labels.len(), usize::MAX);
        }
        for (i, l) in labels.iter().enumerate() {
            let Some(l) = *l else { continue };
            match gold[i] {
                Some(g) if g != l => {
                    return Err(InputError::whole(
                        file.clone(),
                        format!(
                            "gold label `{}` for item `{}` contradicts `{}` in {}",
                            table.labels.name(l),
                            table.items.name(i as u32),
                            table.labels.name(g),
                            sources[from[i]].0
                        ),
                    ))
                }
                _ => {
                    gold[i] = Some(l);
                    from[i] = k;
                }
            }
        }
    }
    Ok(gold)
}

/// A table of gold answers (e.g. a Label Studio export's ground-truth annotations) in `table`'s ids, through
/// [`gold_from_pairs`].
pub fn gold_from_table(
    file: &str,
    table: &mut CategoricalTable,
    gold: &CategoricalTable,
) -> Result<Vec<Option<u32>>, InputError> {
    gold_from_pairs(file, table, gold.rows().map(|(i, _, l)| (gold.items.name(i), gold.labels.name(l))))
}

/// Gold answers given as `(item, label)` names, in `table`'s ids (`out[item]`): how every gold source meets the
/// annotators' table, in the CLI, the app and the package. Items and labels the annotators never saw are added to
/// `table`'s names, as `read_gold_csv` does. An item given the same label twice is fine; two different labels are
/// an error naming both.
pub fn gold_from_pairs<'a>(
    file: &str,
    table: &mut CategoricalTable,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<Option<u32>>, InputError> {
    let mut out: Vec<Option<u32>> = vec![None; table.items.len()];
    for (item_name, label_name) in pairs {
        let item = table.items.intern(item_name) as usize;
        let label = table.labels.intern(label_name);
        if out.len() <= item {
            out.resize(item + 1, None);
        }
        match out[item] {
            Some(g) if g != label => {
                return Err(InputError::whole(
                    file,
                    format!("item `{item_name}` has two gold labels, `{}` and `{label_name}`", table.labels.name(g)),
                ))
            }
            _ => out[item] = Some(label),
        }
    }
    Ok(out)
}
