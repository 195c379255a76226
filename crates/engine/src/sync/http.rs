//! The two pieces of HTTP every sync client needs: paths as URL paths, and Basic credentials.

/// A sync-folder path as a URL path: every byte percent-encoded but letters, digits, `-._~` and the `/` between
/// segments (RFC 3986 unreserved characters).
pub fn encode_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The `Authorization` value for HTTP Basic (RFC 7617): `Basic ` and base64 (RFC 4648) of `user:password`.
pub fn basic_authorization(user: &str, password: &str) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::from("Basic ");
    for chunk in format!("{user}:{password}").as_bytes().chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for k in 0..4 {
            out.push(if k <= chunk.len() { ABC[(n >> (18 - 6 * k)) as usize & 63] as char } else { '=' });
        }
    }
    out
}
