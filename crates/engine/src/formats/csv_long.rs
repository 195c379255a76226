//! Long-format CSV, one annotation per row: `item,annotator,label` (crowd-kit's `task,worker,label` is accepted
//! too). A header is required; columns may come in any order and extra columns are ignored. A missing
//! annotation is simply absent. Quoted fields, a UTF-8 BOM and CRLF line ends are handled.

use std::io::Read;

use crate::error::{InputError, Place};
use crate::model::{CategoricalTable, Stamps, TableBuilder};

use crate::csv_lines::LineIndex;

/// Reads the whole file into a table. `file` names it in errors.
pub fn read_long_csv(file: &str, input: impl Read) -> Result<CategoricalTable, InputError> {
    read_long_csv_files(vec![(file.to_string(), input)])
}

/// [`read_long_csv`], and when each label was made and under which guideline version, from the optional columns
/// `time` (also `timestamp`, `created_at`: ISO-8601 or epoch seconds) and `guideline_version` (also `version`). A
/// file without a time column gives no stamps; with one, every row must have a readable time.
pub fn read_long_csv_stamped(file: &str, input: impl Read) -> Result<(CategoricalTable, Stamps), InputError> {
    let mut builder = TableBuilder::new();
    let mut lines = Vec::new();
    let mut stamps = Stamps::default();
    read_rows(file, input, &mut builder, &mut lines, Some(&mut stamps))?;
    if builder.is_empty() {
        return Err(InputError::whole(file, "no annotations after the header"));
    }
    let table = builder.finish().map_err(|d| {
        InputError::at_line(
            file,
            lines[d.second] as usize,
            format!("annotator `{}` labelled item `{}` twice (first on line {})", d.annotator, d.item, lines[d.first]),
        )
    })?;
    Ok((table, stamps))
}

/// Reads several files (e.g. one per annotator, or one per batch) into one table. An annotator who labels the same
/// item twice, in one file or across files, is an error naming both places.
pub fn read_long_csv_files<R: Read>(files: Vec<(String, R)>) -> Result<CategoricalTable, InputError> {
    let mut builder = TableBuilder::new();
    // Where each row came from: (file index, line).
    let mut origin: Vec<(u16, u32)> = Vec::new();
    let mut lines: Vec<u32> = Vec::new();
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    for (fi, (file, input)) in files.into_iter().enumerate() {
        let before = builder.len();
        lines.clear();
        read_rows(&file, input, &mut builder, &mut lines, None)?;
        origin.extend(lines.iter().map(|&l| (fi as u16, l)));
        if builder.len() == before {
            return Err(InputError::whole(&file, "no annotations after the header"));
        }
    }
    builder.finish().map_err(|d| {
        let (f1, l1) = origin[d.first];
        let (f2, l2) = origin[d.second];
        let first = if f1 == f2 { format!("line {l1}") } else { format!("{}:{l1}", names[f1 as usize]) };
        InputError::at_line(
            &names[f2 as usize],
            l2 as usize,
            format!("annotator `{}` labelled item `{}` twice (first on {first})", d.annotator, d.item),
        )
    })
}

fn read_rows(
    file: &str,
    input: impl Read,
    builder: &mut TableBuilder,
    lines: &mut Vec<u32>,
    mut stamps: Option<&mut Stamps>,
) -> Result<(), InputError> {
    // Row start offsets, turned into line numbers once at the end (a lookup per row would cost ~10 % of a read).
    let mut starts: Vec<u64> = Vec::new();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(LineIndex::new(input));
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(file, &e, reader.get_ref())),
    };
    let find = |names: &[&str]| header_column(&header, names);
    let (Some(ci), Some(ca), Some(cl)) = (find(ITEM), find(ANNOTATOR), find(&["label"])) else {
        let found = header.iter().map(|h| String::from_utf8_lossy(h).into_owned()).collect::<Vec<_>>();
        return Err(InputError::at_line(
            file,
            1,
            format!("the header must name the columns item, annotator and label (found: {})", found.join(", ")),
        ));
    };
    let time_column = stamps.is_some().then(|| find(TIME)).flatten();
    let version_column = find(VERSION);
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(file, &e, reader.get_ref())),
        }
        let start = record.position().map_or(0, |p| p.byte());
        let field = |c: usize, what: &str| required(&record, c, what, file, || reader.get_ref().line_of(start));
        let (item, annotator, label) = (field(ci, "item")?, field(ca, "annotator")?, field(cl, "label")?);
        builder.push(item, annotator, label);
        if let (Some(ct), Some(stamps)) = (time_column, stamps.as_deref_mut()) {
            let raw = field(ct, "time")?;
            let time = crate::model::time::parse_timestamp(raw).ok_or_else(|| {
                InputError::at_line(
                    file,
                    reader.get_ref().line_of(start),
                    format!("`{raw}` is not an ISO-8601 date/time or epoch seconds"),
                )
            })?;
            let version = version_column.and_then(|c| record.get(c)).and_then(|v| std::str::from_utf8(v).ok());
            let (i, a) = (
                builder.items.get(item).expect("just interned"),
                builder.annotators.get(annotator).expect("just interned"),
            );
            stamps.push(i, a, time, version.unwrap_or("").trim());
        }
        starts.push(start);
    }
    // Row starts increase, so one merge pass over the newline offsets gives every line number.
    let newlines = &reader.get_ref().newlines;
    let mut k = 0;
    lines.extend(starts.iter().map(|&b| {
        while k < newlines.len() && newlines[k] <= b {
            k += 1;
        }
        k as u32 + 1
    }));
    Ok(())
}

/// Field `c` of a record, trimmed; a missing, empty or non-UTF-8 field is an error at `line()` (computed only then).
fn required<'r>(
    record: &'r csv::ByteRecord,
    c: usize,
    what: &str,
    file: &str,
    line: impl Fn() -> usize,
) -> Result<&'r str, InputError> {
    let s = std::str::from_utf8(record.get(c).unwrap_or_default())
        .map_err(|_| InputError::at_line(file, line(), format!("the {what} is not valid UTF-8")))?
        .trim();
    if s.is_empty() {
        return Err(InputError::at_line(file, line(), format!("empty {what}")));
    }
    Ok(s)
}

/// The names each column may go by in a header (trimmed, case-insensitive).
const ITEM: &[&str] = &["item", "task"];
const ANNOTATOR: &[&str] = &["annotator", "worker"];
const GOLD_LABEL: &[&str] = &["label", "true_label", "gold"];
const TIME: &[&str] = &["time", "timestamp", "created_at"];
const VERSION: &[&str] = &["guideline_version", "version"];

/// Whether a CSV whose first bytes are `head` holds gold answers (`read_gold_csv`): its header names an item and a
/// label column but no annotator — with an annotator it is annotations (`read_long_csv`).
pub fn is_gold_csv(head: &[u8]) -> bool {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(head);
    let Some(Ok(header)) = reader.byte_records().next() else { return false };
    let has = |names: &[&str]| header_column(&header, names).is_some();
    !has(ANNOTATOR) && has(ITEM) && has(GOLD_LABEL)
}

/// The index of the header column whose name (trimmed, case-insensitive, BOM removed) is one of `names`.
fn header_column(header: &csv::ByteRecord, names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let h = String::from_utf8_lossy(h);
        let h = h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase();
        names.contains(&h.as_str())
    })
}

fn csv_error<R: Read>(file: &str, e: &csv::Error, lines: &LineIndex<R>) -> InputError {
    let line = e.position().map(|p| lines.line_of(p.byte()));
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("this row has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
        csv::ErrorKind::Io(err) => format!("could not read: {err}"),
        _ => e.to_string(),
    };
    match line {
        Some(l) => InputError::new(file, Place::Line { line: l, column: None }, reason),
        None => InputError::whole(file, reason),
    }
}

/// Gold labels for categorical data: CSV with a header naming `item` (or `task`) and `label` (or `true_label`,
/// `gold`). Items and labels are interned into the given table, so ids line up with its annotations; the result
/// is indexed by item id. An item listed twice is an error.
pub fn read_gold_csv(
    file: &str,
    input: impl Read,
    table: &mut CategoricalTable,
) -> Result<Vec<Option<u32>>, InputError> {
    let mut gold: Vec<Option<u32>> = vec![None; table.items.len()];
    let mut first_line: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for_each_record(
        file,
        input,
        |header| {
            let find = |names: &[&str]| header_column(header, names);
            match (find(ITEM), find(GOLD_LABEL)) {
                (Some(ci), Some(cl)) => Ok((ci, cl)),
                _ => Err(InputError::at_line(file, 1, "the header must name the columns item and label")),
            }
        },
        |&(ci, cl), record, line| {
            let field = |c: usize, what: &str| required(record, c, what, file, || line).map(str::to_string);
            let (item, label) = (field(ci, "item")?, field(cl, "label")?);
            let id = table.items.intern(&item);
            if let Some(first) = first_line.insert(id, line) {
                return Err(InputError::at_line(
                    file,
                    line,
                    format!("item `{item}` has a second gold label (first on line {first})"),
                ));
            }
            let l = table.labels.intern(&label);
            if gold.len() <= id as usize {
                gold.resize(id as usize + 1, None);
            }
            gold[id as usize] = Some(l);
            Ok(())
        },
    )?;
    Ok(gold)
}

/// A long-format row with when it was made and under which guideline version (columns `time` — ISO-8601 or epoch
/// seconds — and optional `guideline_version`), for drift.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedRow {
    /// The item.
    pub item: String,
    /// The annotator.
    pub annotator: String,
    /// The label.
    pub label: String,
    /// When it was made (seconds since the epoch).
    pub time: i64,
    /// The guideline version it was made under.
    pub guideline_version: String,
}

/// Reads a long CSV with `time` and `guideline_version` columns, keeping every row (drift reads these).
pub fn read_timed_rows(file: &str, input: impl Read) -> Result<Vec<TimedRow>, InputError> {
    let mut out = Vec::new();
    for_each_record(
        file,
        input,
        |header| {
            let find = |names: &[&str]| header_column(header, names);
            let cv = find(VERSION);
            match (find(ITEM), find(ANNOTATOR), find(&["label"]), find(TIME)) {
                (Some(ci), Some(ca), Some(cl), Some(ct)) => Ok((ci, ca, cl, ct, cv)),
                _ => Err(InputError::at_line(
                    file,
                    1,
                    "the header must name the columns item, annotator, label and time",
                )),
            }
        },
        |&(ci, ca, cl, ct, cv), record, line| {
            let field = |c: usize, what: &str| required(record, c, what, file, || line).map(str::to_string);
            let raw_time = field(ct, "time")?;
            let time = crate::model::time::parse_timestamp(&raw_time).ok_or_else(|| {
                InputError::at_line(file, line, format!("`{raw_time}` is not an ISO-8601 date/time or epoch seconds"))
            })?;
            out.push(TimedRow {
                item: field(ci, "item")?,
                annotator: field(ca, "annotator")?,
                label: field(cl, "label")?,
                time,
                guideline_version: cv.and_then(|c| field(c, "guideline version").ok()).unwrap_or_default(),
            });
            Ok(())
        },
    )?;
    Ok(out)
}

/// Reads a CSV with a header: `columns(header)` picks the column indices (or says which are missing), then
/// `row(columns, record, line)` sees every record with its 1-based line.
fn for_each_record<C>(
    file: &str,
    input: impl Read,
    columns: impl FnOnce(&csv::ByteRecord) -> Result<C, InputError>,
    mut row: impl FnMut(&C, &csv::ByteRecord, usize) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(LineIndex::new(input));
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(file, &e, reader.get_ref())),
    };
    let cols = columns(&header)?;
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => return Err(csv_error(file, &e, reader.get_ref())),
        }
        let line = record.position().map_or(0, |p| reader.get_ref().line_of(p.byte()));
        row(&cols, &record, line)?;
    }
}
