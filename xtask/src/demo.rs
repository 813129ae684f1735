//! `cargo xtask demo`: the dashboard and the emulator's demo tenant on 127.0.0.1.

use crate::{dist, emulator, setup};

pub fn run(args: &[String]) -> Result<(), String> {
    let mut port = "8080".to_string();
    let mut passthrough: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => port = it.next().ok_or("--port needs a number")?.clone(),
            // Every other flag goes to the emulator as is; `--import [TENANT=]FILE` only gets
            // its file made absolute, as the emulator runs from the repository root.
            "--import" => {
                let v = it.next().ok_or("--import needs a file")?;
                passthrough.push("--import".into());
                passthrough.push(absolute_import(v));
            }
            other => match other.strip_prefix("--import=") {
                Some(v) => {
                    passthrough.push("--import".into());
                    passthrough.push(absolute_import(v));
                }
                None => passthrough.push(other.to_string()),
            },
        }
    }
    port.parse::<u16>()
        .map_err(|_| format!("--port: `{port}` is not a port number"))?;
    setup::run()?;
    let bundle = dist::build_for_emulator()?.to_string_lossy().into_owned();
    let mut emu_args = vec!["--port", &port, "--dist", &bundle];
    emu_args.extend(passthrough.iter().map(String::as_str));
    let emulator = emulator::start(true, &emu_args)?;
    println!();
    println!("Vigil is running: open {}", emulator.app);
    println!(
        "Sign in on the emulator's page as the Analyst, the Manager or the eDiscovery manager."
    );
    println!(
        "(Microsoft's identity platform stand-in: {}, Graph stand-in: {})",
        emulator.authority, emulator.graph
    );
    println!("Press Ctrl-C to stop.");
    // The emulator runs until this process is interrupted; Ctrl-C reaches both.
    loop {
        std::thread::park();
    }
}

/// `FILE` or `TENANT=FILE` with FILE made absolute against the current directory (a value whose
/// whole text is an existing file is taken as a file, as the emulator does).
fn absolute_import(v: &str) -> String {
    let abs = |f: &str| {
        std::path::absolute(f)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| f.to_string())
    };
    if std::path::Path::new(v).exists() {
        return abs(v);
    }
    match v.split_once('=') {
        Some((tenant, file)) => format!("{tenant}={}", abs(file)),
        None => abs(v),
    }
}
