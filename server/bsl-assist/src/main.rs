//! The `bsl-assist` command line: batch tools over BSL and OneScript sources.

mod cli;
mod files;
mod report;
mod ts_alloc;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Serve the Language Server Protocol over standard input and output.
    Lsp(LspArgs),
    /// Join the reports of `check --shard` runs into one.
    Merge(cli::merge::MergeArgs),
    /// Measure parse, check and language-server latencies on a folder.
    Bench(cli::bench::BenchArgs),
    /// Build the workspace index the language server uses and print its size and cost.
    Index(cli::index::IndexArgs),
    /// Search the knowledge base and a workspace's methods.
    Search(cli::search::SearchArgs),
    /// Say which knowledge, search index and retrieval are available, and why.
    Doctor(cli::doctor::DoctorArgs),
    /// Serve the Model Context Protocol for AI agents (stdio, or streamable HTTP with --http).
    Mcp(cli::mcp::McpArgs),
    /// Rank methods by defect risk, learnt from the repository's git history.
    Risk(cli::risk::RiskArgs),
    /// The assistants' results for one method: its doc comment, an explanation, YAxUnit tests.
    Assist(cli::assist::AssistArgs),
    /// Generate YAxUnit tests for a module's exported methods (or one method): print them,
    /// or with --write put them into the tests project without overwriting anything.
    GenTests(cli::assist::GenTestsArgs),
    /// The project report: composition, dependencies and cycles, findings and technical
    /// debt, test coverage, and the risk register from the git history.
    Report(cli::report::ReportArgs),
}

fn main() -> ExitCode {
    ts_alloc::install();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => cli::parse::run(&args),
        Command::Check(args) => cli::check::run(&args),
        Command::Lsp(args) => run_lsp(&args),
        Command::Merge(args) => cli::merge::run(&args),
        Command::Bench(args) => cli::bench::run(&args),
        Command::Index(args) => cli::index::run(&args),
        Command::Search(args) => cli::search::run(&args),
        Command::Doctor(args) => cli::doctor::run(&args),
        Command::Mcp(args) => cli::mcp::run(&args),
        Command::Risk(args) => cli::risk::run(&args),
        Command::Assist(args) => cli::assist::run(&args),
        Command::GenTests(args) => cli::assist::gen_tests(&args),
        Command::Report(args) => cli::report::run(&args),
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

#[derive(clap::Args)]
struct LspArgs {
    /// Accepted for clients that always pass it (vscode-languageclient): standard input and
    /// output are the only transport.
    #[arg(long)]
    stdio: bool,
    /// Serve Prometheus metrics at `http://<address>/metrics` (a loopback address, such as
    /// 127.0.0.1:9464). Editors that cannot pass arguments may set `BSL_ASSIST_METRICS`.
    #[arg(long)]
    metrics: Option<std::net::SocketAddr>,
}

fn run_lsp(args: &LspArgs) -> anyhow::Result<ExitCode> {
    let from_env = match std::env::var("BSL_ASSIST_METRICS") {
        Ok(value) if !value.trim().is_empty() => Some(
            value
                .trim()
                .parse::<std::net::SocketAddr>()
                .map_err(|e| anyhow::anyhow!("BSL_ASSIST_METRICS={value}: {e}"))?,
        ),
        _ => None,
    };
    let metrics = args.metrics.or(from_env);
    if let Some(address) = metrics
        && !address.ip().is_loopback()
    {
        anyhow::bail!("--metrics {address}: metrics are served on a loopback address only");
    }
    // JSON logs in the cache folder (`lsp.<date>.log`, a week kept); BSL_ASSIST_LOG sets
    // the level (info: methods and timings, never code).
    let level = std::env::var("BSL_ASSIST_LOG").unwrap_or_else(|_| "info".into());
    let level = bsl_mcp::logging::parse_level(&level).map_err(|e| anyhow::anyhow!("BSL_ASSIST_LOG: {e}"))?;
    let _log = bsl_mcp::logging::init_named(level, &bsl_mcp::logging::default_dir(), "lsp");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(bsl_lsp::run_stdio_with(metrics));
    // A thread may still sit in a blocking read of standard input; do not wait for it.
    runtime.shutdown_background();
    Ok(ExitCode::SUCCESS)
}
