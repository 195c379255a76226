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

/// A ZIP archive of `files` (path, bytes), every entry stored (method 0) with its CRC-32: the one-file download of a
/// format that is a folder (YOLO, Pascal VOC). No timestamps (1980-01-01), so the same files give the same bytes.
pub fn write_stored_zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let crc = crc32(data);
        let offset = out.len() as u32;
        let header = |sig: u32, central_entry: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central_entry {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&0x0800u16.to_le_bytes()); // flags: UTF-8 names
            h.extend_from_slice(&STORED.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // time
            h.extend_from_slice(&0x0021u16.to_le_bytes()); // date: 1980-01-01
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central_entry {
                h.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let (cd_offset, cd_size) = (out.len() as u32, central.len() as u32);
    out.extend(central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bit by bit: archives here are small.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
