//! `concord`: the quality engine on the command line. Parses arguments, reads files, prints JSON — nothing else;
//! every number comes from `concord-engine`, the same functions the app calls.
//!
//! Exit codes: 0 success, 2 bad input or bad usage (message on stderr), 1 anything else.

mod commands;
mod help;
mod input;
mod interval_options;

use std::process::ExitCode;

/// A failure: bad input or usage (exit 2) or anything else (exit 1).
pub enum Failure {
    Input(String),
    Other(String),
}

impl From<concord_engine::InputError> for Failure {
    fn from(e: concord_engine::InputError) -> Self {
        Failure::Input(e.to_string())
    }
}

impl From<lexopt::Error> for Failure {
    fn from(e: lexopt::Error) -> Self {
        Failure::Input(format!("{e}\n\n{}", help::overview()))
    }
}

/// Pretty JSON of a report, fields in the order the engine declares them.
pub fn to_json(report: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(report).expect("reports hold only strings, numbers and finite floats")
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(command) = args.next() else {
        eprint!("{}", help::overview());
        return ExitCode::from(2);
    };
    let rest: Vec<std::ffi::OsString> = args.collect();
    // `concord COMMAND --help` is `concord help COMMAND`.
    if let Some(c) = command.to_str().and_then(help::find) {
        if rest.iter().any(|a| a == "--help" || a == "-h") {
            print!("{}", help::command(c));
            return ExitCode::SUCCESS;
        }
    }
    let result = match command.to_str() {
        Some("agreement") => commands::agreement::run(rest),
        Some("aggregate") => commands::aggregate::run(rest),
        Some("gold") => commands::gold::run(rest),
        Some("validate") => commands::validate::run(rest),
        Some("sample") => commands::sample::run(rest),
        Some("order") => commands::order::run(rest),
        Some("drift") => commands::drift::run(rest),
        Some("errors") => commands::errors::run(rest),
        Some("plan") => commands::plan::run(rest),
        Some("coverage") => commands::coverage::run(rest),
        Some("validate-bundle") => commands::validate_bundle::run(rest),
        Some("bundle") => commands::bundle::run(rest),
        Some("export") => commands::export::run(rest),
        Some("learn") => commands::learn::run(rest),
        Some("review") => commands::review::run(rest),
        Some("qc") => commands::qc::run(rest),
        Some("route") => commands::route::run(rest),
        Some("pull") => commands::pull::run(rest),
        Some("tracking") => commands::tracking::run(rest),
        Some("tracks") => commands::tracks::run(rest),
        Some("-h" | "--help" | "help") => {
            let topic = rest.first().map(|t| t.to_string_lossy().into_owned());
            match topic.as_deref() {
                None => print!("{}", help::overview()),
                Some("--markdown") => print!("{}", help::markdown()),
                Some(name) => match help::find(name) {
                    Some(c) => print!("{}", help::command(c)),
                    None => {
                        eprint!("concord: no command `{name}`\n\n{}", help::overview());
                        return ExitCode::from(2);
                    }
                },
            }
            return ExitCode::SUCCESS;
        }
        Some("-V" | "--version") => {
            println!("concord {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        _ => Err(Failure::Input(format!("unknown command `{}`\n\n{}", command.to_string_lossy(), help::overview()))),
    };
    match result {
        Ok(json) => {
            // A closed pipe (`concord … | head`) is not an error of ours: stop quietly.
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            if let Err(e) = writeln!(out, "{json}").and_then(|_| out.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("concord: cannot write the result: {e}");
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Input(msg)) => {
            eprintln!("concord: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Other(msg)) => {
            eprintln!("concord: {msg}");
            ExitCode::from(1)
        }
    }
}
