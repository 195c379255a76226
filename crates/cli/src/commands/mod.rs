//! One file per subcommand: parse its arguments, call the engine, return the JSON to print.

pub mod aggregate;
pub mod agreement;
pub mod bundle;
pub mod coverage;
pub mod drift;
pub mod errors;
pub mod export;
pub mod gold;
pub mod learn;
pub mod order;
pub mod plan;
pub mod pull;
pub mod qc;
pub mod review;
pub mod route;
pub mod sample;
pub mod tracking;
pub mod tracks;
pub mod validate;
pub mod validate_bundle;

use std::ffi::OsString;
use std::path::PathBuf;

use crate::Failure;

/// Options most commands share.
#[derive(Default)]
pub struct Common {
    pub files: Vec<PathBuf>,
    pub format: Option<String>,
    pub strict: bool,
    /// The project bundle, for Concord annotation exports and bundle-based commands.
    pub bundle: Option<PathBuf>,
    /// The control to read from Concord exports (default: the schema's first) or Label Studio exports.
    pub control: Option<String>,
    /// A Label Studio label config, for its flat exports (JSON_MIN, CSV).
    pub label_config: Option<PathBuf>,
}

impl Common {
    /// What the formats that need more than their files get.
    pub fn sources(&self) -> crate::input::Sources<'_> {
        crate::input::Sources {
            bundle: self.bundle.as_deref(),
            control: self.control.as_deref(),
            label_config: self.label_config.as_deref(),
        }
    }
}

/// Parses `args`, handing options it does not know to `other(name, parser)`.
pub fn parse(
    args: Vec<OsString>,
    mut other: impl FnMut(&str, &mut lexopt::Parser) -> Result<bool, Failure>,
) -> Result<Common, Failure> {
    use lexopt::prelude::*;
    let mut common = Common::default();
    let mut p = lexopt::Parser::from_args(args);
    while let Some(arg) = p.next()? {
        match arg {
            Long("format") => common.format = Some(p.value()?.string()?),
            Long("strict") => common.strict = true,
            Long("bundle") => common.bundle = Some(PathBuf::from(p.value()?)),
            Long("control") => common.control = Some(p.value()?.string()?),
            Long("label-config") => common.label_config = Some(PathBuf::from(p.value()?)),
            Value(v) => common.files.push(PathBuf::from(v)),
            Long(name) => {
                let name = name.to_string();
                if !other(&name, &mut p)? {
                    return Err(Failure::Input(format!("unknown option --{name}")));
                }
            }
            Short(c) => return Err(Failure::Input(format!("unknown option -{c}"))),
        }
    }
    Ok(common)
}
