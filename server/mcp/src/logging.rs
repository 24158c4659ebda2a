//! Structured logs through `tracing`: JSON lines to a file in `~/.cache/bsl-assist/logs`
//! (a new file every day, a week of them kept) at the chosen level, and warnings and errors
//! to standard error. Standard output stays the protocol's. At `info` the server logs what
//! was asked and how it went (tool names, durations, counts, paths), never code, arguments
//! or tokens; arguments appear at `debug`.

use std::path::{Path, PathBuf};

use tracing::level_filters::LevelFilter;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// `error`, `warn`, `info`, `debug`, `trace` or `off`.
pub fn parse_level(name: &str) -> Result<LevelFilter, String> {
    name.parse::<LevelFilter>().map_err(|_| format!("expected off, error, warn, info, debug or trace, got `{name}`"))
}

/// The default log folder: `$XDG_CACHE_HOME/bsl-assist/logs`, else `~/.cache/bsl-assist/logs`.
pub fn default_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("bsl-assist")
        .join("logs")
}

/// Installs the subscriber; keep the guard alive while the server runs (it flushes the file
/// on drop). A log folder that cannot be created leaves only the standard-error log.
pub fn init(level: LevelFilter, dir: &Path) -> Option<WorkerGuard> {
    init_named(level, dir, "mcp")
}

/// [`init`] with files named `<prefix>.<date>.log` (the language server uses `lsp`).
pub fn init_named(level: LevelFilter, dir: &Path, prefix: &str) -> Option<WorkerGuard> {
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .with_filter(LevelFilter::WARN.min(level));
    let file = std::fs::create_dir_all(dir).ok().and_then(|_| {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix(prefix)
            .filename_suffix("log")
            .max_log_files(7)
            .build(dir)
            .ok()
    });
    match file {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let file = tracing_subscriber::fmt::layer().json().with_writer(writer).with_ansi(false).with_filter(level);
            let _ = tracing_subscriber::registry().with(stderr).with(file).try_init();
            Some(guard)
        }
        None => {
            let _ = tracing_subscriber::registry().with(stderr).try_init();
            tracing::warn!(dir = %dir.display(), "cannot create the log folder; logging to standard error only");
            None
        }
    }
}
