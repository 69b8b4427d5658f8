//! The `naql` command: parse arguments, run, map the outcome to an exit code.
//!
//! Exit codes: 0 every document ok; 1 tables written but some documents failed;
//! 2 nothing done (usage error, unwritable output). A closed stdout is not an error.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: the workers allocate a document's
/// results and the writing thread frees them, which glibc's per-thread arenas serve
/// with lock hand-offs between the two (measured: allocation was 7% of the run).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("naql: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A reader of our stdout went away (`naql ... | head`): not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
