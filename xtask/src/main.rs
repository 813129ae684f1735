//! `cargo xtask`: the one entry point for people and CI.
//!
//! - `setup`: installs the pinned toolchain (idempotent, seconds on a ready machine).
//! - `demo`: builds the dashboard and serves it with the emulator on 127.0.0.1.
//! - `test`: every check and test, in order, with one summary line per stage.
//! - `dist`: the release bundle in `dist/`, with the Content-Security-Policy completed (for
//!   Microsoft Graph only; the emulator's bundle is built elsewhere).
//! - `bench`: the benchmarks behind BENCHMARKS.md.

mod bench;
mod classes;
mod cmd;
mod csp;
mod demo;
mod dist;
mod emulator;
mod headers;
mod layout;
mod linkage;
mod locations;
mod minify;
mod setup;
mod size;
mod test;
mod wasm;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup                 install the pinned tools (wasm target, trunk, wasm-bindgen-cli,
                        chromium + chromedriver, npm packages); skips what is present
  demo [--port N]       build the dashboard and serve it with the emulator (default port 8080)
  test [--skip-setup] [--only fmt|clippy|native|browser|e2e] [--e2e NAME]
                        fmt, clippy, native tests, browser tests, end-to-end tests, size budget
                        (--e2e: only the tests/e2e files whose name contains NAME)
  dist [--base /PATH/]  the release bundle in dist/, for Microsoft Graph only (--base: hosted
                        under that path, e.g. /vigil/ on GitHub Pages); demo, test and bench
                        build their own bundles under the target folder, never in dist/
  size [DIR]            sizes of the bundle in DIR (default dist/; raw, gzip, brotli) against
                        the budget
  bench [--quick]       benchmarks; writes target/bench/report.json and BENCHMARKS.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "setup" => setup::run(),
        "demo" => demo::run(rest),
        "test" => test::run(rest),
        "dist" => dist::run(rest),
        "bench" => bench::run(rest),
        "size" => size::check_budget(std::path::Path::new(
            rest.first().map_or("dist", String::as_str),
        )),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
