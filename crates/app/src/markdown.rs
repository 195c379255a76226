//! Guideline markdown to HTML that is safe to insert: raw HTML is shown as text, and links or images with a
//! scheme other than http(s)/mailto/relative are neutralised. This is the only place the app turns text into
//! markup.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

pub fn to_safe_html(markdown: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    let events = Parser::new_ext(markdown, opts).map(|ev| match ev {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url), title, id })
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    add_heading_ids(&out)
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower: String =
        url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']).unwrap_or(usize::MAX);
    match scheme_end {
        Some(i) if i < path_start => {
            let scheme = &lower[..i];
            if matches!(scheme, "http" | "https" | "mailto") {
                url
            } else {
                CowStr::Borrowed("#unsafe-link-removed")
            }
        }
        _ => url,
    }
}

/// Gives `<h2>` and `<h3>` ids from their text (`## Edge cases` → `id="edge-cases"`) so that rules and gold can
/// link to guideline sections by anchor.
fn add_heading_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        let level = rest.as_bytes().get(i + 2).copied();
        let is_heading = matches!(level, Some(b'1'..=b'6')) && rest.as_bytes().get(i + 3) == Some(&b'>');
        if !is_heading {
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
            continue;
        }
        let close = format!("</h{}>", level.unwrap() as char);
        let body_start = i + 4;
        let Some(end) = rest[body_start..].find(&close) else {
            break;
        };
        let text = strip_tags(&rest[body_start..body_start + end]);
        out.push_str(&rest[..i + 3]);
        out.push_str(&format!(" id=\"{}\">", slug(&text)));
        rest = &rest[body_start..];
    }
    out.push_str(rest);
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

pub use concord_engine::guidelines::slug;

/// Splits a guideline into sections at its headings (outside code fences), each with its plain heading text,
/// so the guideline panel can show only the sections that match a search (`engine::guidelines::sections`).
pub fn sections(markdown: &str) -> Vec<(String, String)> {
    concord_engine::guidelines::sections(markdown).into_iter().map(|s| (s.title, s.markdown)).collect()
}
