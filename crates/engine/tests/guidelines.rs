//! Guideline sections and the difference between two versions, on documents worked out by hand.

use concord_engine::guidelines::{diff_guidelines, sections, LineChange, SectionChange};

const OLD: &str = "# Retail\nChoose one category.\n\n## Dairy\n`milk` (carton), `cheese`.\n\n## Frozen\nIce cream.\n\n## Drinks\n`water`, `soda`.\n";
const NEW: &str = "# Retail\nChoose one category.\n\n## Dairy\n`milk` (carton), `cheese`.\nA carton reading JUICE is `juice`.\n\n## Drinks\n`water`, `soda`.  \n\n## Examples\n| shows | label |\n";

#[test]
fn sections_split_at_headings_outside_code_fences() {
    let s = sections("intro\n# A title\ntext\n```\n# not a heading\n```\n### Deep one ###\nx\n#nospace\n");
    let got: Vec<(&str, &str, usize)> = s.iter().map(|s| (s.title.as_str(), s.anchor.as_str(), s.level)).collect();
    assert_eq!(got, vec![("", "", 0), ("A title", "#a-title", 1), ("Deep one", "#deep-one", 3)]);
    assert_eq!(s[1].markdown, "# A title\ntext\n```\n# not a heading\n```\n");
    assert!(s[2].markdown.ends_with("#nospace\n"));
}

#[test]
fn a_diff_names_sections_added_removed_and_changed_and_the_lines_within() {
    let d = diff_guidelines(OLD, NEW);
    let got: Vec<(&str, SectionChange)> = d.iter().map(|s| (s.anchor.as_str(), s.change)).collect();
    assert_eq!(
        got,
        vec![
            ("#retail", SectionChange::Unchanged),
            ("#dairy", SectionChange::Changed),
            ("#frozen", SectionChange::Removed),
            ("#drinks", SectionChange::Unchanged), // a trailing space is not a change
            ("#examples", SectionChange::Added),
        ]
    );
    assert_eq!(
        d[1].lines,
        vec![
            LineChange::Kept("## Dairy".into()),
            LineChange::Kept("`milk` (carton), `cheese`.".into()),
            LineChange::Added("A carton reading JUICE is `juice`.".into()),
        ]
    );
    assert_eq!(d[2].markdown, "## Frozen\nIce cream.\n\n");
    // The other way round: what was added is removed.
    let back = diff_guidelines(NEW, OLD);
    assert_eq!(back.iter().find(|s| s.anchor == "#examples").unwrap().change, SectionChange::Removed);
    assert_eq!(back.iter().find(|s| s.anchor == "#frozen").unwrap().change, SectionChange::Added);
    assert_eq!(back[1].lines[2], LineChange::Removed("A carton reading JUICE is `juice`.".into()));
    // A version against itself: nothing changed.
    assert!(diff_guidelines(NEW, NEW).iter().all(|s| s.change == SectionChange::Unchanged));
}

#[test]
fn a_replaced_line_is_removed_then_added() {
    let d = diff_guidelines("## A\none\ntwo\nthree\n", "## A\none\n2\nthree\n");
    assert_eq!(
        d[0].lines,
        vec![
            LineChange::Kept("## A".into()),
            LineChange::Kept("one".into()),
            LineChange::Removed("two".into()),
            LineChange::Added("2".into()),
            LineChange::Kept("three".into()),
        ]
    );
}
