//! The workspace report: what the analyst, the architect and the project manager ask about a
//! configuration, from the index, the rules' findings and the risk model. The analyst gets
//! its size and metadata; the architect the most depended-on modules, dependency cycles and a
//! diagram; the project manager the risk register, technical debt in hours, documentation
//! and test coverage. Markdown for people, JSON for tools.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use bsl_analysis::ModuleKind;
use bsl_analysis::Severity;
use bsl_analysis::rules::find_rule;
use bsl_analysis::workspace::WorkspaceIndex;
use serde::Serialize;

use super::architect::{DependencyGraph, display_name, workspace_diagram};
use crate::risk::RiskModel;

/// The rules' findings over the workspace, counted.
#[derive(Debug, Default, Clone, Serialize)]
pub struct FindingsSummary {
    pub total: usize,
    pub by_severity: BTreeMap<String, usize>,
    /// By rule code.
    pub by_rule: BTreeMap<String, usize>,
    /// The rules' estimates of the time to fix each finding, summed.
    pub minutes_to_fix: u64,
}

impl FindingsSummary {
    pub fn add(&mut self, code: &str, severity: Severity) {
        self.total += 1;
        *self.by_severity.entry(severity.name().to_string()).or_default() += 1;
        *self.by_rule.entry(code.to_string()).or_default() += 1;
        self.minutes_to_fix += u64::from(find_rule(code).map_or(1, |r| r.rule.meta().minutes_to_fix));
    }
}

/// Runs the rules over module files in parallel and counts what they find; unreadable
/// files are skipped (the check command reports them).
pub fn findings_of_files(paths: &[std::path::PathBuf], config: &bsl_analysis::Config) -> FindingsSummary {
    use rayon::prelude::*;
    let rules = bsl_analysis::RuleSet::new(config);
    let found: Vec<(&'static str, Severity)> = paths
        .par_iter()
        .flat_map_iter(|path| {
            let text = std::fs::read(path).ok().and_then(|b| bsl_syntax::source::decode(&b).ok()).unwrap_or_default();
            let kind = bsl_analysis::workspace::classify(path)
                .and_then(|l| l.module_kind())
                .unwrap_or_else(|| ModuleKind::from_path(path));
            let parse = bsl_syntax::Parse::new(&text);
            rules.check(&parse, kind).into_iter().map(|d| (d.code, d.severity)).collect::<Vec<_>>()
        })
        .collect();
    let mut summary = FindingsSummary::default();
    for (code, severity) in found {
        summary.add(code, severity);
    }
    summary
}

/// The report's facts, serializable for `--format json` and the MCP tool.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub modules: usize,
    pub modules_by_kind: BTreeMap<String, usize>,
    pub methods: usize,
    pub exported_methods: usize,
    pub documented_exported: usize,
    pub metadata_objects: BTreeMap<String, usize>,
    /// Most depended-on modules: display name, distinct calling modules.
    pub core_modules: Vec<(String, usize)>,
    /// Modules that call the most other modules.
    pub busiest_modules: Vec<(String, usize)>,
    /// Dependency cycles between modules, by display name.
    pub cycles: Vec<Vec<String>>,
    /// Common modules and whether a YAxUnit module (`ОМ_<Name>` or `<Name>_Тест...`) tests them.
    pub common_modules: usize,
    pub tested_common_modules: usize,
    pub findings: Option<FindingsSummary>,
    pub risk: Option<RiskRegister>,
    pub mermaid: String,
}

/// The risk model's top methods and how much to trust it.
#[derive(Debug, Clone, Serialize)]
pub struct RiskRegister {
    pub heuristic: bool,
    pub auc: Option<f64>,
    pub note: String,
    /// Path, method, score (0..1), reasons.
    pub top: Vec<(String, String, f64, Vec<String>)>,
}

/// Builds the report. `findings` and `risk` are optional: without them the report says so.
pub fn build(index: &WorkspaceIndex, findings: Option<FindingsSummary>, risk: Option<&RiskModel>) -> Report {
    let graph = DependencyGraph::build(index);
    let mut modules_by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let (mut methods, mut exported, mut documented) = (0, 0, 0);
    let mut test_targets: HashSet<String> = HashSet::new();
    for m in index.modules() {
        *modules_by_kind.entry(format!("{:?}", m.kind)).or_default() += 1;
        methods += m.methods.len();
        for method in m.exported_methods() {
            exported += 1;
            documented += usize::from(method.doc.is_some());
        }
        if let Some(target) = tested_module(&m.name) {
            test_targets.insert(target.to_lowercase());
        }
    }
    let common: Vec<&str> = index
        .modules()
        .filter(|m| m.kind == ModuleKind::Common && tested_module(&m.name).is_none())
        .map(|m| m.name.as_str())
        .collect();
    let tested = common.iter().filter(|n| test_targets.contains(&n.to_lowercase())).count();
    let name_of = |p: &Path| index.module(p).map(display_name).unwrap_or_else(|| p.display().to_string());
    Report {
        modules: index.module_count(),
        modules_by_kind,
        methods,
        exported_methods: exported,
        documented_exported: documented,
        metadata_objects: index.object_counts().into_iter().map(|(k, n)| (k.name_ru().to_string(), n)).collect(),
        core_modules: graph.fan_in().into_iter().take(10).map(|(p, n)| (name_of(p), n)).collect(),
        busiest_modules: graph.fan_out().into_iter().take(10).map(|(p, n)| (name_of(p), n)).collect(),
        cycles: graph.cycles().into_iter().take(10).map(|c| c.into_iter().map(name_of).collect()).collect(),
        common_modules: common.len(),
        tested_common_modules: tested,
        findings,
        risk: risk.map(|model| RiskRegister {
            heuristic: model.is_heuristic(),
            auc: model.evaluation().auc,
            note: model.evaluation().note.clone(),
            top: model
                .ranking()
                .iter()
                .take(15)
                .map(|r| (r.path.clone(), r.method.clone(), r.risk.score, r.risk.reasons.clone()))
                .collect(),
        }),
        mermaid: workspace_diagram(index, &graph, 15),
    }
}

/// The module a YAxUnit test module tests, by the usual names: `ОМ_Имя`, `Тест_Имя`, `Имя_Тест(ы)`.
fn tested_module(name: &str) -> Option<&str> {
    for prefix in ["ОМ_", "ом_", "Тест_", "Test_"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return Some(rest);
        }
    }
    for suffix in ["_Тесты", "_Тест", "_Tests", "_Test"] {
        if let Some(rest) = name.strip_suffix(suffix) {
            return Some(rest);
        }
    }
    None
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 { "—".into() } else { format!("{:.0} %", part as f64 * 100.0 / whole as f64) }
}

impl Report {
    /// The report as Markdown, the Mermaid diagram in a fenced block.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Отчёт по проекту\n");
        let _ = writeln!(out, "## Аналитику: состав\n");
        let _ = writeln!(
            out,
            "{} модулей, {} методов, из них экспортных {} (с описанием {}).\n",
            self.modules,
            self.methods,
            self.exported_methods,
            percent(self.documented_exported, self.exported_methods)
        );
        if !self.metadata_objects.is_empty() {
            let _ = writeln!(out, "| Вид объектов метаданных | Количество |\n|---|---:|");
            for (kind, n) in &self.metadata_objects {
                let _ = writeln!(out, "| {kind} | {n} |");
            }
            out.push('\n');
        }
        let _ = writeln!(out, "| Вид модуля | Количество |\n|---|---:|");
        for (kind, n) in &self.modules_by_kind {
            let _ = writeln!(out, "| {kind} | {n} |");
        }
        out.push('\n');

        let _ = writeln!(out, "## Архитектору: зависимости\n");
        if self.core_modules.is_empty() {
            let _ = writeln!(out, "Вызовов между модулями не найдено.\n");
        } else {
            let _ = writeln!(out, "Модули, от которых зависит больше всего других (сколько модулей их вызывают):\n");
            for (name, n) in &self.core_modules {
                let _ = writeln!(out, "- {name}: {n}");
            }
            let _ = writeln!(out, "\nМодули, которые вызывают больше всего других:\n");
            for (name, n) in &self.busiest_modules {
                let _ = writeln!(out, "- {name}: {n}");
            }
            out.push('\n');
        }
        if self.cycles.is_empty() {
            let _ = writeln!(out, "Циклических зависимостей между модулями нет.\n");
        } else {
            let _ = writeln!(
                out,
                "Циклические зависимости ({}; изменение любого модуля цикла затрагивает остальные):\n",
                self.cycles.len()
            );
            for cycle in &self.cycles {
                let shown: Vec<&str> = cycle.iter().take(8).map(String::as_str).collect();
                let more = if cycle.len() > 8 { format!(" и ещё {}", cycle.len() - 8) } else { String::new() };
                let _ = writeln!(out, "- {}{more}", shown.join(" ⇄ "));
            }
            out.push('\n');
        }
        let _ = writeln!(out, "```mermaid\n{}```\n", self.mermaid);

        let _ = writeln!(out, "## Руководителю проекта: риски и долг\n");
        match &self.findings {
            Some(f) => {
                let _ = writeln!(
                    out,
                    "Замечаний правил: {}; технический долг около {} ч.",
                    f.total,
                    (f.minutes_to_fix as f64 / 60.0).round()
                );
                let severities: Vec<String> = f.by_severity.iter().map(|(s, n)| format!("{s}: {n}")).collect();
                let _ = writeln!(out, "По важности: {}.\n", severities.join(", "));
                let mut top: Vec<(&String, &usize)> = f.by_rule.iter().collect();
                top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                let _ = writeln!(out, "| Правило | Замечаний |\n|---|---:|");
                for (code, n) in top.into_iter().take(10) {
                    let _ = writeln!(out, "| {code} | {n} |");
                }
                out.push('\n');
            }
            None => {
                let _ = writeln!(out, "Замечания правил не подсчитаны (отчёт построен без проверки).\n");
            }
        }
        let _ = writeln!(
            out,
            "Тесты: YAxUnit-модули есть для {} из {} общих модулей ({}).\n",
            self.tested_common_modules,
            self.common_modules,
            percent(self.tested_common_modules, self.common_modules)
        );
        match &self.risk {
            Some(r) => {
                let _ = writeln!(out, "### Реестр рисков\n");
                let source = if r.heuristic {
                    format!("эвристика (сложность × изменчивость): {}", r.note)
                } else {
                    format!("модель по истории git, AUC {}", r.auc.map_or("—".into(), |a| format!("{a:.2}")))
                };
                let _ = writeln!(out, "Оценка: {source}.\n");
                let _ = writeln!(out, "| Файл | Метод | Риск | Почему |\n|---|---|---:|---|");
                for (path, method, score, reasons) in &r.top {
                    let _ = writeln!(out, "| {path} | {method} | {score:.2} | {} |", reasons.join("; "));
                }
                out.push('\n');
            }
            None => {
                let _ = writeln!(out, "Реестр рисков недоступен: папка не является git-репозиторием.\n");
            }
        }
        out
    }
}

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A horizontal bar chart as inline SVG: one bar per `(label, value)`.
fn bars(title: &str, rows: &[(String, f64)], format: impl Fn(f64) -> String) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let max = rows.iter().map(|r| r.1).fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let (label_width, bar_width, row) = (320.0, 420.0, 22.0);
    let height = row * rows.len() as f64 + 8.0;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg role=\"img\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        esc(title),
        label_width + bar_width + 90.0,
        label_width + bar_width + 90.0
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = i as f64 * row + 4.0;
        let w = (value / max * bar_width).max(1.0);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" rx=\"2\"/><text x=\"{}\" y=\"{}\">{}</text>",
            label_width - 8.0,
            y + 15.0,
            esc(label),
            label_width,
            row - 6.0,
            label_width + w + 6.0,
            y + 15.0,
            esc(&format(*value))
        );
    }
    svg.push_str("</svg></figure>\n");
    svg
}

impl Report {
    /// The report as one self-contained HTML page: the Markdown's facts with bar charts
    /// drawn as inline SVG (no scripts, no network), the diagram's Mermaid source included.
    pub fn html(&self) -> String {
        let mut body = String::new();
        let _ = write!(
            body,
            "<h1>Отчёт по проекту</h1><p>{} модулей, {} методов, экспортных {} (с описанием {}).</p>",
            self.modules,
            self.methods,
            self.exported_methods,
            percent(self.documented_exported, self.exported_methods)
        );
        let kinds: Vec<(String, f64)> = self.modules_by_kind.iter().map(|(k, n)| (k.clone(), *n as f64)).collect();
        body.push_str(&bars("Модули по видам", &kinds, |v| format!("{v:.0}")));
        let objects: Vec<(String, f64)> = self.metadata_objects.iter().map(|(k, n)| (k.clone(), *n as f64)).collect();
        body.push_str(&bars("Объекты метаданных", &objects, |v| format!("{v:.0}")));
        body.push_str("<h2>Зависимости</h2>");
        let core: Vec<(String, f64)> = self.core_modules.iter().map(|(k, n)| (k.clone(), *n as f64)).collect();
        body.push_str(&bars("Модули, от которых зависит больше всего других", &core, |v| format!("{v:.0}")));
        if self.cycles.is_empty() {
            body.push_str("<p>Циклических зависимостей нет.</p>");
        } else {
            body.push_str("<p>Циклические зависимости:</p><ul>");
            for cycle in &self.cycles {
                let _ = write!(body, "<li>{}</li>", esc(&cycle.join(" ⇄ ")));
            }
            body.push_str("</ul>");
        }
        let _ =
            write!(body, "<details><summary>Диаграмма (Mermaid)</summary><pre>{}</pre></details>", esc(&self.mermaid));
        body.push_str("<h2>Технический долг</h2>");
        match &self.findings {
            Some(f) => {
                let _ = write!(
                    body,
                    "<p>Замечаний: {}; долг около {:.0} ч.</p>",
                    f.total,
                    (f.minutes_to_fix as f64 / 60.0).round()
                );
                let severities: Vec<(String, f64)> =
                    f.by_severity.iter().map(|(k, n)| (k.clone(), *n as f64)).collect();
                body.push_str(&bars("Замечания по важности", &severities, |v| format!("{v:.0}")));
                let mut top: Vec<(String, f64)> = f.by_rule.iter().map(|(k, n)| (k.clone(), *n as f64)).collect();
                top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                top.truncate(12);
                body.push_str(&bars("Самые частые замечания", &top, |v| format!("{v:.0}")));
            }
            None => body.push_str("<p>Замечания не подсчитаны.</p>"),
        }
        let _ = write!(
            body,
            "<p>Тесты YAxUnit есть для {} из {} общих модулей ({}).</p>",
            self.tested_common_modules,
            self.common_modules,
            percent(self.tested_common_modules, self.common_modules)
        );
        body.push_str("<h2>Реестр рисков</h2>");
        match &self.risk {
            Some(r) => {
                let rows: Vec<(String, f64)> =
                    r.top.iter().map(|(path, method, score, _)| (format!("{method} ({path})"), *score)).collect();
                body.push_str(&bars("Вероятность исправления ошибки", &rows, |v| {
                    format!("{v:.2}")
                }));
                body.push_str("<table><tr><th>Метод</th><th>Риск</th><th>Почему</th></tr>");
                for (path, method, score, reasons) in &r.top {
                    let _ = write!(
                        body,
                        "<tr><td>{}<br><small>{}</small></td><td>{score:.2}</td><td>{}</td></tr>",
                        esc(method),
                        esc(path),
                        esc(&reasons.join("; "))
                    );
                }
                body.push_str("</table>");
            }
            None => body.push_str("<p>Недоступен: папка не в git-репозитории.</p>"),
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Отчёт по проекту</title><style>\nbody{{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}}\nsvg text{{font-size:12px;fill:#333}} svg rect{{fill:#3b7dd8}}\nfigure{{margin:1em 0}} figcaption{{font-weight:600;margin-bottom:.3em}}\ntable{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top}}\n</style></head><body>\n{body}\n</body></html>\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_counts_modules_tests_and_findings() {
        let mut index = WorkspaceIndex::new();
        index.add_module_text(
            Path::new("/p/CommonModules/Деньги/Ext/Module.bsl"),
            "// Сумма.\nФункция Сумма() Экспорт\n Возврат Курсы.Курс();\nКонецФункции\n",
        );
        index.add_module_text(
            Path::new("/p/CommonModules/Курсы/Ext/Module.bsl"),
            "Функция Курс() Экспорт\n Возврат Деньги.Сумма();\nКонецФункции\n",
        );
        index.add_module_text(
            Path::new("/p/CommonModules/ОМ_Деньги/Ext/Module.bsl"),
            "Процедура Т() Экспорт\nКонецПроцедуры\n",
        );
        let mut findings = FindingsSummary::default();
        findings.add("LineLength", Severity::Minor);
        let report = build(&index, Some(findings), None);
        assert_eq!((report.common_modules, report.tested_common_modules), (2, 1));
        assert_eq!((report.exported_methods, report.documented_exported), (3, 1));
        assert_eq!(report.cycles, vec![vec!["Деньги".to_string(), "Курсы".to_string()]]);
        let md = report.markdown();
        assert!(md.contains("Деньги ⇄ Курсы"), "{md}");
        assert!(md.contains("| LineLength | 1 |"), "{md}");
        assert!(md.contains("```mermaid\nflowchart LR"), "{md}");
        assert!(md.contains("Реестр рисков недоступен"), "{md}");
        let html = report.html();
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && !html.contains("<script"), "{html}");
        assert!(html.contains("Деньги ⇄ Курсы") && !html.contains("http"), "self-contained: {html}");
    }
}
