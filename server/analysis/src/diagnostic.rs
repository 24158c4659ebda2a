//! Diagnostics and fixes as plain data: byte ranges into a module's text, no LSP types.

use std::ops::Range;

/// How bad a finding is, in the scale 1C teams know from SonarQube.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Minor,
    Major,
    Critical,
    Blocker,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
            Severity::Blocker => "blocker",
        }
    }

    pub fn from_name(name: &str) -> Option<Severity> {
        [Severity::Info, Severity::Minor, Severity::Major, Severity::Critical, Severity::Blocker]
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }
}

/// What kind of problem a rule finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleType {
    Error,
    CodeSmell,
    Vulnerability,
    SecurityHotspot,
}

impl RuleType {
    pub fn name(self) -> &'static str {
        match self {
            RuleType::Error => "error",
            RuleType::CodeSmell => "code smell",
            RuleType::Vulnerability => "vulnerability",
            RuleType::SecurityHotspot => "security hotspot",
        }
    }
}

/// One replacement in the module's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// A way to resolve a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's stable code (a BSL Language Server key where one exists).
    pub code: &'static str,
    pub range: Range<usize>,
    pub message: String,
    pub severity: Severity,
    pub rule_type: RuleType,
    pub fix: Option<Fix>,
    /// Other places the finding is about (the other copies of a duplicated literal), in
    /// text order.
    pub related: Vec<Range<usize>>,
}

/// The edits that can be applied together: sorted by position, each overlapping edit after
/// the first of its overlap dropped.
pub fn non_overlapping(edits: &[Edit]) -> Vec<&Edit> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut kept: Vec<&Edit> = Vec::new();
    for edit in sorted {
        if kept.last().is_none_or(|last| last.range.end <= edit.range.start) {
            kept.push(edit);
        }
    }
    kept
}

/// Applies edits to a text, later ones first so earlier offsets stay valid; overlapping
/// edits after the first are dropped (see [`non_overlapping`]).
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = text.to_string();
    for edit in non_overlapping(edits).iter().rev() {
        out.replace_range(edit.range.clone(), &edit.new_text);
    }
    out
}
