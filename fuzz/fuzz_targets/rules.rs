//! libFuzzer target: the rules engine on any module of any kind never panics (a rule that
//! panics shows as `[bsl-assist] ...`), findings lie inside the text on character
//! boundaries, and `check_cached` over a few edits equals `check`.

#![no_main]

use std::sync::OnceLock;

use bsl_analysis::rules::{CheckCache, Config, RuleSet};
use bsl_analysis::{Diagnostic, ModuleKind};
use bsl_syntax::{Parse, TextEdit};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const KINDS: &[ModuleKind] = &[
    ModuleKind::Common,
    ModuleKind::Object,
    ModuleKind::Manager,
    ModuleKind::Form,
    ModuleKind::Command,
    ModuleKind::ManagedApplication,
    ModuleKind::OneScriptClass,
    ModuleKind::OneScriptModule,
    ModuleKind::Unknown,
];

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::new(&Config::default()))
}

fn check_findings(text: &str, findings: &[Diagnostic]) {
    let inside = |r: &std::ops::Range<usize>| {
        r.start <= r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    };
    for d in findings {
        assert!(!d.message.starts_with("[bsl-assist]"), "{} {}", d.code, d.message);
        assert!(inside(&d.range), "{} {:?}", d.code, d.range);
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            assert!(inside(&edit.range), "{} fix {:?}", d.code, edit.range);
        }
    }
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let kind = *u.choose(KINDS)?;
    let text: &str = u.arbitrary()?;
    let mut parse = Parse::new(text);
    let mut cache = CheckCache::default();
    let mut steps = vec![format!("{kind:?}"), text.to_string()];
    let full = rules().check(&parse, kind);
    check_findings(parse.text(), &full);
    assert!(rules().check_cached(&parse, kind, &mut cache) == full);
    for _ in 0..u.int_in_range(0..=4u8)? {
        let len = parse.text().len();
        let at = u.int_in_range(0..=len)?;
        let remove = u.int_in_range(0..=(len - at).min(32))?;
        let new_text: &str = u.arbitrary()?;
        parse.edit(&TextEdit::new(at..at + remove, new_text));
        steps.push(format!("{at} {remove} {new_text}"));
        let full = rules().check(&parse, kind);
        check_findings(parse.text(), &full);
        let cached = rules().check_cached(&parse, kind, &mut cache);
        if cached != full {
            if let Some(dump) = std::env::var_os("FUZZ_DUMP") {
                let _ = std::fs::write(dump, steps.join("\u{1}"));
            }
            let only = |a: &[Diagnostic], b: &[Diagnostic]| -> Vec<String> {
                a.iter().filter(|d| !b.contains(d)).map(|d| format!("{} {:?} {}", d.code, d.range, d.message)).collect()
            };
            panic!(
                "cached differs from full after an edit at {at}..{}: {new_text:?}\nonly cached: {:?}\nonly full: {:?}\ntext: {:?}",
                at + remove,
                only(&cached, &full),
                only(&full, &cached),
                parse.text()
            );
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
