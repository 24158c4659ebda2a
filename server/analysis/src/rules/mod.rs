//! The rules engine: rule metadata, the context a rule sees, and one walk per module that
//! hands each node to the rules subscribed to its kind.
//!
//! A rule is one file in `catalog/`: a unit struct whose doc comment is its documentation,
//! and an `impl Rule`. `build.rs` registers every file there, so nothing else is edited to
//! add a rule.

pub mod config;
pub mod config_file;
pub mod docs;
pub mod suppression;

use std::collections::HashMap;
use std::ops::Range;
use std::panic::AssertUnwindSafe;
use std::sync::OnceLock;

use bsl_syntax::{Module, Parse, language};
use tree_sitter::Node;

pub use crate::diagnostic::{Diagnostic, Edit, Fix, RuleType, Severity};
use crate::module_kind::ModuleKind;
pub use config::{Config, Language, ParamValue, RuleConfig};

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// A parameter a rule accepts, with its default.
#[derive(Debug, Clone, Copy)]
pub struct ParamMeta {
    pub name: &'static str,
    pub default: ParamDefault,
    pub description_ru: &'static str,
    pub description_en: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamDefault {
    Int(i64),
    Bool(bool),
    Str(&'static str),
}

/// Everything about a rule that does not depend on the code it checks.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable key; the BSL Language Server key where a rule does the same thing.
    pub code: &'static str,
    pub name_ru: &'static str,
    pub name_en: &'static str,
    pub rule_type: RuleType,
    pub severity: Severity,
    pub tags: &'static [&'static str],
    pub minutes_to_fix: u32,
    pub enabled_by_default: bool,
    pub params: &'static [ParamMeta],
    /// Module kinds the rule runs on; empty means every kind.
    pub module_kinds: &'static [ModuleKind],
}

/// A check. Rules see nodes of the kinds they subscribe to, in document order, then the
/// module as a whole.
pub trait Rule: Send + Sync + 'static {
    fn meta(&self) -> &'static RuleMeta;

    /// Named node kinds (`"if_statement"`, `"comment"`, ...) handed to [`Rule::check_node`].
    fn node_kinds(&self) -> &'static [&'static str] {
        &[]
    }

    fn check_node(&self, _node: Node<'_>, _ctx: &mut RuleContext<'_>) {}

    /// Called once after the walk, for checks over the whole module or its text.
    fn check_module(&self, _ctx: &mut RuleContext<'_>) {}
}

/// A rule with its documentation, as the catalog lists it.
pub struct RegisteredRule {
    pub rule: &'static dyn Rule,
    /// The rule's doc comment (Markdown).
    pub doc: &'static str,
}

/// Every rule of the catalog.
pub fn catalog() -> &'static [RegisteredRule] {
    CATALOG
}

/// The rule with a given code, ignoring case.
pub fn find_rule(code: &str) -> Option<&'static RegisteredRule> {
    CATALOG.iter().find(|r| r.rule.meta().code.eq_ignore_ascii_case(code))
}

/// What a rule can look at while it checks one module.
pub struct ModuleFacts<'a> {
    pub parse: &'a Parse,
    pub kind: ModuleKind,
    module: OnceLock<std::sync::Arc<Module>>,
}

impl<'a> ModuleFacts<'a> {
    pub fn new(parse: &'a Parse, kind: ModuleKind) -> Self {
        ModuleFacts { parse, kind, module: OnceLock::new() }
    }

    /// Typed views (methods, variables, regions, ...), built on first use and cached in the
    /// parse.
    pub fn module(&self) -> &Module {
        self.module.get_or_init(|| self.parse.module())
    }
}

/// The context handed to a rule: the module's facts, the rule's parameters, and where its
/// diagnostics go.
pub struct RuleContext<'a> {
    pub facts: &'a ModuleFacts<'a>,
    meta: &'static RuleMeta,
    config: Option<&'a RuleConfig>,
    language: Language,
    severity: Severity,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> RuleContext<'a> {
    pub fn parse(&self) -> &'a Parse {
        self.facts.parse
    }

    pub fn text(&self) -> &'a str {
        self.facts.parse.text()
    }

    pub fn node_text(&self, node: Node<'_>) -> &'a str {
        &self.facts.parse.text()[node.byte_range()]
    }

    pub fn module(&self) -> &'a Module {
        self.facts.module()
    }

    pub fn module_kind(&self) -> ModuleKind {
        self.facts.kind
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The message in the configured language.
    pub fn tr(&self, ru: impl Into<String>, en: impl Into<String>) -> String {
        match self.language {
            Language::Ru => ru.into(),
            Language::En => en.into(),
        }
    }

    fn param(&self, name: &str) -> ParamDefault {
        let meta = self
            .meta
            .params
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("rule {} reads undeclared parameter {name}", self.meta.code));
        match self.config.and_then(|c| c.params.get(name)) {
            Some(ParamValue::Int(v)) if matches!(meta.default, ParamDefault::Int(_)) => ParamDefault::Int(*v),
            Some(ParamValue::Bool(v)) if matches!(meta.default, ParamDefault::Bool(_)) => ParamDefault::Bool(*v),
            _ => meta.default,
        }
    }

    /// An integer parameter: the configured value, else the default.
    pub fn param_int(&self, name: &str) -> i64 {
        match self.param(name) {
            ParamDefault::Int(v) => v,
            _ => panic!("parameter {name} of {} is not an integer", self.meta.code),
        }
    }

    pub fn param_bool(&self, name: &str) -> bool {
        match self.param(name) {
            ParamDefault::Bool(v) => v,
            _ => panic!("parameter {name} of {} is not a boolean", self.meta.code),
        }
    }

    /// A string parameter: the configured value, else the default.
    pub fn param_str(&self, name: &str) -> String {
        let meta_default = self.meta.params.iter().find(|p| p.name == name).map(|p| p.default);
        match (self.config.and_then(|c| c.params.get(name)), meta_default) {
            (Some(ParamValue::Str(v)), _) => v.clone(),
            (_, Some(ParamDefault::Str(v))) => v.to_string(),
            _ => panic!("parameter {name} of {} is not a string", self.meta.code),
        }
    }

    /// Reports a finding; attach a fix through the returned diagnostic.
    pub fn report(&mut self, range: Range<usize>, message: String) -> &mut Diagnostic {
        self.out.push(Diagnostic {
            code: self.meta.code,
            range,
            message,
            severity: self.severity,
            rule_type: self.meta.rule_type,
            fix: None,
        });
        self.out.last_mut().expect("just pushed")
    }

    /// A fix with a title in the configured language.
    pub fn fix(&self, ru: &str, en: &str, edits: Vec<Edit>) -> Fix {
        Fix { title: self.tr(ru, en), edits }
    }
}

/// The rules to run on one module, resolved from the configuration once.
pub struct RuleSet {
    rules: Vec<(&'static dyn Rule, Option<RuleConfig>, Severity)>,
    language: Language,
    /// For each node kind id, the indices of the rules that subscribe to it.
    by_kind: Vec<Vec<usize>>,
}

impl RuleSet {
    /// The rules enabled by `config` (defaults where it is silent).
    pub fn new(config: &Config) -> Self {
        let selected = CATALOG.iter().map(|r| r.rule).filter(|rule| config.is_enabled(rule.meta()));
        Self::from_rules(selected, config)
    }

    /// Exactly the given rules, enabled or not by default (for tests and `--rule`).
    pub fn from_rules(rules: impl IntoIterator<Item = &'static dyn Rule>, config: &Config) -> Self {
        let mut by_kind = vec![Vec::new(); language_kind_count()];
        let rules: Vec<_> = rules
            .into_iter()
            .map(|rule| {
                let meta = rule.meta();
                let rule_config = config.rules.get(meta.code).cloned();
                let severity = rule_config.as_ref().and_then(|c| c.severity).unwrap_or(meta.severity);
                (rule, rule_config, severity)
            })
            .collect();
        for (index, (rule, _, _)) in rules.iter().enumerate() {
            for kind in rule.node_kinds() {
                let id = language().id_for_node_kind(kind, true);
                assert!(id != 0, "rule {} subscribes to unknown node kind {kind}", rule.meta().code);
                by_kind[id as usize].push(index);
            }
        }
        RuleSet { rules, language: config.language, by_kind }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Runs every rule over one module: one walk of the tree, then the module-wide checks.
    /// Suppression comments are honoured; the result is sorted by position.
    pub fn check(&self, parse: &Parse, kind: ModuleKind) -> Vec<Diagnostic> {
        let facts = ModuleFacts::new(parse, kind);
        let applies: Vec<bool> = self
            .rules
            .iter()
            .map(|(rule, _, _)| {
                let kinds = rule.meta().module_kinds;
                kinds.is_empty() || kinds.contains(&kind)
            })
            .collect();
        let mut applies = applies;
        let mut out = Vec::new();
        let mut cursor = parse.root().walk();
        'walk: loop {
            let node = cursor.node();
            if let Some(subscribers) = self.by_kind.get(node.kind_id() as usize) {
                for &index in subscribers {
                    if applies[index] {
                        let mut ctx = self.context(index, &facts, &mut out);
                        let rule = self.rules[index].0;
                        let run = std::panic::catch_unwind(AssertUnwindSafe(|| rule.check_node(node, &mut ctx)));
                        if let Err(panic) = run {
                            applies[index] = false;
                            self.internal_error(index, node.start_byte(), &panic, &mut out);
                        }
                    }
                }
            }
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        for (index, &applies) in applies.iter().enumerate() {
            if applies {
                let mut ctx = self.context(index, &facts, &mut out);
                let rule = self.rules[index].0;
                if let Err(panic) = std::panic::catch_unwind(AssertUnwindSafe(|| rule.check_module(&mut ctx))) {
                    self.internal_error(index, 0, &panic, &mut out);
                }
            }
        }
        let suppressions = suppression::Suppressions::parse(parse);
        out.retain(|d| !suppressions.is_suppressed(d.code, d.range.start, parse));
        out.sort_by(|a, b| (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code)));
        out
    }

    /// A rule that panicked on this module: one diagnostic says so (a bug of ours, never of
    /// the user's code), and the rule is skipped for the rest of the module. Its other
    /// findings stand.
    fn internal_error(
        &self,
        index: usize,
        at: usize,
        panic: &Box<dyn std::any::Any + Send>,
        out: &mut Vec<Diagnostic>,
    ) {
        let (rule, _, _) = &self.rules[index];
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let message = match self.language {
            Language::Ru => format!("Внутренняя ошибка правила {}: {detail}", rule.meta().code),
            Language::En => format!("Internal error in rule {}: {detail}", rule.meta().code),
        };
        out.push(Diagnostic {
            code: rule.meta().code,
            range: at..at,
            message,
            severity: Severity::Info,
            rule_type: rule.meta().rule_type,
            fix: None,
        });
    }

    fn context<'a>(
        &'a self,
        index: usize,
        facts: &'a ModuleFacts<'a>,
        out: &'a mut Vec<Diagnostic>,
    ) -> RuleContext<'a> {
        let (rule, config, severity) = &self.rules[index];
        RuleContext {
            facts,
            meta: rule.meta(),
            config: config.as_ref(),
            language: self.language,
            severity: *severity,
            out,
        }
    }
}

fn language_kind_count() -> usize {
    language().node_kind_count()
}

/// Node helpers rules share.
pub mod util {
    use tree_sitter::Node;

    /// The nearest ancestor of one of the given kinds.
    pub fn ancestor<'t>(node: Node<'t>, kinds: &[&str]) -> Option<Node<'t>> {
        let mut current = node.parent();
        while let Some(n) = current {
            if kinds.contains(&n.kind()) {
                return Some(n);
            }
            current = n.parent();
        }
        None
    }

    /// The method declaration around a node.
    pub fn enclosing_method(node: Node<'_>) -> Option<Node<'_>> {
        ancestor(node, &["method_declaration"])
    }

    /// Whether the node stands inside a loop body, within the same method.
    pub fn inside_loop(node: Node<'_>) -> bool {
        let mut current = node.parent();
        while let Some(n) = current {
            match n.kind() {
                "while_statement" | "for_statement" | "for_each_statement" => return true,
                "method_declaration" => return false,
                _ => current = n.parent(),
            }
        }
        false
    }

    /// The called name of a call expression: `Ф` for `Ф()`, `Метод` for `А.Б.Метод()`.
    pub fn called_name<'a>(call: Node<'_>, text: &'a str) -> Option<&'a str> {
        let function = call.child_by_field_name("function")?;
        let name = match function.kind() {
            "identifier" => function,
            "member_expression" => function.child_by_field_name("property")?,
            _ => return None,
        };
        Some(&text[name.byte_range()])
    }

    /// The object of a member call: `А.Б` for `А.Б.Метод()`.
    pub fn call_object<'t>(call: Node<'t>) -> Option<Node<'t>> {
        let function = call.child_by_field_name("function")?;
        (function.kind() == "member_expression").then(|| function.child_by_field_name("object")).flatten()
    }

    /// The argument expressions of a call, skipping punctuation (left-out arguments are
    /// absent: count commas to know positions).
    pub fn arguments<'t>(call: Node<'t>) -> Vec<Node<'t>> {
        let Some(arguments) = call.child_by_field_name("arguments") else { return Vec::new() };
        let mut cursor = arguments.walk();
        arguments.named_children(&mut cursor).filter(|c| !c.is_extra()).collect()
    }

    /// Case-insensitive comparison with Russian and English spellings.
    pub fn is_any(name: &str, spellings: &[&str]) -> bool {
        spellings.iter().any(|s| bsl_syntax::keywords::eq_ignore_case(name, s))
    }
}

/// The rules of the catalog by code, for configuration checks.
pub fn codes() -> HashMap<&'static str, &'static RuleMeta> {
    CATALOG.iter().map(|r| (r.rule.meta().code, r.rule.meta())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule with a bug: it panics on the second call it sees.
    struct Broken;

    static BROKEN: RuleMeta = RuleMeta {
        code: "Broken",
        name_ru: "Сломанное",
        name_en: "Broken",
        rule_type: RuleType::CodeSmell,
        severity: Severity::Major,
        tags: &[],
        minutes_to_fix: 1,
        enabled_by_default: true,
        params: &[],
        module_kinds: &[],
    };

    impl Rule for Broken {
        fn meta(&self) -> &'static RuleMeta {
            &BROKEN
        }

        fn node_kinds(&self) -> &'static [&'static str] {
            &["call_expression"]
        }

        fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_>) {
            if ctx.node_text(node).starts_with('Б') {
                panic!("a bug");
            }
            ctx.report(node.byte_range(), "call".into());
        }
    }

    #[test]
    fn a_panicking_rule_is_reported_and_stopped_not_fatal() {
        let config = Config::default();
        let set = RuleSet::from_rules([&Broken as &dyn Rule], &config);
        let parse = Parse::new("А();\nБ();\nВ();\n");
        let found = set.check(&parse, ModuleKind::Unknown);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["call", "Внутренняя ошибка правила Broken: a bug"]);
        assert_eq!(found[1].range, 6..6, "at the call it failed on");
    }
}
