//! Line numbers of CSV records, for errors that name the line.

use std::io::Read;

use crate::error::InputError;

/// Line numbers from byte offsets. The csv crate's own line count is one short after a CRLF header, so the reader
/// notes where every line starts as the bytes stream through (one `u64` per line).
pub(crate) struct LineIndex<R> {
    inner: R,
    consumed: u64,
    pub(crate) newlines: Vec<u64>,
}

impl<R: Read> LineIndex<R> {
    pub(crate) fn new(inner: R) -> Self {
        LineIndex { inner, consumed: 0, newlines: Vec::new() }
    }
    /// 1-based line of the record the csv crate says starts at `offset`. After a CRLF it points at the `\n` that
    /// ends the previous line, so a newline at `offset` itself counts as before the record.
    pub(crate) fn line_of(&self, offset: u64) -> usize {
        self.newlines.partition_point(|&nl| nl <= offset) + 1
    }
}

impl<R: Read> Read for LineIndex<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let base = self.consumed;
        self.newlines.extend(memchr::memchr_iter(b'\n', &buf[..n]).map(|i| base + i as u64));
        self.consumed += n as u64;
        Ok(n)
    }
}

/// The next record of `reader` and the line it starts on; `None` at the end. A row that is not CSV (a stray quote,
/// a wrong number of fields) is an error at its line in `file`.
pub(crate) fn next_record<R: Read>(
    reader: &mut csv::Reader<LineIndex<R>>,
    file: &str,
) -> Result<Option<(csv::StringRecord, usize)>, InputError> {
    let mut record = csv::StringRecord::new();
    let line_of = |p: Option<&csv::Position>, reader: &csv::Reader<LineIndex<R>>| {
        p.map_or(0, |p| reader.get_ref().line_of(p.byte()))
    };
    match reader.read_record(&mut record) {
        Ok(true) => {
            let line = line_of(record.position(), reader);
            Ok(Some((record, line)))
        }
        Ok(false) => Ok(None),
        Err(e) => Err(InputError::at_line(file, line_of(e.position(), reader), format!("not a CSV row: {e}"))),
    }
}
