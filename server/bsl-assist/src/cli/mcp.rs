//! `bsl-assist mcp`: serves the Model Context Protocol for AI agents over standard input and
//! output, or over streamable HTTP with `--http <port>`; see the `bsl-mcp` crate.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Args)]
pub struct McpArgs {
    /// The workspace folder (loaded once, when the server starts).
    #[arg(long, default_value = ".")]
    workspace: PathBuf,
    /// Serve streamable HTTP at `http://<bind>:<port>/mcp` instead of standard input and output.
    #[arg(long, value_name = "PORT")]
    http: Option<u16>,
    /// The address to listen on with `--http`; any but a loopback address needs `--token`.
    #[arg(long, default_value = "127.0.0.1", requires = "http")]
    bind: IpAddr,
    /// The bearer token HTTP clients must send (better: the BSL_ASSIST_MCP_TOKEN variable,
    /// which other users cannot see in the process list).
    #[arg(long, requires = "http")]
    token: Option<String>,
    /// Serve Prometheus metrics at `http://<address>/metrics` (a loopback address).
    #[arg(long, value_name = "ADDRESS")]
    metrics: Option<SocketAddr>,
    /// Log level of the log file: off, error, warn, info, debug or trace.
    #[arg(long, default_value = "info", value_parser = bsl_mcp::logging::parse_level)]
    log_level: bsl_mcp::LevelFilter,
    /// The log folder (default: ~/.cache/bsl-assist/logs); files rotate daily, a week is kept.
    #[arg(long)]
    log_dir: Option<PathBuf>,
}

pub fn run(args: &McpArgs) -> anyhow::Result<ExitCode> {
    let token = args.token.clone().or_else(|| std::env::var("BSL_ASSIST_MCP_TOKEN").ok().filter(|t| !t.is_empty()));
    bsl_mcp::run(bsl_mcp::Options {
        workspace: args.workspace.clone(),
        http: args.http,
        bind: args.bind,
        token: if args.http.is_some() { token } else { None },
        metrics: args.metrics,
        log_level: args.log_level,
        log_dir: args.log_dir.clone().unwrap_or_else(bsl_mcp::logging::default_dir),
    })?;
    Ok(ExitCode::SUCCESS)
}
