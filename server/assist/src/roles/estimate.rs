//! The project manager's estimate of changing a selection of code: hours per method from
//! its measures, with the reasons, and a range for the whole. A documented rule of thumb,
//! not a promise: reading and changing grow with size and cognitive complexity, each query
//! and transaction needs its own check, every caller of an exported method is a place to
//! verify, and tests add a third.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use bsl_analysis::workspace::WorkspaceIndex;
use bsl_syntax::Parse;
use serde::Serialize;

use crate::risk::metrics::{fan_in, snapshot_of};

/// One method's share of the estimate.
#[derive(Debug, Clone, Serialize)]
pub struct MethodEstimate {
    pub method: String,
    pub hours: f64,
    pub reasons: Vec<String>,
}

/// The estimate of a selection.
#[derive(Debug, Clone, Serialize)]
pub struct Estimate {
    pub methods: Vec<MethodEstimate>,
    /// The total, and the range around it (−30 % … +60 %: changes overrun more than they
    /// underrun).
    pub hours: f64,
    pub low: f64,
    pub high: f64,
}

/// Estimates changing the methods whose lines meet `lines` (0-based, inclusive) of the
/// module at `path`.
pub fn estimate(parse: &Parse, path: &Path, index: &WorkspaceIndex, lines: Range<u32>) -> Estimate {
    let mut methods = Vec::new();
    for m in snapshot_of(parse) {
        if m.last_line < lines.start || m.first_line > lines.end {
            continue;
        }
        let s = &m.metrics;
        let mut reasons = vec![format!("{} строк, когнитивная сложность {}", s.lines, s.cognitive)];
        let mut hours = 0.25 + 0.02 * f64::from(s.lines) + 0.1 * f64::from(s.cognitive);
        if s.queries > 0 {
            hours += 0.25 * f64::from(s.queries);
            reasons.push(format!("запросов: {}", s.queries));
        }
        if s.transactions > 0 {
            hours += 0.5;
            reasons.push("транзакция".into());
        }
        if s.export {
            let callers = fan_in(index, path, &m.name);
            if callers > 0 {
                hours += (0.05 * f64::from(callers)).min(4.0);
                reasons.push(format!("проверить {callers} мест вызова"));
            }
        }
        hours *= 1.3;
        reasons.push("+30 % на тесты".into());
        methods.push(MethodEstimate { method: m.name, hours: (hours * 10.0).round() / 10.0, reasons });
    }
    let hours: f64 = methods.iter().map(|m| m.hours).sum();
    let round = |h: f64| (h * 10.0).round() / 10.0;
    Estimate { hours: round(hours), low: round(hours * 0.7), high: round(hours * 1.6), methods }
}

impl Estimate {
    pub fn markdown(&self) -> String {
        let mut out = String::from("# Оценка трудоёмкости\n\n");
        if self.methods.is_empty() {
            out.push_str("В выделении нет методов: выделите методы, которые предстоит изменить.\n");
            return out;
        }
        let _ = writeln!(
            out,
            "**Итого: около {} ч** (от {} до {} ч).\n\n| Метод | Часы | Из чего |\n|---|---:|---|",
            self.hours, self.low, self.high
        );
        for m in &self.methods {
            let _ = writeln!(out, "| {} | {} | {} |", m.method, m.hours, m.reasons.join("; "));
        }
        out.push_str(
            "\nОценка по правилу: 0,25 ч + 0,02 ч на строку + 0,1 ч на единицу когнитивной сложности, \
             0,25 ч на запрос, 0,5 ч на транзакцию, 0,05 ч на место вызова экспортного метода (не более 4 ч), \
             и ещё 30 % на тесты.\n",
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_the_selected_methods_with_reasons() {
        let text = "Процедура А()\nКонецПроцедуры\n\nФункция Б(Х) Экспорт\n\tЕсли Х > 0 Тогда\n\t\tЗапрос = Новый Запрос;\n\t\tВозврат Запрос.Выполнить();\n\tКонецЕсли;\n\tВозврат Неопределено;\nКонецФункции\n";
        let parse = Parse::new(text);
        let index = WorkspaceIndex::new();
        let all = estimate(&parse, Path::new("/p/М.bsl"), &index, 0..100);
        assert_eq!(all.methods.len(), 2);
        let b = &all.methods[1];
        assert!(b.reasons.iter().any(|r| r.contains("запросов: 1")), "{b:?}");
        assert!(b.hours > all.methods[0].hours);
        assert!(all.low < all.hours && all.hours < all.high);
        let only_b = estimate(&parse, Path::new("/p/М.bsl"), &index, 4..4);
        assert_eq!(only_b.methods.len(), 1);
        assert!(only_b.markdown().contains("| Б |"), "{}", only_b.markdown());
        assert!(estimate(&parse, Path::new("/p/М.bsl"), &index, 2..2).markdown().contains("нет методов"));
    }
}
