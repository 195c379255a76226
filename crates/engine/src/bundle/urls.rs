//! What a bundle may point at. Paths inside a bundle are relative and stay inside it; media URLs may also be
//! absolute `http(s)` or inline `data:image/` — never `javascript:`, `file:` or anything a browser would run.

use std::fmt;

/// A path or URL a bundle may not point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// An empty path.
    EmptyPath,
    /// An empty URL, or one with surrounding whitespace.
    EmptyOrPadded,
    /// An absolute path, a backslash or a scheme where a path inside the bundle is needed.
    NotInsideBundle(String),
    /// A `..` or empty segment.
    Traversal(String),
    /// A control character (shown escaped).
    ControlCharacter(String),
    /// A character a URL may not hold (shown escaped).
    ForbiddenCharacter(String),
    /// A `data:` URL that is not an image (shown shortened).
    NotImageData(String),
    /// A scheme other than http(s) and data:image/ (shown shortened).
    SchemeNotAllowed(String),
    /// A `//host/…` URL.
    ProtocolRelative(String),
    /// Plain `http://` to a host that is not this machine.
    PlainHttp(String),
    /// A folder URL that does not end with `/`.
    NotAFolder(String),
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::EmptyPath => f.write_str("empty path"),
            UrlError::EmptyOrPadded => f.write_str("empty URL or URL with surrounding whitespace"),
            UrlError::NotInsideBundle(p) => write!(f, "`{p}` must be a relative path inside the bundle"),
            UrlError::Traversal(p) => write!(f, "`{p}` must not contain `..` or empty segments"),
            UrlError::ControlCharacter(p) => write!(f, "`{p}` contains a control character"),
            UrlError::ForbiddenCharacter(u) => write!(f, "`{u}` contains a character not allowed in a URL"),
            UrlError::NotImageData(u) => write!(f, "`{u}`: only data:image/ URLs are allowed"),
            UrlError::SchemeNotAllowed(u) => {
                write!(f, "`{u}`: URL scheme not allowed (use a relative path, http(s): or data:image/)")
            }
            UrlError::ProtocolRelative(u) => write!(f, "`{u}`: protocol-relative URLs are not allowed"),
            UrlError::PlainHttp(u) => {
                write!(f, "`{u}`: plain http:// only reaches this machine (localhost, 127.0.0.1, [::1]); use https://")
            }
            UrlError::NotAFolder(u) => write!(f, "`{u}` must end with `/`: it names a folder"),
        }
    }
}

impl std::error::Error for UrlError {}

/// A path of a file inside the bundle (`tasks/000.jsonl`): relative, no `..`, no scheme, no backslash.
pub fn check_bundle_path(path: &str) -> Result<(), UrlError> {
    if path.is_empty() {
        return Err(UrlError::EmptyPath);
    }
    if path.starts_with('/') || path.contains("://") || path.contains('\\') || has_scheme(path) {
        return Err(UrlError::NotInsideBundle(path.to_string()));
    }
    if path.split('/').any(|seg| seg == ".." || seg.is_empty()) {
        return Err(UrlError::Traversal(path.to_string()));
    }
    if path.chars().any(|c| c.is_control()) {
        return Err(UrlError::ControlCharacter(path.escape_debug().to_string()));
    }
    Ok(())
}

/// A media URL in task data: a bundle-relative path, `http://`/`https://`, or `data:image/…`.
pub fn check_media_url(url: &str) -> Result<(), UrlError> {
    if url.trim() != url || url.is_empty() {
        return Err(UrlError::EmptyOrPadded);
    }
    if url.chars().any(|c| c.is_control() || c == ' ' || c == '"' || c == '<' || c == '>') {
        return Err(UrlError::ForbiddenCharacter(url.escape_debug().to_string()));
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("data:") {
        return if lower.starts_with("data:image/") { Ok(()) } else { Err(UrlError::NotImageData(truncate(url))) };
    }
    if has_scheme(url) {
        let ok = lower.starts_with("http://") || lower.starts_with("https://");
        return if ok && url.len() > lower.find("://").unwrap() + 3 {
            Ok(())
        } else {
            Err(UrlError::SchemeNotAllowed(truncate(url)))
        };
    }
    if url.starts_with("//") {
        return Err(UrlError::ProtocolRelative(url.to_string()));
    }
    check_bundle_path(url)
}

/// A sync folder's URL: absolute `https://`, `http://` to this machine only, or relative to the bundle (`..`
/// allowed: the folder often sits beside it); a folder, so it ends with `/`.
pub fn check_sync_url(url: &str) -> Result<(), UrlError> {
    if url.trim() != url || url.is_empty() {
        return Err(UrlError::EmptyOrPadded);
    }
    if url.chars().any(|c| c.is_control() || c == ' ' || c == '"' || c == '<' || c == '>' || c == '\\') {
        return Err(UrlError::ForbiddenCharacter(url.escape_debug().to_string()));
    }
    let lower = url.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let name = if host.starts_with('[') {
            host.split_inclusive(']').next().unwrap_or(host)
        } else {
            host.split(':').next().unwrap_or(host)
        };
        if !is_loopback(name) {
            return Err(UrlError::PlainHttp(truncate(url)));
        }
    } else if has_scheme(url) && !lower.starts_with("https://") {
        return Err(UrlError::SchemeNotAllowed(truncate(url)));
    } else if url.starts_with("//") {
        return Err(UrlError::ProtocolRelative(url.to_string()));
    }
    if !url.ends_with('/') {
        return Err(UrlError::NotAFolder(truncate(url)));
    }
    Ok(())
}

/// `localhost`, `[::1]`, or a dotted IPv4 address in 127.0.0.0/8 (not a name that merely starts with `127.`).
fn is_loopback(host: &str) -> bool {
    let quad: Vec<&str> = host.split('.').collect();
    host == "localhost"
        || host == "[::1]"
        || (quad.len() == 4
            && quad[0] == "127"
            && quad.iter().all(|p| (1..=3).contains(&p.len()) && p.parse::<u8>().is_ok()))
}

fn has_scheme(s: &str) -> bool {
    // RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
    match s.find(':') {
        Some(i) if i > 0 => {
            let scheme = &s[..i];
            scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !s[..i].contains('/')
        }
        _ => false,
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_urls() {
        for ok in ["images/a.svg", "a.png", "https://example.org/x.jpg", "data:image/png;base64,AAAA"] {
            assert!(check_media_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<b>",
            "//evil.example/x.png",
            "../x.png",
            "/abs.png",
            "",
            " a.png",
            "a b.png",
            "http://",
            "vbscript:x",
        ] {
            assert!(check_media_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bundle_paths() {
        assert!(check_bundle_path("tasks/000.jsonl").is_ok());
        for bad in ["../x", "/x", "a//b", "https://x/y", "c:\\x", "a\\b", "x:y"] {
            assert!(check_bundle_path(bad).is_err(), "{bad}");
        }
    }
}
