//! Benchmarks of the search index: building it over the knowledge base and over SSL 3.1
//! (`../shared/corpus/ssl_3_1`, skipped when absent), and answering questions.
//!
//! `cargo bench -p bsl-knowledge`. For p95 figures use `bsl-assist search --bench`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use bsl_knowledge::{KnowledgeBase, SearchIndex, WorkspaceFile};

fn main() {
    divan::main();
}

const QUESTIONS: &[&str] = &[
    "как найти подстроку в строке",
    "how to start a transaction",
    "проверить что значение заполнено",
    "записать в журнал регистрации",
    "yaxunit проверить равенство",
    "чем заменить Сообщить",
    "ЗаписьЖурналаРегистрации",
    "StrFind",
];

fn ssl_files() -> Option<&'static [WorkspaceFile]> {
    static FILES: OnceLock<Option<Vec<WorkspaceFile>>> = OnceLock::new();
    FILES
        .get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/ssl_3_1");
            if !root.is_dir() {
                eprintln!("{} is missing: the SSL benchmarks measure nothing", root.display());
                return None;
            }
            let mut files = Vec::new();
            collect(&root, &root, &mut files);
            Some(files)
        })
        .as_deref()
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<WorkspaceFile>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "bsl" || e == "os")
            && let Ok(text) = bsl_syntax::source::decode(&std::fs::read(&path).unwrap())
        {
            files.push((PathBuf::from(path.strip_prefix(root).unwrap()), text));
        }
    }
}

#[divan::bench(sample_count = 10)]
fn build_knowledge_index() -> SearchIndex {
    SearchIndex::in_memory(KnowledgeBase::embedded(), &[]).unwrap()
}

#[divan::bench(args = QUESTIONS)]
fn query_knowledge(bencher: divan::Bencher, question: &str) {
    let index = SearchIndex::in_memory(KnowledgeBase::embedded(), &[]).unwrap();
    bencher.bench(|| index.search(question, 10).unwrap());
}

#[divan::bench(sample_count = 1, sample_size = 1)]
fn build_ssl_index(bencher: divan::Bencher) {
    let Some(files) = ssl_files() else { return };
    bencher.bench(|| {
        let cache = tempfile::tempdir().unwrap();
        SearchIndex::open_or_build(cache.path(), files).unwrap();
    });
}

#[divan::bench(args = QUESTIONS, sample_count = 20)]
fn query_ssl(bencher: divan::Bencher, question: &str) {
    static INDEX: OnceLock<Option<(tempfile::TempDir, SearchIndex)>> = OnceLock::new();
    let Some((_, index)) = INDEX
        .get_or_init(|| {
            let files = ssl_files()?;
            let cache = tempfile::tempdir().unwrap();
            let index = SearchIndex::open_or_build(cache.path(), files).unwrap();
            Some((cache, index))
        })
        .as_ref()
    else {
        return;
    };
    bencher.bench(|| index.search(question, 10).unwrap());
}
