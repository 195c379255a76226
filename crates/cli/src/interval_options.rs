//! The options every command with bootstrap intervals shares: `--replicates N` (0: none), `--seed S`, `--level L`,
//! and the pilot gate's `--minimum M` with `--decide-by lower-bound|point-estimate|risk:R`.

use concord_engine::bundle::GateRule;
use concord_engine::resample::BootstrapSettings;

use crate::Failure;

#[derive(Debug, Clone, Copy, Default)]
pub struct IntervalOptions {
    pub bootstrap: BootstrapSettings,
    pub minimum: Option<f64>,
    pub decide_by: Option<GateRule>,
}

impl IntervalOptions {
    /// Whether `--name` is one of these options (each takes a value).
    pub fn knows(name: &str) -> bool {
        matches!(name, "replicates" | "seed" | "level" | "minimum" | "decide-by")
    }

    /// Takes `--name value` if it is one of these options: `Ok(false)` when it is not.
    pub fn take(&mut self, name: &str, v: &str) -> Result<bool, Failure> {
        let bad = |why: &str| Failure::Input(format!("--{name}: `{v}` {why}"));
        match name {
            "replicates" => self.bootstrap.replicates = v.parse().map_err(|_| bad("is not a whole number"))?,
            "seed" => self.bootstrap.seed = v.parse().map_err(|_| bad("is not a whole number"))?,
            "level" => {
                let l: f64 = v.parse().map_err(|_| bad("is not a number"))?;
                if !(l > 0.0 && l < 1.0) {
                    return Err(bad("is not a level in (0, 1), e.g. 0.95"));
                }
                self.bootstrap.level = l;
            }
            "minimum" => {
                let m: f64 = v.parse().map_err(|_| bad("is not a number"))?;
                if !(-1.0..=1.0).contains(&m) {
                    return Err(bad("is not an agreement in [-1, 1]"));
                }
                self.minimum = Some(m);
            }
            "decide-by" => self.decide_by = Some(parse_rule(v).map_err(|why| bad(&why))?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// `lower-bound`, `point-estimate` or `risk:R` with R in (0, 0.5).
pub fn parse_rule(v: &str) -> Result<GateRule, String> {
    match v {
        "lower-bound" => Ok(GateRule::LowerBound),
        "point-estimate" => Ok(GateRule::PointEstimate),
        _ => match v.strip_prefix("risk:").map(str::parse::<f64>) {
            Some(Ok(r)) if r > 0.0 && r < 0.5 => Ok(GateRule::Risk(r)),
            Some(_) => Err("needs a risk in (0, 0.5), e.g. risk:0.05".into()),
            None => Err("is not lower-bound, point-estimate or risk:R".into()),
        },
    }
}
