//! `cargo xtask serve`: the app and its demo projects on http://127.0.0.1:8080 (port and address in Trunk.toml).

use crate::process;

pub fn run() -> Result<(), String> {
    crate::setup::run()?;
    process::exec(process::cmd("trunk").args(["serve", "--release"]))
}
