//! `cargo xtask demo`: the dashboard and the emulator's demo tenant on 127.0.0.1.

use crate::{dist, emulator, setup};

pub fn run(args: &[String]) -> Result<(), String> {
    let mut port = "8080".to_string();
    let mut passthrough: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => port = it.next().ok_or("--port needs a number")?.clone(),
            other => passthrough.push(other.to_string()),
        }
    }
    port.parse::<u16>()
        .map_err(|_| format!("--port: `{port}` is not a port number"))?;
    setup::run()?;
    dist::build(true)?;
    let mut emu_args = vec!["--port", &port, "--dist", "dist"];
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
