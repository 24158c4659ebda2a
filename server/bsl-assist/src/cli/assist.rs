//! `bsl-assist assist doc|explain|tests <file> [method]`: the assistants' deterministic
//! results on the command line — a method's standard doc comment, a factual explanation,
//! or a YAxUnit test module (for one method, or every exported method when none is named).
//! `--llm` adds the model's prose when a provider is configured through
//! `BSL_ASSIST_LLM_BASE_URL`, `BSL_ASSIST_LLM_MODEL` and optionally
//! `BSL_ASSIST_LLM_API_KEY_ENV` (the *name* of the variable holding the key) and
//! `BSL_ASSIST_LLM_LOCAL_ONLY=1`; otherwise, or when the call fails, the deterministic
//! result is printed with a note on standard error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use bsl_assistant::llm::{LlmClient, LlmSettings, Message};
use bsl_assistant::roles::{developer, test_placement, tester};
use bsl_syntax::Parse;
use clap::{Args, ValueEnum};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Action {
    /// The standard description comment for the method.
    Doc,
    /// What the method does: parameters, calls, queries, transactions, complexity.
    Explain,
    /// A YAxUnit test module.
    Tests,
}

#[derive(Args)]
pub struct AssistArgs {
    action: Action,
    /// The module (`.bsl` or `.os`).
    file: PathBuf,
    /// The method's name (any case); for `tests`, all exported methods when omitted.
    method: Option<String>,
    /// The tested module's name for `tests` (default: the common module's folder name in
    /// Designer and EDT layouts, else the file name).
    #[arg(long)]
    module: Option<String>,
    /// Ask the configured LLM for prose too (ignored when none is configured).
    #[arg(long)]
    llm: bool,
}

pub fn run(args: &AssistArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("{}: cannot read", args.file.display()))?;
    let text = bsl_syntax::source::decode(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let parse = Parse::new(text);
    let module = parse.module();
    let index = match &args.method {
        Some(name) => match module.methods.iter().position(|m| m.name.to_lowercase() == name.to_lowercase()) {
            Some(i) => Some(i),
            None => bail!("{}: no method {name}", args.file.display()),
        },
        None if args.action == Action::Tests => None,
        None => bail!("name the method"),
    };
    let mut output = match (args.action, index) {
        (Action::Doc, Some(i)) => developer::doc_comment(&parse, i),
        (Action::Explain, Some(i)) => developer::explain_method(&parse, i),
        (Action::Tests, i) => {
            let name = args.module.clone().unwrap_or_else(|| module_name(&args.file));
            match i {
                Some(i) => tester::yaxunit_tests(&parse, &name, &[i]),
                None => tester::yaxunit_tests_for_exported(&parse, &name),
            }
        }
        _ => unreachable!("checked above"),
    };
    if args.llm {
        match (args.action, index) {
            (Action::Explain, Some(i)) => {
                let method_text = &parse.text()[module.methods[i].range.clone()];
                let prompt = format!(
                    "Explain in a short paragraph what this 1C:Enterprise (BSL) method does, for a developer. Facts:\n{output}\nCode:\n{method_text}"
                );
                if let Some(prose) = ask("developer", &prompt) {
                    output.push('\n');
                    output.push_str(prose.trim());
                    output.push('\n');
                }
            }
            (Action::Doc, Some(i)) => {
                let method_text = &parse.text()[module.methods[i].range.clone()];
                let prompt = format!(
                    "Write one sentence, in the language of the code's keywords, describing what this 1C:Enterprise (BSL) method does. Answer with the sentence only.\n{method_text}"
                );
                if let Some(sentence) = ask("developer", &prompt) {
                    let sentence = sentence.trim();
                    if !sentence.is_empty() && !sentence.contains('\n') && sentence.chars().count() <= 200 {
                        let rest = output.split_once('\n').map_or("", |(_, r)| r).to_string();
                        output = format!("// {sentence}\n{rest}");
                    } else {
                        eprintln!(
                            "bsl-assist: the model's description was not one short line; kept the deterministic one"
                        );
                    }
                }
            }
            _ => eprintln!("bsl-assist: --llm does not change generated tests yet; printed the deterministic module"),
        }
    }
    print!("{output}");
    Ok(ExitCode::SUCCESS)
}

/// `.../CommonModules/<Name>/Ext/Module.bsl` and `.../CommonModules/<Name>/Module.bsl` name
/// the module by the folder; other files by their stem.
fn module_name(path: &Path) -> String {
    let parts: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if let Some(at) = parts.iter().position(|p| p == "CommonModules")
        && let Some(name) = parts.get(at + 1)
    {
        return name.clone();
    }
    path.file_stem().map_or_else(|| "Модуль".to_string(), |s| s.to_string_lossy().into_owned())
}

/// The provider settings from the environment, when one is configured.
fn settings_from_env() -> Option<LlmSettings> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let settings = LlmSettings {
        base_url: var("BSL_ASSIST_LLM_BASE_URL")?,
        model: var("BSL_ASSIST_LLM_MODEL")?,
        api_key_env: var("BSL_ASSIST_LLM_API_KEY_ENV"),
        local_only: var("BSL_ASSIST_LLM_LOCAL_ONLY").is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true")),
        ..LlmSettings::default()
    };
    Some(settings)
}

/// One question to the model; `None` (with a note) when none is configured or the call fails.
fn ask(role: &str, prompt: &str) -> Option<String> {
    let Some(settings) = settings_from_env() else {
        eprintln!("bsl-assist: no LLM is configured (BSL_ASSIST_LLM_BASE_URL, BSL_ASSIST_LLM_MODEL); --llm ignored");
        return None;
    };
    let result = (|| {
        let client = LlmClient::new(settings)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| bsl_assistant::llm::LlmError::Transport(e.to_string()))?;
        runtime.block_on(client.chat(role, &[Message::user(prompt)]))
    })();
    match result {
        Ok(answer) => Some(answer.content),
        Err(e) => {
            eprintln!("bsl-assist: {e}; printed the deterministic result");
            None
        }
    }
}

#[derive(Args)]
pub struct GenTestsArgs {
    /// The module under test (`.bsl` or `.os`).
    module: PathBuf,
    /// One method (default: every exported method).
    method: Option<String>,
    /// The tested module's name (default: the common module's folder name, else the file name).
    #[arg(long)]
    name: Option<String>,
    /// Write the test module, its metadata file and the configuration entry into the tests
    /// project; an existing test module only gets the tests it lacks. Without it the module
    /// is printed.
    #[arg(long)]
    write: bool,
    /// The tests project (EDT project or Designer extension folder); default: a folder
    /// named like tests beside the configuration, else `tests` there.
    #[arg(long)]
    tests_folder: Option<PathBuf>,
    /// Let the configured LLM complete the test bodies (checked against the YAxUnit API;
    /// the generated tests are kept when the model's fail).
    #[arg(long)]
    llm: bool,
}

/// `bsl-assist gen-tests`.
pub fn gen_tests(args: &GenTestsArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.module).with_context(|| format!("{}: cannot read", args.module.display()))?;
    let text = bsl_syntax::source::decode(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", args.module.display()))?;
    let parse = Parse::new(text);
    let indexes: Vec<usize> = {
        let module = parse.module();
        match &args.method {
            Some(name) => vec![
                module
                    .methods
                    .iter()
                    .position(|m| bsl_syntax::keywords::eq_ignore_case(&m.name, name))
                    .with_context(|| format!("{}: no method {name}", args.module.display()))?,
            ],
            None => tester::exported_indexes(&module),
        }
    };
    if indexes.is_empty() {
        bail!("{}: no exported methods; name one", args.module.display());
    }
    let name = args.name.clone().unwrap_or_else(|| module_name(&args.module));
    let mut output = tester::yaxunit_tests(&parse, &name, &indexes);
    if args.llm {
        match settings_from_env() {
            None => eprintln!(
                "bsl-assist: no LLM is configured (BSL_ASSIST_LLM_BASE_URL, BSL_ASSIST_LLM_MODEL); --llm ignored"
            ),
            Some(settings) => {
                let client = LlmClient::new(settings).map_err(|e| anyhow::anyhow!("{e}"))?;
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                let kb = bsl_knowledge::KnowledgeBase::embedded();
                let done = runtime.block_on(tester::complete_with_llm(&client, &parse, &name, &indexes, kb));
                if let Some(note) = done.note {
                    eprintln!("bsl-assist: {note}");
                }
                output = done.text;
            }
        }
    }
    if !args.write {
        print!("{output}");
        return Ok(ExitCode::SUCCESS);
    }
    let module = args.module.canonicalize()?;
    // The configuration's root: the folder above `CommonModules` (Designer) or `src` (EDT).
    let base = module
        .ancestors()
        .find(|p| p.join("Configuration.xml").exists() || p.join("src/Configuration").exists())
        .and_then(Path::parent)
        .unwrap_or_else(|| module.parent().unwrap_or(&module))
        .to_path_buf();
    let siblings: Vec<PathBuf> = std::fs::read_dir(&base)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    let root = test_placement::tests_root(args.tests_folder.as_deref(), siblings.iter().map(PathBuf::as_path), &base);
    let test_name = tester::test_module_name(&name);
    let edt = module
        .ancestors()
        .any(|p| p.join("src/Configuration").exists() || p.join("Configuration/Configuration.mdo").exists());
    let layout = test_placement::Layout::of_or(
        &root,
        if edt { test_placement::Layout::Edt } else { test_placement::Layout::Designer },
    );
    let written = test_placement::write_tests(&root, layout, &test_name, &output)
        .with_context(|| format!("{}: cannot write the tests", root.display()))?;
    if written.is_empty() {
        println!("{test_name}: every test is already there");
    }
    for path in written {
        println!("{}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
