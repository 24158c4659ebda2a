//! A real editor client nobody here wrote: headless Neovim with its built-in LSP client opens
//! an SSL module through `bsl-assist lsp` and asks for definition, hover and document
//! symbols (tests/nvim/session.lua). Neovim is installed by scripts/test.sh.

use std::path::{Path, PathBuf};
use std::process::Command;

use bsl_syntax::Parse;

fn corpus() -> PathBuf {
    let dir = std::env::var_os("BSL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    assert!(dir.is_dir(), "the shared corpus is missing at {}", dir.display());
    dir.canonicalize().unwrap()
}

/// A call of one of the module's own methods: (line, UTF-16 column, method name).
fn local_call(text: &str) -> (usize, usize, String) {
    let parse = Parse::new(text);
    let module = parse.module();
    for node in bsl_syntax::walk::preorder(parse.root()) {
        if node.kind() == "call_expression"
            && let Some(function) = node.child_by_field_name("function").filter(|f| f.kind() == "identifier")
        {
            let name = parse.node_text(function);
            if module.methods.iter().any(|m| m.name == name) {
                let offset = function.start_byte();
                let line = text[..offset].matches('\n').count();
                let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
                let col = text[start..offset].chars().map(char::len_utf16).sum();
                return (line, col, name.to_string());
            }
        }
    }
    panic!("no local call found");
}

#[test]
fn neovim_gets_definition_hover_and_symbols() {
    let nvim = Command::new("nvim").arg("--version").output();
    assert!(
        nvim.is_ok_and(|o| o.status.success()),
        "Neovim is missing: scripts/test.sh installs it (apt-get install neovim)"
    );
    let root = corpus().join("ssl_3_1/src/cf");
    let module = root.join("CommonModules/ОбщегоНазначенияКлиентСервер/Ext/Module.bsl");
    let text = bsl_syntax::source::decode(&std::fs::read(&module).unwrap()).unwrap();
    let (line, col, name) = local_call(&text);
    let out = tempfile::NamedTempFile::new().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/nvim/session.lua");
    let status = Command::new("timeout")
        .args(["-k", "5", "120", "nvim", "--headless", "-u", "NONE", "-i", "NONE", "-n"])
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .args(["-c", "cquit 9"])
        .env("BSL_ASSIST", env!("CARGO_BIN_EXE_bsl-assist"))
        .env("ROOT", &root)
        .env("FILE", &module)
        .env("LINE", line.to_string())
        .env("COL", col.to_string())
        .env("OUT", out.path())
        .output()
        .expect("nvim runs");
    assert!(status.status.success(), "Neovim failed: {}", String::from_utf8_lossy(&status.stderr));
    let result: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.path()).unwrap()).unwrap();

    // Neovim 0.7 advertises link support, so a definition may be a Location or a LocationLink.
    let definition = if result["definition"].is_array() { &result["definition"][0] } else { &result["definition"] };
    let target = definition
        .get("targetSelectionRange")
        .or_else(|| definition.get("range"))
        .unwrap_or_else(|| panic!("a definition at {line}:{col} for `{name}`: {result}"));
    let declared = text.lines().nth(target["start"]["line"].as_u64().unwrap() as usize).unwrap();
    assert!(declared.contains(&name), "the definition lands on `{name}`: {declared}");
    assert!(declared.contains("Функция") || declared.contains("Процедура"), "{declared}");

    let hover = result["hover"]["contents"]["value"].as_str().expect("hover markdown");
    assert!(hover.contains(&name), "{hover}");

    let symbols = result["symbols"].as_array().expect("symbols");
    assert!(symbols.iter().any(|s| s["name"] == "ПрограммныйИнтерфейс"), "{symbols:?}");
    let diagnostics = result["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().any(|d| d.as_u64().unwrap() > 0), "diagnostics were published: {diagnostics:?}");
}
