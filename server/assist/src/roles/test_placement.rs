//! Where a generated YAxUnit module goes and how it joins what is already there. The test
//! module `ОМ_<Module>` is a common module of the tests project (an EDT project or a
//! Designer extension folder): its module file, the metadata file that declares it, and a
//! line in the configuration's list of common modules. Nothing is overwritten: when the test
//! module exists, only the tests it lacks are added (their registrations in
//! `ИсполняемыеСценарии` and their procedures). The editor path is pure (the caller reads
//! the files and applies the resulting edits); [`write_tests`] writes for the command line
//! and MCP, creating files only when absent.

use std::path::{Path, PathBuf};

use bsl_syntax::Parse;
use sha2::{Digest, Sha256};

/// The two layouts a tests project can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `src/CommonModules/<Name>/Module.bsl` and `<Name>.mdo`.
    Edt,
    /// `CommonModules/<Name>/Ext/Module.bsl` and `CommonModules/<Name>.xml`.
    Designer,
}

impl Layout {
    /// Guesses a folder's layout: EDT when it has `src/` or `DT-INF/`, Designer otherwise.
    pub fn of(root: &Path, has: impl Fn(&Path) -> bool) -> Layout {
        if has(&root.join("src")) || has(&root.join("DT-INF")) { Layout::Edt } else { Layout::Designer }
    }

    /// The layout of `root` when it exists, else `fallback` (the configuration's own, so
    /// a new tests project matches it).
    pub fn of_or(root: &Path, fallback: Layout) -> Layout {
        if root.exists() { Layout::of(root, |p| p.exists()) } else { fallback }
    }

    /// The module file of common module `name` under `root`.
    pub fn module_path(self, root: &Path, name: &str) -> PathBuf {
        match self {
            Layout::Edt => root.join("src/CommonModules").join(name).join("Module.bsl"),
            Layout::Designer => root.join("CommonModules").join(name).join("Ext/Module.bsl"),
        }
    }

    /// The metadata file that declares common module `name`.
    pub fn metadata_path(self, root: &Path, name: &str) -> PathBuf {
        match self {
            Layout::Edt => root.join("src/CommonModules").join(name).join(format!("{name}.mdo")),
            Layout::Designer => root.join("CommonModules").join(format!("{name}.xml")),
        }
    }

    /// The configuration description that lists the common modules.
    pub fn configuration_path(self, root: &Path) -> PathBuf {
        match self {
            Layout::Edt => root.join("src/Configuration/Configuration.mdo"),
            Layout::Designer => root.join("Configuration.xml"),
        }
    }

    /// The metadata file's text: a common module for the server and the managed client,
    /// which is where YAxUnit runs tests.
    pub fn metadata_text(self, name: &str) -> String {
        let uuid = stable_uuid(name);
        match self {
            Layout::Edt => format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mdclass:CommonModule xmlns:mdclass=\"http://g5.1c.ru/v8/dt/metadata/mdclass\" uuid=\"{uuid}\">\n  <name>{name}</name>\n  <clientManagedApplication>true</clientManagedApplication>\n  <server>true</server>\n</mdclass:CommonModule>\n"
            ),
            Layout::Designer => format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MetaDataObject xmlns=\"http://v8.1c.ru/8.3/MDClasses\" xmlns:v8=\"http://v8.1c.ru/8.1/data/core\" version=\"2.16\">\n\t<CommonModule uuid=\"{uuid}\">\n\t\t<Properties>\n\t\t\t<Name>{name}</Name>\n\t\t\t<Synonym/>\n\t\t\t<Comment/>\n\t\t\t<Global>false</Global>\n\t\t\t<ClientManagedApplication>true</ClientManagedApplication>\n\t\t\t<Server>true</Server>\n\t\t\t<ExternalConnection>false</ExternalConnection>\n\t\t\t<ClientOrdinaryApplication>false</ClientOrdinaryApplication>\n\t\t\t<ServerCall>false</ServerCall>\n\t\t\t<Privileged>false</Privileged>\n\t\t\t<ReturnValuesReuse>DontUse</ReturnValuesReuse>\n\t\t</Properties>\n\t</CommonModule>\n</MetaDataObject>\n"
            ),
        }
    }

    /// Where to insert the common module into the configuration's text, and what, when it is
    /// not listed yet: after the last listed common module (or before the list's end).
    pub fn configuration_insert(self, configuration: &str, name: &str) -> Option<(usize, String)> {
        let (entry, last_tag) = match self {
            Layout::Edt => (format!("<commonModules>CommonModule.{name}</commonModules>"), "</commonModules>"),
            Layout::Designer => (format!("<CommonModule>{name}</CommonModule>"), "</CommonModule>"),
        };
        if configuration.contains(&entry) {
            return None;
        }
        let line_start = |at: usize| configuration[..at].rfind('\n').map_or(0, |i| i + 1);
        if let Some(last) = configuration.rfind(last_tag) {
            // Only entries of the list: a `</CommonModule>` closing an object description
            // would sit in its own file, not in the configuration's.
            let end = last + last_tag.len();
            let start = line_start(last);
            let indent: String = configuration[start..].chars().take_while(|c| c.is_whitespace()).collect();
            return Some((end, format!("\n{indent}{entry}")));
        }
        let anchor = match self {
            Layout::Edt => configuration.rfind("</mdclass:Configuration>")?,
            Layout::Designer => configuration.find("</ChildObjects>")?,
        };
        let start = line_start(anchor);
        let indent: String = configuration[start..anchor].chars().take_while(|c| c.is_whitespace()).collect();
        let inner = if self == Layout::Designer { format!("{indent}\t") } else { format!("{indent}  ") };
        Some((start, format!("{inner}{entry}\n")))
    }
}

/// A UUID derived from the name, so regenerating gives the same file.
pub fn stable_uuid(name: &str) -> String {
    let digest = Sha256::digest(format!("bsl-assist test module {name}").as_bytes());
    let h: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-4{}-a{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
}

/// Insertions (byte offset in the existing text, text to insert) that add to `existing` the
/// tests of `generated` it lacks: registrations before the end of the
/// `ИсполняемыеСценарии` chain and procedures before the last `#КонецОбласти` (or at the end).
/// Empty when every test is already there.
pub fn merge_missing(existing: &str, generated: &str) -> Vec<(usize, String)> {
    let old = Parse::new(existing);
    let new = Parse::new(generated);
    let old_module = old.module();
    let new_module = new.module();
    let has = |name: &str| old_module.methods.iter().any(|m| bsl_syntax::keywords::eq_ignore_case(&m.name, name));
    let missing: Vec<&bsl_syntax::Method> =
        new_module.methods.iter().filter(|m| m.name != "ИсполняемыеСценарии" && !has(&m.name)).collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let mut edits = Vec::new();
    // Registrations: the generated chain's lines that name a missing test.
    let registrations: Vec<&str> = generated
        .lines()
        .filter(|l| {
            l.trim_start().starts_with(".Добавить") && missing.iter().any(|m| l.contains(&format!("(\"{}\")", m.name)))
        })
        .collect();
    if let Some(scenarios) = old_module
        .methods
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case("ИсполняемыеСценарии") || m.name == "ИсполняемыеСценарии")
    {
        let body = &existing[scenarios.range.clone()];
        // The chain ends at the first `;` after the last `.Добавить...` call.
        if let Some(last_call) = body.rfind(".Добавить")
            && let Some(semicolon) = body[last_call..].find(';')
        {
            let at = scenarios.range.start + last_call + semicolon;
            let text: String = registrations.iter().map(|l| format!("\n{l}")).collect();
            edits.push((at, text));
        }
    }
    let procedures: String = missing
        .iter()
        .map(|m| format!("\n{}", &generated[m.range.clone()].trim_end()))
        .map(|p| format!("{p}\n"))
        .collect();
    let at = existing.rfind("#КонецОбласти").filter(|&i| i > existing.len() / 2).unwrap_or(existing.len());
    let text = if at == existing.len() && !existing.ends_with('\n') {
        format!("\n{procedures}")
    } else {
        format!("{procedures}\n")
    };
    edits.push((at, text));
    edits
}

/// The tests project: `configured` (relative to `base`), else a project whose folder is
/// named like tests (`tests`, `Тесты`, `my-tests`), else `<base>/tests`.
pub fn tests_root<'a>(configured: Option<&Path>, projects: impl Iterator<Item = &'a Path>, base: &Path) -> PathBuf {
    if let Some(p) = configured.filter(|p| !p.as_os_str().is_empty()) {
        return if p.is_absolute() { p.to_path_buf() } else { base.join(p) };
    }
    let mut projects = projects;
    projects
        .find(|r| {
            r.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                let n = n.to_lowercase();
                n.contains("test") || n.contains("тест")
            })
        })
        .map(Path::to_path_buf)
        .unwrap_or_else(|| base.join("tests"))
}

/// Writes the test module (or adds its missing tests to the existing one), its metadata
/// file when missing, and its entry in the configuration; returns the files changed.
pub fn write_tests(root: &Path, layout: Layout, name: &str, text: &str) -> std::io::Result<Vec<PathBuf>> {
    let module_path = layout.module_path(root, name);
    let mut written = Vec::new();
    match std::fs::read_to_string(&module_path) {
        Ok(existing) => {
            let inserts = merge_missing(&existing, text);
            if !inserts.is_empty() {
                std::fs::write(&module_path, apply_inserts(&existing, &inserts))?;
                written.push(module_path);
            }
            return Ok(written);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    std::fs::create_dir_all(module_path.parent().expect("a module path has a folder"))?;
    write_new(&module_path, text)?;
    written.push(module_path);
    let metadata = layout.metadata_path(root, name);
    if !metadata.exists() {
        std::fs::create_dir_all(metadata.parent().expect("a metadata path has a folder"))?;
        write_new(&metadata, &layout.metadata_text(name))?;
        written.push(metadata);
    }
    let configuration = layout.configuration_path(root);
    if let Ok(text) = std::fs::read_to_string(&configuration) {
        let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let bom = text.len() - body.len();
        if let Some((at, insert)) = layout.configuration_insert(body, name) {
            std::fs::write(&configuration, apply_inserts(&text, &[(at + bom, insert)]))?;
            written.push(configuration);
        }
    }
    Ok(written)
}

/// Creates a file, failing when it already exists (never overwrites).
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text.as_bytes())
}

/// Applies insertions (for tests and for clients that cannot apply edits).
pub fn apply_inserts(text: &str, inserts: &[(usize, String)]) -> String {
    let mut sorted: Vec<&(usize, String)> = inserts.iter().collect();
    sorted.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let mut out = text.to_string();
    for (at, insert) in sorted {
        out.insert_str(*at, insert);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::tester::yaxunit_tests;

    const MODULE: &str = "Функция Сумма(А, Б) Экспорт\n\tВозврат А + Б;\nКонецФункции\n\nФункция Разность(А, Б) Экспорт\n\tВозврат А - Б;\nКонецФункции\n";

    #[test]
    fn merge_adds_only_missing_tests_and_keeps_the_rest() {
        let parse = Parse::new(MODULE);
        let first = yaxunit_tests(&parse, "Мат", &[0]);
        let both = yaxunit_tests(&parse, "Мат", &[0, 1]);
        let user_edited = first.replace("// Действие", "// Действие (проверено вручную)");
        let inserts = merge_missing(&user_edited, &both);
        let merged = apply_inserts(&user_edited, &inserts);
        assert!(merged.contains("(проверено вручную)"), "the user's text stays:\n{merged}");
        assert!(merged.contains("Процедура Тест_Разность()"), "{merged}");
        assert!(merged.contains(".ДобавитьТест(\"Тест_Разность\")"), "{merged}");
        assert_eq!(merged.matches("Процедура Тест_Сумма()").count(), 1, "{merged}");
        let parsed = Parse::new(&merged);
        assert!(parsed.errors().is_empty(), "{merged}");
        // Merging again adds nothing.
        assert!(merge_missing(&merged, &both).is_empty());
    }

    #[test]
    fn metadata_and_configuration_entries() {
        let edt = Layout::Edt.metadata_text("ОМ_Мат");
        assert!(edt.contains("<name>ОМ_Мат</name>"));
        let cfg =
            "<mdclass:Configuration>\n  <commonModules>CommonModule.А</commonModules>\n</mdclass:Configuration>\n";
        let (at, text) = Layout::Edt.configuration_insert(cfg, "ОМ_Мат").unwrap();
        let updated = apply_inserts(cfg, &[(at, text)]);
        assert!(updated.contains("  <commonModules>CommonModule.А</commonModules>\n  <commonModules>CommonModule.ОМ_Мат</commonModules>\n"), "{updated}");
        assert!(Layout::Edt.configuration_insert(&updated, "ОМ_Мат").is_none());
        let designer = "<Configuration>\n\t\t<ChildObjects>\n\t\t\t<Language>Русский</Language>\n\t\t</ChildObjects>\n";
        let (at, text) = Layout::Designer.configuration_insert(designer, "ОМ_Мат").unwrap();
        let updated = apply_inserts(designer, &[(at, text)]);
        assert!(updated.contains("\t\t\t<CommonModule>ОМ_Мат</CommonModule>\n\t\t</ChildObjects>"), "{updated}");
        assert_eq!(stable_uuid("x").len(), 36);
        assert_eq!(stable_uuid("x"), stable_uuid("x"));
    }

    #[test]
    fn writing_tests_creates_files_then_only_adds_missing_tests() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("tests");
        std::fs::create_dir_all(root.join("src/Configuration")).unwrap();
        std::fs::write(
            root.join("src/Configuration/Configuration.mdo"),
            "<mdclass:Configuration>\n  <name>tests</name>\n</mdclass:Configuration>\n",
        )
        .unwrap();
        let parse = Parse::new(
            "Функция А() Экспорт\n\tВозврат 1;\nКонецФункции\nФункция Б() Экспорт\n\tВозврат 2;\nКонецФункции\n",
        );
        let first = yaxunit_tests(&parse, "М", &[0]);
        let written = write_tests(&root, Layout::Edt, "ОМ_М", &first).unwrap();
        assert_eq!(written.len(), 3, "{written:?}");
        let module = root.join("src/CommonModules/ОМ_М/Module.bsl");
        std::fs::write(&module, std::fs::read_to_string(&module).unwrap() + "// заметка\n").unwrap();
        let both = yaxunit_tests(&parse, "М", &[0, 1]);
        assert_eq!(write_tests(&root, Layout::Edt, "ОМ_М", &both).unwrap(), vec![module.clone()]);
        let text = std::fs::read_to_string(&module).unwrap();
        assert!(text.contains("// заметка") && text.contains("Тест_Б"), "{text}");
        assert!(write_tests(&root, Layout::Edt, "ОМ_М", &both).unwrap().is_empty());
        let configuration = std::fs::read_to_string(root.join("src/Configuration/Configuration.mdo")).unwrap();
        assert!(configuration.contains("<commonModules>CommonModule.ОМ_М</commonModules>"), "{configuration}");
    }
}
