//! The risk model in the editor: the hover hint on a method name (probability band, impact,
//! the strongest factors and what to do about them), a code lens with the score above each
//! method, and optional hints on methods above a threshold. Also the architect's layering
//! findings, which need the workspace index like the risk does.

use std::path::Path;

use bsl_assistant::risk::MethodRisk;
use bsl_knowledge::KnowledgeBase;
use bsl_syntax::Method;
use tower_lsp_server::ls_types::{self as lsp, CodeLens, Command, NumberOrString};

use crate::convert;
use crate::session::Snapshot;

/// The band a score falls in, by its percentile among the repository's methods.
pub fn band(risk: &MethodRisk) -> &'static str {
    match risk.percentile {
        p if p >= 90.0 => "высокий",
        p if p >= 70.0 => "средний",
        _ => "низкий",
    }
}

fn risk_of(snap: &Snapshot, path: &Path, method: &Method) -> Option<MethodRisk> {
    snap.workspace.risk()?.method_risk(path, &method.name)
}

/// Words that mark code handling money: a defect there costs the most.
fn touches_money(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["сумм", "цен", "оплат", "валют", "касс", "банк", "деньг", "взаиморасч", "amount", "price", "payment", "currency"]
        .iter()
        .any(|w| lower.contains(w))
}

fn uses_transactions(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("начатьтранзакцию") || lower.contains("begintransaction")
}

/// The hover's risk section for `method`, when the model knows it.
pub fn hint(snap: &Snapshot, path: &Path, method: &Method) -> Option<String> {
    let risk = risk_of(snap, path, method)?;
    let source = if risk.heuristic {
        "эвристика: изменчивость × сложность (истории мало для модели)"
    } else {
        "модель по истории репозитория"
    };
    let mut out = format!(
        "**Риск ошибки: {}** — {:.2}, выше, чем у {:.0}% методов ({source})",
        band(&risk),
        risk.score,
        risk.percentile
    );
    // Impact: how far a defect here would spread.
    let body = &snap.parse.text()[method.range.clone()];
    let fan_in = {
        let index = snap.workspace.index();
        bsl_assistant::risk::metrics::fan_in(&index, path, &method.name)
    };
    let mut impact = vec![format!("вызывается из {fan_in} мест")];
    if method.export {
        impact.push("экспортный".into());
    }
    let transactions = uses_transactions(body);
    if transactions {
        impact.push("работает в транзакции".into());
    }
    if touches_money(body) {
        impact.push("касается денежных данных".into());
    }
    out.push_str(&format!("\n\nВлияние: {}.", impact.join(", ")));
    if !risk.reasons.is_empty() {
        out.push_str("\n\nГлавные факторы:");
        for reason in risk.reasons.iter().take(3) {
            out.push_str(&format!("\n- {reason}"));
        }
    }
    out.push_str("\n\nЧто сделать: покройте метод тестами (действие «Сгенерировать тесты YAxUnit»)");
    if risk.reasons.iter().any(|r| r.contains("сложн")) {
        out.push_str(", вынесите самостоятельные шаги в отдельные методы");
    }
    out.push('.');
    if transactions && let Some(standard) = KnowledgeBase::embedded().standard(783) {
        out.push_str(&format!(
            " Проверьте транзакцию по стандарту {} «{}»: {}",
            standard.number,
            standard.title,
            standard.summary.trim()
        ));
    }
    Some(out)
}

/// A lens with the risk score above each method the model knows.
pub fn lenses(snap: &Snapshot) -> Vec<CodeLens> {
    let Some(path) = snap.path() else { return Vec::new() };
    if snap.workspace.risk().is_none() {
        return Vec::new();
    }
    let module = snap.parse.module();
    module
        .methods
        .iter()
        .filter_map(|method| {
            let risk = risk_of(snap, &path, method)?;
            let at = convert::position(&snap.parse, method.range.start);
            Some(CodeLens {
                range: lsp::Range { start: at, end: at },
                command: Some(Command {
                    title: format!("риск {:.2} ({})", risk.score, band(&risk)),
                    command: String::new(),
                    arguments: None,
                }),
                data: None,
            })
        })
        .collect()
}

/// Hints on methods whose risk is at least `threshold` (0 or less: none).
pub fn diagnostics(snap: &Snapshot, threshold: f64) -> Vec<lsp::Diagnostic> {
    if threshold <= 0.0 {
        return Vec::new();
    }
    let Some(path) = snap.path() else { return Vec::new() };
    let module = snap.parse.module();
    module
        .methods
        .iter()
        .filter_map(|method| {
            let risk = risk_of(snap, &path, method).filter(|r| r.score >= threshold)?;
            Some(lsp::Diagnostic {
                range: convert::range(&snap.parse, method.name_range.clone()),
                severity: Some(lsp::DiagnosticSeverity::HINT),
                code: Some(NumberOrString::String("DefectRisk".into())),
                source: Some(crate::handlers::diagnostics::SOURCE.into()),
                message: format!(
                    "Высокий риск ошибки ({:.2}): {}",
                    risk.score,
                    risk.reasons.first().map_or("сложный и часто меняется", String::as_str)
                ),
                ..lsp::Diagnostic::default()
            })
        })
        .collect()
}

/// The architect's layering findings in the document (`bsl_assistant::roles::layering`),
/// as warnings.
pub fn layering(snap: &Snapshot) -> Vec<lsp::Diagnostic> {
    let Some(path) = snap.path() else { return Vec::new() };
    let index = snap.workspace.index();
    bsl_assistant::roles::layering::violations(&snap.parse, &path, &index)
        .into_iter()
        .map(|v| lsp::Diagnostic {
            range: convert::range(&snap.parse, v.range),
            severity: Some(lsp::DiagnosticSeverity::WARNING),
            code: Some(NumberOrString::String("LayeringViolation".into())),
            source: Some(crate::handlers::diagnostics::SOURCE.into()),
            message: v.message,
            ..lsp::Diagnostic::default()
        })
        .collect()
}
