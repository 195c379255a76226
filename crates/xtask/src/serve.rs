//! `cargo xtask serve [--port N] [--address A]`: the app and its demo projects on http://127.0.0.1:8080 (by
//! default), and the embed demo at /embed/ with the concord-qa package it loads (built first). The port is checked
//! before anything is built, so a busy port costs a second, not a build.

use crate::process;

pub fn run(args: &[String]) -> Result<(), String> {
    let (address, port) = options(args)?;
    // Bound and released at once: only to learn, before the build, whether trunk will be able to bind it.
    std::net::TcpListener::bind((address.as_str(), port)).map_err(|e| {
        format!(
            "cannot serve on {address}:{port} ({e}): stop what uses it, or choose another port: cargo xtask serve --port {}",
            port.saturating_add(1)
        )
    })?;
    crate::setup::run()?;
    crate::package::build()?;
    process::exec(process::cmd("trunk").args([
        "serve",
        "--release",
        "--address",
        &address,
        "--port",
        &port.to_string(),
    ]))
}

/// `--port N` (default 8080) and `--address A` (default 127.0.0.1); anything else is refused.
fn options(args: &[String]) -> Result<(String, u16), String> {
    let (mut address, mut port) = ("127.0.0.1".to_string(), 8080u16);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |what: &str| it.next().cloned().ok_or_else(|| format!("{a} needs {what}"));
        match a.as_str() {
            "--port" => {
                let v = value("a port number")?;
                port = v.parse().map_err(|_| format!("--port: `{v}` is not a port number (1–65535)"))?;
                if port == 0 {
                    return Err("--port: 0 is not a port to serve on".into());
                }
            }
            "--address" => address = value("an address")?,
            other => return Err(format!("serve: unknown option `{other}` (--port N, --address A)")),
        }
    }
    Ok((address, port))
}
