//! What a bundle may point at. Paths inside a bundle are relative and stay inside it; media URLs may also be
//! absolute `http(s)` or inline `data:image/` — never `javascript:`, `file:` or anything a browser would run.

/// A path of a file inside the bundle (`tasks/000.jsonl`): relative, no `..`, no scheme, no backslash.
pub fn check_bundle_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("empty path".into());
    }
    if path.starts_with('/') || path.contains("://") || path.contains('\\') || has_scheme(path) {
        return Err(format!("`{path}` must be a relative path inside the bundle"));
    }
    if path.split('/').any(|seg| seg == ".." || seg.is_empty()) {
        return Err(format!("`{path}` must not contain `..` or empty segments"));
    }
    if path.chars().any(|c| c.is_control()) {
        return Err(format!("`{}` contains a control character", path.escape_debug()));
    }
    Ok(())
}

/// A media URL in task data: a bundle-relative path, `http://`/`https://`, or `data:image/…`.
pub fn check_media_url(url: &str) -> Result<(), String> {
    if url.trim() != url || url.is_empty() {
        return Err("empty URL or URL with surrounding whitespace".into());
    }
    if url.chars().any(|c| c.is_control() || c == ' ' || c == '"' || c == '<' || c == '>') {
        return Err(format!("`{}` contains a character not allowed in a URL", url.escape_debug()));
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("data:") {
        return if lower.starts_with("data:image/") {
            Ok(())
        } else {
            Err(format!("`{}`: only data:image/ URLs are allowed", truncate(url)))
        };
    }
    if has_scheme(url) {
        let ok = lower.starts_with("http://") || lower.starts_with("https://");
        return if ok && url.len() > lower.find("://").unwrap() + 3 {
            Ok(())
        } else {
            Err(format!("`{}`: URL scheme not allowed (use a relative path, http(s): or data:image/)", truncate(url)))
        };
    }
    if url.starts_with("//") {
        return Err(format!("`{url}`: protocol-relative URLs are not allowed"));
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
