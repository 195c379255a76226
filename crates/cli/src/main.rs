//! `concord`: the quality engine on the command line. Parses arguments, reads files, prints JSON — nothing else;
//! every number comes from `concord-engine`, the same functions the app calls.
//!
//! Exit codes: 0 success, 2 bad input or bad usage (message on stderr), 1 anything else.

mod commands;
mod input;

use std::process::ExitCode;

const USAGE: &str = "\
concord — data-labeling quality checks

usage:
  concord agreement FILE... [--order a,b,c] [--format F]
  concord gold FILE... --gold GOLD [--format F]
  concord aggregate FILE... --method mv|wmv|ds [--gold G] [--max-iter N] [--tol T] [--order a,b] [--out labels.csv]
  concord aggregate SPANS-OR-BOXES... [--quorum K] [--overlap] [--iou T]
  concord validate --bundle DIR ANNOTATIONS.jsonl... [--rules RULES.json]
  concord validate --rules RULES.json --cuboids SCENE.json
  concord validate-bundle DIR
  concord sample FILE.csv [--rate R | --margin E [--confidence C]] [--seed S] [--by annotator|label]
  concord order --bundle DIR [--strategy least-confidence|margin|entropy]
  concord order FILE.csv --strategy vote-entropy | --bundle DIR --strategy model-conflict [--min-score P]
  concord drift FILE.csv --gold GOLD.csv [--window day|week|N] [--alpha A] [--min-drop D]
  concord errors --bundle DIR ANNOTATIONS.jsonl [--reference REFERENCE.jsonl]
  concord plan --tiers TIERS.json --classes K --target T [--method mv|ds] [--max-overlap N]

FILE formats (detected by extension and content, or --format):
  csv         long format item,annotator,label (header required)
  spans       span JSONL {\"id\",\"text\",\"spans\":[{\"start\",\"end\",\"label\"}]}, one file per annotator
  bio         IOB2 token JSONL {\"id\",\"tokens\",\"tags\"}, one file per annotator
  labelstudio Label Studio JSON export
  coco        COCO instances JSON (ground truth) or COCO results (detections)

Output is JSON on stdout.
";

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
        Failure::Input(format!("{e}\n\n{USAGE}"))
    }
}

/// Pretty JSON of a report, fields in the order the engine declares them.
pub fn to_json(report: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(report).expect("reports hold only strings, numbers and finite floats")
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(command) = args.next() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest: Vec<std::ffi::OsString> = args.collect();
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
        Some("validate-bundle") => commands::validate_bundle::run(rest),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("-V" | "--version") => {
            println!("concord {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        _ => Err(Failure::Input(format!("unknown command `{}`\n\n{USAGE}", command.to_string_lossy()))),
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
