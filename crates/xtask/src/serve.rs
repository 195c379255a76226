//! `cargo xtask serve`: the app and its demo projects on http://127.0.0.1:8080 (port and address in Trunk.toml), and
//! the embed demo at /embed/ with the concord-qa package it loads (built first).

use crate::process;

pub fn run() -> Result<(), String> {
    crate::setup::run()?;
    crate::package::build()?;
    process::exec(process::cmd("trunk").args(["serve", "--release"]))
}
