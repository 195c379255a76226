//! Long-format CSV, one annotation per row: `item,annotator,label` (crowd-kit's `task,worker,label` is accepted
//! too). A header is required; columns may come in any order and extra columns are ignored. A missing
//! annotation is simply absent. Quoted fields, a UTF-8 BOM and CRLF line ends are handled.

use std::io::Read;

use crate::error::{InputError, Place};
use crate::model::{CategoricalTable, TableBuilder};

/// Reads the whole file into a table. `file` names it in errors.
pub fn read_long_csv(file: &str, input: impl Read) -> Result<CategoricalTable, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let header = reader
        .byte_headers()
        .map_err(|e| csv_error(file, &e))?
        .clone();
    let find = |names: &[&str]| {
        header.iter().position(|h| {
            let h = String::from_utf8_lossy(h);
            let h = h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase();
            names.contains(&h.as_str())
        })
    };
    let (Some(ci), Some(ca), Some(cl)) = (
        find(&["item", "task"]),
        find(&["annotator", "worker"]),
        find(&["label"]),
    ) else {
        let found = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect::<Vec<_>>();
        return Err(InputError::at_line(
            file,
            1,
            format!(
                "the header must name the columns item, annotator and label (found: {})",
                found.join(", ")
            ),
        ));
    };
    let mut builder = TableBuilder::new();
    let mut lines: Vec<u32> = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(file, &e)),
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |c: usize, what: &str| -> Result<&str, InputError> {
            let raw = record.get(c).unwrap_or_default();
            let s = std::str::from_utf8(raw).map_err(|_| {
                InputError::at_line(file, line, format!("the {what} is not valid UTF-8"))
            })?;
            let s = s.trim();
            if s.is_empty() {
                return Err(InputError::at_line(file, line, format!("empty {what}")));
            }
            Ok(s)
        };
        let (item, annotator, label) = (
            field(ci, "item")?,
            field(ca, "annotator")?,
            field(cl, "label")?,
        );
        builder.push(item, annotator, label);
        lines.push(line as u32);
    }
    if builder.is_empty() {
        return Err(InputError::whole(file, "no annotations after the header"));
    }
    builder.finish().map_err(|d| {
        InputError::at_line(
            file,
            lines[d.second] as usize,
            format!(
                "annotator `{}` labelled item `{}` twice (first on line {})",
                d.annotator, d.item, lines[d.first]
            ),
        )
    })
}

fn csv_error(file: &str, e: &csv::Error) -> InputError {
    let line = e.position().map(|p| p.line() as usize);
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("this row has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
        csv::ErrorKind::Io(err) => format!("could not read: {err}"),
        _ => e.to_string(),
    };
    match line {
        Some(l) => InputError::new(
            file,
            Place::Line {
                line: l,
                column: None,
            },
            reason,
        ),
        None => InputError::whole(file, reason),
    }
}
