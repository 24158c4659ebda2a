//! The search index: retrieval quality on the evaluation set (recall@5 and MRR, BM25 alone and
//! hybrid with dense vectors when the model is installed) and the
//! index's life cycle (cache directory, version marker, corruption, incremental updates).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use bsl_knowledge::index::MARKER_FILE;
use bsl_knowledge::{
    DenseOptions, DocKind, EmbedSettings, Fusion, KnowledgeBase, Opened, Scope, SearchIndex, WorkspaceFile,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct EvalSet {
    question: Vec<Question>,
}

#[derive(Deserialize)]
struct Question {
    q: String,
    answers: Vec<String>,
}

fn eval_set() -> EvalSet {
    let text = include_str!("data/retrieval_eval.toml");
    toml::from_str(text).expect("the evaluation set parses")
}

fn knowledge_index() -> SearchIndex {
    SearchIndex::in_memory(KnowledgeBase::embedded(), &[]).expect("the knowledge index builds")
}

/// Scores of one retrieval on the evaluation set.
struct Scores {
    recall: f64,
    mrr: f64,
    ru: (usize, usize),
    en: (usize, usize),
    ru_mrr: f64,
    en_mrr: f64,
    misses: Vec<String>,
}

fn is_russian(text: &str) -> bool {
    text.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
}

/// recall@5: the share of questions with an answer among the first five hits; MRR: the mean
/// of 1/rank of the first answer (0 when none is in the first ten).
fn score(set: &EvalSet, search: impl Fn(&str) -> Vec<bsl_knowledge::Hit>) -> Scores {
    let (mut found, mut reciprocal) = (0usize, 0f64);
    let (mut ru, mut en) = ((0, 0), (0, 0));
    let (mut ru_rr, mut en_rr) = (0f64, 0f64);
    let mut misses = Vec::new();
    for q in &set.question {
        let hits = search(&q.q);
        let rank = hits.iter().take(10).position(|h| q.answers.contains(&h.id));
        let side = if is_russian(&q.q) { &mut ru } else { &mut en };
        side.1 += 1;
        if let Some(rank) = rank {
            reciprocal += 1.0 / (rank + 1) as f64;
            *(if is_russian(&q.q) { &mut ru_rr } else { &mut en_rr }) += 1.0 / (rank + 1) as f64;
        }
        if rank.is_some_and(|r| r < 5) {
            found += 1;
            side.0 += 1;
        } else {
            let top: Vec<&str> = hits.iter().take(5).map(|h| h.id.as_str()).collect();
            misses.push(format!("  {:?}: rank {:?}, top 5 {top:?}", q.q, rank.map(|r| r + 1)));
        }
    }
    let n = set.question.len() as f64;
    Scores {
        recall: found as f64 / n,
        mrr: reciprocal / n,
        ru,
        en,
        ru_mrr: ru_rr / ru.1.max(1) as f64,
        en_mrr: en_rr / en.1.max(1) as f64,
        misses,
    }
}

fn report_line(name: &str, s: &Scores) {
    println!(
        "{name:<30} recall@5 = {:.3} (Russian {}/{}, English {}/{}), MRR@10 = {:.3} (Russian {:.3}, English {:.3})",
        s.recall, s.ru.0, s.ru.1, s.en.0, s.en.1, s.mrr, s.ru_mrr, s.en_mrr
    );
}

#[test]
fn bm25_recall_and_mrr_on_the_evaluation_set() {
    let set = eval_set();
    let index = knowledge_index();
    assert!(set.question.len() >= 60, "at least 60 questions, got {}", set.question.len());
    let all_ids: HashSet<String> = {
        let mut ids = HashSet::new();
        for q in &set.question {
            for a in &q.answers {
                ids.insert(a.clone());
            }
        }
        ids
    };
    let known: HashSet<String> = bsl_knowledge::index::knowledge_ids(KnowledgeBase::embedded()).into_iter().collect();
    for id in &all_ids {
        assert!(known.contains(id), "{id} is not an entry of the knowledge base");
    }
    let bm25 = score(&set, |q| index.search_in(q, 10, Scope::Knowledge).unwrap());
    println!("{} questions", set.question.len());
    report_line("BM25", &bm25);
    if !bm25.misses.is_empty() {
        println!("missed:\n{}", bm25.misses.join("\n"));
    }
    assert!(bm25.recall >= 0.9, "recall@5 {:.3} < 0.9", bm25.recall);
}

/// The embedding settings for the hybrid test: the environment's, else the env file that
/// `scripts/install-embeddings.sh` writes into the tools cache.
fn embedding_settings() -> EmbedSettings {
    let from_env = EmbedSettings::from_env();
    if from_env.model.is_some() {
        return from_env;
    }
    let cache = std::env::var_os("BSL_ASSIST_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/bsl-assist")))
        .unwrap_or_default();
    let Ok(text) = std::fs::read_to_string(cache.join("tools/embeddings/env")) else { return from_env };
    let mut settings = from_env;
    for line in text.lines() {
        let Some((name, value)) = line.trim().trim_start_matches("export ").split_once('=') else { continue };
        let value = PathBuf::from(value.trim().trim_matches('"'));
        match name.trim() {
            "BSL_ASSIST_ORT_DYLIB" => settings.ort_dylib = Some(value),
            "BSL_ASSIST_EMBED_MODEL" => settings.model = Some(value),
            "BSL_ASSIST_EMBED_TOKENIZER" => settings.tokenizer = Some(value),
            _ => {}
        }
    }
    settings
}

/// BM25 alone and hybrid (BM25 fused with all-MiniLM-L6-v2 vectors) on the evaluation set.
/// Runs when the model files are there (`scripts/install-embeddings.sh`); with
/// `BSL_ASSIST_REQUIRE_EMBEDDINGS=1` their absence fails the test.
#[test]
fn hybrid_recall_and_mrr_on_the_evaluation_set() {
    let settings = embedding_settings();
    let required = std::env::var("BSL_ASSIST_REQUIRE_EMBEDDINGS").is_ok_and(|v| v == "1");
    let present = [&settings.ort_dylib, &settings.model, &settings.tokenizer]
        .iter()
        .all(|p| p.as_ref().is_some_and(|p| p.is_file()));
    if !present {
        let message = format!(
            "the embedding model is not installed (run scripts/install-embeddings.sh): {:?}, {:?}, {:?}",
            settings.ort_dylib, settings.model, settings.tokenizer
        );
        assert!(!required, "BSL_ASSIST_REQUIRE_EMBEDDINGS=1: {message}");
        println!("skipped: {message}");
        return;
    }
    let embedder = settings.embedder().expect("the embedder loads").expect("an embedder is configured");
    let set = eval_set();
    // The vectors are cached beside the model, so only the first run embeds (about a minute
    // or two in a debug build); `bsl-assist search --bench --hybrid` measures the embedding.
    let cache = settings.model.as_ref().unwrap().parent().unwrap().join("../../test-vectors");
    let options = DenseOptions { cache_dir: Some(cache), ..DenseOptions::default() };
    let mut index = knowledge_index();
    let report = index.enable_dense(embedder.clone(), options.clone()).unwrap().clone();
    println!(
        "{} knowledge documents: {} embedded in {:.1} s, {} from the cache; {}",
        report.knowledge_docs, report.embedded, report.seconds, report.cached, report.model
    );
    assert_eq!(report.embedded + report.cached, report.knowledge_docs);
    assert!(report.knowledge_docs > 500, "{report:?}");
    // A second index reuses the cached vectors.
    let mut again = knowledge_index();
    let reused = again.enable_dense(embedder, options).unwrap();
    assert_eq!((reused.embedded, reused.cached), (0, report.knowledge_docs), "{reused:?}");
    println!("reopened with cached vectors in {:.2} s", reused.seconds);

    let bm25 = score(&set, |q| index.search_bm25(q, 10, Scope::Knowledge).unwrap());
    println!("{} questions", set.question.len());
    report_line("BM25", &bm25);
    let variants = [
        ("dense alone", Fusion { bm25_weight: 0.0, bm25_lead: 0, ..Fusion::PLAIN }),
        ("RRF k=60, equal weights", Fusion::PLAIN),
        ("RRF k=60, dense weight 0.5", Fusion { dense_weight: 0.5, ..Fusion::PLAIN }),
        ("RRF k=60, dense weight 0.25", Fusion { dense_weight: 0.25, ..Fusion::PLAIN }),
        ("RRF k=60, BM25's top 3 kept", Fusion { bm25_lead: 3, ..Fusion::PLAIN }),
        ("RRF, 0.5 dense, top 3 kept", Fusion { dense_weight: 0.5, bm25_lead: 3, ..Fusion::PLAIN }),
        ("RRF, 0.25 dense, top 3 kept", Fusion { dense_weight: 0.25, bm25_lead: 3, ..Fusion::PLAIN }),
        ("RRF, top 5 kept", Fusion { bm25_lead: 5, ..Fusion::PLAIN }),
        ("default: 0.5 dense, top 4 kept", Fusion::default()),
    ];
    let mut default = None;
    for (name, fusion) in variants {
        index.set_fusion(fusion);
        let s = score(&set, |q| index.search_in(q, 10, Scope::Knowledge).unwrap());
        report_line(name, &s);
        if fusion == Fusion::default() {
            default = Some(s);
        }
    }
    let hybrid = default.unwrap();
    if !hybrid.misses.is_empty() {
        println!("hybrid (default) missed:\n{}", hybrid.misses.join("\n"));
    }
    assert!(hybrid.recall >= 0.9, "hybrid recall@5 {:.3} < 0.9", hybrid.recall);
    // English questions, which the model understands, find their answers by meaning alone.
    index.set_fusion(Fusion { bm25_weight: 0.0, bm25_lead: 0, ..Fusion::PLAIN });
    let hits = index.search_in("how do I split text by a delimiter", 10, Scope::Knowledge).unwrap();
    assert!(hits.iter().take(5).any(|h| h.id == "method:СтрРазделить"), "{:?}", ids(&hits));
}

#[test]
fn identifiers_are_found_by_their_words_and_whole() {
    let index = knowledge_index();
    let cases: &[(&str, &str)] = &[
        ("запись журнала регистрации", "method:ЗаписьЖурналаРегистрации"),
        ("ЗаписьЖурналаРегистрации", "method:ЗаписьЖурналаРегистрации"),
        ("записьжурналарегистрации", "method:ЗаписьЖурналаРегистрации"),
        ("WriteLogEvent", "method:ЗаписьЖурналаРегистрации"),
        ("write log event", "method:ЗаписьЖурналаРегистрации"),
        ("StrFind", "method:СтрНайти"),
        ("СтрНайти", "method:СтрНайти"),
        ("ЗНАЧЕНИЕЗАПОЛНЕНО", "method:ЗначениеЗаполнено"),
        ("HTTPСоединение", "type:HTTPСоединение"),
        ("http соединение", "type:HTTPСоединение"),
    ];
    for (query, id) in cases {
        let hits = index.search(query, 3).unwrap();
        assert!(hits.iter().any(|h| h.id == *id), "{query:?} should find {id}, got {:?}", ids(&hits));
    }
}

fn ids(hits: &[bsl_knowledge::Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

const MODULE: &str = "\
// Пишет событие в журнал.
//
// Параметры:
//   Текст - Строка - что случилось.
Процедура ЗаписатьСобытиеОбмена(Текст) Экспорт
\tЗаписьЖурналаРегистрации(\"Обмен\", УровеньЖурналаРегистрации.Ошибка, , , Текст);
КонецПроцедуры

Функция НайтиПозицию(Строка, Подстрока)
\tВозврат СтрНайти(Строка, Подстрока);
КонецФункции

Процедура ИдентификаторДлинойВСорокБуквКириллицейЖ()
КонецПроцедуры
";

fn files(list: &[(&str, &str)]) -> Vec<WorkspaceFile> {
    list.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())).collect()
}

fn code_titles(index: &SearchIndex, query: &str) -> Vec<String> {
    index.search_in(query, 10, Scope::Code).unwrap().into_iter().map(|h| h.title).collect()
}

fn code_ids(index: &SearchIndex, query: &str) -> Vec<String> {
    index.search_in(query, 10, Scope::Code).unwrap().into_iter().map(|h| h.id).collect()
}

#[test]
fn workspace_methods_are_searchable_with_path_lines_and_kind() {
    let path = "src/CommonModules/Обмен/Ext/Module.bsl";
    let index = SearchIndex::in_memory(KnowledgeBase::embedded(), &files(&[(path, MODULE)])).unwrap();
    let hits = index.search_in("событие обмена журнал", 5, Scope::Code).unwrap();
    let hit = &hits[0];
    assert_eq!(hit.kind, DocKind::Code);
    assert_eq!(hit.title, "Обмен.ЗаписатьСобытиеОбмена");
    assert_eq!(hit.path.as_deref(), Some(path));
    assert_eq!(hit.source, path);
    assert_eq!(hit.lines, Some((0, 6)));
    assert_eq!(hit.module_kind.as_deref(), Some("common"));
    // The English name of a platform method finds code calling it by its Russian name.
    assert_eq!(code_ids(&index, "StrFind"), [format!("code:{path}#8")]);
    // A 40-letter Cyrillic identifier is indexed whole.
    assert_eq!(code_ids(&index, "ИдентификаторДлинойВСорокБуквКириллицейЖ"), [format!("code:{path}#12")]);
    // Knowledge and code come together by default.
    let both = index.search("ЗаписьЖурналаРегистрации", 10).unwrap();
    assert!(both.iter().any(|h| h.kind == DocKind::Code) && both.iter().any(|h| h.kind == DocKind::Method));
}

fn marker(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(MARKER_FILE)).unwrap()).unwrap()
}

#[test]
fn the_cache_is_reused_updated_and_rebuilt() {
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path();
    let a = "CommonModules/А/Ext/Module.bsl";
    let b = "CommonModules/Б/Ext/Module.bsl";
    let first = files(&[(a, MODULE), (b, "Процедура Проведение()\nКонецПроцедуры\n")]);
    {
        let index = SearchIndex::open_or_build(dir, &first).unwrap();
        assert_eq!(index.opened(), &Opened::Created);
        assert_eq!(index.sync_report().files_indexed, 2);
        assert!(index.sync_report().knowledge_reindexed);
        assert_eq!(code_ids(&index, "Проведение"), [format!("code:{b}#0")]);
        let stats = index.stats().unwrap();
        assert_eq!((stats.files, stats.code_docs), (2, 4));
        assert!(stats.knowledge_docs > 500, "{stats:?}");
        assert!(stats.size_bytes > 0);
    }
    // Reopened with one file changed and one gone: only the change is indexed.
    let second = files(&[(a, &MODULE.replace("НайтиПозицию", "НайтиМесто"))]);
    {
        let index = SearchIndex::open_or_build(dir, &second).unwrap();
        assert_eq!(index.opened(), &Opened::Reused);
        let report = index.sync_report();
        assert_eq!((report.files_indexed, report.files_unchanged, report.files_removed), (1, 0, 1));
        assert!(!report.knowledge_reindexed);
        assert!(code_ids(&index, "Проведение").is_empty());
        assert_eq!(code_titles(&index, "НайтиПозицию"), ["А.НайтиМесто"], "the old name is gone");
        assert_eq!(code_ids(&index, "НайтиМесто"), [format!("code:{a}#8")]);
        // Incremental updates: add, change, remove one file.
        index.update_file(Path::new(b), "Функция Остатки()\nКонецФункции\n").unwrap();
        assert_eq!(code_ids(&index, "Остатки"), [format!("code:{b}#0")]);
        index.update_file(Path::new(b), "Функция ОстаткиТоваров()\nКонецФункции\n").unwrap();
        assert_eq!(code_ids(&index, "Остатки"), [format!("code:{b}#0")]);
        assert_eq!(index.search_in("Остатки", 10, Scope::Code).unwrap()[0].title, "Б.ОстаткиТоваров");
        index.remove_file(Path::new(b)).unwrap();
        assert!(code_ids(&index, "Остатки").is_empty());
        assert_eq!(index.stats().unwrap().files, 1);
    }
    let same = SearchIndex::open_or_build(dir, &second).unwrap();
    assert_eq!(same.opened(), &Opened::Reused);
    assert_eq!(same.sync_report().files_indexed, 0);
    drop(same);

    // Written by another version: rebuilt.
    let mut m = marker(dir);
    m["version"] = "0.0.1-old".into();
    std::fs::write(dir.join(MARKER_FILE), m.to_string()).unwrap();
    let index = SearchIndex::open_or_build(dir, &second).unwrap();
    assert!(
        matches!(index.opened(), Opened::Rebuilt(reason) if reason.contains("another version")),
        "{:?}",
        index.opened()
    );
    assert_eq!(code_ids(&index, "НайтиМесто"), [format!("code:{a}#8")]);
    drop(index);

    // A damaged index file: rebuilt.
    let tantivy = dir.join("tantivy");
    let victim = std::fs::read_dir(&tantivy)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "idx" || e == "store"))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .expect("a segment file");
    let mut bytes = std::fs::read(&victim).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&victim, bytes).unwrap();
    let index = SearchIndex::open_or_build(dir, &second).unwrap();
    assert!(matches!(index.opened(), Opened::Rebuilt(reason) if reason.contains("damaged")), "{:?}", index.opened());
    assert_eq!(code_ids(&index, "НайтиМесто"), [format!("code:{a}#8")]);
    drop(index);

    // Garbage instead of tantivy's meta.json: rebuilt.
    std::fs::write(tantivy.join("meta.json"), "not json").unwrap();
    let index = SearchIndex::open_or_build(dir, &second).unwrap();
    assert!(matches!(index.opened(), Opened::Rebuilt(_)), "{:?}", index.opened());
    assert_eq!(code_ids(&index, "НайтиМесто"), [format!("code:{a}#8")]);
    drop(index);

    // An unreadable marker: rebuilt.
    std::fs::write(dir.join(MARKER_FILE), "{").unwrap();
    let index = SearchIndex::open_or_build(dir, &second).unwrap();
    assert!(matches!(index.opened(), Opened::Rebuilt(reason) if reason.contains("marker")), "{:?}", index.opened());
}

#[test]
fn the_default_cache_dir_is_outside_the_workspace_and_stable() {
    let workspace = tempfile::tempdir().unwrap();
    let a = bsl_knowledge::default_cache_dir(workspace.path());
    let b = bsl_knowledge::default_cache_dir(workspace.path());
    assert_eq!(a, b);
    assert!(!a.starts_with(workspace.path()));
    assert!(a.to_string_lossy().contains("bsl-assist"));
    let other = tempfile::tempdir().unwrap();
    assert_ne!(a, bsl_knowledge::default_cache_dir(other.path()));
}

/// A stand-in model: each word (lower-cased, first five letters) adds 1 to one of 64
/// dimensions. Lets the dense side, its cache and the fusion run without a real model.
struct WordHash;

impl bsl_knowledge::Embedder for WordHash {
    fn model_key(&self) -> &str {
        "test-wordhash"
    }

    fn describe(&self) -> String {
        "word hashing".to_string()
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, bsl_knowledge::EmbedError> {
        Ok(texts
            .iter()
            .map(|t| {
                let mut v = vec![0f32; 64];
                for word in t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
                    let stem: String = word.to_lowercase().chars().take(5).collect();
                    let h = stem.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
                    v[(h % 64) as usize] += 1.0;
                }
                bsl_knowledge::embed::normalize(&mut v);
                v
            })
            .collect())
    }
}

#[test]
fn dense_vectors_are_cached_updated_and_fused_with_any_embedder() {
    let cache = tempfile::tempdir().unwrap();
    let path = "CommonModules/Обмен/Ext/Module.bsl";
    let embedder: std::sync::Arc<dyn bsl_knowledge::Embedder> = std::sync::Arc::new(WordHash);
    let options = DenseOptions { embed_code: true, ..DenseOptions::default() };
    let mut index = SearchIndex::open_or_build(cache.path(), &files(&[(path, MODULE)])).unwrap();
    let report = index.enable_dense(embedder.clone(), options.clone()).unwrap().clone();
    assert_eq!(report.code_docs, 3, "one vector per method: {report:?}");
    assert_eq!((report.embedded, report.cached), (report.knowledge_docs + 3, 0));
    assert!(cache.path().join("vectors/test-wordhash.bin").is_file());
    let hits = index.search_in("событие обмена журнал", 5, Scope::Code).unwrap();
    assert_eq!(hits[0].title, "Обмен.ЗаписатьСобытиеОбмена");
    // Nothing to look for, nothing found.
    assert!(index.search("  ", 5).unwrap().is_empty());
    // A changed file is embedded again; its old methods are gone from the dense side too.
    let before = index.dense_len();
    index.update_file(Path::new(path), "Процедура Проведение()\nКонецПроцедуры\n").unwrap();
    assert_eq!(index.dense_len(), before - 2);
    assert_eq!(code_titles(&index, "проведение"), ["Обмен.Проведение"]);
    index.remove_file(Path::new(path)).unwrap();
    assert_eq!(index.dense_len(), before - 3);
    drop(index);
    // Reopened: every vector comes from the cache.
    let mut index = SearchIndex::open_or_build(cache.path(), &files(&[(path, MODULE)])).unwrap();
    let report = index.enable_dense(embedder, options).unwrap();
    assert_eq!(report.embedded, 0, "{report:?}");
    // With BM25's weight at 0 the stand-in model's ranking decides (it maps words by their
    // first five letters).
    index.set_fusion(Fusion { bm25_weight: 0.0, ..Fusion::PLAIN });
    let hits = index.search_in("ЗаписатьСобытиеОбменаXYZ", 3, Scope::Code).unwrap();
    assert!(hits.iter().any(|h| h.title == "Обмен.ЗаписатьСобытиеОбмена"), "{:?}", ids(&hits));
}

/// The OpenAI-compatible client against a one-request server on loopback.
#[test]
fn the_http_embedder_speaks_the_openai_protocol() {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let (mut length, mut auth) = (0usize, String::new());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let lower = line.to_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if lower.starts_with("authorization:") {
                auth = line.trim().to_string();
            }
            if line.trim().is_empty() {
                break;
            }
        }
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).unwrap();
        let request: serde_json::Value = serde_json::from_slice(&body).unwrap();
        // Out of order, by index, and not normalized: the client sorts and normalizes.
        let answer = r#"{"data":[{"index":1,"embedding":[0,3,4]},{"index":0,"embedding":[2,0,0]}]}"#;
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{answer}",
            answer.len()
        )
        .unwrap();
        (request_line, auth, request)
    });
    let settings = EmbedSettings {
        url: Some(format!("http://127.0.0.1:{port}/v1")),
        url_model: Some("e5".to_string()),
        ..EmbedSettings::default()
    };
    let embedder = settings.embedder().unwrap().unwrap();
    let vectors = embedder.embed(&["первый", "second"]).unwrap();
    assert_eq!(vectors, [vec![1.0, 0.0, 0.0], vec![0.0, 0.6, 0.8]]);
    let (request_line, auth, request) = server.join().unwrap();
    assert!(request_line.starts_with("POST /v1/embeddings "), "{request_line}");
    assert!(auth.is_empty(), "no key configured: {auth}");
    assert_eq!(request["model"], "e5");
    assert_eq!(request["input"], serde_json::json!(["первый", "second"]));
    // An endpoint without a model name is refused with the reason.
    let no_model = EmbedSettings { url: Some("http://127.0.0.1:1/v1".into()), ..EmbedSettings::default() };
    assert!(no_model.embedder().err().unwrap().0.contains("no model"));
}
