//! The entries of a ZIP archive (a bundle folder zipped), without decompressing them: the browser inflates
//! `deflate` entries itself (`DecompressionStream`), so no inflater ships in the wasm. Stored (0) and deflate (8)
//! entries are read; ZIP64, encrypted and other methods are refused with the entry's name.
//! Layout: APPNOTE.TXT 4.3 — end of central directory, central directory headers, local file headers.

use crate::error::InputError;

/// An entry stored uncompressed.
pub const STORED: u16 = 0;
/// An entry compressed with deflate.
pub const DEFLATE: u16 = 8;

#[derive(Debug, Clone, PartialEq)]
/// One entry of a ZIP archive.
pub struct ZipEntry<'a> {
    /// Its path.
    pub name: String,
    /// How it is compressed: [`STORED`] or [`DEFLATE`].
    pub method: u16,
    /// The entry's bytes as stored (compressed for `DEFLATE`).
    pub data: &'a [u8],
    /// Its uncompressed size.
    pub size: u32,
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Every file entry (directories skipped), in central-directory order.
pub fn zip_entries<'a>(file: &str, bytes: &'a [u8]) -> Result<Vec<ZipEntry<'a>>, InputError> {
    let bad = |why: String| InputError::whole(file, why);
    let truncated = || bad("truncated ZIP archive".into());
    // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535.
    let floor = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (floor..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&i| u32_at(bytes, i) == Some(0x0605_4b50))
        .ok_or_else(|| bad("not a ZIP archive (no end of central directory)".into()))?;
    let count = u16_at(bytes, eocd + 10).ok_or_else(truncated)? as usize;
    let cd_offset = u32_at(bytes, eocd + 16).ok_or_else(truncated)?;
    if count == 0xFFFF || cd_offset == 0xFFFF_FFFF {
        return Err(bad("ZIP64 archives are not supported".into()));
    }
    let mut out = Vec::new();
    let mut at = cd_offset as usize;
    for _ in 0..count {
        if u32_at(bytes, at) != Some(0x0201_4b50) {
            return Err(bad(format!("bad central directory header at byte {at}")));
        }
        let flags = u16_at(bytes, at + 8).ok_or_else(truncated)?;
        let method = u16_at(bytes, at + 10).ok_or_else(truncated)?;
        let compressed = u32_at(bytes, at + 20).ok_or_else(truncated)? as usize;
        let size = u32_at(bytes, at + 24).ok_or_else(truncated)?;
        let name_len = u16_at(bytes, at + 28).ok_or_else(truncated)? as usize;
        let extra_len = u16_at(bytes, at + 30).ok_or_else(truncated)? as usize;
        let comment_len = u16_at(bytes, at + 32).ok_or_else(truncated)? as usize;
        let local = u32_at(bytes, at + 42).ok_or_else(truncated)? as usize;
        let name_bytes = bytes.get(at + 46..at + 46 + name_len).ok_or_else(truncated)?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        at += 46 + name_len + extra_len + comment_len;
        if name.ends_with('/') {
            continue;
        }
        if flags & 1 != 0 {
            return Err(bad(format!("`{name}` is encrypted")));
        }
        if method != STORED && method != DEFLATE {
            return Err(bad(format!("`{name}` uses compression method {method} (only stored and deflate are read)")));
        }
        if u32_at(bytes, local) != Some(0x0403_4b50) {
            return Err(bad(format!("`{name}`: bad local header at byte {local}")));
        }
        let start = local
            + 30
            + u16_at(bytes, local + 26).ok_or_else(truncated)? as usize
            + u16_at(bytes, local + 28).ok_or_else(truncated)? as usize;
        let data = bytes.get(start..start + compressed).ok_or_else(|| bad(format!("`{name}` is truncated")))?;
        if method == STORED && data.len() != size as usize {
            return Err(bad(format!("`{name}`: stored size {} but {size} declared", data.len())));
        }
        out.push(ZipEntry { name, method, data, size });
    }
    Ok(out)
}
