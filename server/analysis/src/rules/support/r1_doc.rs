//! r1_doc: the sections of a method's description comment (`Параметры:`, `Возвращаемое
//! значение:`, ...), read the way standard 453 lays them out.

use std::ops::Range;

use bsl_syntax::DocComment;
use bsl_syntax::keywords::is_name_char;

/// A parameter named in the `Параметры:` section.
#[derive(Debug, Clone)]
pub struct DescribedParameter {
    pub name: String,
    /// The name's place in the module's text.
    pub range: Range<usize>,
    /// Whether the line is at the section's outer indentation (not a nested field).
    pub top_level: bool,
    /// `Параметр<n>`: stands for `Параметр1`, `Параметр2`, ...
    pub numbered: bool,
}

impl DescribedParameter {
    /// Whether this description covers a parameter of the signature.
    pub fn covers(&self, parameter: &str) -> bool {
        if self.numbered {
            parameter.get(..self.name.len()).is_some_and(|head| bsl_syntax::keywords::eq_ignore_case(head, &self.name))
        } else {
            bsl_syntax::keywords::eq_ignore_case(&self.name, parameter)
        }
    }
}

/// Whether a description must have a section it lacks (`Параметры:`, `Возвращаемое
/// значение:`): the method is exported from an interface region, or the comment already has
/// other standard sections; a comment that points elsewhere (`см. ...`, `Устарела.`) is
/// complete as it is.
pub fn section_required(module: &bsl_syntax::Module, method: &bsl_syntax::Method, doc: &MethodDoc) -> bool {
    let interface = method.export && in_api_region(module, method.range.start);
    (interface || doc.structured) && !doc.mentions_reference
}

/// Whether an offset lies in the module's interface: a `ПрограммныйИнтерфейс` or
/// `СлужебныйПрограммныйИнтерфейс` region (`Public`, `Internal`).
pub fn in_api_region(module: &bsl_syntax::Module, offset: usize) -> bool {
    module.regions.iter().any(|r| {
        r.range.contains(&offset)
            && ["ПрограммныйИнтерфейс", "СлужебныйПрограммныйИнтерфейс", "Public", "Internal"]
                .iter()
                .any(|n| bsl_syntax::keywords::eq_ignore_case(n, &r.name))
    })
}

/// What a description comment says.
#[derive(Debug, Clone, Default)]
pub struct MethodDoc {
    /// The comment only points elsewhere: `// См. ...`, `// See ...`.
    pub reference: bool,
    /// The description points elsewhere somewhere in its text (`Описание и параметры см. ...`),
    /// or marks the method as deprecated (`Устарела.`).
    pub mentions_reference: bool,
    /// The comment has at least one line of text (not only separators or markers).
    pub has_text: bool,
    /// `Параметры:` / `Parameters:` is there.
    pub has_parameters: bool,
    /// The parameters section points elsewhere (`См. ...`) instead of listing names.
    pub parameters_reference: bool,
    pub parameters: Vec<DescribedParameter>,
    /// `Возвращаемое значение:` / `Returns:` is there.
    pub has_returns: bool,
    /// The returns section has at least one line of content.
    pub returns_filled: bool,
    /// Where the returns header is.
    pub returns_range: Option<Range<usize>>,
    /// Any standard section header at all (parameters, returns, example, call options).
    pub structured: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Description,
    Parameters,
    Returns,
    Other,
}

fn header(line: &str) -> Option<Section> {
    let trimmed = line.trim();
    let (head, colon) = match trimmed.strip_suffix(':') {
        Some(head) => (head.trim(), true),
        None => (trimmed, false),
    };
    let lower = head.to_lowercase();
    // Without the colon, only the two-word header is unmistakable.
    if !colon && lower != "возвращаемое значение" {
        return None;
    }
    match lower.as_str() {
        "параметры" | "parameters" => Some(Section::Parameters),
        "возвращаемое значение"
        | "возвращаемые значения"
        | "возвращаемое значения"
        | "returns"
        | "return value"
        | "returned value" => Some(Section::Returns),
        "пример"
        | "примеры"
        | "пример использования"
        | "варианты вызова"
        | "вариант вызова"
        | "example"
        | "examples"
        | "call options" => Some(Section::Other),
        _ => None,
    }
}

/// `Нет.`, `None`: a section that says there is nothing to describe.
fn is_placeholder(content: &str) -> bool {
    let lower = content.trim().trim_end_matches('.').to_lowercase();
    matches!(lower.as_str(), "нет" | "отсутствуют" | "none" | "-")
}

/// `// Устарела.`, `// Deprecated.`: a method kept for compatibility, described elsewhere.
fn is_deprecation(content: &str) -> bool {
    let lower = content.trim_start().to_lowercase();
    lower.starts_with("устарел") || lower.starts_with("deprecated")
}

fn is_reference(line: &str) -> bool {
    let lower = line.trim_start().to_lowercase();
    lower.starts_with("см.") || lower.starts_with("см ") || lower.starts_with("see ") || lower == "см" || lower == "see"
}

/// `Имя - ...`, `Имя – ...`: the name at the start of a parameter line.
fn parameter_name(line: &str) -> Option<&str> {
    let name_end = line.find(|c: char| !is_name_char(c)).unwrap_or(line.len());
    if name_end == 0 || line[..name_end].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut rest = &line[name_end..];
    if rest.starts_with('<')
        && let Some(close) = rest.find('>')
    {
        rest = &rest[close + 1..];
    }
    let rest = rest.trim_start();
    (rest.starts_with(['-', '–', '—']) || rest.is_empty()).then_some(&line[..name_end])
}

/// The text offsets of each line of the comment (the start of the text after `//`).
fn line_offsets(doc: &DocComment, text: &str) -> Vec<usize> {
    let mut offsets = Vec::with_capacity(doc.lines.len());
    let mut at = doc.range.start;
    for _ in &doc.lines {
        let Some(slashes) = text[at..doc.range.end.max(at)].find("//").map(|i| at + i) else { break };
        let after = slashes + 2;
        offsets.push(if text[after..].starts_with(' ') { after + 1 } else { after });
        at = text[after..].find(['\n', '\r']).map_or(text.len(), |i| {
            let end = after + i;
            end + if text[end..].starts_with("\r\n") { 2 } else { 1 }
        });
        if at > doc.range.end {
            break;
        }
    }
    offsets
}

/// Reads the sections of a method's description comment.
pub fn read(doc: &DocComment, text: &str) -> MethodDoc {
    let offsets = line_offsets(doc, text);
    let mut out = MethodDoc::default();
    let mut section = Section::Description;
    let mut first_content = true;
    let mut parameter_indent: Option<usize> = None;
    for (index, line) in doc.lines.iter().enumerate() {
        let content = line.trim();
        if content.is_empty() || content.chars().all(|c| matches!(c, '/' | '-' | '=' | '*')) {
            continue;
        }
        if let Some(next) = header(line) {
            section = next;
            out.structured = true;
            match next {
                Section::Parameters => out.has_parameters = true,
                Section::Returns => {
                    out.has_returns = true;
                    out.returns_range = offsets.get(index).map(|&o| o..o + line.trim_end().len());
                }
                _ => {}
            }
            first_content = true;
            continue;
        }
        match section {
            Section::Description => {
                let lower = content.to_lowercase();
                if !out.has_text && is_reference(content) || lower.contains(" см. ") || lower.ends_with(" см.") {
                    out.mentions_reference = true;
                }
                if !out.has_text && is_reference(content) {
                    out.reference = true;
                }
                if !out.has_text && is_deprecation(content) {
                    out.mentions_reference = true;
                }
                out.has_text = true;
            }
            Section::Parameters if is_placeholder(content) => {}
            Section::Returns if is_placeholder(content) => {}
            Section::Parameters => {
                if first_content && is_reference(content) {
                    out.parameters_reference = true;
                }
                let indent = line.len() - line.trim_start().len();
                if let Some(name) = parameter_name(line.trim_start())
                    && !line.trim_start().starts_with(['*', '-'])
                {
                    let top = *parameter_indent.get_or_insert(indent);
                    let start = offsets.get(index).map_or(doc.range.start, |&o| o + indent);
                    out.parameters.push(DescribedParameter {
                        name: name.to_string(),
                        range: start..start + name.len(),
                        top_level: indent <= top,
                        numbered: line.trim_start()[name.len()..].starts_with('<'),
                    });
                }
            }
            Section::Returns => out.returns_filled = true,
            Section::Other => {}
        }
        first_content = false;
    }
    out
}

/// [`read`], kept across edits while the comment's text is the same and shared by the
/// rules that read descriptions (the cache holds ranges relative to the comment).
pub fn read_cached(ctx: &crate::rules::RuleContext<'_, '_>, doc: &DocComment) -> MethodDoc {
    let start = doc.range.start;
    // The key covers the comment through the end of its last line.
    let text = ctx.text();
    let end = text[doc.range.end.min(text.len())..].find(['\n', '\r']).map_or(text.len(), |i| doc.range.end + i);
    let relative = ctx.memo_text("r1_doc::MethodDoc", start..end, || {
        let mut read = read(doc, ctx.text());
        shift(&mut read, |o| o - start);
        read
    });
    let mut read = (*relative).clone();
    shift(&mut read, |o| o + start);
    read
}

fn shift(doc: &mut MethodDoc, by: impl Fn(usize) -> usize) {
    for parameter in &mut doc.parameters {
        parameter.range = by(parameter.range.start)..by(parameter.range.end);
    }
    if let Some(range) = &mut doc.returns_range {
        *range = by(range.start)..by(range.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(lines: &[&str]) -> (DocComment, String) {
        let text: String = lines.iter().map(|l| format!("//{l}\n")).collect();
        let stripped = lines.iter().map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end().to_string()).collect();
        (DocComment { range: 0..text.len() - 1, lines: stripped }, text)
    }

    #[test]
    fn sections_and_names() {
        let (d, text) = doc(&[
            " Делает дело.",
            "",
            " Параметры:",
            "  Ссылка    - ЛюбаяСсылка - объект.",
            "            - Строка - имя.",
            "  Настройки - Структура:",
            "    * Ключ - Строка - вложенное поле.",
            "",
            " Возвращаемое значение:",
            "  Булево - успех.",
        ]);
        let read = read(&d, &text);
        assert!(read.has_parameters && read.has_returns && read.returns_filled && !read.reference);
        let names: Vec<_> = read.parameters.iter().map(|p| (p.name.as_str(), p.top_level)).collect();
        assert_eq!(names, vec![("Ссылка", true), ("Настройки", true)]);
        assert_eq!(&text[read.parameters[1].range.clone()], "Настройки");
    }

    #[test]
    fn references() {
        let (d, text) = doc(&[" См. ОбщегоНазначения.Метод."]);
        assert!(read(&d, &text).reference);
        let (d, text) = doc(&[" Делает.", " Parameters:", "  see Other.Method"]);
        let read = read(&d, &text);
        assert!(read.parameters_reference && !read.reference);
    }
}
