//! The workspace loader: finds projects under the workspace folders and indexes them.
//!
//! [`discover`] walks the folders for Designer dumps (`Configuration.xml`), EDT projects
//! (`src/Configuration/Configuration.mdo`), configuration extensions in both formats and
//! OneScript libraries (`lib.config`, `packagedef`, folders of `.os` files). [`load`] reads
//! and parses every module and metadata description in parallel (rayon), keeps the facts in
//! a [`WorkspaceIndex`] and drops the syntax trees. This is the only place that reads files;
//! the model itself lives in `bsl_analysis::workspace`.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use bsl_analysis::workspace::{
    FileRole, MetadataError, MetadataObject, ModuleInfo, Project, ProjectFormat, WorkspaceIndex, classify,
    parse_lib_config, parse_metadata, parse_packagedef,
};
use rayon::prelude::*;
use walkdir::WalkDir;

pub use bsl_analysis::workspace;

/// Folders never worth walking into.
fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules" || name == "target" || name == "oscript_modules"
}

fn walk(root: &Path) -> impl Iterator<Item = walkdir::DirEntry> {
    WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_type().is_dir() || !skipped_dir(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
}

/// Finds every project under the given folders, sorted by root. A folder of `.os` files
/// without a `lib.config` or `packagedef` becomes a OneScript project at the nearest
/// ancestor holding a `src` folder, else at the workspace folder itself.
pub fn discover(roots: &[PathBuf]) -> Vec<Project> {
    let mut projects: HashMap<PathBuf, Project> = HashMap::new();
    let mut loose_scripts: Vec<(PathBuf, PathBuf)> = Vec::new();
    for root in roots {
        for entry in walk(root) {
            let path = entry.path();
            let file = entry.file_name().to_string_lossy();
            let parent = path.parent().unwrap_or(root).to_path_buf();
            match file.as_ref() {
                "Configuration.xml" => {
                    projects.insert(parent.clone(), configuration_project(path, parent, ProjectFormat::Designer));
                }
                "Configuration.mdo" => {
                    let src = parent.parent().filter(|_| parent.file_name().is_some_and(|n| n == "Configuration"));
                    if let Some(project_root) =
                        src.filter(|s| s.file_name().is_some_and(|n| n == "src")).and_then(Path::parent)
                    {
                        let project_root = project_root.to_path_buf();
                        projects.insert(
                            project_root.clone(),
                            configuration_project(path, project_root, ProjectFormat::Edt),
                        );
                    }
                }
                "lib.config" | "packagedef" => {
                    let project = projects
                        .entry(parent.clone())
                        .or_insert_with(|| Project::new(parent, ProjectFormat::OneScript));
                    if file == "packagedef"
                        && let Ok(text) = read_text(path)
                    {
                        project.name = parse_packagedef(&text).name;
                    }
                }
                _ if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("os")) => {
                    loose_scripts.push((root.clone(), path.to_path_buf()));
                }
                _ => {}
            }
        }
    }
    let mut script_roots: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    for (root, script) in loose_scripts {
        let owned = projects.values().any(|p| p.format == ProjectFormat::OneScript && script.starts_with(&p.root));
        if owned {
            continue;
        }
        let dir = script.parent().unwrap_or(&root).to_path_buf();
        let library = script_roots
            .entry(dir.clone())
            .or_insert_with(|| {
                dir.ancestors()
                    .take_while(|a| a.starts_with(&root))
                    .find(|a| a.join("src").is_dir())
                    .map(Path::to_path_buf)
            })
            .clone()
            .unwrap_or_else(|| root.clone());
        projects.entry(library.clone()).or_insert_with(|| Project::new(library, ProjectFormat::OneScript));
    }
    let mut projects: Vec<Project> = projects.into_values().collect();
    projects.sort_by(|a, b| a.root.cmp(&b.root));
    projects
}

fn configuration_project(path: &Path, root: PathBuf, format: ProjectFormat) -> Project {
    let mut project = Project::new(root, format);
    if let Ok(text) = read_text(path)
        && let Ok(object) = parse_metadata(&text)
    {
        project.name = Some(object.name);
        if let Some(info) = object.configuration {
            project.is_extension = info.is_extension;
            project.name_prefix = info.name_prefix;
        }
    }
    project
}

fn read_text(path: &Path) -> Result<String, String> {
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    bsl_syntax::source::decode(&bytes).map_err(|e| format!("{e:?}"))
}

/// What [`load_with_report`] did besides building the index.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub modules: usize,
    pub metadata_files: usize,
    pub bytes: u64,
    /// Files that could not be read or decoded, and why.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Metadata descriptions that did not parse (also kept in the index).
    pub metadata_errors: Vec<(PathBuf, MetadataError)>,
}

enum Job {
    Module(PathBuf),
    Metadata(PathBuf),
    LibConfig(PathBuf),
}

enum Outcome {
    Module(Box<ModuleInfo>, u64),
    Metadata(PathBuf, Box<Result<MetadataObject, MetadataError>>, u64),
    LibConfig(PathBuf, Result<Vec<bsl_analysis::workspace::LibEntry>, MetadataError>),
    Unreadable(PathBuf, String),
}

/// Reads and indexes every project; `progress(done, total)` is called from the worker
/// threads as files finish.
pub fn load(projects: &[Project], progress: impl Fn(usize, usize) + Sync) -> WorkspaceIndex {
    load_with_report(projects, progress).0
}

/// [`load`], with counts and the files that failed.
pub fn load_with_report(projects: &[Project], progress: impl Fn(usize, usize) + Sync) -> (WorkspaceIndex, LoadReport) {
    let mut index = WorkspaceIndex::new();
    for project in projects {
        index.add_project(project.clone());
    }
    let jobs = collect_jobs(projects);
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    progress(0, total);
    let outcomes: Vec<Outcome> = jobs
        .into_par_iter()
        .map(|job| {
            let outcome = run(job);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            outcome
        })
        .collect();

    let mut report = LoadReport::default();
    // lib.config first, so classes get their declared names as they are added.
    let (libs, rest): (Vec<Outcome>, Vec<Outcome>) =
        outcomes.into_iter().partition(|o| matches!(o, Outcome::LibConfig(..)));
    for outcome in libs.into_iter().chain(rest) {
        match outcome {
            Outcome::LibConfig(path, Ok(entries)) => {
                index.add_lib_config(path.parent().unwrap_or(Path::new("")), entries);
            }
            Outcome::LibConfig(path, Err(e)) => report.unreadable.push((path, e.to_string())),
            Outcome::Module(info, bytes) => {
                report.modules += 1;
                report.bytes += bytes;
                index.add_module_info(*info);
            }
            Outcome::Metadata(path, result, bytes) => {
                report.metadata_files += 1;
                report.bytes += bytes;
                match *result {
                    Ok(object) => index.add_metadata(&path, object),
                    Err(error) => {
                        // Kept in the index as a diagnostic on that file.
                        index.add_metadata_error(&path, error.clone());
                        report.metadata_errors.push((path, error));
                    }
                }
            }
            Outcome::Unreadable(path, why) => report.unreadable.push((path, why)),
        }
    }
    (index, report)
}

fn run(job: Job) -> Outcome {
    match job {
        Job::Module(path) => match read_text(&path) {
            Ok(text) => {
                let bytes = text.len() as u64;
                Outcome::Module(Box::new(ModuleInfo::from_text(&path, &text)), bytes)
            }
            Err(why) => Outcome::Unreadable(path, why),
        },
        Job::Metadata(path) => match read_text(&path) {
            Ok(text) => {
                let bytes = text.len() as u64;
                let result = parse_metadata(&text);
                Outcome::Metadata(path, Box::new(result), bytes)
            }
            Err(why) => Outcome::Unreadable(path, why),
        },
        Job::LibConfig(path) => match read_text(&path) {
            Ok(text) => Outcome::LibConfig(path, parse_lib_config(&text)),
            Err(why) => Outcome::Unreadable(path, why),
        },
    }
}

/// Every file each project owns: a file belongs to the deepest project of a fitting format
/// whose root holds it. The largest modules go first so the pool stays busy to the end.
fn collect_jobs(projects: &[Project]) -> Vec<Job> {
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut jobs: Vec<(u64, Job)> = Vec::new();
    for project in projects {
        for entry in walk(&project.root) {
            let path = entry.path();
            if seen.contains(path) {
                continue;
            }
            let Ok(rel) = path.strip_prefix(&project.root) else { continue };
            let Some(location) = classify(rel) else { continue };
            let fits = |p: &Project| match location.format {
                ProjectFormat::OneScript => p.format == ProjectFormat::OneScript,
                _ => p.format != ProjectFormat::OneScript,
            };
            let owner = projects
                .iter()
                .filter(|p| fits(p) && path.starts_with(&p.root))
                .max_by_key(|p| p.root.components().count());
            if owner.map(|p| &p.root) != Some(&project.root) {
                continue;
            }
            // Designer and EDT files must sit at the project's own root.
            if location.format != ProjectFormat::OneScript && !location.root.as_os_str().is_empty() {
                continue;
            }
            if location.format != ProjectFormat::OneScript && location.format != project.format {
                continue;
            }
            let size = entry.metadata().map_or(0, |m| m.len());
            let job = match location.role {
                FileRole::Module(_) => Job::Module(path.to_path_buf()),
                FileRole::ObjectMetadata | FileRole::ConfigurationMetadata => Job::Metadata(path.to_path_buf()),
                FileRole::LibConfig => Job::LibConfig(path.to_path_buf()),
                FileRole::PackageDef => continue,
            };
            seen.insert(path.to_path_buf());
            jobs.push((size, job));
        }
    }
    jobs.sort_by_key(|job| std::cmp::Reverse(job.0));
    jobs.into_iter().map(|(_, job)| job).collect()
}

/// Peak resident memory of this process in kilobytes (`VmHWM` from `/proc/self/status`),
/// where the system reports it.
pub fn peak_rss_kb() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
