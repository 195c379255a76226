//! An annotator's name as a folder name.

/// The folder of `name`'s segments under `logs/` (see [`folder_of_nfc`]), the name first trimmed and put in Unicode
/// normal form C, so `José` typed as one code point or as `e` + combining accent is one folder.
#[cfg(feature = "nfc")]
pub fn annotator_folder(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    folder_of_nfc(&name.trim().nfc().collect::<String>())
}

/// The folder of a name already trimmed and in Unicode normal form C: a readable slug of the name (ASCII letters and digits, `-`
/// between words, at most 32 characters), `-`, and 8 hex digits of a hash of the name itself. The hash is of the name
/// as written, so `Ann` and `ann` are two folders even where the store ignores case.
pub fn folder_of_nfc(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 32 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "annotator" } else { slug };
    format!("{slug}-{:08x}", fnv1a(name.as_bytes()) as u32)
}

/// FNV-1a, 64 bits (Fowler, Noll & Vo): stable across platforms and versions, unlike the standard library's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
