//! The pilot (calibration) batch: the gate that decides on its agreement's interval (`gate.rs`), how well that
//! interval covers the truth (`coverage.rs`), and how many items a pilot needs (`plan.rs`).

mod coverage;
mod gate;
mod plan;

pub use coverage::{alpha_interval, simulate_coverage, Coverage, IntervalMethod, StudyDesign};
pub use gate::{pilot_gate, pilot_gate_for, with_gate, AlphaEvidence, BelowMinimum, PilotGate, ReportWithGate};
pub use plan::{plan_pilot, probability_open, PilotPlan, PilotQuestion, MAX_PILOT};
