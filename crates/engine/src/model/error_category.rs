//! What kind of error an annotation has: one vocabulary for the errors a comparison finds (`errors`) and those a
//! reviewer judges (`qc`, review verdicts), so root-cause tallies from both speak the same names.

use serde::{Deserialize, Serialize};

/// An error's kind; serialised in snake_case (`wrong_label`, …), the names every file and report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCategory {
    /// A different label (class, span label, region label).
    WrongLabel,
    /// A region of the reference that the annotation lacks.
    MissedRegion,
    /// A region of the annotation that the reference lacks.
    ExtraRegion,
    /// The right region with loose boundaries (a span off by some tokens, a box or polygon below the tight IoU).
    Boundary,
    /// The right region with different attributes.
    Attribute,
    /// A guideline rule the annotation breaks.
    RuleViolation,
    /// A reviewer's judgement that the guideline was misread.
    GuidelineMisinterpretation,
}

impl ErrorCategory {
    /// What a comparison with a reference can find (`errors::classify`), in report order.
    pub const FOUND: [ErrorCategory; 6] = [
        ErrorCategory::WrongLabel,
        ErrorCategory::MissedRegion,
        ErrorCategory::ExtraRegion,
        ErrorCategory::Boundary,
        ErrorCategory::Attribute,
        ErrorCategory::RuleViolation,
    ];
    /// What a reviewer chooses from when a check fails or a region is fixed, in menu order.
    pub const JUDGED: [ErrorCategory; 6] = [
        ErrorCategory::WrongLabel,
        ErrorCategory::MissedRegion,
        ErrorCategory::ExtraRegion,
        ErrorCategory::Boundary,
        ErrorCategory::Attribute,
        ErrorCategory::GuidelineMisinterpretation,
    ];

    /// The serialised name.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCategory::WrongLabel => "wrong_label",
            ErrorCategory::MissedRegion => "missed_region",
            ErrorCategory::ExtraRegion => "extra_region",
            ErrorCategory::Boundary => "boundary",
            ErrorCategory::Attribute => "attribute",
            ErrorCategory::RuleViolation => "rule_violation",
            ErrorCategory::GuidelineMisinterpretation => "guideline_misinterpretation",
        }
    }
}
