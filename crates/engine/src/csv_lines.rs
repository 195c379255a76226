//! Line numbers of CSV records, for errors that name the line.

use std::io::Read;

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
