//! Finds module files under the paths given on the command line and reads them as text.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use bsl_syntax::source::{DecodeError, decode};

/// Whether a path names a BSL (`.bsl`) or OneScript (`.os`) module.
pub fn is_module(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("bsl") || e.eq_ignore_ascii_case("os"))
}

/// Every module under `paths`, sorted. A file named explicitly is taken whatever its
/// extension; directories are walked without following symlinks, skipping `.git`.
pub fn discover(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
        if metadata.is_file() {
            files.push(path.clone());
            continue;
        }
        if !metadata.is_dir() {
            bail!("{}: neither a file nor a directory", path.display());
        }
        let walker = walkdir::WalkDir::new(path).into_iter().filter_entry(|e| e.file_name() != ".git");
        for entry in walker {
            let entry = entry.with_context(|| format!("{}: cannot walk", path.display()))?;
            if entry.file_type().is_file() && is_module(entry.path()) {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Why a module could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Decode(DecodeError),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "cannot read: {error}"),
            ReadError::Decode(error) => error.fmt(f),
        }
    }
}

/// Reads a module: its size in bytes on disk, its text, and whether it began with a UTF-8
/// byte order mark (kept when the file is written back).
pub fn read_module(path: &Path) -> Result<(usize, String, bool), ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    let text = decode(&bytes).map_err(ReadError::Decode)?;
    Ok((bytes.len(), text, bytes.starts_with(b"\xEF\xBB\xBF")))
}

/// Writes a module back after `--fix`, through a temporary file renamed over the original
/// so a crash never leaves half a module.
pub fn write_module(path: &Path, text: &str, bom: bool) -> std::io::Result<()> {
    let mut bytes = Vec::with_capacity(text.len() + 3);
    if bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    bytes.extend_from_slice(text.as_bytes());
    let temporary = path.with_extension("bsl-assist-tmp");
    std::fs::write(&temporary, &bytes)?;
    std::fs::rename(&temporary, path)
}
