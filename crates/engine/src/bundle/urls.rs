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
