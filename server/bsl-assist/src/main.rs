//! The `bsl-assist` command line: batch tools over BSL and OneScript sources.

mod cli;
mod files;
mod report;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "bsl-assist", version, about = "Language tools for 1C:Enterprise (BSL) and OneScript")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse modules and report syntax errors, with statistics.
    Parse(cli::parse::ParseArgs),
    /// Run the rules over modules and report what they find.
    Check(cli::check::CheckArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => cli::parse::run(&args),
        Command::Check(args) => cli::check::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // A closed pipe (`bsl-assist check ... | head`) is not an error worth a message.
            if error.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("bsl-assist: {error:#}");
            ExitCode::from(2)
        }
    }
}
